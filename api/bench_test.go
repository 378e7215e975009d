package api

import (
	"encoding/json"
	"sync"
	"testing"

	"signet/internal/biglist"
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
	list100kOnce.Do(func() { list100k = biglist.Page(0, 100_000, 100_000, biglist.Item) })
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
