package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/session"
)

const (
	// defaultPageSize is used when the profile does not give one.
	defaultPageSize = 100
	// prefetchRows: when a row this close to the end is drawn, the next
	// page is fetched, so scrolling rarely reaches a gap.
	prefetchRows = 20
	// detailSplit is the list's share of the width while a row's detail
	// is open.
	detailSplit = 0.55
)

// listView shows one protected list: a search box over loading, empty,
// failed, or its rows, fetched page by page as the person scrolls, and the
// selected row's detail beside them. Each state is its own view; content
// shows exactly one of them.
type listView struct {
	app  *App
	spec api.ListSpec
	// pageSize is what each fetch asks for; paged is false when the list
	// comes in one piece. serverSearch: the profile names a query
	// parameter for searching, so a search asks the server too.
	pageSize     int
	paged        bool
	serverSearch bool

	// State, touched only on the UI goroutine.
	started bool
	ctx     context.Context // cancelled by close
	cancel  context.CancelFunc
	// gen counts reloads and searches: a fetch result from an older
	// generation (a previous reload or search, or a closed view) is
	// dropped on arrival.
	gen         int
	fetchCancel context.CancelFunc
	items       []api.Item
	hay         []string // haystack(items[i]), filled as a local search needs it
	shown       []int    // indexes into items of the rows on screen
	total       int      // -1: the server does not say
	loading     bool     // a fetch is in flight
	complete    bool     // every item is loaded
	moreErr     error
	// reloadErr: the last reload or search failed while rows were on
	// screen; they stay, and the footer says what went wrong.
	reloadErr error
	loadedAt  time.Time // when the first page last arrived
	// term is what the search box holds; itemsTerm is the term items were
	// fetched with (always "" without server-side search). While they
	// differ, the loaded rows are filtered here.
	term, itemsTerm string
	searchStop      func() bool // the pending debounced server search
	// restoreScroll is a scroll offset from the last run still to be
	// reached (0: none); restoring may need more pages first.
	restoreScroll float32
	rowHeight     float32
	selectedID    string // the item in the detail pane; "" when closed

	root        fyne.CanvasObject // search bar over body; what a tab shows
	body        *fyne.Container   // content alone, or split with the detail
	split       *container.Split
	detail      *detailPane
	search      *searchEntry
	syncSearch  func()
	content     *fyne.Container
	loadingView fyne.CanvasObject
	loadingIcon *widget.Activity
	emptyView   fyne.CanvasObject
	emptyLabel  *widget.RichText
	errorView   fyne.CanvasObject
	errorLabel  *widget.Label
	errorSignIn *keyButton
	itemsView   fyne.CanvasObject
	list        *keyList
	count       *widget.RichText
	updated     *widget.RichText
	moreBusy    *widget.Activity
	moreLabel   *widget.Label
	moreRetry   *keyButton
	moreSignIn  *keyButton
}

func newListView(app *App, spec api.ListSpec) *listView {
	v := &listView{app: app, spec: spec, total: -1}
	v.pageSize = spec.Paging.PageSize
	if v.pageSize <= 0 {
		v.pageSize = defaultPageSize
	}
	v.paged = spec.Paging.Style != "" && spec.Paging.Style != api.PagingNone
	v.serverSearch = spec.SearchParam != ""
	v.ctx, v.cancel = context.WithCancel(app.ctx)
	v.buildUI()
	v.loadState()
	return v
}

