package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newRow is one row's template: a bold title over a quieter subtitle.
func newRow() fyne.CanvasObject {
	title := widget.NewLabel("Title")
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Truncation = fyne.TextTruncateEllipsis
	subtitle := newMuted("Subtitle", fyne.TextAlignLeading)
	subtitle.Truncation = fyne.TextTruncateEllipsis
	return container.New(tightVBox(), title, subtitle)
}

// tightVBox stacks labels closer than a VBox does: each label already
// carries its own inner padding.
func tightVBox() fyne.Layout {
	return layout.NewCustomPaddedVBoxLayout(-theme.Padding() * 2)
}

func (v *listView) length() int { return len(v.m.shown) }

func (v *listView) updateRow(id widget.ListItemID, row fyne.CanvasObject) {
	item, ok := v.m.row(id)
	if !ok {
		return
	}
	lines := row.(*fyne.Container).Objects
	lines[0].(*widget.Label).SetText(item.Title)
	setMuted(lines[1].(*widget.RichText), item.Subtitle)
	if v.m.nearEnd(id) {
		v.loadMore()
	}
}
