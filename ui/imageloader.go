package ui

import (
	"bytes"
	"context"
	"image"
	_ "image/gif"  // decoders for items' images
	_ "image/jpeg" //
	_ "image/png"  //
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" //
)

const (
	// imageCacheSize bounds the decoded images kept (a screenful of rows
	// many times over).
	imageCacheSize = 200
	// imageMaxSide: an image is scaled down to this on arrival, which is
	// enough for the detail pane and keeps the cache's memory bounded.
	imageMaxSide = 640
	// imageFetches bounds the fetches running at once, so a fast scroll
	// does not open a connection per row.
	imageFetches = 4
)

// imageLoader fetches and decodes items' images off the UI goroutine,
// keeps the most recent ones, and hands each to whoever asked on the UI
// goroutine. An image that cannot be had is remembered as nil, so a broken
// address is not asked again at every scroll; the row shows a placeholder.
type imageLoader struct {
	ctx    context.Context
	cancel context.CancelFunc
	fetch  func(ctx context.Context, url string) ([]byte, error)
	do     func(func())
	slots  chan struct{}
	cache  *lru.Cache[string, image.Image]

	mu      sync.Mutex
	pending map[string][]func(image.Image)
}

func newImageLoader(parent context.Context, fetch func(context.Context, string) ([]byte, error), do func(func())) *imageLoader {
	cache, _ := lru.New[string, image.Image](imageCacheSize) // only a size <= 0 fails
	ctx, cancel := context.WithCancel(parent)
	return &imageLoader{ctx: ctx, cancel: cancel, fetch: fetch, do: do, cache: cache,
		slots: make(chan struct{}, imageFetches), pending: map[string][]func(image.Image){}}
}

// load calls done, on the UI goroutine, with url's image or nil when it
// cannot be had: at once when it is cached, else once it has arrived.
func (l *imageLoader) load(url string, done func(image.Image)) {
	if img, ok := l.cache.Get(url); ok {
		done(img)
		return
	}
	l.mu.Lock()
	waiting, busy := l.pending[url]
	l.pending[url] = append(waiting, done)
	l.mu.Unlock()
	if busy {
		return
	}
	go func() {
		img := l.get(url)
		if l.ctx.Err() != nil {
			return // the screen is gone
		}
		l.cache.Add(url, img)
		l.mu.Lock()
		waiters := l.pending[url]
		delete(l.pending, url)
		l.mu.Unlock()
		l.do(func() {
			for _, f := range waiters {
				f(img)
			}
		})
	}()
}

// get fetches and decodes url; nil when either fails.
func (l *imageLoader) get(url string) image.Image {
	select {
	case l.slots <- struct{}{}:
		defer func() { <-l.slots }()
	case <-l.ctx.Done():
		return nil
	}
	b, err := l.fetch(l.ctx, url)
	if err != nil {
		return nil
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return shrink(img, imageMaxSide)
}

// shrink scales img down so that neither side is over side pixels.
func shrink(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		w, h = side, max(1, h*side/w)
	} else {
		w, h = max(1, w*side/h), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// close stops every fetch; their images are dropped.
func (l *imageLoader) close() { l.cancel() }