func (v *listView) buildUI() {
	v.loadingIcon = widget.NewActivity()
	v.loadingView = container.NewCenter(container.NewHBox(v.loadingIcon, newMuted("Loading…", fyne.TextAlignLeading)))

	v.emptyLabel = newMuted(msgNothingHereYet, fyne.TextAlignCenter)
	emptyIcon := widget.NewIcon(theme.ListIcon())
	v.emptyView = container.NewCenter(container.NewVBox(container.NewCenter(emptyIcon), v.emptyLabel))

	errorTitle := widget.NewLabel("Couldn't load " + v.spec.Name)
	errorTitle.Alignment = fyne.TextAlignCenter
	errorTitle.TextStyle = fyne.TextStyle{Bold: true}
	errorTitle.Wrapping = fyne.TextWrapWord
	v.errorLabel = widget.NewLabel("")
	v.errorLabel.Alignment = fyne.TextAlignCenter
	v.errorLabel.Wrapping = fyne.TextWrapWord
	retry := newIconButton("Retry", theme.ViewRefreshIcon(), v.onRetry)
	v.errorSignIn = newSignInAgainButton(v.app)
	// A VBox gives the sentences the view's whole width to wrap in (inside
	// a Center they would get only their minimum width, a few letters a
	// line); the spacers centre them vertically.
	v.errorView = container.NewVBox(
		layout.NewSpacer(),
		container.NewCenter(widget.NewIcon(theme.ErrorIcon())),
		errorTitle,
		v.errorLabel,
		container.NewCenter(container.NewHBox(v.errorSignIn, retry)),
		layout.NewSpacer(),
	)

	v.list = newKeyList(v.length, newRow, v.updateRow)
	v.list.onRune = v.typeToSearch
	v.list.OnSelected = v.onSelected
	v.rowHeight = newRow().MinSize().Height + theme.Padding()
	v.count = newMuted("", fyne.TextAlignLeading)
	v.updated = newMuted("", fyne.TextAlignTrailing)
	v.moreBusy = widget.NewActivity()
	v.moreBusy.Hide()
	v.moreLabel = widget.NewLabel("")
	v.moreLabel.Importance = widget.DangerImportance
	v.moreLabel.Wrapping = fyne.TextWrapWord
	v.moreLabel.Hide()
	v.moreRetry = newIconButton("Retry", theme.ViewRefreshIcon(), v.onRetryMore)
	v.moreRetry.Hide()
	v.moreSignIn = newSignInAgainButton(v.app)
	footer := container.NewBorder(nil, nil, v.count,
		container.NewHBox(v.moreBusy, v.moreSignIn, v.moreRetry, v.updated), v.moreLabel)
	v.itemsView = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), footer), nil, nil, v.list)

	v.content = container.NewStack(v.loadingView)
	v.detail = newDetailPane(v.app, func() { v.closeDetail() })
	v.split = container.NewHSplit(widget.NewLabel(""), v.detail.content)
	v.split.Offset = detailSplit
	v.body = container.NewStack(v.content)

	v.search = newSearchEntry()
	v.search.SetPlaceHolder("Search " + v.spec.Name + "  (Ctrl+F)")
	bar, sync := newSearchBar(v.search)
	v.syncSearch = sync
	v.search.OnChanged = v.onSearchChanged
	v.search.onEscape = func() { v.app.win.Canvas().Unfocus() }
	v.root = container.NewBorder(container.NewPadded(bar), nil, nil, nil, v.body)
}

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

func (v *listView) length() int { return len(v.shown) }

func (v *listView) updateRow(id widget.ListItemID, row fyne.CanvasObject) {
	if id < 0 || id >= len(v.shown) {
		return
	}
	item := v.items[v.shown[id]]
	lines := row.(*fyne.Container).Objects
	lines[0].(*widget.Label).SetText(item.Title)
	setMuted(lines[1].(*widget.RichText), item.Subtitle)
	if id >= len(v.shown)-prefetchRows && !v.awaitingServerSearch() {
		v.loadMore()
	}
}

// start loads the first page once; later calls do nothing.
func (v *listView) start() {
	if v.started {
		return
	}
	v.started = true
	v.reload()
}

// reload fetches the first page again, for the search in the box. The rows
// on screen stay until the new ones arrive, and stay if the fetch fails
// (an outage must not blank what was already loaded).
func (v *listView) reload() {
	v.started = true
	v.newGeneration()
	v.complete, v.moreErr, v.reloadErr = false, nil, nil
	if len(v.items) == 0 {
		v.total = -1
		v.showView(v.loadingView)
	}
	v.fetch(true, v.wantedTerm())
	v.updateFooter()
}

// forget drops every loaded row, for a session that is not the one they
// were loaded for.
func (v *listView) forget() {
	v.newGeneration()
	// Back to the top while the old rows still give the list its height
	// (ScrollToOffset, unlike ScrollToTop, is safe before the list is drawn).
	v.list.ScrollToOffset(0)
	v.closeDetail()
	v.items, v.hay, v.shown, v.total = nil, nil, nil, -1
	v.complete, v.moreErr, v.reloadErr = false, nil, nil
	v.list.Refresh()
}

