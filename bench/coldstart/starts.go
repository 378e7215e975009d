package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// One timed start: the reference picture of a binary's settled window, and
// the first frame that matches it.

// reference is a binary's settled window: its pixels, how many there are,
// and how many differ from the most common colour (the background).
type reference struct {
	img         []byte
	pixels, ink int
}

func capture(x *display, argv, env []string, timeout time.Duration) (*reference, error) {
	x.forget()
	p, err := start(argv, env)
	if err != nil {
		return nil, err
	}
	w, err := x.waitMapped(time.Now().Add(timeout))
	if err != nil {
		return nil, p.stop(err)
	}
	time.Sleep(settle)
	img, _, err := x.image(w)
	if err != nil {
		return nil, p.stop(err)
	}
	r := &reference{img: img, pixels: len(img) / 4}
	counts := map[uint32]int{}
	for i := 0; i+4 <= len(img); i += 4 {
		counts[binary.LittleEndian.Uint32(img[i:])&0xffffff]++
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	r.ink = r.pixels - most
	if r.ink == 0 {
		return nil, p.stop(errors.New("its settled window is blank"))
	}
	return r, p.stop(nil)
}

// matches says whether img shows what the reference shows (see the
// package comment for the tolerance).
func (r *reference) matches(img []byte) bool {
	if len(img) != len(r.img) {
		return false
	}
	if bytes.Equal(img, r.img) {
		return true
	}
	limit, diff := r.ink/10, 0
	for i := 0; i+4 <= len(img); i += 4 {
		if binary.LittleEndian.Uint32(img[i:])&0xffffff != binary.LittleEndian.Uint32(r.img[i:])&0xffffff {
			if diff++; diff > limit {
				return false
			}
		}
	}
	return true
}

// shown is when a start showed its finished screen: the time from exec,
// and which frame of the window it was (1 = the first); and when the
// window's first frame, whatever it showed, came, and when it was mapped.
type shown struct {
	after, first, mapped time.Duration // the matching frame, the window's first, its map
	frame                int
}

// timeStart execs argv and returns the time from exec to the arrival of
// the first frame that matches ref, and that frame's number. onShown (if not nil) runs as soon as
// that frame is known, before the process is stopped.
func timeStart(x *display, argv, env []string, ref *reference, timeout time.Duration, onShown func()) (shown, error) {
	x.forget()
	deadline := time.Now().Add(timeout)
	t0 := time.Now()
	p, err := start(argv, env)
	if err != nil {
		return shown{}, err
	}
	w, err := x.waitMapped(deadline)
	if err != nil {
		return shown{}, p.stop(err)
	}
	seen := 0
	for {
		for x.frameCount(w) == seen {
			if err := x.wait(deadline); err != nil {
				return shown{}, p.stop(fmt.Errorf("no frame matched its settled window within %v", timeout))
			}
		}
		seen = x.frameCount(w)
		img, seq, err := x.image(w)
		if err != nil {
			return shown{}, p.stop(err)
		}
		if !ref.matches(img) {
			continue
		}
		at, n := x.lastFrameBefore(w, seq)
		if n == 0 {
			return shown{}, p.stop(errors.New("a matching picture without a frame before it"))
		}
		if onShown != nil {
			onShown()
		}
		return shown{after: at.Sub(t0), first: x.firstFrame(w).Sub(t0), mapped: x.mapTime(w).Sub(t0), frame: n}, p.stop(nil)
	}
}
