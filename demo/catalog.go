package demo

import (
	"fmt"
	"strings"
	"time"
)

// CatalogSize is the number of items in the demo list.
const CatalogSize = 300

// Item is one entry of the protected list: a book or a product, with enough
// fields for a detail view to be worth looking at.
type Item struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Subtitle    string    `json:"subtitle"`
	Category    string    `json:"category"`
	Price       float64   `json:"price"`
	Currency    string    `json:"currency"`
	Rating      float64   `json:"rating"`
	Stock       int       `json:"stock"`
	Tags        []string  `json:"tags"`
	UpdatedAt   time.Time `json:"updated_at"`
	Description string    `json:"description"`
}

// Catalog returns the demo items. They are generated, but deterministically:
// every call, every run and every machine gets the same list, so tests may
// assert titles.
func Catalog() []Item {
	items := make([]Item, 0, CatalogSize)
	seen := map[string]bool{}
	base := time.Date(2025, time.June, 2, 9, 30, 0, 0, time.UTC)
	for i := range CatalogSize {
		var it Item
		// Two books in every five entries, so pages mix both kinds.
		for salt := uint64(0); ; salt++ {
			if i%5 == 0 || i%5 == 3 {
				it = makeBook(i, salt)
			} else {
				it = makeProduct(i, salt)
			}
			if !seen[it.Title] {
				break
			}
		}
		seen[it.Title] = true
		it.ID = fmt.Sprintf("itm-%04d", i+1)
		it.Currency = "EUR"
		it.Rating = float64(30+pick(i, 11, 21)) / 10
		it.Stock = pick(i, 12, 240)
		it.UpdatedAt = base.Add(-time.Duration(i*97+pick(i, 13, 90)) * time.Minute)
		items = append(items, it)
	}
	return items
}

var (
	bookAdjectives = []string{"Silent", "Last", "Hidden", "Northern", "Glass", "Paper", "Winter", "Burning",
		"Salt", "Distant", "Golden", "Hollow", "Patient", "Wandering", "Midnight", "Borrowed", "Forgotten", "Iron"}
	bookNouns = []string{"Harbour", "Orchard", "Archive", "Cartographer", "Lighthouse", "Garden", "Atlas",
		"Engine", "Meridian", "Observatory", "Ferry", "Tide", "Library", "Clockmaker", "Valley", "Signal", "Compass", "Kingdom"}
	bookPlaces = []string{"Lisbon", "Kyoto", "the Fens", "Marrakesh", "Oslo", "the Highlands", "Valparaíso",
		"Trieste", "Hokkaido", "Tbilisi", "the Delta", "Reykjavík"}
	bookGenres  = []string{"Fiction", "Mystery", "Travel", "History", "Science", "Poetry"}
	bookFormats = []string{"Paperback", "Hardcover", "E-book", "Audiobook"}
	firstNames  = []string{"Mira", "Jonas", "Amara", "Tomasz", "Ines", "Kenji", "Lucia", "Oren", "Sofia",
		"Dmitri", "Hana", "Rafael", "Elin", "Kwame", "Noor", "Theo"}
	lastNames = []string{"Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Castell", "Haddad", "Brennan",
		"Santos", "Ivanova", "Whitlock", "Achebe", "Sørensen", "Ferreira"}

	brands = []string{"Nordlys", "Kestrel", "Aldermoor", "Pika", "Brightwater", "Halden", "Sora",
		"Tamarack", "Vela", "Fjellby", "Larkspur", "Cobalt & Pine"}
	productLines = []string{"Compact", "Classic", "Pro", "Ultralight", "Everyday", "Studio", "Travel",
		"Heritage", "Modular", "Essential"}
	colours  = []string{"Graphite", "Sand", "Forest Green", "Oat", "Navy", "Terracotta", "Slate", "Ivory"}
	products = []struct {
		name, category, spec string
		minEuros, maxEuros   int
	}{
		{"Desk Lamp", "Home & Office", "LED, 800 lm", 29, 149},
		{"Espresso Grinder", "Kitchen", "40 mm conical burrs", 89, 399},
		{"Wireless Headphones", "Audio", "30 h battery", 59, 349},
		{"Mechanical Keyboard", "Computers", "tactile switches", 69, 229},
		{"Trail Running Shoes", "Outdoor", "6 mm drop", 79, 189},
		{"Daypack", "Travel", "28 L, water-resistant", 49, 159},
		{"Water Bottle", "Outdoor", "750 ml, insulated", 15, 45},
		{"Cast Iron Skillet", "Kitchen", "26 cm", 30, 90},
		{"Smart Thermostat", "Home", "Wi-Fi, Matter", 99, 249},
		{"Fountain Pen", "Stationery", "medium nib", 19, 189},
		{"Notebook", "Stationery", "A5, dotted", 10, 30},
		{"Bluetooth Speaker", "Audio", "IP67", 39, 199},
		{"Monitor Arm", "Computers", "up to 9 kg", 49, 149},
		{"Rain Jacket", "Clothing", "3-layer shell", 89, 299},
		{"Wool Sweater", "Clothing", "merino", 59, 159},
		{"Chef's Knife", "Kitchen", "20 cm, VG-10 steel", 39, 189},
	}
	extraTags = []string{"bestseller", "new", "gift idea", "staff pick", "limited", "eco"}
)

