package ui

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
)

func TestItemFields_EveryFieldReadableInTheServersOrder(t *testing.T) {
	stamp := time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)
	raw := json.RawMessage(`{
		"id": "itm-0001",
		"title": "Silent Harbour",
		"price": 12.50,
		"in_stock": true,
		"discontinued": false,
		"note": null,
		"tags": ["fiction", "sea", 3],
		"updatedAt": "2025-06-02T09:30:00Z",
		"shipping": {"weight_kg": 0.4, "dims": {"w": 12, "h": 20}},
		"variants": [{"colour": "red"}, {"colour": "blue"}],
		"empty": [],
		"nothing": {}
	}`)
	want := []field{
		{"ID", "itm-0001"},
		{"Title", "Silent Harbour"},
		{"Price", "12.50"},
		{"In stock", "Yes"},
		{"Discontinued", "No"},
		{"Note", "—"},
		{"Tags", "fiction, sea, 3"},
		{"Updated at", stamp.Local().Format(detailTimeLayout)},
		{"Shipping › Weight kg", "0.4"},
		{"Shipping › Dims › W", "12"},
		{"Shipping › Dims › H", "20"},
		{"Variants 1 › Colour", "red"},
		{"Variants 2 › Colour", "blue"},
		{"Empty", "—"},
		{"Nothing", "—"},
	}
	if got := itemFields(raw); !reflect.DeepEqual(got, want) {
		t.Errorf("fields:\n got %q\nwant %q", got, want)
	}
	if got := itemFields(json.RawMessage(`"just text"`)); !reflect.DeepEqual(got, []field{{"Value", "just text"}}) {
		t.Errorf("a non-object item: %q", got)
	}
}

func TestHumanizeKey(t *testing.T) {
	for key, want := range map[string]string{
		"updated_at": "Updated at", "updatedAt": "Updated at", "id": "ID", "userID": "User ID",
		"HTTPStatus": "HTTP status", "isbn_13": "ISBN 13", "name": "Name", "": "",
	} {
		if got := humanizeKey(key); got != want {
			t.Errorf("humanizeKey(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestDetailPane_SelectingARowShowsItAndCopiesItAsJSON(t *testing.T) {
	s := newFakeSession(signedIn())
	rows := items(0, 3)
	rows[1].Raw = json.RawMessage(`{"id":"1","title":"Item 1","stock":7,"tags":["a","b"]}`)
	s.setFetch(func(context.Context, string, int, int) (api.Page, error) {
		return api.Page{Items: rows, Total: 3}, nil
	})
	h := newHarness(t, s, Options{})
	v := h.view()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	if v.detailOpen() {
		t.Fatal("the detail pane is open before any row is selected")
	}

	v.list.Select(1)
	if !v.detailOpen() || v.body.Objects[0] != v.split {
		t.Fatal("selecting a row did not open the detail pane beside the list")
	}
	if v.detail.title.Text != "Item 1" {
		t.Errorf("detail title %q", v.detail.title.Text)
	}
	var shown []string
	for _, o := range v.detail.form.Objects {
		switch o := o.(type) {
		case *widget.RichText:
			shown = append(shown, mutedText(o))
		case *widget.Label:
			shown = append(shown, o.Text)
		}
	}
	if want := []string{"ID", "1", "Title", "Item 1", "Stock", "7", "Tags", "a, b"}; !reflect.DeepEqual(shown, want) {
		t.Errorf("detail pane shows %q, want %q", shown, want)
	}

	test.Tap(v.detail.copyBtn)
	wantJSON := "{\n  \"id\": \"1\",\n  \"title\": \"Item 1\",\n  \"stock\": 7,\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ]\n}"
	if got := h.ui.fyneApp.Clipboard().Content(); got != wantJSON {
		t.Errorf("clipboard %q, want %q", got, wantJSON)
	}
	if v.detail.copyBtn.Text != "Copied" {
		t.Errorf("copy button says %q, want Copied", v.detail.copyBtn.Text)
	}

	// Escape with nothing focused closes the pane.
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if v.detailOpen() || v.body.Objects[0] != v.content {
		t.Error("Escape did not close the detail pane")
	}
}
