package ui

import (
	"unicode/utf8"

	"fyne.io/fyne/v2"
)

// onSearchChanged filters what is loaded at once and, where the server can
// search, asks it once typing pauses.
func (v *listView) onSearchChanged(text string) {
	v.syncSearch()
	if !v.m.setTerm(text) {
		return
	}
	if v.m.loaded() > 0 || v.m.itemsTerm != "" {
		v.applyFilter(true)
	}
	if !v.m.serverSearch || !v.started {
		return
	}
	v.stopSearchTimer()
	gen := v.m.gen
	v.searchStop = v.app.after(v.app.searchDelay, func() {
		v.app.do(func() {
			if gen == v.m.gen {
				v.searchServer()
			}
		})
	})
}

// searchServer fetches the first page for the search box's term in place of
// the rows on screen.
func (v *listView) searchServer() {
	if !v.m.needsSearch() {
		return
	}
	v.newGeneration()
	v.m.moreErr = nil
	v.m.complete = false
	if v.showing(v.errorView) {
		v.showView(v.loadingView)
	}
	v.fetch(true, v.m.term)
	v.updateFooter()
	if v.m.loaded() == 0 {
		v.showView(v.loadingView)
	}
}

func (v *listView) stopSearchTimer() {
	if v.searchStop != nil {
		v.searchStop()
		v.searchStop = nil
	}
}

// typeToSearch carries a character typed while the rows (or nothing) have
// the keyboard into the search box, which keeps the keyboard from then on.
func (v *listView) typeToSearch(r rune) {
	v.app.win.Canvas().Focus(v.search)
	v.search.CursorRow, v.search.CursorColumn = 0, utf8.RuneCountInString(v.search.Text)
	v.search.TypedRune(r)
}

// focusSearch puts the cursor in the search box, its text selected so that
// typing starts a new search (Ctrl+F).
func (v *listView) focusSearch() {
	v.app.win.Canvas().Focus(v.search)
	v.search.TypedShortcut(&fyne.ShortcutSelectAll{})
}
