package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"signet/api"
	"signet/demo"
)

// Figure 5: a 100 000-item list of the demo's item shape (~34 MB of JSON),
// Signet against encoding/json, like with like:
//
//	decode/encoding-json  the answer, already in memory, read from an
//	                      http.Response and decoded into []demo.Item
//	decode/encoding-json-3-fields  the same into structs of only the three
//	                      fields a row shows (no detail view possible:
//	                      informative, a lower bound)
//	decode/signet         the same response through api.Client.FetchList
//	                      (its reading and decoding: ids, titles,
//	                      subtitles and each item's raw JSON)
//	fetch/encoding-json   GET over loopback with a bearer token through a
//	                      plain http.Client, decoded into []demo.Item
//	fetch/signet          the same GET through the session (FetchList)
//
// Both sides of a pair get the same bytes and the same kind of response;
// the in-memory transport serves them without a network. Budget:
// fetch/signet ≤ 1.5 × fetch/encoding-json.

func BenchmarkLargeList(b *testing.B) {
	_, body := bigList()
	url := bigServer(b)
	ctrl := bigSession(b, url)
	ac, err := api.New(api.Config{Profile: bigProfile(url)})
	if err != nil {
		b.Fatal(err)
	}
	memory := &http.Client{Transport: memoryTransport(body)}
	raw := &http.Client{Transport: newTransport()}
	ctx := context.Background()
	rows := []struct {
		name string
		load func() (int, error)
	}{
		{"decode/encoding-json", func() (int, error) { return decodeJSON(memory, url+"/bench/all") }},
		{"decode/encoding-json-3-fields", func() (int, error) { return decodeJSONRows(memory, url+"/bench/all") }},
		{"decode/signet", func() (int, error) {
			p, err := ac.FetchList(ctx, memory, "All", 0, 0, "")
			return len(p.Items), err
		}},
		{"fetch/encoding-json", func() (int, error) { return decodeJSON(raw, url+"/bench/all") }},
		{"fetch/signet", func() (int, error) {
			p, err := ctrl.FetchList(ctx, "All", 0, 0, "")
			return len(p.Items), err
		}},
	}
	for _, r := range rows {
		b.Run(r.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if n, err := r.load(); err != nil || n != bigN {
					b.Fatalf("got %d items, err %v", n, err)
				}
			}
		})
	}
}

// decodeJSON is the baseline: GET url through hc with a bearer token and
// decode the answer with encoding/json into the demo's own item type.
func decodeJSON(hc *http.Client, url string) (int, error) {
	var page struct {
		Items []demo.Item `json:"items"`
		Total int         `json:"total"`
	}
	err := getJSON(hc, url, &page)
	return len(page.Items), err
}

// decodeJSONRows is decodeJSON into the three fields a row shows.
func decodeJSONRows(hc *http.Client, url string) (int, error) {
	var page struct {
		Items []struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Subtitle string `json:"subtitle"`
		} `json:"items"`
		Total int `json:"total"`
	}
	err := getJSON(hc, url, &page)
	return len(page.Items), err
}

func getJSON(hc *http.Client, url string, v any) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer x")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

// memoryTransport answers every request with body, from memory.
type memoryTransport []byte

func (m memoryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(m)),
		ContentLength: int64(len(m)),
		Request:       req,
	}, nil
}
