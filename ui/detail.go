package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/api"
)

// copiedFor is how long "Copied" shows on the button after copying.
const copiedFor = 2 * time.Second

// detailPane shows the selected row: every field of the item as the server
// sent it, and "Copy as JSON".
type detailPane struct {
	app     *App
	item    api.Item
	fields  []field
	title   *widget.Label
	form    *fyne.Container
	scroll  *container.Scroll
	copyBtn *keyButton
	content fyne.CanvasObject
	// copiedGen tells a stale "Copied" reset from the latest one.
	copiedGen int
}

func newDetailPane(app *App, onClose func()) *detailPane {
	d := &detailPane{app: app}
	d.title = widget.NewLabel("")
	d.title.TextStyle = fyne.TextStyle{Bold: true}
	d.title.SizeName = theme.SizeNameSubHeadingText
	d.title.Wrapping = fyne.TextWrapWord

	d.copyBtn = newIconButton("Copy as JSON", theme.ContentCopyIcon(), d.onCopy)
	closeBtn := newIconButton("", theme.CancelIcon(), onClose)
	closeBtn.Importance = widget.LowImportance

	d.form = container.New(layout.NewFormLayout())
	d.scroll = container.NewVScroll(container.NewPadded(d.form))
	header := container.NewBorder(nil, nil, nil, container.NewVBox(closeBtn), d.title)
	actions := container.NewHBox(d.copyBtn)
	d.content = container.NewBorder(
		container.NewVBox(header, actions, widget.NewSeparator()), nil, nil, nil, d.scroll)
	return d
}

// show fills the pane with it.
func (d *detailPane) show(it api.Item) {
	d.item = it
	title := it.Title
	if title == "" {
		title = it.ID
	}
	d.title.SetText(title)
	d.fields = itemFields(it.Raw)
	objs := make([]fyne.CanvasObject, 0, 2*len(d.fields))
	for _, f := range d.fields {
		key := newMuted(f.Label, fyne.TextAlignTrailing)
		value := widget.NewLabel(f.Value)
		value.Wrapping = fyne.TextWrapWord
		value.Selectable = true
		objs = append(objs, key, value)
	}
	if len(objs) == 0 {
		objs = append(objs, newMuted("", fyne.TextAlignTrailing), newMuted("The server sent nothing more about this item.", fyne.TextAlignLeading))
	}
	d.form.Objects = objs
	d.form.Refresh()
	d.scroll.ScrollToTop()
	d.resetCopy()
}

func (d *detailPane) onCopy() {
	d.app.fyneApp.Clipboard().SetContent(prettyJSON(d.item.Raw))
	d.copyBtn.SetText("Copied")
	d.copyBtn.SetIcon(theme.ConfirmIcon())
	d.copiedGen++
	gen := d.copiedGen
	time.AfterFunc(copiedFor, func() {
		d.app.do(func() {
			if gen == d.copiedGen {
				d.resetCopy()
			}
		})
	})
}

func (d *detailPane) resetCopy() {
	d.copiedGen++
	d.copyBtn.SetText("Copy as JSON")
	d.copyBtn.SetIcon(theme.ContentCopyIcon())
}
