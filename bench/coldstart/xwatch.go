package main

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/damage"
	"github.com/jezek/xgb/xfixes"
	"github.com/jezek/xgb/xproto"
)

// display watches the X server for what the binaries put on screen. It
// learns of every top-level window as it is created (SubstructureNotify on
// the root window) and puts a DAMAGE object on it at once, before the window
// is mapped, so no frame is missed. Each damage event is one or more frames
// that reached the X server since the previous event (level NonEmpty, and
// the damage is emptied again as soon as the event arrives); it is stamped
// with the harness's clock when it arrives, and with the X sequence number,
// which says which of our own requests the server had processed by then.
type display struct {
	conn *xgb.Conn
	root xproto.Window

	mu       sync.Mutex
	damages  map[damage.Damage]xproto.Window
	frames   map[xproto.Window][]frame
	mapped   []xproto.Window
	mappedAt map[xproto.Window]time.Time
	changed  chan struct{} // a new frame or window; capacity 1
	readErr  error
	readDone chan struct{}
}

// frame is one damage event: when it arrived and its sequence number.
type frame struct {
	at  time.Time
	seq uint16
}

func openDisplay() (*display, error) {
	conn, err := xgb.NewConn()
	if err != nil {
		return nil, fmt.Errorf("connecting to the X server: %w", err)
	}
	if err := damage.Init(conn); err != nil {
		conn.Close()
		return nil, fmt.Errorf("the X server has no DAMAGE extension: %w", err)
	}
	if _, err := damage.QueryVersion(conn, 1, 1).Reply(); err != nil {
		conn.Close()
		return nil, err
	}
	// DAMAGE needs XFIXES (regions); Subtract with None uses none, but the
	// extension must be initialised for its requests.
	if err := xfixes.Init(conn); err != nil {
		conn.Close()
		return nil, err
	}
	if _, err := xfixes.QueryVersion(conn, 5, 0).Reply(); err != nil {
		conn.Close()
		return nil, err
	}
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	if err := xproto.ChangeWindowAttributesChecked(conn, root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		conn.Close()
		return nil, err
	}
	d := &display{conn: conn, root: root, damages: map[damage.Damage]xproto.Window{},
		frames: map[xproto.Window][]frame{}, mappedAt: map[xproto.Window]time.Time{}, changed: make(chan struct{}, 1), readDone: make(chan struct{})}
	go d.read()
	return d, nil
}

func (d *display) close() { d.conn.Close(); <-d.readDone }

// read handles the events: it must stay quick, as the arrival time it
// records is the frame's time.
func (d *display) read() {
	defer close(d.readDone)
	for {
		ev, err := d.conn.WaitForEvent()
		if ev == nil && err == nil {
			return // connection closed
		}
		now := time.Now()
		if err != nil {
			// A window that is gone before its damage was created (the
			// helper windows of GLFW) gives BadDrawable: harmless.
			continue
		}
		switch e := ev.(type) {
		case xproto.CreateNotifyEvent:
			if e.Parent != d.root {
				continue
			}
			id, err := damage.NewDamageId(d.conn)
			if err != nil {
				d.fail(err)
				return
			}
			d.mu.Lock()
			d.damages[id] = e.Window
			d.mu.Unlock()
			damage.Create(d.conn, id, xproto.Drawable(e.Window), damage.ReportLevelNonEmpty)
		case xproto.MapNotifyEvent:
			if e.Event != d.root || e.OverrideRedirect {
				continue
			}
			d.mu.Lock()
			d.mapped = append(d.mapped, e.Window)
			d.mappedAt[e.Window] = now
			d.mu.Unlock()
			d.signal()
		case damage.NotifyEvent:
			// Empty the damage so the next frame raises a new event.
			damage.Subtract(d.conn, e.Damage, xfixes.Region(0), xfixes.Region(0))
			d.mu.Lock()
			if w, ok := d.damages[e.Damage]; ok {
				d.frames[w] = append(d.frames[w], frame{at: now, seq: e.Sequence})
			}
			d.mu.Unlock()
			d.signal()
		}
	}
}

func (d *display) fail(err error) {
	d.mu.Lock()
	d.readErr = err
	d.mu.Unlock()
	d.signal()
}

func (d *display) signal() {
	select {
	case d.changed <- struct{}{}:
	default:
	}
}

// forget drops what is known of earlier windows (between runs).
func (d *display) forget() {
	d.mu.Lock()
	d.mapped = nil
	d.frames = map[xproto.Window][]frame{}
	d.mu.Unlock()
}

// waitMapped returns the first top-level window mapped since forget.
func (d *display) waitMapped(deadline time.Time) (xproto.Window, error) {
	for {
		d.mu.Lock()
		err := d.readErr
		var w xproto.Window
		if len(d.mapped) > 0 {
			w = d.mapped[0]
		}
		d.mu.Unlock()
		if err != nil {
			return 0, err
		}
		if w != 0 {
			return w, nil
		}
		if err := d.wait(deadline); err != nil {
			return 0, fmt.Errorf("no window was mapped: %w", err)
		}
	}
}

var errDeadline = errors.New("deadline passed")

// wait blocks until a new event is recorded or the deadline passes.
func (d *display) wait(deadline time.Time) error {
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-d.changed:
		return nil
	case <-t.C:
		return errDeadline
	}
}

// mapTime is when w was mapped (its MapNotify arrived).
func (d *display) mapTime(w xproto.Window) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.mappedAt[w]
}

// firstFrame is the arrival of w's first damage event (zero if none yet).
func (d *display) firstFrame(w xproto.Window) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	if fs := d.frames[w]; len(fs) > 0 {
		return fs[0].at
	}
	return time.Time{}
}

// frameCount is how many damage events w has had.
func (d *display) frameCount(w xproto.Window) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.frames[w])
}

// lastFrameBefore is the arrival time of w's last damage event that the
// server generated before it processed our request seq, that is the newest
// frame an image taken by request seq shows, and how many such events w had. Events come before the reply
// on the wire, so by the time the reply is read they are all recorded,
// or at worst still in xgb's queue: give the reader a moment.
func (d *display) lastFrameBefore(w xproto.Window, seq uint16) (time.Time, int) {
	deadline := time.Now().Add(30 * time.Millisecond)
	for {
		d.mu.Lock()
		fs := d.frames[w]
		var at time.Time
		n, newer := 0, false
		for _, f := range fs {
			if int16(f.seq-seq) < 0 {
				at, n = f.at, n+1
			} else {
				newer = true
			}
		}
		d.mu.Unlock()
		if newer || time.Now().After(deadline) {
			return at, n
		}
		time.Sleep(time.Millisecond)
	}
}

// image is the pixels of window w (ZPixmap, all planes) and the sequence
// number of the request that read them.
func (d *display) image(w xproto.Window) ([]byte, uint16, error) {
	g, err := xproto.GetGeometry(d.conn, xproto.Drawable(w)).Reply()
	if err != nil {
		return nil, 0, err
	}
	r, err := xproto.GetImage(d.conn, xproto.ImageFormatZPixmap, xproto.Drawable(w), 0, 0,
		g.Width, g.Height, 0xffffffff).Reply()
	if err != nil {
		return nil, 0, err
	}
	return r.Data, r.Sequence, nil
}

// move puts top-level window w at x, y (there is no window manager).
func (d *display) move(w xproto.Window, x, y int) error {
	return xproto.ConfigureWindowChecked(d.conn, w, xproto.ConfigWindowX|xproto.ConfigWindowY,
		[]uint32{uint32(x), uint32(y)}).Check()
}
