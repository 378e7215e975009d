package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"signet/api"
	"signet/demo"
	"signet/session"
)

// The large list of figure 5: 100 000 items of the demo's own shape
// (demo.Item: the 300 catalog entries over and over, each with its own id
// and a numbered title), served whole at /bench/all and in pages at
// /bench/items?offset=&limit=, behind the demo's sign-in.

const bigN = 100_000

var (
	bigOnce  sync.Once
	bigItems []string // each item's JSON
	bigAll   []byte   // {"items":[…all…],"total":100000}
)

func bigList() ([]string, []byte) {
	bigOnce.Do(func() {
		catalog := demo.Catalog()
		bigItems = make([]string, bigN)
		for i := range bigN {
			it := catalog[i%len(catalog)]
			it.ID = fmt.Sprintf("itm-%06d", i+1)
			if round := i / len(catalog); round > 0 {
				it.Title = fmt.Sprintf("%s (%d)", it.Title, round+1)
			}
			b, err := json.Marshal(it)
			if err != nil {
				panic(err)
			}
			bigItems[i] = string(b)
		}
		bigAll = pageBody(0, bigN)
	})
	return bigItems, bigAll
}

func pageBody(offset, limit int) []byte {
	end := min(offset+limit, bigN)
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := offset; i < end; i++ {
		if i > offset {
			b.WriteByte(',')
		}
		b.WriteString(bigItems[i])
	}
	fmt.Fprintf(&b, `],"total":%d}`, bigN)
	return []byte(b.String())
}

// bigProfile is the demo profile plus the two large lists.
func bigProfile(url string) api.Profile {
	p := api.DemoProfile(url)
	p.Lists = append(p.Lists,
		api.ListSpec{Name: "All", Path: "/bench/all", ItemsPath: "items", IDField: "id", TitleField: "title",
			SubtitleField: "subtitle", Paging: api.Paging{Style: api.PagingNone, TotalPath: "total"}},
		api.ListSpec{Name: "Paged", Path: "/bench/items", ItemsPath: "items", IDField: "id", TitleField: "title",
			SubtitleField: "subtitle", Paging: api.Paging{Style: api.PagingOffset, PageSize: 100, TotalPath: "total"}},
	)
	return p
}

// bigServer serves the large lists (to any bearer) and the demo's sign-in.
func bigServer(tb testing.TB) string {
	tb.Helper()
	bigList()
	d, err := demo.Open(demo.Config{TokenTTL: coalesceTTL})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = d.Close() })
	bearer := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
				http.Error(w, `{"message":"no token"}`, http.StatusUnauthorized)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			h(w, r)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /bench/all", bearer(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(bigAll)
	}))
	mux.HandleFunc("GET /bench/items", bearer(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		_, _ = w.Write(pageBody(max(offset, 0), max(limit, 1)))
	}))
	mux.Handle("/", d.Handler())
	ts := httptest.NewServer(mux)
	tb.Cleanup(ts.Close)
	return ts.URL
}

// bigSession is a signed-in session on bigServer, as the app wires it.
func bigSession(tb testing.TB, url string) *session.Controller {
	tb.Helper()
	return bigSessionFor(tb, bigProfile(url))
}

func bigSessionFor(tb testing.TB, p api.Profile) *session.Controller {
	tb.Helper()
	c, err := api.New(api.Config{Profile: p})
	if err != nil {
		tb.Fatal(err)
	}
	ctrl := newController(tb, c, nil, session.NewMemoryPreferences(), nil, nil, nil)
	ctrl.Restore(context.Background())
	if err := ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		tb.Fatal(err)
	}
	return ctrl
}

// fetchAll loads every item of list through the session, page by page when
// the list is paged.
func fetchAll(ctx context.Context, ctrl *session.Controller, list string) ([]api.Item, error) {
	var items []api.Item
	for {
		page, err := ctrl.FetchList(ctx, list, len(items), 0, "")
		if err != nil {
			return nil, err
		}
		items = append(items, page.Items...)
		if len(page.Items) == 0 || len(items) >= page.Total {
			return items, nil
		}
	}
}