// newGeneration makes every fetch in flight stale and cancels it.
func (v *listView) newGeneration() {
	v.gen++
	if v.fetchCancel != nil {
		v.fetchCancel()
		v.fetchCancel = nil
	}
	v.loading = false
}

// close cancels the fetch in flight and the pending search; their results
// will be dropped.
func (v *listView) close() {
	v.gen++
	v.cancel()
	v.stopSearchTimer()
	v.loadingIcon.Stop()
	v.moreBusy.Stop()
}

// loadMore fetches the next page, unless one is on its way, everything is
// here, or the last attempt failed (the person retries that by hand, so a
// broken server is not asked again at every scroll).
func (v *listView) loadMore() {
	if v.loading || v.complete || v.moreErr != nil || len(v.items) == 0 {
		return
	}
	v.fetch(false, v.itemsTerm)
	v.updateFooter()
}

// fetch asks for the page after what is loaded, or, with replace, for the
// first page of term in place of the rows on screen (a search: the old rows
// stay until the new ones arrive).
func (v *listView) fetch(replace bool, term string) {
	if v.app.session.Snapshot().State == session.Offline {
		// Someone is waiting for this: renew now rather than at the next
		// planned attempt, which may be many seconds away.
		v.app.session.RetryNow()
	}
	v.loading = true
	gen, offset := v.gen, len(v.items)
	if replace {
		offset = 0
	}
	limit := v.pageSize
	if !v.paged {
		limit = 0
	}
	ctx, cancel := context.WithCancel(v.ctx)
	v.fetchCancel = cancel
	name := v.spec.Name
	go func() {
		page, err := v.app.session.FetchList(ctx, name, offset, limit, term)
		cancel()
		v.app.do(func() { v.onPage(gen, offset, replace, term, page, err) })
	}()
}

func (v *listView) onPage(gen, offset int, replace bool, term string, page api.Page, err error) {
	if gen != v.gen || (!replace && offset != len(v.items)) {
		return // from before a reload or a newer search, or the view is gone
	}
	v.loading = false
	v.fetchCancel = nil
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		switch {
		case offset == 0 && len(v.items) > 0:
			v.reloadErr = err
			v.updateFooter()
		case offset == 0:
			v.shown = nil
			v.list.Refresh()
			v.closeDetail()
			p := explain(v.app.log, err)
			v.errorLabel.SetText(p.text)
			v.errorSignIn.Hidden = !p.signIn
			v.showView(v.errorView)
		default:
			v.moreErr = err
			v.updateFooter()
		}
		return
	}
	v.reloadErr = nil

	if offset == 0 {
		v.items, v.hay, v.shown = nil, nil, v.shown[:0]
		v.itemsTerm = term
		v.loadedAt = v.app.now()
		if replace {
			v.list.ScrollToOffset(0)
		}
	}
	v.items = append(v.items, page.Items...)
	if page.Total >= 0 {
		v.total = page.Total
	} else if offset == 0 {
		v.total = -1
	}
	switch {
	case !v.paged, len(page.Items) == 0:
		v.complete = true
	case v.total >= 0:
		v.complete = len(v.items) >= v.total
	default:
		v.complete = len(page.Items) < v.pageSize
	}
	v.applyFilter(offset == 0)
	v.tryRestoreScroll()
}

// filteringLocally reports whether the rows on screen are the loaded ones
// filtered here, rather than what the server answered for the search.
func (v *listView) filteringLocally() bool { return v.term != v.itemsTerm }

// awaitingServerSearch reports whether the rows are filtered here only until
// the server answers the search; more pages of the old rows would be wasted.
// A list the server can't search is filtered here for good, and scrolling
// loads more of it as usual (the matches grow as pages arrive).
func (v *listView) awaitingServerSearch() bool { return v.serverSearch && v.filteringLocally() }

// wantedTerm is the search to send to the server: the box's, when the list
// can be searched there.
func (v *listView) wantedTerm() string {
	if v.serverSearch {
		return v.term
	}
	return ""
}

