// Package ui is Signet's window: a sign-in form, the protected lists, and the
// session's state made visible (renewal countdown, offline banner, memory-only
// notice). It knows widgets only; everything about tokens, storage and HTTP
// happens behind the Session interface, so the screens can be driven in tests
// by Fyne's test driver against a real session controller.
package ui
