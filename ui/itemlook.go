package ui

import (
	"cmp"
	"strings"
	"time"

	"signet/api"
)

// itemLook is how one list's items read: the row's title and subtitle and
// the detail pane's fields in the formats the profile declares, and the
// address of each item's image. It has no Fyne in it.
type itemLook struct {
	client *api.Client // nil: the profile did not load here; values show as sent
	spec   api.ListSpec
	loc    *time.Location
}

func newItemLook(p api.Profile, spec api.ListSpec) *itemLook {
	c, err := api.New(api.Config{Profile: p})
	if err != nil {
		c = nil
	}
	return &itemLook{client: c, spec: spec, loc: time.Local}
}

// title is the row's first line.
func (l *itemLook) title(it api.Item) string { return l.rowText(it.Raw, l.spec.TitleField, it.Title) }

// subtitle is the row's second line.
func (l *itemLook) subtitle(it api.Item) string {
	return l.rowText(it.Raw, l.spec.SubtitleField, it.Subtitle)
}

// rowText is the value at path formatted as a declared field of that path
// says; sent is the text as the server wrote it, kept when nothing is
// declared or the value does not fit its format.
func (l *itemLook) rowText(raw []byte, path, sent string) string {
	if path == "" {
		return sent
	}
	for _, f := range l.spec.Fields {
		if f.Path == path && f.Format != "" && f.Format != api.FormatText && f.Format != api.FormatImage {
			if s := api.FormatField(raw, f, l.loc); s != "" {
				return s
			}
		}
	}
	return sent
}

// fields are the detail pane's rows: the declared fields first, formatted,
// then every other value as the server sent it (itemFields), without the
// declared ones again.
func (l *itemLook) fields(it api.Item) []field {
	var out []field
	declared := map[string]bool{}
	if l.client != nil {
		for i, v := range l.client.ItemFields(l.spec.Name, it, l.loc) {
			f := l.spec.Fields[i]
			declared[pathLabel(f.Path)] = true
			if f.Format == api.FormatImage {
				continue // shown as the picture
			}
			out = append(out, field{Label: v.Label, Value: cmp.Or(v.Text, noValue)})
		}
	}
	for _, f := range itemFields(it.Raw) {
		if !declared[f.Label] {
			out = append(out, f)
		}
	}
	return out
}

// image is the address of the item's picture, if it has one.
func (l *itemLook) image(it api.Item) (string, bool) {
	if l.client == nil {
		return "", false
	}
	u, _, ok := l.client.ItemImage(l.spec.Name, it)
	if !ok {
		return "", false
	}
	return u.String(), true
}

// hasImages reports whether the list's rows carry a picture.
func (l *itemLook) hasImages() bool { return l.client != nil && l.spec.ImageField != "" }

// pathLabel is the label itemFields gives the value at a gjson path
// ("shipping.weight_kg" → "Shipping › Weight kg").
func pathLabel(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		parts[i] = humanizeKey(p)
	}
	return strings.Join(parts, pathSep)
}

// shouldConfirmEmpty reports whether an empty first page is checked against
// the session first; hadRows: the list showed rows before.
func (l *itemLook) shouldConfirmEmpty(hadRows bool) bool {
	return l.client != nil && l.client.ShouldConfirmEmpty(l.spec.Name, hadRows)
}
