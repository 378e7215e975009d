package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/demo"
	"signet/session/keychain"
)

// pngBytes is a small valid PNG.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for x := range 8 {
		img.Set(x, 2, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// imageServer serves /ok.png and /broken.png and remembers the
// Authorization header of every request, by path.
type imageServer struct {
	mu   sync.Mutex
	auth map[string][]string
}

func (s *imageServer) serve(t *testing.T, w http.ResponseWriter, r *http.Request) bool {
	name := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	if name != "ok.png" && name != "broken.png" {
		return false
	}
	s.mu.Lock()
	s.auth[r.URL.Path] = append(s.auth[r.URL.Path], r.Header.Get("Authorization"))
	s.mu.Unlock()
	if name == "ok.png" {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(pngBytes(t))
	} else {
		_, _ = w.Write([]byte("<html>not an image</html>"))
	}
	return true
}

func (s *imageServer) authOf(path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth[path]...)
}

// pictureBackend is the demo behind a front that answers the Items list
// with items carrying formatted values and images: on the API's origin
// (good and broken) and on another origin. It returns the session and both
// image servers.
func pictureBackend(t *testing.T) (*realSession, *imageServer, *imageServer) {
	t.Helper()
	api0 := &imageServer{auth: map[string][]string{}}
	other := &imageServer{auth: map[string][]string{}}
	otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !other.serve(t, w, r) {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(otherSrv.Close)
	var base string
	front := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if api0.serve(t, w, r) {
				return
			}
			if r.URL.Path != "/api/items" {
				next.ServeHTTP(w, r)
				return
			}
			if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			base = "http://" + r.Host
			items := []map[string]any{
				{"id": "1", "title": "Lamp", "price": 1234.5, "added": 1767225600, "in_stock": true, "image": base + "/img/ok.png"},
				{"id": "2", "title": "Chair", "price": 80, "added": 1767225600, "in_stock": false, "image": otherSrv.URL + "/img/ok.png"},
				{"id": "3", "title": "Desk", "price": "n/a", "added": "soon", "in_stock": "maybe", "image": base + "/img/broken.png"},
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"items": items, "total": len(items)})
		})
	}
	r := newRealSessionEdited(t, demo.Config{}, keychain.NewMemory(), front, nil, func(p *api.Profile) {
		l := &p.Lists[0]
		l.SubtitleField = "price"
		l.ImageField = "image"
		l.Fields = []api.FieldSpec{
			{Path: "price", Label: "Price", Format: api.FormatCurrency, Currency: "EUR"},
			{Path: "added", Label: "Added", Format: api.FormatDate, Unit: "unix"},
			{Path: "in_stock", Label: "In stock", Format: api.FormatYesNo},
		}
	})
	return r, api0, other
}

// rowOf fills a fresh row template for row id the way the list does.
func rowOf(v *listView, id int) (title, subtitle string, thumb *canvas.Image) {
	row := newPictureRow().(*fyne.Container)
	v.updateRow(id, row)
	lines := row.Objects[0].(*fyne.Container).Objects
	return lines[0].(*widget.Label).Text, mutedText(lines[1].(*widget.RichText)), row.Objects[1].(*canvas.Image)
}

