package main

import (
	"errors"
	"fmt"
	"io"

	"signet/backend"
	"signet/profile"
)

// reportBackendError explains on stderr why the chosen backend can't be
// used, every problem of a profile on its own line, and returns the exit
// code: 2 when the choice itself is wrong, 1 when Signet failed to run it.
func reportBackendError(stderr io.Writer, c backend.Choice, src backend.Source, err error) int {
	what := c.File
	if what == "" {
		what = "preset " + c.Preset
	}
	if c.BaseURL != "" {
		what += " at " + backend.Redact(c.BaseURL)
	}
	fmt.Fprintf(stderr, "signet: can't use the backend from %s (%s):\n", src, what)
	lines := []string{err.Error()}
	var v *profile.ValidationError
	if errors.As(err, &v) {
		lines = v.Lines()
	}
	for _, l := range lines {
		fmt.Fprintf(stderr, "  %s\n", l)
	}
	if c.Preset != "" && c.BaseURL == "" && v != nil {
		fmt.Fprintln(stderr, "Give the preset your server's address with --base-url URL.")
	}
	var bad *backend.BadChoiceError
	if errors.As(err, &bad) {
		return 2
	}
	return 1
}