func makeBook(i int, salt uint64) Item {
	adj := bookAdjectives[pick(i, 1+salt*16, len(bookAdjectives))]
	noun := bookNouns[pick(i, 2+salt*16, len(bookNouns))]
	var title string
	switch pick(i, 3+salt*16, 4) {
	case 0:
		title = "The " + adj + " " + noun
	case 1:
		title = article(noun) + " " + noun + " in " + bookPlaces[pick(i, 4+salt*16, len(bookPlaces))]
	case 2:
		title = "The " + noun + " of " + bookPlaces[pick(i, 4+salt*16, len(bookPlaces))]
	default:
		title = adj + " " + noun
	}
	author := firstNames[pick(i, 5, len(firstNames))] + " " + lastNames[pick(i, 6, len(lastNames))]
	format := bookFormats[pick(i, 7, len(bookFormats))]
	year := 1998 + pick(i, 8, 28)
	genre := bookGenres[pick(i, 9, len(bookGenres))]
	cents := 899 + pick(i, 10, 26)*100 // 8.99 … 33.99
	return Item{
		Title:       title,
		Subtitle:    fmt.Sprintf("%s · %s, %d", author, format, year),
		Category:    "Books / " + genre,
		Price:       float64(cents) / 100,
		Tags:        []string{"book", strings.ToLower(genre), extraTags[pick(i, 14, len(extraTags))]},
		Description: fmt.Sprintf("A %s title by %s, first published in %d.", strings.ToLower(genre), author, year),
	}
}

func makeProduct(i int, salt uint64) Item {
	brand := brands[pick(i, 21+salt*16, len(brands))]
	line := productLines[pick(i, 22+salt*16, len(productLines))]
	p := products[pick(i, 23+salt*16, len(products))]
	colour := colours[pick(i, 24, len(colours))]
	// Whole euros minus one cent: prices read like shop prices.
	cents := (p.minEuros+pick(i, 25, p.maxEuros-p.minEuros+1))*100 - 1
	return Item{
		Title:       brand + " " + line + " " + p.name,
		Subtitle:    p.category + " · " + colour + " · " + p.spec,
		Category:    p.category,
		Price:       float64(cents) / 100,
		Tags:        []string{strings.ToLower(p.category), strings.ToLower(colour), extraTags[pick(i, 26, len(extraTags))]},
		Description: fmt.Sprintf("%s %s %s in %s (%s).", brand, line, strings.ToLower(p.name), strings.ToLower(colour), p.spec),
	}
}

// article is the indefinite article for word ("a"/"an" by its first letter,
// which is right for every noun in the lists above).
func article(word string) string {
	if strings.ContainsRune("AEIOU", rune(word[0])) {
		return "An"
	}
	return "A"
}

// pick maps (item index, field) to [0, n) with splitmix64: deterministic and
// independent of math/rand, whose sequences may change between Go versions.
func pick(i int, field uint64, n int) int {
	z := uint64(i)*0x9e3779b97f4a7c15 + field*0xbf58476d1ce4e5b9 + 0x94d049bb133111eb
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int(z % uint64(n))
}
