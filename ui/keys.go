package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Fyne gives a key to the focused widget, and to the window's own handler
// (App.onTypedKey) only when nothing has the focus; keys with Ctrl or Cmd
// go to the menu's shortcuts first, but a plain key such as F1 does not.
// So every focusable widget of the window is one of the types below: each
// passes on the window's keys it has no use for, and F1 works wherever the
// keyboard is.

// windowKeys are the plain keys the window answers wherever the focus is.
var windowKeys = map[fyne.KeyName]bool{fyne.KeyF1: true, fyne.KeyEscape: true}

// passKey hands k to the window's key handler if it is one of the window's
// keys; it reports whether it did.
func passKey(obj fyne.CanvasObject, k *fyne.KeyEvent) bool {
	if !windowKeys[k.Name] {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(obj)
	if c == nil || c.OnTypedKey() == nil {
		return false
	}
	c.OnTypedKey()(k)
	return true
}

// keyButton is a widget.Button that passes the window's keys on.
type keyButton struct{ widget.Button }

func newButton(label string, tapped func()) *keyButton {
	return newIconButton(label, nil, tapped)
}

func newIconButton(label string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *keyButton) TypedKey(k *fyne.KeyEvent) {
	if !passKey(b, k) {
		b.Button.TypedKey(k)
	}
}

// keyCheck is a widget.Check that passes the window's keys on.
type keyCheck struct{ widget.Check }

func newCheck(label string, changed func(bool)) *keyCheck {
	c := &keyCheck{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *keyCheck) TypedKey(k *fyne.KeyEvent) {
	if !passKey(c, k) {
		c.Check.TypedKey(k)
	}
}

// keyEntry is a one-line widget.Entry that passes the window's keys on
// (an entry has no use for F1 or Escape). focused says whether it believes
// it has the keyboard (its cursor then blinks, redrawing the window).
type keyEntry struct {
	widget.Entry
	focused bool
}

func newEntry() *keyEntry {
	e := &keyEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// newPasswordEntry is newEntry with the text hidden (and the entry's own
// button to reveal it).
func newPasswordEntry() *keyEntry {
	e := newEntry()
	e.Password = true
	return e
}

func (e *keyEntry) FocusGained() {
	e.focused = true
	e.Entry.FocusGained()
}

func (e *keyEntry) FocusLost() {
	e.focused = false
	e.Entry.FocusLost()
}

func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	if !passKey(e, k) {
		e.Entry.TypedKey(k)
	}
}

// keyList is a widget.List that passes the window's keys on. onRune, if
// set, gets the characters typed while the list has the focus (a list has
// no use for them: the rows' list sends them to its search box).
type keyList struct {
	widget.List
	onRune func(rune)
}

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

func (l *keyList) TypedKey(k *fyne.KeyEvent) {
	if !passKey(l, k) {
		l.List.TypedKey(k)
	}
}

func (l *keyList) TypedRune(r rune) {
	if l.onRune != nil {
		l.onRune(r)
	}
}
