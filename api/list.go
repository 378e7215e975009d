package api

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// Page sizes: the default of a list whose profile gives none, and the
// range a profile may ask for.
const (
	DefaultPageSize = 100
	MinPageSize     = 1
	MaxPageSize     = 1000
)

// pagingStyles are the known list paging styles, the default first.
var pagingStyles = []string{PagingNone, PagingOffset, PagingSkip, PagingPage, PagingUnderscore}

// FetchList fetches one page of the named list with hc (an authenticated
// client). offset is an item index whatever the paging style; limit <= 0
// means the profile's page size. search is sent as the list's SearchParam
// when both are set. A 401/403 that reaches here is KindUnauthorized.
//
// With page-numbered styles an offset that is not a multiple of the page
// size gets the rest of the page holding it. With paging "none" the server
// sends the whole list: the page holds every item from offset on, limit is
// ignored, and Total is the list's length when the server does not say.
func (c *Client) FetchList(ctx context.Context, hc *http.Client, list string, offset, limit int, search string) (Page, error) {
	spec, err := c.listSpec(list)
	if err != nil {
		return Page{}, err
	}
	op := "load " + spec.Name
	if hc == nil {
		hc = c.http
	}
	spec, origin, path := searchView(spec, search)
	offset = max(offset, 0)
	size := cmp.Or(max(limit, 0), spec.Paging.PageSize, DefaultPageSize)
	query, skip := pageQuery(spec, offset, size, search)

	r, err := c.exchange(ctx, op, hc, c.listCap, func(ctx context.Context) (*http.Request, error) {
		return c.listRequest(ctx, spec, origin, path, query)
	})
	if err != nil {
		return Page{}, err
	}
	if !r.ok() {
		e := c.statusError(op, r, c.protectedFailureKind(r), nil)
		e.List = spec.Name
		return Page{}, e
	}
	hint := size
	if isUnpaged(spec) {
		hint = 0
	}
	page, count, err := decodePage(r.body, spec, skip, hint)
	if err != nil {
		return Page{}, &Error{Kind: KindMalformed, Op: op, Status: r.status, Err: err}
	}
	if page.Total < 0 && spec.Paging.TotalHeader != "" {
		page.Total = headerTotal(r.header.Get(spec.Paging.TotalHeader))
	}
	if page.Total < 0 && isUnpaged(spec) {
		page.Total = count // the whole list came in this answer
	}
	return page, nil
}

// searchView is the list as a search sees it: a search with a path of its
// own goes there, with its own paging, items path and parameter. Without a
// search, or without a search path, it is the list itself.
func searchView(spec *ListSpec, search string) (view *ListSpec, origin, path string) {
	origin, path = spec.Origin, spec.Path
	s := spec.Search
	if s == nil || search == "" {
		return spec, origin, path
	}
	v := *spec
	origin, path, v.SearchParam = searchOrigin(spec), s.Path, cmp.Or(s.Param, DefaultSearchParam)
	if s.Paging != nil {
		v.Paging = *s.Paging
	}
	if s.ItemsPath != "" {
		v.ItemsPath = s.ItemsPath
	}
	return &v, origin, path
}

// listRequest is the GET for one page: the profile's query stays as
// written, the paging and search parameters are appended after it.
func (c *Client) listRequest(ctx context.Context, spec *ListSpec, origin, path string, query url.Values) (*http.Request, error) {
	u, err := c.resolve(origin, path)
	if err != nil {
		return nil, err
	}
	if q := query.Encode(); q != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += q
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	c.setCommonHeaders(req)
	for name, v := range spec.Headers {
		req.Header.Set(name, v)
	}
	return req, nil
}

func isUnpaged(spec *ListSpec) bool {
	return spec.Paging.Style == "" || spec.Paging.Style == PagingNone
}

// pageQuery turns an item offset into the style's query parameters, and
// says how many items at the head of the answer come before offset (page
// styles can only ask for whole pages; "none" gets the whole list).
func pageQuery(spec *ListSpec, offset, size int, search string) (url.Values, int) {
	q := url.Values{}
	skip := 0
	itoa := strconv.Itoa
	pg := &spec.Paging
	switch pg.Style {
	case PagingOffset:
		q.Set(cmp.Or(pg.OffsetParam, "offset"), itoa(offset))
		q.Set(cmp.Or(pg.SizeParam, "limit"), itoa(size))
	case PagingSkip:
		q.Set(cmp.Or(pg.OffsetParam, "skip"), itoa(offset))
		q.Set(cmp.Or(pg.SizeParam, "limit"), itoa(size))
	case PagingPage:
		q.Set(cmp.Or(pg.PageParam, "page"), itoa(offset/size+1))
		q.Set(cmp.Or(pg.SizeParam, "per_page"), itoa(size))
		skip = offset % size
	case PagingUnderscore:
		q.Set(cmp.Or(pg.PageParam, "_page"), itoa(offset/size+1))
		q.Set(cmp.Or(pg.SizeParam, "_limit"), itoa(size))
		skip = offset % size
	default: // none
		skip = offset
	}
	if spec.SearchParam != "" && search != "" {
		q.Set(spec.SearchParam, search)
	}
	return q, skip
}

