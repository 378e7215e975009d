// Package profiles embeds Signet's example backend profiles, one for each
// style of Login API the app is known to serve (docs/profiles.md). Load one
// with profile.LoadFS(profiles.FS, "camel-jwt.toml"); copy one to start a
// profile of your own.
package profiles
