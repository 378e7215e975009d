package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// A 100 000-item list must decode within 1.5× of encoding/json
// decoding the same answer into equivalent structs.

var (
	list100kOnce sync.Once
	list100k     []byte
)

// bigList is a demo-shaped answer ({"items":[…],"total":N}) with catalog-like
// items, built once per test binary.
func bigList() []byte {
	list100kOnce.Do(func() {
		var b strings.Builder
		b.WriteString(`{"items":[`)
		for i := range 100_000 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"it-%06d","title":"Item number %d","subtitle":"Category %d \u00b7 in stock","category":"c%d",`+
				`"price":%d.99,"currency":"EUR","rating":4.%d,"stock":%d,"tags":["red","large","sale"],`+
				`"updated_at":"2030-01-02T03:04:05Z","description":"A sturdy thing, quoted \"just so\", for everyday use."}`,
				i, i, i%40, i%40, i%500, i%10, i%77)
		}
		b.WriteString(`],"total":100000}`)
		list100k = []byte(b.String())
	})
	return list100k
}

var benchSpec = &ListSpec{ItemsPath: "items", IDField: "id", TitleField: "title", SubtitleField: "subtitle",
	Paging: Paging{TotalPath: "total"}}

func BenchmarkDecodeList100k(b *testing.B) {
	body := bigList()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		page, _, err := decodePage(body, benchSpec, 0, 0)
		if err != nil || len(page.Items) != 100_000 || page.Total != 100_000 {
			b.Fatalf("decoded %d items, total %d, err %v", len(page.Items), page.Total, err)
		}
	}
}

// BenchmarkDecodeList100kEncodingJSON is the baseline: the same answer into
// structs holding the same fields (no Raw, which encoding/json cannot give
// alongside them).
func BenchmarkDecodeList100kEncodingJSON(b *testing.B) {
	body := bigList()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var page struct {
			Items []struct {
				ID       string `json:"id"`
				Title    string `json:"title"`
				Subtitle string `json:"subtitle"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := json.Unmarshal(body, &page); err != nil || len(page.Items) != 100_000 {
			b.Fatal(err)
		}
	}
}
