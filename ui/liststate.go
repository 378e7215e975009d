package ui

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
	case v.m.reloadErr != nil:
		v.retryReload()
	case v.m.moreErr != nil:
		v.onRetryMore()
	case v.m.awaitingServerSearch():
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
	v.m.restoreScroll = float32(p.Float(prefScroll(profile, v.spec.Name)))
}

// saveState remembers the search and scroll position for the next run.
func (v *listView) saveState() {
	p := v.app.fyneApp.Preferences()
	profile := v.app.session.Profile().Name
	setPrefString(p, prefSearch(profile, v.spec.Name), v.search.Text)
	if v.m.restoreScroll == 0 && v.showing(v.itemsView) {
		setPrefFloat(p, prefScroll(profile, v.spec.Name), float64(v.list.GetScrollOffset()))
	}
}

// tryRestoreScroll scrolls to the last run's position once enough rows are
// loaded to reach it, fetching more pages first when needed.
func (v *listView) tryRestoreScroll() {
	offset, ok, more := v.m.scrollTarget(v.list.Size().Height, v.rowHeight)
	switch {
	case more:
		v.loadMore()
	case ok:
		v.list.ScrollToOffset(offset)
	}
}
