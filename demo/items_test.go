package demo

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestItems_PagesThroughTheWholeCatalog(t *testing.T) {
	s, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword).AccessToken
	var ids []string
	for offset := 0; ; offset += 70 {
		r := getWithToken(t, fmt.Sprintf("%s/api/items?offset=%d&limit=70", base, offset), tok)
		wantStatus(t, r, http.StatusOK)
		page := decode[itemsPage](t, r)
		if page.Total != CatalogSize || r.header.Get("X-Total-Count") != strconv.Itoa(CatalogSize) {
			t.Fatalf("total %d, X-Total-Count %q; want %d", page.Total, r.header.Get("X-Total-Count"), CatalogSize)
		}
		if len(page.Items) == 0 {
			break
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
	}
	catalog := Catalog()
	if len(ids) != len(catalog) {
		t.Fatalf("paging gave %d items, want %d", len(ids), len(catalog))
	}
	for i, it := range catalog {
		if ids[i] != it.ID {
			t.Fatalf("item %d is %s, want %s: pages overlap or skip", i, ids[i], it.ID)
		}
	}
	if got := s.Stats().ListCalls; got != 6 {
		t.Errorf("ListCalls = %d, want 6 (5 pages and the empty one)", got)
	}
}

func TestItems_LimitDefaultsTo50AndIsClampedTo1000(t *testing.T) {
	_, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword).AccessToken
	for _, tc := range []struct {
		query            string
		wantLen, wantLim int
		wantFirst        string
	}{
		{"", 50, 50, "itm-0001"},
		{"?offset=10", 50, 50, "itm-0011"},
		{"?limit=5000", CatalogSize, 1000, "itm-0001"},
		{"?offset=295&limit=10", 5, 10, "itm-0296"},
		{"?offset=300", 0, 50, ""},
		{"?offset=100000", 0, 50, ""},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := getWithToken(t, base+"/api/items"+tc.query, tok)
			wantStatus(t, r, http.StatusOK)
			page := decode[itemsPage](t, r)
			if len(page.Items) != tc.wantLen || page.Limit != tc.wantLim {
				t.Fatalf("got %d items, limit %d; want %d, %d", len(page.Items), page.Limit, tc.wantLen, tc.wantLim)
			}
			if tc.wantLen > 0 && page.Items[0].ID != tc.wantFirst {
				t.Errorf("first item %s, want %s", page.Items[0].ID, tc.wantFirst)
			}
			if page.Items == nil || !strings.Contains(string(r.body), `"items":[`) {
				t.Errorf("items must be an array, even when empty: %.80s", r.body)
			}
		})
	}
}

func TestItems_BadPagingIs400(t *testing.T) {
	_, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword).AccessToken
	for _, q := range []string{"offset=-1", "offset=x", "limit=0", "limit=-5", "limit=ten"} {
		r := getWithToken(t, base+"/api/items?"+q, tok)
		wantStatus(t, r, http.StatusBadRequest)
		if e := r.errorBody(t); e.Error != "invalid_request" || e.Description == "" {
			t.Errorf("%s: body %+v, want invalid_request with a description", q, e)
		}
	}
}

func TestItems_SearchFiltersAndCounts(t *testing.T) {
	_, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword).AccessToken
	r := getWithToken(t, base+"/api/items?q=KEYBOARD&limit=1000", tok)
	wantStatus(t, r, http.StatusOK)
	page := decode[itemsPage](t, r)
	if page.Total == 0 || page.Total == CatalogSize || page.Total != len(page.Items) {
		t.Fatalf("total %d with %d items: want some, not all, items to match", page.Total, len(page.Items))
	}
	for _, it := range page.Items {
		if !strings.Contains(it.Title, "Keyboard") {
			t.Errorf("%q matched a search for keyboard", it.Title)
		}
	}
}

func TestItems_ServesConcurrentClients(t *testing.T) {
	s, base := startServer(t, Config{})
	tokens := []string{
		login(t, base, DemoUsername, DemoPassword).AccessToken,
		login(t, base, "ada", "lovelace1815").AccessToken,
	}
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for i := range 20 {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/items?offset=%d", base, i*10), nil)
			req.Header.Set("Authorization", "Bearer "+tokens[i%2])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		if st != http.StatusOK {
			t.Errorf("status %d, want 200", st)
		}
	}
	if got := s.Stats().ListCalls; got != 20 {
		t.Errorf("ListCalls = %d, want 20", got)
	}
}
