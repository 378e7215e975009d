package session

// Preferences keeps the non-secret state (rule R1). fyne.Preferences
// satisfies it; tests use NewMemoryPreferences.
type Preferences interface {
	String(key string) string
	SetString(key, value string)
	RemoveValue(key string)
}