// applyFilter works out the rows on screen from what is loaded and the
// search box, and shows them. reset: the rows are not the ones they were
// (a new search or page 0), so the selection no longer points at them.
func (v *listView) applyFilter(reset bool) {
	v.shown = v.shown[:0]
	if !v.filteringLocally() {
		for i := range v.items {
			v.shown = append(v.shown, i)
		}
	} else {
		words := strings.Fields(strings.ToLower(v.term))
		for len(v.hay) < len(v.items) {
			v.hay = append(v.hay, haystack(v.items[len(v.hay)]))
		}
		for i, h := range v.hay {
			if containsAll(h, words) {
				v.shown = append(v.shown, i)
			}
		}
	}
	if reset {
		// The list remembers the selection by row number, which now
		// names another item; the detail pane keeps the item it shows.
		v.list.UnselectAll()
	}
	v.list.Refresh()
	v.updateFooter()
	switch {
	case len(v.shown) > 0:
		v.showView(v.itemsView)
		v.app.firstRowsShown()
		v.takeIdleFocus()
	case v.term != "":
		setMuted(v.emptyLabel, fmt.Sprintf("No matches for “%s”", v.term))
		v.showView(v.emptyView)
	default:
		setMuted(v.emptyLabel, msgNothingHereYet)
		v.showView(v.emptyView)
	}
}

func containsAll(h string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(h, w) {
			return false
		}
	}
	return true
}

func (v *listView) updateFooter() {
	setMuted(v.count, v.countText())
	v.onTick()
	switch {
	case v.moreErr != nil || v.reloadErr != nil:
		lead, err := "Couldn't load more: ", v.moreErr
		if v.reloadErr != nil {
			lead, err = "Couldn't update the list: ", v.reloadErr
		}
		p := explain(v.app.log, err)
		v.moreBusy.Stop()
		v.moreBusy.Hide()
		v.moreLabel.SetText(lead + p.text)
		v.moreLabel.Show()
		v.moreRetry.Show()
		v.moreSignIn.Hidden = !p.signIn
	case v.loading && len(v.items) > 0:
		v.moreLabel.Hide()
		v.moreRetry.Hide()
		v.moreSignIn.Hide()
		v.moreBusy.Show()
		v.moreBusy.Start()
	default:
		v.moreBusy.Stop()
		v.moreBusy.Hide()
		v.moreLabel.Hide()
		v.moreRetry.Hide()
		v.moreSignIn.Hide()
	}
}

// countText is the footer's row count for what is on screen.
func (v *listView) countText() string {
	switch {
	case v.filteringLocally():
		return fmt.Sprintf("%s shown · %s loaded", groupThousands(len(v.shown)), countText(len(v.items), v.total))
	case v.itemsTerm != "":
		return countText(len(v.items), v.total) + " matches"
	}
	return countText(len(v.items), v.total)
}

// onTick redraws the "updated 2 min ago" line.
func (v *listView) onTick() {
	if v.loadedAt.IsZero() {
		setMuted(v.updated, "")
		return
	}
	setMuted(v.updated, "updated "+agoText(v.loadedAt, v.app.now()))
}

// showing reports whether view is the state on screen.
func (v *listView) showing(view fyne.CanvasObject) bool {
	return len(v.content.Objects) == 1 && v.content.Objects[0] == view
}

func (v *listView) showView(view fyne.CanvasObject) {
	if view == v.loadingView {
		v.loadingIcon.Start()
	} else {
		v.loadingIcon.Stop()
	}
	if v.showing(view) {
		return
	}
	v.content.Objects = []fyne.CanvasObject{view}
	v.content.Refresh()
}

func (v *listView) onRetry() { v.reload() }

func (v *listView) onRetryMore() {
	if v.reloadErr != nil {
		v.retryReload()
		return
	}
	v.moreErr = nil
	v.loadMore()
}

// retryReload tries again the reload or search that failed over the rows.
func (v *listView) retryReload() {
	v.reloadErr = nil
	if v.awaitingServerSearch() {
		v.searchServer()
		return
	}
	v.reload()
}

// onSearchChanged filters what is loaded at once and, where the server can
// search, asks it once typing pauses.
func (v *listView) onSearchChanged(text string) {
	v.syncSearch()
	term := normalizeSearch(text)
	if term == v.term {
		return
	}
	v.term = term
	if len(v.items) > 0 || v.itemsTerm != "" {
		v.applyFilter(true)
	}
	if !v.serverSearch || !v.started {
		return
	}
	v.stopSearchTimer()
	gen := v.gen
	v.searchStop = v.app.after(v.app.searchDelay, func() {
		v.app.do(func() {
			if gen == v.gen {
				v.searchServer()
			}
		})
	})
}

