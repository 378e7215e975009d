package ui

import (
	"cmp"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/api"
)

// serverScreenSize is the Server screen's size when the window allows it;
// it is a sheet over the window, so the session's screen underneath keeps
// following the session while the person picks.
var serverScreenSize = fyne.NewSize(880, 600)

// serverScreen picks the backend: a preset or a profile file, optionally
// on another server, shown as loaded (or with every problem found) before
// the person applies it.
type serverScreen struct {
	app      *App
	backends Backends
	presets  []PresetInfo

	rejected  *widget.Label // why the saved choice was not used at start
	presetsUI *keyList
	file      *keyEntry
	browse    *keyButton
	baseURL   *keyEntry
	busy      *widget.Activity

	// What was loaded, one value per row.
	name, server, signIn, refresh, expiry, lists *widget.Label
	// signInAt and bearerTo: where the password goes, and where the
	// token goes.
	signInAt, bearerTo *widget.Label
	loaded             *fyne.Container
	problemsTitle      *widget.Label
	problemsBox        *fyne.Container
	// problems are the lines shown in problemsBox.
	problems []string

	apply, cancel *keyButton
	dlg           *dialog.CustomDialog

	// choice is what the form says now; described is the generation of
	// the last Describe asked for, so a slow answer for an older choice
	// is dropped. ok: the current choice loaded without problems.
	choice    Choice
	described int
	ok        bool
	switching bool
	// selecting is set while the preset list is changed by code, so its
	// callback does not treat that as the person's pick.
	selecting bool
}

// ShowServer opens the Server screen. main calls it at start-up when the
// saved choice could not be used, so the person sees why at once; the
// sign-in form's "Server…" button opens it otherwise.
func (a *App) ShowServer() { a.showServer() }

// showServer opens the Server screen and returns it; nil when there is
// nothing to show or a sign-in is under way (it belongs to the backend in
// use, which must not change under it).
func (a *App) showServer() *serverScreen {
	if a.closed || a.opts.Backends == nil || a.signIn.signingIn() {
		return nil
	}
	s := &serverScreen{app: a, backends: a.opts.Backends, presets: a.opts.Backends.Presets()}
	s.buildUI()
	s.open()
	return s
}

// serverButton is the sign-in form's way to the Server screen: quiet, as
// most people never change the backend. Hidden without Backends.
func (s *signInScreen) serverButton() fyne.CanvasObject {
	b := newIconButton("Server…", theme.SettingsIcon(), s.app.ShowServer)
	b.Importance = widget.LowImportance
	b.Hidden = s.app.opts.Backends == nil
	return container.NewCenter(b)
}

