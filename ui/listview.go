package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/api"
)

const (
	// defaultPageSize is used when the profile does not give one.
	defaultPageSize = 100
	// prefetchRows: when a row this close to the end is drawn, the next
	// page is fetched, so scrolling rarely reaches a gap.
	prefetchRows = 20
)

// listView shows one protected list: loading, empty, failed, or its rows,
// fetched page by page as the person scrolls. Each state is its own view;
// content shows exactly one of them.
type listView struct {
	app  *App
	spec api.ListSpec
	// pageSize is what each fetch asks for; paged is false when the list
	// comes in one piece.
	pageSize int
	paged    bool

	// State, touched only on the UI goroutine.
	started bool
	ctx     context.Context // cancelled by close
	cancel  context.CancelFunc
	// gen counts reloads: a fetch result from an older generation (a
	// previous reload, or a closed view) is dropped on arrival.
	gen         int
	fetchCancel context.CancelFunc
	items       []api.Item
	total       int  // -1: the server does not say
	loading     bool // a fetch is in flight
	complete    bool // every item is loaded
	moreErr     error

	content     *fyne.Container
	loadingView fyne.CanvasObject
	loadingIcon *widget.Activity
	emptyView   fyne.CanvasObject
	errorView   fyne.CanvasObject
	errorLabel  *widget.Label
	itemsView   fyne.CanvasObject
	list        *widget.List
	count       *widget.RichText
	moreBusy    *widget.Activity
	moreLabel   *widget.Label
	moreRetry   *widget.Button
}

func newListView(app *App, spec api.ListSpec) *listView {
	v := &listView{app: app, spec: spec, total: -1}
	v.pageSize = spec.Paging.PageSize
	if v.pageSize <= 0 {
		v.pageSize = defaultPageSize
	}
	v.paged = spec.Paging.Style != "" && spec.Paging.Style != api.PagingNone
	v.ctx, v.cancel = context.WithCancel(app.ctx)
	v.buildUI()
	return v
}

func (v *listView) buildUI() {
	v.loadingIcon = widget.NewActivity()
	v.loadingView = container.NewCenter(container.NewHBox(v.loadingIcon, newMuted("Loading…", fyne.TextAlignLeading)))

	empty := newMuted(msgNothingHereYet, fyne.TextAlignCenter)
	emptyIcon := widget.NewIcon(theme.ListIcon())
	v.emptyView = container.NewCenter(container.NewVBox(container.NewCenter(emptyIcon), empty))

	v.errorLabel = widget.NewLabel("")
	v.errorLabel.Alignment = fyne.TextAlignCenter
	retry := widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), v.onRetry)
	v.errorView = container.NewCenter(container.NewVBox(
		container.NewCenter(widget.NewIcon(theme.ErrorIcon())),
		v.errorLabel,
		container.NewCenter(retry),
	))

	v.list = widget.NewList(v.length, newRow, v.updateRow)
	v.count = newMuted("", fyne.TextAlignLeading)
	v.moreBusy = widget.NewActivity()
	v.moreBusy.Hide()
	v.moreLabel = widget.NewLabel("")
	v.moreLabel.Importance = widget.DangerImportance
	v.moreLabel.Truncation = fyne.TextTruncateEllipsis
	v.moreLabel.Hide()
	v.moreRetry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), v.onRetryMore)
	v.moreRetry.Hide()
	footer := container.NewBorder(nil, nil, v.count, container.NewHBox(v.moreBusy, v.moreRetry), v.moreLabel)
	v.itemsView = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), footer), nil, nil, v.list)

	v.content = container.NewStack(v.loadingView)
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

func (v *listView) length() int { return len(v.items) }

func (v *listView) updateRow(id widget.ListItemID, row fyne.CanvasObject) {
	if id < 0 || id >= len(v.items) {
		return
	}
	item := v.items[id]
	lines := row.(*fyne.Container).Objects
	lines[0].(*widget.Label).SetText(item.Title)
	setMuted(lines[1].(*widget.RichText), item.Subtitle)
	if id >= len(v.items)-prefetchRows {
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

// reload forgets what was loaded and fetches the first page again.
func (v *listView) reload() {
	v.started = true
	v.gen++
	if v.fetchCancel != nil {
		v.fetchCancel()
		v.fetchCancel = nil
	}
	// Back to the top while the old rows still give the list its height
	// (ScrollToOffset, unlike ScrollToTop, is safe before the list is drawn).
	v.list.ScrollToOffset(0)
	v.list.UnselectAll()
	v.items, v.total = nil, -1
	v.loading, v.complete, v.moreErr = false, false, nil
	v.list.Refresh()
	v.showView(v.loadingView)
	v.fetch()
}

// close cancels the fetch in flight; its result will be dropped.
func (v *listView) close() {
	v.gen++
	v.cancel()
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
	v.fetch()
	v.updateFooter()
}

func (v *listView) fetch() {
	v.loading = true
	gen, offset := v.gen, len(v.items)
	limit := v.pageSize
	if !v.paged {
		limit = 0
	}
	ctx, cancel := context.WithCancel(v.ctx)
	v.fetchCancel = cancel
	name := v.spec.Name
	go func() {
		page, err := v.app.session.FetchList(ctx, name, offset, limit, "")
		cancel()
		v.app.do(func() { v.onPage(gen, offset, page, err) })
	}()
}

func (v *listView) onPage(gen, offset int, page api.Page, err error) {
	if gen != v.gen || offset != len(v.items) {
		return // from before a reload, or the view is gone
	}
	v.loading = false
	v.fetchCancel = nil
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		if offset == 0 {
			v.errorLabel.SetText(humanError(err))
			v.showView(v.errorView)
			return
		}
		v.moreErr = err
		v.updateFooter()
		return
	}

	v.items = append(v.items, page.Items...)
	if page.Total >= 0 {
		v.total = page.Total
	}
	switch {
	case !v.paged, len(page.Items) == 0:
		v.complete = true
	case v.total >= 0:
		v.complete = len(v.items) >= v.total
	default:
		v.complete = len(page.Items) < v.pageSize
	}
	if len(v.items) == 0 {
		v.showView(v.emptyView)
		return
	}
	v.list.Refresh()
	v.updateFooter()
	v.showView(v.itemsView)
}

func (v *listView) updateFooter() {
	setMuted(v.count, countText(len(v.items), v.total))
	switch {
	case v.moreErr != nil:
		v.moreBusy.Stop()
		v.moreBusy.Hide()
		v.moreLabel.SetText("Couldn't load more: " + humanError(v.moreErr))
		v.moreLabel.Show()
		v.moreRetry.Show()
	case v.loading && len(v.items) > 0:
		v.moreLabel.Hide()
		v.moreRetry.Hide()
		v.moreBusy.Show()
		v.moreBusy.Start()
	default:
		v.moreBusy.Stop()
		v.moreBusy.Hide()
		v.moreLabel.Hide()
		v.moreRetry.Hide()
	}
}

func (v *listView) showView(view fyne.CanvasObject) {
	if view == v.loadingView {
		v.loadingIcon.Start()
	} else {
		v.loadingIcon.Stop()
	}
	v.content.Objects = []fyne.CanvasObject{view}
	v.content.Refresh()
}

func (v *listView) onRetry() { v.reload() }

func (v *listView) onRetryMore() {
	v.moreErr = nil
	v.loadMore()
}
