// Package backend chooses the backend Signet talks to and switches between
// backends: which one wins (command line, $SIGNET_PROFILE, the saved choice,
// the demo), the saved choice itself, building a validated profile from a
// preset or a profile file, the session for it and the storage key that
// keeps each backend's session apart, and the embedded demo backend's life,
// which runs only while it is in use. It has no widgets: main wires a
// Switcher into the UI's Server screen, and the UI's tests use the same one.
package backend
