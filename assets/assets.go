package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

//go:embed icon256.png
var icon256PNG []byte

// Icon is the app icon (512×512 PNG, rendered from icon.svg).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// Icon256 is the icon at half its size (256×256, downscaled from icon.png),
// for what is drawn smaller: the logos inside the window (36 to 72 points)
// and the window's own icon (Fyne's size for window icons). Fyne decodes a
// picture again each time it is refreshed and scales it down on the CPU,
// and the full-size icon's pixels cost a start several milliseconds.
var Icon256 = fyne.NewStaticResource("icon256.png", icon256PNG)
