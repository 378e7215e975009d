package api

import (
	"context"
	"testing"
	"time"
)

func TestFormatField_AsPeopleReadIt(t *testing.T) {
	item := []byte(`{"price":1234.5,"cost":"9.99","pct":12.5,"ratio":0.125,"n":1234567,
		"s":1767225600,"ms":1767225600123,"iso":"2026-01-01T00:00:00Z","ok":true,"no":"false","bad":"soon","img":"https://x/y.png"}`)
	for _, tc := range []struct {
		f    FieldSpec
		want string
	}{
		{FieldSpec{Path: "price", Format: FormatCurrency, Currency: "USD"}, "$ 1,234.50"},
		{FieldSpec{Path: "cost", Format: FormatCurrency, Currency: "EUR"}, "€ 9.99"},
		{FieldSpec{Path: "pct", Format: FormatPercent}, "12.5%"},
		{FieldSpec{Path: "ratio", Format: FormatFraction}, "12.5%"},
		{FieldSpec{Path: "n", Format: FormatNumber}, "1,234,567"},
		{FieldSpec{Path: "s", Format: FormatDateTime}, "1 Jan 2026 00:00"},
		{FieldSpec{Path: "ms", Format: FormatDateTime}, "1 Jan 2026 00:00"},
		{FieldSpec{Path: "iso", Format: FormatDate}, "1 Jan 2026"},
		{FieldSpec{Path: "s", Format: FormatDate, Unit: "unix"}, "1 Jan 2026"},
		{FieldSpec{Path: "ok", Format: FormatYesNo}, "Yes"},
		{FieldSpec{Path: "no", Format: FormatYesNo}, "No"},
		{FieldSpec{Path: "bad", Format: FormatDateTime}, "soon"}, // as written, never broken
		{FieldSpec{Path: "missing", Format: FormatNumber}, ""},
		{FieldSpec{Path: "price"}, "1234.5"},
	} {
		if got := FormatField(item, tc.f, time.UTC); got != tc.want {
			t.Errorf("%+v = %q, want %q", tc.f, got, tc.want)
		}
	}
}

// The image goes with the bearer only when it is on a bearer origin; a
// relative or plain-http remote URL is no image at all.
func TestItemImage_BearerOnlyOnDeclaredOrigins(t *testing.T) {
	rec := &recorder{body: `{"items":[{"title":"a","img":"https://api.example.com/i/1.png"},{"title":"b","img":"https://cdn.example.net/2.png"},
		{"title":"c","img":"/relative.png"},{"title":"d","img":"http://cdn.example.net/3.png"}]}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Origins = map[string]string{"api": "https://api.example.com"}
	p.Lists[0].ImageField = "img"
	p.Lists[0].Fields = []FieldSpec{{Path: "title", Label: "Title"}}
	c := newTestClient(t, p)
	page, err := c.FetchList(context.Background(), nil, "Things", 0, 0, "")
	if err != nil || len(page.Items) != 4 {
		t.Fatal(err)
	}
	// The list is on base_url, so only its origin takes the bearer.
	for i, want := range []struct{ ok, bearer bool }{{true, false}, {true, false}, {false, false}, {false, false}} {
		_, bearer, ok := c.ItemImage("Things", page.Items[i])
		if ok != want.ok || bearer != want.bearer {
			t.Errorf("item %d: ok %v bearer %v, want %v %v", i, ok, bearer, want.ok, want.bearer)
		}
	}
	p.Lists[0].Origin, p.Lists[0].Path = "api", "/things"
	c = newTestClient(t, p)
	if _, bearer, ok := c.ItemImage("Things", page.Items[0]); !ok || !bearer {
		t.Error("an image on the list's own origin goes without the bearer")
	}
	if got := c.ItemFields("Things", page.Items[1], time.UTC); len(got) != 1 || got[0] != (FieldValue{"Title", "b"}) {
		t.Errorf("fields %+v", got)
	}
}