// searchServer fetches the first page for the search box's term in place of
// the rows on screen.
func (v *listView) searchServer() {
	if v.term == v.itemsTerm && !v.loading {
		return
	}
	v.newGeneration()
	v.moreErr = nil
	v.complete = false
	if v.showing(v.errorView) {
		v.showView(v.loadingView)
	}
	v.fetch(true, v.term)
	v.updateFooter()
	if len(v.items) == 0 {
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

// takeIdleFocus gives the keyboard to the rows when nothing has it and
// this list is the one on screen: the focus is always on something
// visible, and the rows' focus, unlike a text field's, has no blinking
// cursor to redraw an idle window.
func (v *listView) takeIdleFocus() {
	a := v.app
	c := a.win.Canvas()
	if c.Focused() != nil || a.list == nil || !a.list.active() || a.list.currentView() != v ||
		!v.showing(v.itemsView) || a.sheet.visible() {
		return
	}
	c.Focus(v.list)
}

// focusSearch puts the cursor in the search box, its text selected so that
// typing starts a new search (Ctrl+F).
func (v *listView) focusSearch() {
	v.app.win.Canvas().Focus(v.search)
	v.search.TypedShortcut(&fyne.ShortcutSelectAll{})
}

func (v *listView) onSelected(id widget.ListItemID) {
	if id < 0 || id >= len(v.shown) {
		return
	}
	v.openDetail(v.items[v.shown[id]])
}

func (v *listView) openDetail(it api.Item) {
	v.selectedID = it.ID
	v.detail.show(it)
	if len(v.body.Objects) == 1 && v.body.Objects[0] == v.split {
		return
	}
	v.split.Leading = v.content
	v.split.Refresh()
	v.body.Objects = []fyne.CanvasObject{v.split}
	v.body.Refresh()
}

func (v *listView) detailOpen() bool { return v.selectedID != "" }

// closeDetail hides the detail pane; it reports whether it was open.
func (v *listView) closeDetail() bool {
	if v.selectedID == "" {
		return false
	}
	v.selectedID = ""
	v.list.UnselectAll()
	v.body.Objects = []fyne.CanvasObject{v.content}
	v.body.Refresh()
	return true
}

// resume follows a session that came back after a sign-in over the list:
// what failed while it was gone is fetched again, everything else stays as
// the person left it. sameUser false: someone else signed in, so nothing
// loaded is theirs to see.
func (v *listView) resume(sameUser bool) {
	if !v.started {
		return
	}
	switch {
	case !sameUser:
		v.forget()
		v.reload()
	case v.showing(v.errorView):
		v.reload()
	case v.reloadErr != nil:
		v.retryReload()
	case v.moreErr != nil:
		v.onRetryMore()
	case v.term != v.itemsTerm && v.serverSearch:
		v.searchServer()
	}
}

// loadState brings back the search and scroll position of the last run.
func (v *listView) loadState() {
	p := v.app.fyneApp.Preferences()
	profile := v.app.session.Profile().Name
	if text := p.String(prefSearch(profile, v.spec.Name)); text != "" {
		v.search.SetText(text) // sets term; nothing is loaded yet
	}
	v.restoreScroll = float32(p.Float(prefScroll(profile, v.spec.Name)))
}

// saveState remembers the search and scroll position for the next run.
func (v *listView) saveState() {
	p := v.app.fyneApp.Preferences()
	profile := v.app.session.Profile().Name
	setPrefString(p, prefSearch(profile, v.spec.Name), v.search.Text)
	if v.restoreScroll == 0 && v.showing(v.itemsView) {
		setPrefFloat(p, prefScroll(profile, v.spec.Name), float64(v.list.GetScrollOffset()))
	}
}

// tryRestoreScroll scrolls to the last run's position once enough rows are
// loaded to reach it, fetching more pages first when needed.
func (v *listView) tryRestoreScroll() {
	if v.restoreScroll <= 0 || len(v.shown) == 0 {
		return
	}
	viewport := v.list.Size().Height
	need := int((v.restoreScroll+viewport)/v.rowHeight) + 1
	if len(v.shown) < need && !v.complete && !v.awaitingServerSearch() && v.moreErr == nil {
		v.loadMore()
		return
	}
	offset := v.restoreScroll
	v.restoreScroll = 0
	v.list.ScrollToOffset(offset)
}
