package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// thumbSide is the side of a row's picture.
const thumbSide = 40

// newRow is one row's template: a bold title over a quieter subtitle.
func newRow() fyne.CanvasObject {
	title := widget.NewLabel("Title")
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.Truncation = fyne.TextTruncateEllipsis
	subtitle := newMuted("Subtitle", fyne.TextAlignLeading)
	subtitle.Truncation = fyne.TextTruncateEllipsis
	return container.New(tightVBox(), title, subtitle)
}

// newPictureRow is the template of a list whose items have a picture: the
// thumbnail before the two lines.
func newPictureRow() fyne.CanvasObject {
	thumb := canvas.NewImageFromResource(theme.MediaPhotoIcon())
	thumb.FillMode = canvas.ImageFillContain
	thumb.SetMinSize(fyne.NewSquareSize(thumbSide))
	return container.NewBorder(nil, nil, thumb, nil, newRow())
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
	lines := row.(*fyne.Container)
	if v.look.hasImages() {
		// Border keeps the centre first, then the leading thumbnail.
		thumb := lines.Objects[1].(*canvas.Image)
		lines = lines.Objects[0].(*fyne.Container)
		url, _ := v.look.image(item)
		v.showPicture(thumb, url)
	}
	lines.Objects[0].(*widget.Label).SetText(v.look.title(item))
	setMuted(lines.Objects[1].(*widget.RichText), v.look.subtitle(item))
	if v.m.nearEnd(id) {
		v.loadMore()
	}
}

// showPicture puts the image at url in pic once it has arrived: a photo
// placeholder until then, a broken-image one if it never comes. A row
// reused for another item before its image arrived is not overwritten.
func (v *listView) showPicture(pic *canvas.Image, url string) {
	v.pictures[pic] = url
	setPicture(pic, nil, theme.MediaPhotoIcon())
	if url == "" {
		return
	}
	v.images.load(url, func(img image.Image) {
		if v.pictures[pic] == url {
			setPicture(pic, img, theme.BrokenImageIcon())
		}
	})
}

// setPicture shows img in pic, or the placeholder when img is nil.
func setPicture(pic *canvas.Image, img image.Image, placeholder fyne.Resource) {
	if img == nil {
		pic.Image, pic.Resource = nil, placeholder
	} else {
		pic.Image, pic.Resource = img, nil
	}
	pic.Refresh()
}