// decodePage reads a list answer: the items array at spec.ItemsPath, minus
// the first skip items, and the total at spec.Paging.TotalPath (-1 when
// absent). count is how many items the array held in all. hint sizes the
// slice.
//
// It is the hot path for large lists (100 000 items): the body is validated
// and copied to a string once, every item is visited once by gjson, item
// strings are substrings of that one copy (no per-item allocation unless
// the JSON escapes them), and Raw is a capacity-capped slice of body itself.
// Raw and the strings share no memory, so a caller writing to Raw cannot
// change a string.
func decodePage(body []byte, spec *ListSpec, skip, hint int) (Page, int, error) {
	if err := checkJSON(body); err != nil {
		return Page{}, 0, err
	}
	s := string(body)
	var arr gjson.Result
	if spec.ItemsPath == "" {
		arr = gjson.Parse(s)
	} else {
		arr = gjson.Get(s, spec.ItemsPath)
	}
	switch {
	case arr.IsArray():
	case arr.Type == gjson.Null && arr.Exists():
		// null, or {"items": null, "total": 0}: an empty list said
		// clumsily (Go servers encode a nil slice so).
	case spec.ItemsPath == "":
		return Page{}, 0, &detailError{"the answer is not a list"}
	case !arr.Exists():
		return Page{}, 0, &detailError{"there is no list at " + strconv.Quote(spec.ItemsPath)}
	default:
		return Page{}, 0, &detailError{"the value at " + strconv.Quote(spec.ItemsPath) + " is not a list"}
	}

	// Every item takes at least two bytes ("1,"): a hint beyond that is a
	// caller's limit, not a size, and must not allocate.
	items := make([]Item, 0, max(0, min(hint, len(body)/2)))
	count := 0
	if !arr.IsArray() {
		return Page{Items: items, Total: total(s, spec)}, 0, nil
	}
	arr.ForEach(func(_, v gjson.Result) bool {
		count++
		if count <= skip {
			return true
		}
		id := fieldText(v, spec.IDField)
		title := fieldText(v, spec.TitleField)
		if title == "" {
			title = id
		}
		items = append(items, Item{
			ID:       id,
			Title:    title,
			Subtitle: fieldText(v, spec.SubtitleField),
			Raw:      rawOf(s, body, v),
		})
		return true
	})

	return Page{Items: items, Total: total(s, spec)}, count, nil
}

// total is the count at spec.Paging.TotalPath, or -1.
func total(s string, spec *ListSpec) int {
	if spec.Paging.TotalPath == "" {
		return -1
	}
	if n, ok := number(gjson.Get(s, spec.Paging.TotalPath)); ok {
		return countFrom(n)
	}
	return -1
}

// fieldText is an item field as text: strings as they are, numbers as the
// server wrote them ("42", "1.50"), booleans as words. An empty path means
// the item itself, for lists of bare strings or numbers.
func fieldText(item gjson.Result, path string) string {
	if path == "" {
		if item.IsObject() || item.IsArray() {
			return ""
		}
	} else {
		item = item.Get(path)
	}
	switch item.Type {
	case gjson.String:
		return item.Str
	case gjson.Number:
		return item.Raw
	case gjson.True:
		return "true"
	case gjson.False:
		return "false"
	}
	return ""
}

// rawOf returns the item's JSON as a slice of body when gjson's index for it
// is right (it is for plain paths, not always after modifiers), else a copy.
func rawOf(s string, body []byte, v gjson.Result) []byte {
	i, n := v.Index, len(v.Raw)
	if i > 0 && i+n <= len(s) && s[i:i+n] == v.Raw {
		return body[i : i+n : i+n] // capped: an append cannot spill into the next item
	}
	return []byte(v.Raw)
}

// countFrom makes a count from a JSON number: whole, not negative, not
// absurd; else -1 (unknown).
func countFrom(n float64) int {
	if n < 0 || n > 1<<31-1 || n != float64(int64(n)) {
		return -1
	}
	return int(n)
}

func headerTotal(h string) int {
	n, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
