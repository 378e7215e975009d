package keychain

import "testing"

// The session panel shows these words; code compares the values.
func TestLocation_SaysWhereInWords(t *testing.T) {
	for loc, want := range map[Location]string{
		LocationUnknown:  "unknown",
		LocationKeychain: "OS keychain",
		LocationMemory:   "this session only",
		LocationFile:     "a file on this computer (not encrypted)",
	} {
		if got := loc.String(); got != want {
			t.Errorf("Location(%d) = %q, want %q", int(loc), got, want)
		}
	}
}