func TestListPictures_FormattedValuesThumbnailsAndTheBearerOnlyOnTheAPIOrigin(t *testing.T) {
	s, apiImages, otherImages := pictureBackend(t)
	h := newHarness(t, s, Options{})
	_, v := h.signInToList()
	v.look.loc = time.UTC // the dates below are UTC days
	h.waitFor("the rows", func() bool { return v.list.Length() == 3 && !v.m.loading })

	title, sub, lamp := rowOf(v, 0)
	if title != "Lamp" || sub != "€ 1,234.50" {
		t.Errorf("row 0: %q / %q, want Lamp / € 1,234.50", title, sub)
	}
	if _, sub, _ := rowOf(v, 2); sub != "n/a" {
		t.Errorf("a price that is no number: %q, want it as sent", sub)
	}
	_, _, chair := rowOf(v, 1)
	_, _, desk := rowOf(v, 2)
	h.waitFor("the thumbnails", func() bool {
		return lamp.Image != nil && chair.Image != nil && desk.Resource == theme.BrokenImageIcon()
	})
	if desk.Image != nil {
		t.Error("a broken image was shown as an image")
	}

	onOrigin := apiImages.authOf("/img/ok.png")
	if len(onOrigin) != 1 || !strings.HasPrefix(onOrigin[0], "Bearer ") {
		t.Errorf("image on the API's origin: Authorization %q, want the bearer once", onOrigin)
	}
	offOrigin := otherImages.authOf("/img/ok.png")
	if len(offOrigin) != 1 || offOrigin[0] != "" {
		t.Errorf("image on another origin: Authorization %q, want none, asked once", offOrigin)
	}

	// The cache answers a row drawn again; nothing is fetched twice.
	if _, _, again := rowOf(v, 0); again.Image == nil {
		t.Error("a cached thumbnail is not shown at once")
	}
	v.onSelected(0)
	h.waitFor("the large picture", func() bool { return v.detail.picture.Visible() && v.detail.picture.Image != nil })
	if n := len(apiImages.authOf("/img/ok.png")); n != 1 {
		t.Errorf("the image was fetched %d times, want once (cached)", n)
	}
	want := map[string]string{"Price": "€ 1,234.50", "Added": "1 Jan 2026", "In stock": "Yes", "Title": "Lamp"}
	got := map[string]string{}
	labels := map[string]int{}
	for _, f := range v.detail.fields {
		got[f.Label] = f.Value
		labels[f.Label]++
	}
	for label, value := range want {
		if got[label] != value {
			t.Errorf("detail %s = %q, want %q", label, got[label], value)
		}
	}
	if labels["Price"] != 1 || labels["Image"] != 1 {
		t.Errorf("detail labels %v: a declared field shown twice, or the image address missing", labels)
	}
}

func TestImageLoader_OneFetchPerAddressAndABoundedCache(t *testing.T) {
	q := newUIQueue()
	var mu sync.Mutex
	fetched := map[string]int{}
	release := make(chan struct{})
	good := pngBytes(t)
	l := newImageLoader(t.Context(), func(ctx context.Context, url string) ([]byte, error) {
		<-release
		mu.Lock()
		fetched[url]++
		mu.Unlock()
		if url == "bad" {
			return []byte("junk"), nil
		}
		return good, nil
	}, q.do)
	t.Cleanup(l.close)

	var got []image.Image
	for range 3 {
		l.load("a", func(img image.Image) { got = append(got, img) })
	}
	var bad image.Image = image.NewRGBA(image.Rect(0, 0, 1, 1))
	l.load("bad", func(img image.Image) { bad = img })
	close(release)
	q.waitFor(t, "the images", func() bool { return len(got) == 3 && bad == nil })
	if got[0] == nil || fetched["a"] != 1 || fetched["bad"] != 1 {
		t.Errorf("image %v; fetched %v, want each address once", got[0], fetched)
	}
	for i := range imageCacheSize + 10 {
		l.cache.Add(itoa(i), nil)
	}
	if l.cache.Len() != imageCacheSize {
		t.Errorf("cache holds %d, want at most %d", l.cache.Len(), imageCacheSize)
	}
}

func TestShrink_KeepsTheShapeWithinTheSide(t *testing.T) {
	img := shrink(image.NewRGBA(image.Rect(0, 0, 2000, 500)), 640)
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 160 {
		t.Errorf("shrunk to %v, want 640×160", b)
	}
	small := image.NewRGBA(image.Rect(0, 0, 10, 10))
	if shrink(small, 640) != image.Image(small) {
		t.Error("a small image was scaled")
	}
}
