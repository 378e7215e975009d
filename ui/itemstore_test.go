package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"signet/api"
	"signet/demo"
	"signet/session/keychain"
)

// heldItem is an item as it arrived, copied so that nothing the store does
// can change it.
type heldItem struct{ id, title, subtitle, raw string }

func hold(it api.Item) heldItem { return heldItem{it.ID, it.Title, it.Subtitle, string(it.Raw)} }

// decodedBlocks counts the store's blocks held decoded.
func decodedBlocks(s *itemStore) int {
	n := 0
	for _, b := range s.blocks {
		if b.items != nil {
			n++
		}
	}
	return n
}

// A list of the demo's 300 items in pages of 10, loaded from the real demo
// backend through the session: far pages are packed, and scrolling back,
// opening a far row's detail and searching see exactly what arrived, with
// the backend down by then (nothing is fetched again).
func TestListModel_FarPagesComeBackAsTheyArrived(t *testing.T) {
	var down atomic.Bool
	outage := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if down.Load() {
				http.Error(w, "down", http.StatusServiceUnavailable)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	rs := newRealSessionEdited(t, demo.Config{}, keychain.NewMemory(), outage, nil, func(p *api.Profile) {
		p.Lists[0].Paging.PageSize = 10
	})
	ctx := context.Background()
	if err := rs.SignIn(ctx, demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	spec := rs.Profile().Lists[0]
	m := newListModel(spec)
	var arrived []heldItem
	for r := m.begin(true, ""); ; r = m.begin(false, "") {
		page, err := rs.FetchList(ctx, spec.Name, r.offset, r.limit, r.term)
		if err != nil {
			t.Fatalf("page at %d: %v", r.offset, err)
		}
		for _, it := range page.Items {
			arrived = append(arrived, hold(it))
		}
		m.accept(r, page, modelNow)
		if !m.canLoadMore() {
			break
		}
	}
	if len(arrived) != demo.CatalogSize || m.loaded() != len(arrived) || len(m.shown) != len(arrived) {
		t.Fatalf("loaded %d items, model %d, shown %d; want %d", len(arrived), m.loaded(), len(m.shown), demo.CatalogSize)
	}
	if n := decodedBlocks(m.items); n > hotBlocks {
		t.Errorf("%d of %d blocks decoded after the scroll, want at most %d", n, len(m.items.blocks), hotBlocks)
	}
	if m.items.blocks[0].items != nil || m.items.blocks[0].packed == nil {
		t.Fatal("the first page is still decoded at the end of the list")
	}

	down.Store(true)
	look := newItemLook(rs.Profile(), spec)
	for id := len(arrived) - 1; id >= 0; id-- { // back to the top
		it, ok := m.row(id)
		if !ok || hold(it) != arrived[id] {
			t.Fatalf("row %d after scrolling back: %+v, want %+v", id, hold(it), arrived[id])
		}
	}
	for _, id := range []int{299, 298, 150, 3} { // the top is hot now, 150 is not
		it, _ := m.row(id)
		orig := api.Item{ID: arrived[id].id, Title: arrived[id].title, Subtitle: arrived[id].subtitle, Raw: []byte(arrived[id].raw)}
		got, want := look.fields(it), look.fields(orig)
		if len(got) < 3 || !slices.Equal(got, want) {
			t.Errorf("detail of row %d: %v, want %v", id, got, want)
		}
	}

	// A local search reads every item's values, packed or not.
	word := strings.Fields(strings.ToLower(arrived[137].title))[0]
	var want []int
	for i, a := range arrived {
		h := haystack(api.Item{Title: a.title, Subtitle: a.subtitle, Raw: []byte(a.raw)})
		if strings.Contains(h, word) {
			want = append(want, i)
		}
	}
	m.setTerm(word)
	m.filter()
	if !slices.Equal(m.shown, want) || len(want) == 0 {
		t.Errorf("local search for %q: rows %v, want %v", word, m.shown, want)
	}
}

// bigListServer serves n items of the demo's shape (its catalog over and
// over, each with its own id) in pages at /items?offset=&limit=, and says
// how many bytes of items it sent.
func bigListServer(t *testing.T, n int) (url string, sent *atomic.Int64) {
	t.Helper()
	catalog := demo.Catalog()
	sent = &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		var b bytes.Buffer
		b.WriteString(`{"items":[`)
		for i := offset; i < min(offset+limit, n); i++ {
			it := catalog[i%len(catalog)]
			it.ID = fmt.Sprintf("itm-%06d", i+1)
			raw, err := json.Marshal(it)
			if err != nil {
				panic(err)
			}
			if i > offset {
				b.WriteByte(',')
			}
			b.Write(raw)
			sent.Add(int64(len(raw)))
		}
		fmt.Fprintf(&b, `],"total":%d}`, n)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv.URL, sent
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// Scrolling down a long list does not keep the answers it came in: the
// model holds the items in less than the JSON's size (about 0.4 of it).
// Holding the API's items kept every page's body and its string copy: over
// twice the JSON.
func TestListModel_ALongScrollKeepsNoAnswerAlive(t *testing.T) {
	const n = 20_000
	url, sent := bigListServer(t, n)
	p := api.DemoProfile(url)
	spec := api.ListSpec{Name: "Big", Path: "/items", ItemsPath: "items", IDField: "id", TitleField: "title",
		SubtitleField: "subtitle", Paging: api.Paging{Style: api.PagingOffset, PageSize: 100, TotalPath: "total"}}
	p.Lists = []api.ListSpec{spec}
	c, err := api.New(api.Config{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	m := newListModel(spec)
	before := liveHeap()
	for r := m.begin(true, ""); ; r = m.begin(false, "") {
		page, err := c.FetchList(context.Background(), nil, spec.Name, r.offset, r.limit, "")
		if err != nil {
			t.Fatalf("page at %d: %v", r.offset, err)
		}
		m.accept(r, page, modelNow)
		if _, ok := m.row(len(m.shown) - 1); !ok || !m.canLoadMore() {
			break
		}
	}
	held := int64(liveHeap()) - int64(before)
	runtime.KeepAlive(m)
	if m.loaded() != n {
		t.Fatalf("loaded %d items, want %d", m.loaded(), n)
	}
	t.Logf("%d items, %.1f MB of JSON: the model holds %.1f MB", n, float64(sent.Load())/1e6, float64(held)/1e6)
	if held > sent.Load() {
		t.Errorf("the model holds %d bytes for %d bytes of JSON; want less", held, sent.Load())
	}
}

func TestItemStore_BlocksFillAcrossPagesOfAnySize(t *testing.T) {
	s := newItemStore(10)
	var want []api.Item
	for k, size := range []int{7, 7, 25, 1, 0, 60, 3} {
		page := make([]api.Item, size)
		for i := range page {
			n := len(want) + i
			page[i] = api.Item{ID: strconv.Itoa(n), Title: fmt.Sprintf("Title %d «%d»", n, k), Raw: []byte(fmt.Sprintf(`{"n":%d}`, n))}
			if n%4 == 0 {
				page[i].Subtitle = "ünïcode " + strings.Repeat("x", n)
			}
			if n%9 == 0 {
				page[i].Raw = nil
			}
		}
		want = append(want, page...)
		s.add(page)
		if s.len() != len(want) || decodedBlocks(s) > hotBlocks {
			t.Fatalf("after page %d: %d items, %d blocks decoded", k, s.len(), decodedBlocks(s))
		}
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}} {
		for _, part := range order {
			for i := part * len(want) / 3; i < (part+1)*len(want)/3; i++ {
				if got := s.at(i); hold(got) != hold(want[i]) || (got.Raw == nil) != (want[i].Raw == nil) {
					t.Fatalf("item %d: %+v, want %+v", i, got, want[i])
				}
			}
		}
	}
	s.reset()
	if s.len() != 0 || len(s.blocks) != 0 || len(s.hot) != 0 {
		t.Errorf("after reset: %d items, %d blocks", s.len(), len(s.blocks))
	}
}

// An item's Raw is its own: appending to it cannot change the next item.
func TestItemStore_RawIsCapped(t *testing.T) {
	s := newItemStore(4)
	s.add([]api.Item{{ID: "1", Raw: []byte(`{"a":1}`)}, {ID: "2", Raw: []byte(`{"b":2}`)}})
	first := s.at(0)
	_ = append(first.Raw, 'x')
	if got := string(s.at(1).Raw); got != `{"b":2}` {
		t.Errorf("the second item's Raw is %s after appending to the first's", got)
	}
}

func TestItemStore_CorruptLayoutIsAnError(t *testing.T) {
	good := layoutItems(nil, []api.Item{{ID: "1", Title: "One", Raw: []byte(`{}`)}})
	for _, buf := range [][]byte{good[:len(good)-1], append(slices.Clone(good), 'x'), {0xff}, {200, 1, 1}} {
		if _, err := itemsFromLayout(buf); err == nil {
			t.Errorf("itemsFromLayout(%q) read it", buf)
		}
	}
	if items, err := itemsFromLayout(good); err != nil || len(items) != 1 || items[0].Title != "One" {
		t.Errorf("itemsFromLayout(good) = %+v, %v", items, err)
	}
}

// demoShapedItems is n items as the API decodes the demo's catalog.
func demoShapedItems(tb testing.TB, n int) []api.Item {
	tb.Helper()
	catalog := demo.Catalog()
	items := make([]api.Item, n)
	for i := range items {
		it := catalog[i%len(catalog)]
		it.ID = fmt.Sprintf("itm-%06d", i+1)
		raw, err := json.Marshal(it)
		if err != nil {
			tb.Fatal(err)
		}
		items[i] = api.Item{ID: it.ID, Title: it.Title, Subtitle: it.Subtitle, Raw: raw}
	}
	return items
}

// What the UI goroutine spends taking a list that came in one answer (a
// list without paging), and drawing rows of a packed block again.
func BenchmarkItemStore(b *testing.B) {
	items := demoShapedItems(b, 100_000)
	b.Run("add-100k-at-once", func(b *testing.B) {
		for b.Loop() {
			s := newItemStore(api.DefaultPageSize)
			s.add(items)
		}
	})
	b.Run("add-pages-of-100", func(b *testing.B) {
		for b.Loop() {
			s := newItemStore(api.DefaultPageSize)
			for p := range slices.Chunk(items[:10_000], 100) {
				s.add(p)
			}
		}
	})
	b.Run("unpack-a-block", func(b *testing.B) {
		s := newItemStore(api.DefaultPageSize)
		s.add(items[:10_000])
		i := 0
		for b.Loop() {
			_ = s.at(i % 10_000) // each call a block that went cold
			i += api.DefaultPageSize * (hotBlocks + 1)
		}
	})
}
