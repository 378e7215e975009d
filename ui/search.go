package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/tidwall/gjson"

	"signet/api"
)

// searchDelay is how long typing must pause before a server-side search is
// sent: every key filters what is loaded at once, the server is asked once.
const searchDelay = 350 * time.Millisecond

// searchEntry is a list's search box. Escape clears it; Escape in an empty
// box gives the keyboard back to the window (so the next Escape closes the
// detail pane).
type searchEntry struct {
	widget.Entry
	onEscape func()
}

func newSearchEntry() *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles Escape; the window's other keys (F1) go on to the
// window; every other key is the entry's.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name != fyne.KeyEscape {
		if !passKey(e, k) {
			e.Entry.TypedKey(k)
		}
		return
	}
	if e.Text != "" {
		e.SetText("")
		return
	}
	if e.onEscape != nil {
		e.onEscape()
	}
}

// newSearchBar is the entry with a magnifier that turns into a clear button
// once something is typed.
func newSearchBar(e *searchEntry) (bar fyne.CanvasObject, sync func()) {
	icon := widget.NewIcon(theme.SearchIcon())
	clear := newIconButton("", theme.ContentClearIcon(), func() { e.SetText("") })
	clear.Importance = widget.LowImportance
	e.ActionItem = container.NewStack(icon, clear)
	sync = func() {
		empty := e.Text == ""
		icon.Hidden = !empty
		clear.Hidden = empty
		e.ActionItem.Refresh()
	}
	sync()
	return e, sync
}

// haystack is the lower-cased text a local search looks through: the row's
// title and subtitle and every plain value of the item (not its keys, or
// "title" would match every row).
func haystack(it api.Item) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(it.Title))
	b.WriteByte('\n')
	b.WriteString(strings.ToLower(it.Subtitle))
	var walk func(v gjson.Result)
	walk = func(v gjson.Result) {
		switch {
		case v.IsObject() || v.IsArray():
			v.ForEach(func(_, child gjson.Result) bool { walk(child); return true })
		case v.Type == gjson.String || v.Type == gjson.Number:
			b.WriteByte('\n')
			b.WriteString(strings.ToLower(v.String()))
		}
	}
	if len(it.Raw) > 0 {
		walk(gjson.ParseBytes(it.Raw))
	}
	return b.String()
}

// normalizeSearch is the term as it is matched and sent: trimmed, and
// matched case-insensitively.
func normalizeSearch(text string) string { return strings.TrimSpace(text) }
