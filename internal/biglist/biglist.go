package biglist

import (
	"fmt"
	"strings"
)

// Item is item i as the server sends it.
func Item(i int) string {
	return fmt.Sprintf(`{"id":"it-%06d","title":"Item number %d","subtitle":"Category %d \u00b7 in stock","category":"c%d",`+
		`"price":%d.99,"currency":"EUR","rating":4.%d,"stock":%d,"tags":["red","large","sale"],`+
		`"updated_at":"2030-01-02T03:04:05Z","description":"A sturdy thing, quoted \"just so\", for everyday use."}`,
		i, i, i%40, i%40, i%500, i%10, i%77)
}

// Page is the answer {"items":[…],"total":total} holding items from up to
// end (not included), each made by item.
func Page(from, end, total int, item func(int) string) []byte {
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := from; i < end; i++ {
		if i > from {
			b.WriteByte(',')
		}
		b.WriteString(item(i))
	}
	fmt.Fprintf(&b, `],"total":%d}`, total)
	return []byte(b.String())
}