func (s *serverScreen) buildUI() {
	intro := widget.NewLabel("Pick a preset, or a profile file that describes your API (docs/profiles.md).")
	intro.Wrapping = fyne.TextWrapWord

	s.rejected = widget.NewLabel("")
	s.rejected.Importance = widget.DangerImportance
	s.rejected.Wrapping = fyne.TextWrapWord
	s.rejected.Hide()

	s.presetsUI = newKeyList(
		func() int { return len(s.presets) },
		func() fyne.CanvasObject {
			title := widget.NewLabel("")
			title.TextStyle = fyne.TextStyle{Bold: true}
			desc := newMuted("", fyne.TextAlignLeading)
			desc.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(title, desc)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(s.presets[id].Title)
			setMuted(box.Objects[1].(*widget.RichText), s.presets[id].Description)
		},
	)
	s.presetsUI.OnSelected = s.onPresetSelected
	// Tall enough for the shipped presets without scrolling.
	listStrut := canvas.NewRectangle(nil)
	listStrut.SetMinSize(fyne.NewSize(0, float32(len(s.presets))*s.presetsUI.MinSize().Height+theme.Padding()))

	s.file = newEntry()
	s.file.SetPlaceHolder("/path/to/profile.toml")
	s.file.OnChanged = s.onFileChanged
	s.browse = newIconButton("Browse…", theme.FolderOpenIcon(), s.onBrowse)

	s.baseURL = newEntry()
	s.baseURL.SetPlaceHolder("https://api.example.com")
	s.baseURL.OnChanged = s.onBaseURLChanged
	baseURLHelp := newMuted("Empty: the preset's or file's own address.", fyne.TextAlignLeading)
	baseURLHelp.Wrapping = fyne.TextWrapWord

	choose := container.NewVBox(
		bold("Preset"), container.NewStack(listStrut, s.presetsUI),
		bold("Or a profile file"),
		container.NewBorder(nil, nil, nil, s.browse, s.file),
		bold("Server address"), s.baseURL, baseURLHelp,
	)

	s.busy = widget.NewActivity()
	s.busy.Hide()
	value := func() *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		l.Selectable = true
		return l
	}
	s.name, s.server, s.signIn, s.refresh, s.expiry, s.lists = value(), value(), value(), value(), value(), value()
	s.signInAt, s.bearerTo = value(), value()
	s.loaded = container.New(layout.NewFormLayout(),
		bold("Name"), s.name,
		bold("Server"), s.server,
		bold("Sign-in"), s.signIn,
		bold("Signs in at"), s.signInAt,
		bold("Token goes to"), s.bearerTo,
		bold("Refresh"), s.refresh,
		bold("Expiry"), s.expiry,
		bold("Lists"), s.lists,
	)
	s.loaded.Hide()
	s.problemsTitle = bold("Problems")
	s.problemsTitle.Importance = widget.DangerImportance
	s.problemsTitle.Hide()
	s.problemsBox = container.NewVBox()
	loaded := container.NewVBox(
		container.NewHBox(bold("What was loaded"), s.busy),
		s.loaded,
		s.problemsTitle, s.problemsBox,
	)

	// Side by side, so a long list of problems is in view next to the
	// field that caused it.
	content := container.NewBorder(
		container.NewVBox(s.rejected, intro, widget.NewSeparator()), nil, nil, nil,
		container.NewGridWithColumns(2, container.NewVScroll(choose), container.NewVScroll(loaded)),
	)

	s.cancel = newButton("Cancel", s.onCancel)
	s.apply = newIconButton("Apply", theme.ConfirmIcon(), s.onApply)
	s.apply.Importance = widget.HighImportance
	s.apply.Disable()

	s.dlg = dialog.NewCustomWithoutButtons("Server", content, s.app.win)
	s.dlg.SetButtons([]fyne.CanvasObject{s.cancel, s.apply})
}

func bold(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// open fills the form with the choice in use, or with the saved choice that
// was rejected at start-up and why, and shows the sheet.
func (s *serverScreen) open() {
	c := s.backends.Current()
	if bad, err := s.backends.Rejected(); err != nil {
		c = bad
		s.rejected.SetText(fmt.Sprintf("The saved server choice, %s, could not be used, so Signet started "+
			"with the demo server. Fix it and apply it again, or choose another.", choiceName(bad, s.presets)))
		s.rejected.Show()
	}
	s.setForm(c)
	size := serverScreenSize
	if win := s.app.win.Canvas().Size(); win.Width > 0 && win.Height > 0 {
		size = fyne.NewSize(min(size.Width, win.Width), min(size.Height, win.Height))
	}
	s.dlg.Resize(size)
	s.dlg.Show()
	s.describe()
}

// setForm shows c in the form without taking the changes for the person's.
func (s *serverScreen) setForm(c Choice) {
	s.choice = c
	s.selecting = true
	s.presetsUI.UnselectAll()
	for i, p := range s.presets {
		if c.File == "" && p.Name == c.Preset {
			s.presetsUI.Select(i)
		}
	}
	s.selecting = false
	s.file.OnChanged, s.baseURL.OnChanged = nil, nil
	s.file.SetText(c.File)
	s.baseURL.SetText(c.BaseURL)
	s.file.OnChanged, s.baseURL.OnChanged = s.onFileChanged, s.onBaseURLChanged
}

func (s *serverScreen) onPresetSelected(id widget.ListItemID) {
	if s.selecting {
		return
	}
	s.choice.Preset, s.choice.File = s.presets[id].Name, ""
	s.file.OnChanged = nil
	s.file.SetText("")
	s.file.OnChanged = s.onFileChanged
	s.describe()
}

func (s *serverScreen) onFileChanged(path string) {
	s.choice.File, s.choice.Preset = strings.TrimSpace(path), ""
	s.selecting = true
	s.presetsUI.UnselectAll()
	if s.choice.File == "" && len(s.presets) > 0 {
		// An emptied path means a preset again, not nothing: the one in
		// use, or the default (listed first).
		i := 0
		for j, p := range s.presets {
			if p.Name == s.backends.Current().Preset {
				i = j
			}
		}
		s.choice.Preset = s.presets[i].Name
		s.presetsUI.Select(i)
	}
	s.selecting = false
	s.describe()
}

func (s *serverScreen) onBaseURLChanged(url string) {
	s.choice.BaseURL = strings.TrimSpace(url)
	s.describe()
}

func (s *serverScreen) onBrowse() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		s.file.SetText(path) // OnChanged describes it
	}, s.app.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".toml"}))
	if s.choice.File != "" {
		if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(s.choice.File))); err == nil {
			d.SetLocation(dir)
		}
	}
	d.Show()
}

