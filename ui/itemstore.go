package ui

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"

	"github.com/klauspost/compress/s2"

	"signet/api"
)

// hotBlocks is how many blocks of rows stay decoded: the few on screen and
// around them, and the ones seen last. At 100 rows a block that is far more
// than a window shows, so scrolling back and forth never packs what is about
// to be drawn again.
const hotBlocks = 8

// itemStore holds a list's loaded items in blocks of a fixed number of rows
// (the page size). The blocks used last (hotBlocks of them) hold the items
// decoded; the others hold them packed: every field of every item (ID,
// title, subtitle and the raw JSON the detail pane, the pictures and the
// local search read) in one s2-compressed buffer, about a quarter of the
// JSON's size. A packed block is unpacked in microseconds when one of its
// rows is drawn, opened or searched again, so nothing is fetched again: the
// rows stay exactly the ones that were loaded (a server list that changed
// in between cannot shift them), and they show without the network.
//
// Neither form shares memory with the API's answers: an API page's items
// point into the whole answer they were decoded from (its body and a string
// copy of it), and keeping them would keep every answer of a long scroll
// alive.
//
// Not safe for concurrent use: the list model lives on the UI goroutine.
type itemStore struct {
	size   int // rows in a full block
	n      int // items held
	blocks []itemBlock
	hot    []int // indexes of the decoded blocks, the one used last at the end
	// plain and scratch are cool's buffers, reused: a block laid out, and
	// the compressor's output.
	plain, scratch []byte
}

// itemBlock is one block of rows: items while decoded (nil while cold),
// packed once it has gone cold. A block that is hot again keeps its packed
// copy, so leaving it again costs nothing; a change drops it.
type itemBlock struct {
	items  []api.Item
	packed []byte
}

func newItemStore(size int) *itemStore {
	return &itemStore{size: max(size, 1)}
}

func (s *itemStore) len() int { return s.n }

// reset drops every item.
func (s *itemStore) reset() {
	s.n, s.blocks, s.hot = 0, nil, nil
}

// add appends items after those held. Nothing keeps the answer they came
// in alive: the blocks they fill are packed at once, but for the last few,
// which get compact copies and are the hot ones (a long list that came in
// one answer is thus never decoded twice).
func (s *itemStore) add(items []api.Item) {
	first := s.n / s.size
	for len(items) > 0 {
		if s.n%s.size == 0 {
			s.blocks = append(s.blocks, itemBlock{items: []api.Item{}})
		}
		blk := &s.blocks[len(s.blocks)-1]
		if blk.items == nil {
			s.unpack(len(s.blocks) - 1) // a partial last block that went cold
		}
		take := min(len(items), s.size-len(blk.items))
		blk.items = append(blk.items, items[:take]...)
		blk.packed = nil // it changed
		s.n += take
		items = items[take:]
	}
	keep := max(first, len(s.blocks)-hotBlocks)
	for b := first; b < keep; b++ {
		if k := slices.Index(s.hot, b); k >= 0 {
			s.hot = slices.Delete(s.hot, k, k+1)
		}
		s.cool(b)
	}
	for b := keep; b < len(s.blocks); b++ {
		s.blocks[b].items = compact(s.blocks[b].items)
		s.touch(b)
	}
}

// at is item i (0 ≤ i < len()); its block becomes the one used last.
func (s *itemStore) at(i int) api.Item {
	b := i / s.size
	if s.blocks[b].items == nil {
		s.unpack(b)
	}
	s.touch(b)
	return s.blocks[b].items[i%s.size]
}

// touch makes block b the hot one used last, and packs the one used least
// long ago when that makes too many.
func (s *itemStore) touch(b int) {
	if k := len(s.hot) - 1; k >= 0 && s.hot[k] == b {
		return // the common case: the same block again
	}
	if k := slices.Index(s.hot, b); k >= 0 {
		s.hot = slices.Delete(s.hot, k, k+1)
	}
	s.hot = append(s.hot, b)
	for len(s.hot) > hotBlocks {
		s.cool(s.hot[0])
		s.hot = s.hot[1:]
	}
}

