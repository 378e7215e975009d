package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app icon (512×512 PNG, rendered from icon.svg).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
