package api

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tidwall/gjson"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	xnumber "golang.org/x/text/number"
)

// Value formats for FieldSpec.Format.
const (
	FormatText     = "text"     // as the server wrote it (the default)
	FormatNumber   = "number"   // 1234.5 → "1,234.5"
	FormatCurrency = "currency" // with FieldSpec.Currency: 1234.5 → "$ 1,234.50"
	FormatPercent  = "percent"  // a percentage: 12.5 → "12.5%"
	FormatFraction = "fraction" // a fraction of one: 0.125 → "12.5%"
	FormatDateTime = "datetime" // seconds, milliseconds or RFC 3339 → "2 Jan 2026 15:04"
	FormatDate     = "date"     // the same, date only → "2 Jan 2026"
	FormatYesNo    = "yes_no"   // true → "Yes", false → "No"
	FormatImage    = "image"    // an image URL
)

// FieldFormats lists the formats, the default first.
func FieldFormats() []string {
	return []string{FormatText, FormatNumber, FormatCurrency, FormatPercent, FormatFraction,
		FormatDateTime, FormatDate, FormatYesNo, FormatImage}
}

// Units of a date-time value (FieldSpec.Unit); "" guesses from the value.
var timeUnits = []string{"", "unix", "unix_ms", "rfc3339"}

// TimeUnits lists FieldSpec.Unit's values, "" (guess) first.
func TimeUnits() []string { return slices.Clone(timeUnits) }

// FieldSpec is one value of an item as people read it.
type FieldSpec struct {
	Path  string `toml:"path"`
	Label string `toml:"label"` // default: the path
	// Format is one of the Format* constants; "" is FormatText.
	Format string `toml:"format"`
	// Currency is an ISO 4217 code ("USD"), for FormatCurrency.
	Currency string `toml:"currency"`
	// Unit of a date-time: "unix", "unix_ms", "rfc3339", or "" to tell by
	// the value (a string is RFC 3339; a number over 10^11 milliseconds).
	Unit string `toml:"unit"`
}

// FieldValue is a formatted value.
type FieldValue struct {
	Label, Text string
}

var printer = message.NewPrinter(language.English)

// FormatField renders the value at f.Path of an item's JSON as f.Format
// says, times in loc. A value that does not fit the format is shown as the
// server wrote it, and an absent one as "": a bad value never breaks a row.
func FormatField(item []byte, f FieldSpec, loc *time.Location) string {
	v := gjson.GetBytes(item, f.Path)
	if !v.Exists() || v.Type == gjson.Null {
		return ""
	}
	if s, ok := formatValue(v, f, loc); ok {
		return s
	}
	return fieldText(v, "")
}

func formatValue(v gjson.Result, f FieldSpec, loc *time.Location) (string, bool) {
	switch f.Format {
	case FormatNumber:
		if n, ok := number(v); ok {
			return printer.Sprint(xnumber.Decimal(n, xnumber.MaxFractionDigits(6))), true
		}
	case FormatCurrency:
		unit, err := currency.ParseISO(f.Currency)
		if n, ok := number(v); ok && err == nil {
			return printer.Sprint(currency.Symbol(unit.Amount(n))), true
		}
	case FormatPercent, FormatFraction:
		if n, ok := number(v); ok {
			if f.Format == FormatPercent {
				n /= 100
			}
			return printer.Sprint(xnumber.Percent(n, xnumber.MaxFractionDigits(2))), true
		}
	case FormatDateTime, FormatDate:
		if t, ok := timeValue(v, f.Unit); ok {
			if f.Format == FormatDate {
				return t.In(loc).Format("2 Jan 2006"), true
			}
			return t.In(loc).Format("2 Jan 2006 15:04"), true
		}
	case FormatYesNo:
		switch {
		case v.Type == gjson.True || v.Type == gjson.String && strings.EqualFold(v.Str, "true"):
			return "Yes", true
		case v.Type == gjson.False || v.Type == gjson.String && strings.EqualFold(v.Str, "false"):
			return "No", true
		}
	}
	return "", false
}

func timeValue(v gjson.Result, unit string) (time.Time, bool) {
	if unit == "rfc3339" || unit == "" && v.Type == gjson.String && strings.ContainsAny(v.Str, "-T:") {
		if v.Type != gjson.String {
			return time.Time{}, false
		}
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v.Str))
		return t, err == nil
	}
	n, ok := number(v)
	if !ok {
		return time.Time{}, false
	}
	if unit == "unix_ms" || unit == "" && math.Abs(n) > 1e11 {
		n /= 1000
	}
	whole, frac := math.Modf(n)
	if math.Abs(whole) > 1e13 {
		return time.Time{}, false
	}
	return time.Unix(int64(whole), int64(frac*1e9)), true
}

// ItemFields are the list's Fields of one item, formatted, times in loc.
func (c *Client) ItemFields(list string, item Item, loc *time.Location) []FieldValue {
	spec, err := c.listSpec(list)
	if err != nil {
		return nil
	}
	out := make([]FieldValue, 0, len(spec.Fields))
	for _, f := range spec.Fields {
		label := f.Label
		if label == "" {
			label = f.Path
		}
		out = append(out, FieldValue{Label: label, Text: FormatField(item.Raw, f, loc)})
	}
	return out
}

// ItemImage is the URL of an item's image (the list's ImageField), and
// whether the bearer may go with it: only when the image is on one of the
// profile's bearer origins (design R12). Anything but an absolute http(s)
// URL is no image; plain http only for loopback, as everywhere.
func (c *Client) ItemImage(list string, item Item) (u *url.URL, withBearer bool, ok bool) {
	spec, err := c.listSpec(list)
	if err != nil || spec.ImageField == "" {
		return nil, false, false
	}
	raw := gjson.GetBytes(item.Raw, spec.ImageField)
	if raw.Type != gjson.String {
		return nil, false, false
	}
	u, err = url.Parse(strings.TrimSpace(raw.Str))
	if err != nil || u.Host == "" || u.User != nil || CheckBaseURL(u.Scheme+"://"+u.Host) != nil {
		return nil, false, false
	}
	return u, c.IsBearerOrigin(u), true
}
