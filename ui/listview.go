package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/session"
)

const (
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
	m    *listModel
	look *itemLook
	// images is the list screen's; pictures is the address each row's
	// thumbnail is waiting for.
	images   *imageLoader
	pictures map[*canvas.Image]string

	// State, touched only on the UI goroutine.
	started     bool
	ctx         context.Context // cancelled by close
	cancel      context.CancelFunc
	fetchCancel context.CancelFunc
	searchStop  func() bool // the pending debounced server search
	rowHeight   float32
	// refetchedGen is the generation whose empty answer was fetched again
	// after confirming the session renewed the token; it is not confirmed
	// twice.
	refetchedGen int

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

func newListView(app *App, spec api.ListSpec, images *imageLoader) *listView {
	v := &listView{app: app, spec: spec, m: newListModel(spec), images: images, refetchedGen: -1,
		look: newItemLook(app.session.Profile(), spec), pictures: map[*canvas.Image]string{}}
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

	template := newRow
	if v.look.hasImages() {
		template = newPictureRow
	}
	v.list = newKeyList(v.length, template, v.updateRow)
	v.list.onRune = v.typeToSearch
	v.list.OnSelected = v.onSelected
	v.rowHeight = template().MinSize().Height + theme.Padding()
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
	v.detail = newDetailPane(v.app, v.look, v.images, func() { v.closeDetail() })
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
	v.m.startReload()
	if v.m.loaded() == 0 {
		v.showView(v.loadingView)
	}
	v.fetch(true, v.m.wantedTerm())
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
	v.m.forget()
	v.list.Refresh()
}

// newGeneration makes every fetch in flight stale and cancels it.
func (v *listView) newGeneration() {
	v.m.newGeneration()
	if v.fetchCancel != nil {
		v.fetchCancel()
		v.fetchCancel = nil
	}
}

// close cancels the fetch in flight and the pending search; their results
// will be dropped.
func (v *listView) close() {
	v.m.gen++
	v.cancel()
	v.stopSearchTimer()
	v.loadingIcon.Stop()
	v.moreBusy.Stop()
}

// loadMore fetches the next page when the model says one is due.
func (v *listView) loadMore() {
	if !v.m.canLoadMore() {
		return
	}
	v.fetch(false, v.m.itemsTerm)
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
	r := v.m.begin(replace, term)
	ctx, cancel := context.WithCancel(v.ctx)
	v.fetchCancel = cancel
	name := v.spec.Name
	pre := v.app.takeFirstPage(name, r)
	go func() {
		var page api.Page
		var err error
		if pre != nil {
			page, err = pre.wait(ctx)
		} else {
			page, err = v.app.session.FetchList(ctx, name, r.offset, r.limit, r.term)
		}
		cancel()
		v.app.do(func() { v.onPage(r, page, err) })
	}()
}

func (v *listView) onPage(r request, page api.Page, err error) {
	if v.m.stale(r) {
		return // from before a reload or a newer search, or the view is gone
	}
	v.fetchCancel = nil
	if err != nil {
		v.onFailure(v.m.fail(r, err), err)
		return
	}
	if v.mustConfirm(r, page) {
		v.confirmEmpty(r, page)
		return
	}
	if r.offset == 0 && r.replace {
		v.list.ScrollToOffset(0)
	}
	v.m.accept(r, page, v.app.now())
	v.showRows(r.offset == 0)
	v.tryRestoreScroll()
}

// onFailure shows a failed fetch where the model says it belongs.
func (v *listView) onFailure(f failure, err error) {
	switch f {
	case failOverRows, failMore:
		v.updateFooter()
	case failFirst:
		v.list.Refresh()
		v.closeDetail()
		p := explain(v.app.log, err)
		v.errorLabel.SetText(p.text)
		v.errorSignIn.Hidden = !p.signIn
		v.showView(v.errorView)
	}
}

// applyFilter filters the loaded rows again for the search box and shows
// them.
func (v *listView) applyFilter(reset bool) {
	v.m.filter()
	v.showRows(reset)
}

// showRows shows the model's rows. reset: the rows are not the ones they
// were (a new search or page 0), so the selection no longer points at them.
func (v *listView) showRows(reset bool) {
	if reset {
		// The list remembers the selection by row number, which now
		// names another item; the detail pane keeps the item it shows.
		v.list.UnselectAll()
	}
	v.list.Refresh()
	v.updateFooter()
	if len(v.m.shown) > 0 {
		v.showView(v.itemsView)
		v.takeIdleFocus()
		return
	}
	setMuted(v.emptyLabel, v.m.emptyText())
	v.showView(v.emptyView)
}

func (v *listView) updateFooter() {
	setMuted(v.count, v.m.countText())
	v.onTick()
	lead, err := v.m.footerErr()
	switch {
	case err != nil:
		p := explain(v.app.log, err)
		v.moreBusy.Stop()
		v.moreBusy.Hide()
		v.moreLabel.SetText(lead + p.text)
		v.moreLabel.Show()
		v.moreRetry.Show()
		v.moreSignIn.Hidden = !p.signIn
	case v.m.loading && v.m.loaded() > 0:
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

// onTick keeps the "updated at 15:26" line. It is a time of day, not "2
// min ago", so it changes only when the list is loaded again: an idle
// window draws no frames.
func (v *listView) onTick() {
	if v.m.loadedAt.IsZero() {
		setMuted(v.updated, "")
		return
	}
	setMuted(v.updated, "updated at "+clockTime(v.m.loadedAt, v.app.now()))
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
	if v.m.reloadErr != nil {
		v.retryReload()
		return
	}
	v.m.moreErr = nil
	v.loadMore()
}

// retryReload tries again the reload or search that failed over the rows.
func (v *listView) retryReload() {
	v.m.reloadErr = nil
	if v.m.awaitingServerSearch() {
		v.searchServer()
		return
	}
	v.reload()
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
