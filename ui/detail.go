package ui

import (
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/api"
)

// copiedFor is how long "Copied" shows on the button after copying.
const copiedFor = 2 * time.Second

// detailPictureSide is the side of the box the item's image fits in.
const detailPictureSide = 240

// detailPane shows the selected row: every field of the item as the server
// sent it, and "Copy as JSON".
type detailPane struct {
	app     *App
	look    *itemLook
	images  *imageLoader
	item    api.Item
	fields  []field
	title   *widget.Label
	picture *canvas.Image // the item's image, large; hidden without one
	form    *fyne.Container
	scroll  *container.Scroll
	copyBtn *keyButton
	content fyne.CanvasObject
	// copiedGen tells a stale "Copied" reset from the latest one.
	copiedGen int
}

func newDetailPane(app *App, look *itemLook, images *imageLoader, onClose func()) *detailPane {
	d := &detailPane{app: app, look: look, images: images}
	d.title = widget.NewLabel("")
	d.title.TextStyle = fyne.TextStyle{Bold: true}
	d.title.SizeName = theme.SizeNameSubHeadingText
	d.title.Wrapping = fyne.TextWrapWord

	d.copyBtn = newIconButton("Copy as JSON", theme.ContentCopyIcon(), d.onCopy)
	closeBtn := newIconButton("", theme.CancelIcon(), onClose)
	closeBtn.Importance = widget.LowImportance

	d.form = container.New(layout.NewFormLayout())
	d.picture = canvas.NewImageFromResource(theme.MediaPhotoIcon())
	d.picture.FillMode = canvas.ImageFillContain
	d.picture.SetMinSize(fyne.NewSquareSize(detailPictureSide))
	d.picture.Hide()
	d.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(d.picture, d.form)))
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
	d.fields = d.look.fields(it)
	d.showPicture(it)
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

// showPicture shows the item's image large above its fields, once it has
// arrived (a placeholder until then, or if it never comes).
func (d *detailPane) showPicture(it api.Item) {
	url, ok := d.look.image(it)
	d.picture.Hidden = !ok
	setPicture(d.picture, nil, theme.MediaPhotoIcon())
	if !ok {
		return
	}
	id := it.ID
	d.images.load(url, func(img image.Image) {
		if d.item.ID == id {
			setPicture(d.picture, img, theme.BrokenImageIcon())
		}
	})
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
