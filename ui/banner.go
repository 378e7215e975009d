package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// banner is a slim, tinted strip with an icon and one line of text, for
// states worth noticing but not worth interrupting for (offline, memory
// only). Hidden until shown.
type banner struct {
	bg      *canvas.Rectangle
	text    *widget.Label
	content *fyne.Container
}

// newBanner makes a banner; action, if not nil, sits at its right end (the
// caller shows and hides it).
func newBanner(icon fyne.Resource, action ...fyne.CanvasObject) *banner {
	b := &banner{}
	b.bg = canvas.NewRectangle(color.Transparent)
	b.bg.CornerRadius = theme.InputRadiusSize()
	b.text = widget.NewLabel("")
	b.text.Importance = widget.WarningImportance
	b.text.Wrapping = fyne.TextWrapWord
	var right fyne.CanvasObject
	if len(action) > 0 {
		right = container.NewCenter(action[0])
	}
	b.content = container.NewStack(b.bg,
		container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(icon)), right, b.text))
	b.content.Hide()
	return b
}

// show sets the text and makes the banner visible.
func (b *banner) show(text string) {
	b.text.SetText(text)
	// The tint is read from the theme on every show, so it follows a
	// light/dark switch.
	r, g, bl, _ := theme.Color(theme.ColorNameWarning).RGBA()
	b.bg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 0x26}
	b.bg.Refresh()
	b.content.Show()
}

func (b *banner) hide() { b.content.Hide() }

func (b *banner) visible() bool { return b.content.Visible() }
