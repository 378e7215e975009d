package keychain

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestOS_StoresLongValueInChunksAndReadsItBack(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	value := strings.Repeat("0123456789", 25) // 250 bytes: 3 chunks

	mustSet(t, s, "k", value)

	items, calls := b.snapshot()
	wantCalls := []string{"set k#1", "set k#2", "set k#3", "set k", "delete k#4"}
	if !slices.Equal(calls, wantCalls) {
		t.Fatalf("calls = %q, want %q (chunks first, header last, then the sweep)", calls, wantCalls)
	}
	if got := items["k"]; got != header(3, value) {
		t.Fatalf("header = %q, want %q", got, header(3, value))
	}
	if len(items["k#1"]) != 100 || len(items["k#3"]) != 50 {
		t.Fatalf("chunk sizes = %d, %d; want 100, 50", len(items["k#1"]), len(items["k#3"]))
	}
	if got := mustGet(t, s, "k"); got != value {
		t.Fatal("Get did not reassemble the value")
	}
}

func TestOS_ShortValueAfterLongOneRemovesStaleChunks(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	mustSet(t, s, "k", strings.Repeat("x", 250))

	mustSet(t, s, "k", "short")

	items, _ := b.snapshot()
	if want := map[string]string{"k": "short"}; !maps.Equal(items, want) {
		t.Fatalf("stored = %q, want %q", items, want)
	}
}

func TestOS_ShorterChunkedValueRemovesChunksItNoLongerUses(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	mustSet(t, s, "k", strings.Repeat("x", 450)) // 5 chunks

	value := strings.Repeat("y", 150) // 2 chunks
	mustSet(t, s, "k", value)

	items, _ := b.snapshot()
	if len(items) != 3 || items["k#3"] != "" || items["k#5"] != "" {
		t.Fatalf("stored keys = %v, want k, k#1, k#2", keys(items))
	}
	if got := mustGet(t, s, "k"); got != value {
		t.Fatal("Get returned something other than the new value")
	}
}

func TestOS_LongValueReplacesShortOne(t *testing.T) {
	s, _, _ := newTestOS(Options{ChunkSize: 100})
	mustSet(t, s, "k", "short")
	value := strings.Repeat("z", 301)

	mustSet(t, s, "k", value)

	if got := mustGet(t, s, "k"); got != value {
		t.Fatal("Get returned something other than the long value")
	}
}

func TestOS_DeleteRemovesHeaderFirstThenEveryChunk(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	mustSet(t, s, "k", strings.Repeat("x", 250))
	mustSet(t, s, "other", "kept")
	b.snapshot()

	if err := s.Delete("k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	items, calls := b.snapshot()
	want := []string{"delete k", "delete k#1", "delete k#2", "delete k#3", "delete k#4"}
	if !slices.Equal(calls, want) {
		t.Fatalf("calls = %q, want %q", calls, want)
	}
	if !maps.Equal(items, map[string]string{"other": "kept"}) {
		t.Fatalf("stored = %q, want only other", items)
	}
}

func TestOS_DeleteRemovesChunksLeftWithoutHeader(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	b.items["k#1"], b.items["k#2"] = "orphan", "orphan" // a write cut short before its header

	if err := s.Delete("k"); err != nil {
		t.Fatalf("Delete: %v, want nil: chunks were removed", err)
	}
	if items, _ := b.snapshot(); len(items) != 0 {
		t.Fatalf("left behind %v", keys(items))
	}
}

func TestOS_WriteCutShortBeforeHeaderKeepsPreviousValue(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	mustSet(t, s, "k", "previous")
	b.fail("set k", errors.New("the machine went down"))

	if err := s.Set("k", strings.Repeat("n", 250)); err == nil {
		t.Fatal("Set succeeded although the header write failed")
	}

	if got := mustGet(t, s, "k"); got != "previous" {
		t.Fatalf("Get = %q, want the previous value", got)
	}
}

func TestOS_MissingChunkIsCorruptAndCountsAsNotFound(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	mustSet(t, s, "k", strings.Repeat("x", 250))
	delete(b.items, "k#2")

	_, err := s.Get("k")

	var ce *CorruptError
	if !errors.As(err, &ce) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get error = %v, want a *CorruptError that is ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), "chunk 2 of 3") {
		t.Fatalf("error %q does not say which chunk is missing", err)
	}
}

func TestOS_ChunksFromAnotherWriteFailTheChecksum(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	mustSet(t, s, "k", strings.Repeat("a", 250))
	b.items["k#3"] = strings.Repeat("b", 50) // another process's write, half done

	_, err := s.Get("k")

	var ce *CorruptError
	if !errors.As(err, &ce) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get error = %v, want a *CorruptError that is ErrNotFound", err)
	}
	if strings.Contains(err.Error(), "bbbb") || strings.Contains(err.Error(), "aaaa") {
		t.Fatalf("error quotes the value: %v", err)
	}
}

func TestOS_ValueThatLooksLikeAHeaderRoundTrips(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	for _, v := range []string{header(3, "x"), rawPrefix + "y", headerPrefix} {
		mustSet(t, s, "k", v)
		if got := mustGet(t, s, "k"); got != v {
			t.Fatalf("Get = %q, want %q", got, v)
		}
	}
	if items, _ := b.snapshot(); len(items) != 1 {
		t.Fatalf("stored %v, want only k", keys(items))
	}
}

func TestOS_LongValueThatLooksLikeAHeaderRoundTrips(t *testing.T) {
	s, _, _ := newTestOS(Options{ChunkSize: 100})
	v := header(2, "x") + strings.Repeat("!", 200)
	mustSet(t, s, "k", v)
	if got := mustGet(t, s, "k"); got != v {
		t.Fatal("Get returned something other than the value")
	}
}

func TestOS_UnicodeValueIsChunkedOnRuneBoundaries(t *testing.T) {
	s, b, _ := newTestOS(Options{ChunkSize: 100})
	v := strings.Repeat("ключ🔑", 40)
	mustSet(t, s, "k", v)
	items, _ := b.snapshot()
	if len(items) < 4 {
		t.Fatalf("stored %v, want a header and at least 3 chunks", keys(items))
	}
	for k, c := range items {
		if !utf8.ValidString(c) {
			t.Fatalf("chunk %s is cut inside a rune", k)
		}
	}
	if got := mustGet(t, s, "k"); got != v {
		t.Fatal("Get returned something other than the value")
	}
}

func TestOS_ShortValueCostsTwoCallsToSetAndOneToGet(t *testing.T) {
	s, b, _ := newTestOS(Options{})
	mustSet(t, s, "k", "v")
	_, setCalls := b.snapshot()
	mustGet(t, s, "k")
	_, getCalls := b.snapshot()
	if len(setCalls) != 2 || len(getCalls) != 1 {
		t.Fatalf("Set made %q, Get made %q; want 2 and 1 calls", setCalls, getCalls)
	}
}

func TestNewOS_AppliesDefaultsAndFloor(t *testing.T) {
	for _, tc := range []struct {
		opts      Options
		chunkSize int
	}{
		{Options{}, DefaultChunkSize},
		{Options{ChunkSize: 3}, minChunkSize},
		{Options{ChunkSize: 500}, 500},
	} {
		s := NewOS("svc", tc.opts)
		if s.c.chunkSize != tc.chunkSize || s.timeout != DefaultTimeout {
			t.Errorf("NewOS(%+v): chunk size %d, timeout %s; want %d, %s",
				tc.opts, s.c.chunkSize, s.timeout, tc.chunkSize, DefaultTimeout)
		}
	}
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
