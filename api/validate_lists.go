package api

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// currencyRE is an ISO 4217 code.
var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// confirmEmptyValues are ListSpec.ConfirmEmpty's values, the default first.
var confirmEmptyValues = []string{ConfirmEmptyAfterRows, ConfirmEmptyAlways, ConfirmEmptyNever}

func (c *checker) lists(lists []ListSpec) {
	if len(lists) == 0 {
		c.add("lists", "required: at least one [[lists]] with name, path and title_field")
		return
	}
	seen := map[string]int{}
	for i, l := range lists {
		f := "lists[" + strconv.Itoa(i) + "]"
		name := strings.TrimSpace(l.Name)
		switch {
		case name == "":
			c.add(f+".name", "required: the list's title, such as \"Products\"")
		case name != l.Name || len(name) > 64:
			c.add(f+".name", "must be a short title without spaces around it")
		default:
			key := strings.ToLower(name)
			if j, dup := seen[key]; dup {
				c.add(f+".name", "%q is already the name of lists[%d]; list names must be unique", l.Name, j)
			} else {
				seen[key] = i
			}
		}
		c.origin(f+".origin", l.Origin)
		c.requestPath(f+".path", l.Path)
		c.path(f+".items_path", l.ItemsPath, false)
		c.path(f+".id_field", l.IDField, false)
		c.path(f+".title_field", l.TitleField, true)
		c.path(f+".subtitle_field", l.SubtitleField, false)
		c.queryParam(f+".search_param", l.SearchParam)
		c.headers(f+".headers", l.Headers)
		c.path(f+".image_field", l.ImageField, false)
		for j, fs := range l.Fields {
			c.field(f+".fields["+strconv.Itoa(j)+"]", fs)
		}
		if !slices.Contains(confirmEmptyValues, l.ConfirmEmpty) {
			c.add(f+".confirm_empty", "%q is not one of %s", l.ConfirmEmpty, strings.Join(confirmEmptyValues, ", "))
		}
		for _, k := range sortedKeys(l.Headers) {
			if ph := placeholderRE.FindString(l.Headers[k]); ph != "" {
				c.add(f+".headers."+k, "placeholders are not filled in in list headers (the bearer token is added by Signet); remove %s", ph)
			}
		}
		c.paging(f+".paging", l.Paging)
		if s := l.Search; s != nil {
			c.origin(f+".search.origin", s.Origin)
			c.requestPath(f+".search.path", s.Path)
			c.queryParam(f+".search.param", s.Param)
			c.path(f+".search.items_path", s.ItemsPath, false)
			if s.Paging != nil {
				c.paging(f+".search.paging", *s.Paging)
			}
		}
	}
}

// queryParam checks a query parameter's name; brackets are fine
// ("pagination[page]"), what would break the query string is not.
func (c *checker) queryParam(f, name string) {
	if name != "" && (strings.ContainsAny(name, "&=#? \t\r\n%") || !utf8.ValidString(name)) {
		c.add(f, "%q is not a usable query parameter name (no spaces, &, =, ?, # or %%)", name)
	}
}

func (c *checker) paging(f string, pg Paging) {
	if !slices.Contains(pagingStyles, pg.Style) {
		c.add(f+".style", "%q is not a known paging style; use one of %s", pg.Style, strings.Join(pagingStyles, ", "))
	}
	if pg.PageSize < MinPageSize || pg.PageSize > MaxPageSize {
		c.add(f+".page_size", "%d is out of range; use %d to %d", pg.PageSize, MinPageSize, MaxPageSize)
	}
	c.path(f+".total_path", pg.TotalPath, false)
	c.queryParam(f+".page_param", pg.PageParam)
	c.queryParam(f+".size_param", pg.SizeParam)
	c.queryParam(f+".offset_param", pg.OffsetParam)
	switch pg.Style {
	case PagingOffset, PagingSkip:
		if pg.PageParam != "" {
			c.add(f+".page_param", "style %q counts items, not pages; use offset_param", pg.Style)
		}
	case PagingPage, PagingUnderscore:
		if pg.OffsetParam != "" {
			c.add(f+".offset_param", "style %q counts pages, not items; use page_param", pg.Style)
		}
	}
	if pg.TotalHeader != "" && !isToken(pg.TotalHeader) {
		c.add(f+".total_header", "%q is not a valid header name", pg.TotalHeader)
	}
}

func (c *checker) field(f string, fs FieldSpec) {
	c.path(f+".path", fs.Path, true)
	if !slices.Contains(FieldFormats(), fs.Format) {
		c.add(f+".format", "%q is not a format; use one of %s", fs.Format, strings.Join(FieldFormats(), ", "))
	}
	if fs.Format == FormatCurrency && !currencyRE.MatchString(fs.Currency) {
		c.add(f+".currency", "required for format = \"currency\": an ISO 4217 code such as \"USD\" or \"EUR\"")
	} else if fs.Currency != "" && fs.Format != FormatCurrency {
		c.add(f+".currency", "only for format = \"currency\"")
	}
	if !slices.Contains(TimeUnits(), fs.Unit) {
		c.add(f+".unit", "%q is not a time unit; use unix, unix_ms or rfc3339 (or leave it out to tell by the value)", fs.Unit)
	} else if fs.Unit != "" && fs.Format != FormatDateTime && fs.Format != FormatDate {
		c.add(f+".unit", "only for format = \"datetime\" or \"date\"")
	}
}
