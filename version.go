package main

import (
	_ "embed"
	"sync"

	toml "github.com/pelletier/go-toml/v2"

	"signet/api"
)

// version overrides FyneApp.toml's version at release time
// (-ldflags "-X main.version=…"); empty means FyneApp.toml's.
var version string

// fyneAppTOML is the app's metadata, the one place its version is written:
// the packaging tool reads it too, so the About box, -version and the
// User-Agent can never disagree with the package.
//
//go:embed FyneApp.toml
var fyneAppTOML []byte

// appVersion is the version this binary reports.
var appVersion = sync.OnceValue(func() string {
	if version != "" {
		return version
	}
	var meta struct{ Details struct{ Version string } }
	if err := toml.Unmarshal(fyneAppTOML, &meta); err != nil || meta.Details.Version == "" {
		return "dev"
	}
	return meta.Details.Version
})

// stampVersion makes every API client send "Signet/<version>" as its
// User-Agent; api reads api.Version when a client is made.
func stampVersion() { api.Version = appVersion() }
