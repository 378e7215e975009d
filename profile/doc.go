// Package profile reads, checks and ships backend profiles: the TOML files
// that tell Signet how one Login API works (api.Profile is the in-memory
// shape). It decodes strictly (an unknown key is an error, because a typo in
// a key would otherwise silently fall back to a default), applies the
// defaults (api.Profile.WithDefaults), and reports every problem at once with
// the field and the line, so a person fixing a file sees the whole list in one
// go. The rules themselves are api.Profile.Validate's, the same for a file
// and a profile built in code; this package adds only what a file can get
// wrong (unknown keys, wrong types) and the lines.
//
// It also holds the presets the app ships (demo, oauth2-password); the
// example profiles live in signet/assets/profiles.
package profile
