// Package browsertest is a scripted web browser for tests of browser
// sign-in: it opens a URL, fills and submits the page's form the way a
// person would, and follows redirects (to the app's loopback listener too).
package browsertest