// cool packs block b and drops its decoded items.
func (s *itemStore) cool(b int) {
	blk := &s.blocks[b]
	if blk.packed == nil {
		s.plain = layoutItems(s.plain[:0], blk.items)
		if n := s2.MaxEncodedLen(len(s.plain)); cap(s.scratch) < n {
			s.scratch = make([]byte, n)
		}
		// Cloned: the encoder's output is a slice of a buffer sized for
		// the worst case.
		blk.packed = bytes.Clone(s2.Encode(s.scratch[:cap(s.scratch)], s.plain))
	}
	blk.items = nil
}

// unpack decodes block b's items from its packed copy.
func (s *itemStore) unpack(b int) {
	raw, err := s2.Decode(nil, s.blocks[b].packed)
	var items []api.Item
	if err == nil {
		items, err = itemsFromLayout(raw)
	}
	if err != nil {
		// Only a bug can get here: the buffer was made by cool in this
		// process and never left it.
		panic(err)
	}
	s.blocks[b].items = items
}

// compact copies items into memory of their own, where the API's items
// point into the whole answer they were decoded from.
func compact(items []api.Item) []api.Item {
	out, err := itemsFromLayout(layoutItems(nil, items))
	if err != nil {
		panic(err) // layoutItems's own output
	}
	return out
}

// layoutItems lays items out after dst: their count and each item's four
// field lengths (uvarints), then every ID, title and subtitle, then every
// raw JSON.
func layoutItems(dst []byte, items []api.Item) []byte {
	text, raw := 0, 0
	for _, it := range items {
		text += len(it.ID) + len(it.Title) + len(it.Subtitle)
		raw += len(it.Raw)
	}
	buf := slices.Grow(dst, (1+4*len(items))*binary.MaxVarintLen32+text+raw)
	buf = binary.AppendUvarint(buf, uint64(len(items)))
	for _, it := range items {
		for _, n := range [...]int{len(it.ID), len(it.Title), len(it.Subtitle), len(it.Raw)} {
			buf = binary.AppendUvarint(buf, uint64(n))
		}
	}
	for _, it := range items {
		buf = append(append(append(buf, it.ID...), it.Title...), it.Subtitle...)
	}
	for _, it := range items {
		buf = append(buf, it.Raw...)
	}
	return buf
}

var errCorruptBlock = errors.New("ui: a block of rows does not decode")

// itemsFromLayout reads layoutItems's buffer back. The items' Raw share buf
// (each capped, so an append cannot spill into the next item's); each text
// is a string of its own, since Fyne keeps every text a row showed in a
// cache for a minute, which would otherwise keep the whole block alive.
func itemsFromLayout(buf []byte) ([]api.Item, error) {
	uvarint := func() (int, bool) {
		n, k := binary.Uvarint(buf)
		if k <= 0 || n > uint64(len(buf)) {
			return 0, false
		}
		buf = buf[k:]
		return int(n), true
	}
	count, ok := uvarint()
	if !ok || count > len(buf)/4 {
		return nil, errCorruptBlock
	}
	lens := make([][4]int, count)
	text := 0
	for i := range lens {
		for j := range lens[i] {
			if lens[i][j], ok = uvarint(); !ok {
				return nil, errCorruptBlock
			}
		}
		text += lens[i][0] + lens[i][1] + lens[i][2]
	}
	if text > len(buf) {
		return nil, errCorruptBlock
	}
	str, raw := buf[:text], buf[text:]
	items := make([]api.Item, count)
	for i, l := range lens {
		it := &items[i]
		it.ID, str = string(str[:l[0]]), str[l[0]:]
		it.Title, str = string(str[:l[1]]), str[l[1]:]
		it.Subtitle, str = string(str[:l[2]]), str[l[2]:]
		if l[3] > len(raw) {
			return nil, errCorruptBlock
		}
		if l[3] > 0 {
			it.Raw, raw = raw[:l[3]:l[3]], raw[l[3]:]
		}
	}
	if len(raw) != 0 {
		return nil, errCorruptBlock
	}
	return items, nil
}
