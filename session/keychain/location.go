package keychain

// Location is where a session's secrets are kept. Its String is the words a
// person reads on the session panel; code compares the values, never the
// words.
type Location int

const (
	// LocationUnknown: nobody said (a zero Snapshot).
	LocationUnknown Location = iota
	// LocationKeychain: the OS keychain.
	LocationKeychain
	// LocationMemory: nowhere lasting; the session ends when the app quits.
	LocationMemory
	// LocationFile: the opt-in plaintext File (see Fallback).
	LocationFile
)

func (l Location) String() string {
	switch l {
	case LocationKeychain:
		return "OS keychain"
	case LocationMemory:
		return "this session only"
	case LocationFile:
		return "a file on this computer (not encrypted)"
	default:
		return "unknown"
	}
}
