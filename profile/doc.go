// Package profile reads, checks and ships backend profiles: the TOML files
// that tell Signet how one Login API works (api.Profile is the in-memory
// shape). It decodes strictly (an unknown key is an error, because a typo in
// a key would otherwise silently fall back to a default), applies the
// defaults, and reports every problem at once with the field and the line,
// so a person fixing a file sees the whole list in one go.
//
// It also holds the presets the app ships (demo, oauth2-password); the
// example profiles live in signet/assets/profiles.
package profile
