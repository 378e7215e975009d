// Package assets holds the files built into the Signet binary: the app icon,
// so the window and the task bar show it without any file next to the binary.
package assets
