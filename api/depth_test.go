package api

import (
	"context"
	"strings"
	"testing"
)

func nested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

func TestCheckDepth(t *testing.T) {
	deepInString := `"` + strings.Repeat("[{", 5000) + `"`
	tests := []struct {
		name string
		body string
		ok   bool
	}{
		{"flat", `{"a":1,"b":[1,2,3]}`, true},
		{"at the limit", nested(maxDepth), true},
		{"one past the limit", nested(maxDepth + 1), false},
		{"objects count too", strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1), false},
		{"siblings do not add up", "[" + strings.Repeat(nested(maxDepth-1)+",", 50) + "1]", true},
		{"brackets inside a string", `{"a":` + deepInString + `}`, true},
		{"an escaped quote does not end the string", `["\"` + strings.Repeat("[", 2000) + `"]`, true},
		{"an escaped backslash does end it", `["\\",` + nested(maxDepth) + `]`, false},
		{"escaped quote then real end", `["a\"b", ` + nested(maxDepth) + `]`, false},
		{"empty", ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkDepth([]byte(tt.body), maxDepth)
			if (err == nil) != tt.ok {
				t.Errorf("checkDepth = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// A list answer nested a million levels (2 MB; the hostile one was 30
// million, 60 MB) is refused before any recursive parser sees it.
func TestFetchList_DeeplyNestedAnswerIsRefused(t *testing.T) {
	srv := serve(t, &recorder{body: `{"items":[` + nested(1_000_000) + `],"total":1}`})
	_, err := newTestClient(t, simpleProfile(srv.URL)).FetchList(context.Background(), nil, "Things", 0, 0, "")
	e := wantKind(t, err, KindMalformed)
	if !strings.Contains(e.Error(), "nests more than 1000 levels deep") {
		t.Errorf("text %q", e.Error())
	}
}

func TestLogin_DeeplyNestedAnswerIsRefused(t *testing.T) {
	srv := serve(t, &recorder{body: `{"access_token":"a","extra":` + nested(200_000) + `}`})
	_, err := newTestClient(t, simpleProfile(srv.URL)).Login(context.Background(), "u", "p")
	e := wantKind(t, err, KindMalformed)
	if !strings.Contains(e.Error(), "nests more than 1000 levels deep") {
		t.Errorf("text %q", e.Error())
	}
}
