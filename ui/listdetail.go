package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"signet/api"
)

func (v *listView) onSelected(id widget.ListItemID) {
	if it, ok := v.m.row(id); ok {
		v.openDetail(it)
	}
}

func (v *listView) openDetail(it api.Item) {
	v.m.selectedID = it.ID
	v.detail.show(it)
	if len(v.body.Objects) == 1 && v.body.Objects[0] == v.split {
		return
	}
	v.split.Leading = v.content
	v.split.Refresh()
	v.body.Objects = []fyne.CanvasObject{v.split}
	v.body.Refresh()
}

func (v *listView) detailOpen() bool { return v.m.selectedID != "" }

// closeDetail hides the detail pane; it reports whether it was open.
func (v *listView) closeDetail() bool {
	if v.m.selectedID == "" {
		return false
	}
	v.m.selectedID = ""
	v.list.UnselectAll()
	v.body.Objects = []fyne.CanvasObject{v.content}
	v.body.Refresh()
	return true
}