// describe loads the form's choice off the UI goroutine (a file may be on
// a slow disk) and shows what came of it, unless the form changed since.
func (s *serverScreen) describe() {
	s.described++
	gen, c := s.described, s.choice
	s.ok = false
	s.apply.Disable()
	s.busy.Show()
	s.busy.Start()
	go func() {
		p, err := s.backends.Describe(c)
		s.app.do(func() {
			if gen != s.described {
				return
			}
			s.busy.Stop()
			s.busy.Hide()
			s.showLoaded(p, err)
		})
	}()
}

// showLoaded fills "What was loaded" with p, or lists every problem.
func (s *serverScreen) showLoaded(p api.Profile, err error) {
	s.ok = err == nil
	s.setProblems(problemLines(err))
	if err != nil {
		s.loaded.Hide()
		s.apply.Disable()
		return
	}
	s.name.SetText(p.Name)
	s.server.SetText(cmp.Or(p.BaseURL, "Built into Signet, started on this computer when used"))
	s.signIn.SetText(requestText(p.Login.RequestSpec))
	builtIn := "The built-in server on this computer"
	s.signInAt.SetText(cmp.Or(signInOrigin(p), builtIn))
	s.bearerTo.SetText(cmp.Or(bearerOriginsText(p), builtIn))
	s.refresh.SetText(refreshText(p.Refresh))
	s.expiry.SetText(expiryText(p.Login.Tokens.Expiry))
	s.lists.SetText(listsText(p.Lists))
	s.loaded.Show()
	if !s.switching {
		s.apply.Enable()
	}
}

func (s *serverScreen) setProblems(lines []string) {
	s.problems = lines
	objs := make([]fyne.CanvasObject, len(lines))
	for i, line := range lines {
		l := widget.NewLabel(line)
		l.Importance = widget.DangerImportance
		l.Wrapping = fyne.TextWrapWord
		l.Selectable = true
		objs[i] = l
	}
	s.problemsBox.Objects = objs
	s.problemsBox.Refresh()
	s.problemsTitle.Hidden = len(lines) == 0
	s.problemsTitle.Refresh()
}

func (s *serverScreen) onCancel() {
	s.described++ // drop a Describe still running
	s.close()
}

// close hides the screen. Its fields give up the keyboard first: Fyne drops
// a closed dialog's focus without telling the field, whose cursor would
// blink on unseen, redrawing the window.
func (s *serverScreen) close() {
	s.app.win.Canvas().Unfocus()
	s.dlg.Hide()
}

// onApply switches to the chosen backend. Applying the backend already in
// use only closes the sheet, unless the saved choice was rejected: then it
// also saves this one, so the next start stops trying the broken one.
func (s *serverScreen) onApply() {
	if !s.ok || s.switching {
		return
	}
	if _, rejected := s.backends.Rejected(); s.choice == s.backends.Current() && rejected == nil {
		s.onCancel()
		return
	}
	s.switching = true
	s.apply.Disable()
	s.cancel.Disable()
	s.busy.Show()
	s.busy.Start()
	c := s.choice
	go func() {
		sess, err := s.backends.Switch(c)
		s.app.do(func() { s.onSwitched(c, sess, err) })
	}()
}

func (s *serverScreen) onSwitched(c Choice, sess Session, err error) {
	s.switching = false
	s.busy.Stop()
	s.busy.Hide()
	s.cancel.Enable()
	if err != nil {
		// The old backend is still in use; say why the new one is not.
		s.setProblems(problemLines(err))
		s.apply.Enable()
		return
	}
	s.close()
	s.app.useSession(sess, presetHint(c, s.presets))
}
