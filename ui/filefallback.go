package ui

// FileFallbackPref is the preference that holds the person's opt-in to keep
// the session in a plaintext file while the OS keychain can't be used (rule
// R3). main reads it to enable keychain.Fallback; only this UI sets it, after
// a warning.
const FileFallbackPref = "security.file_fallback"
