package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newMuted makes secondary text: quieter than the main text but easy to
// read. widget.Label's LowImportance uses the disabled colour, which is too
// faint on the dark theme for anything a person is meant to read (a
// countdown, a subtitle, the server address), so the placeholder colour is
// used instead.
func newMuted(text string, align fyne.TextAlign) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{
		Text: text,
		Style: widget.RichTextStyle{
			Alignment: align,
			ColorName: theme.ColorNamePlaceHolder,
			Inline:    true,
			SizeName:  theme.SizeNameText,
		},
	})
	return rt
}

// setMuted changes the text of a newMuted widget.
func setMuted(rt *widget.RichText, text string) {
	seg := rt.Segments[0].(*widget.TextSegment)
	if seg.Text == text {
		return
	}
	seg.Text = text
	rt.Refresh()
}

// mutedText is the text of a newMuted widget.
func mutedText(rt *widget.RichText) string {
	return rt.Segments[0].(*widget.TextSegment).Text
}
