package profiles

import "embed"

//go:embed *.toml
var files embed.FS

// FS holds the example profiles, *.toml at its root.
var FS = files
