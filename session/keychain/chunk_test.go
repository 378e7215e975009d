package keychain

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitChunks_RespectsSizeAndRuneBoundaries(t *testing.T) {
	value := strings.Repeat("aé鍵🔑", 50) // 1-, 2-, 3- and 4-byte runes
	for _, size := range []int{16, 17, 18, 19, 100} {
		chunks := splitChunks(value, size)
		if got := strings.Join(chunks, ""); got != value {
			t.Fatalf("size %d: chunks do not join back to the value", size)
		}
		for i, c := range chunks {
			if len(c) > size || len(c) == 0 {
				t.Fatalf("size %d: chunk %d has %d bytes", size, i, len(c))
			}
			if !utf8.ValidString(c) {
				t.Fatalf("size %d: chunk %d is cut inside a rune", size, i)
			}
		}
	}
}

func TestSplitChunks_CutsInvalidUTF8ByBytes(t *testing.T) {
	value := strings.Repeat("\x80", 40) // continuation bytes only
	chunks := splitChunks(value, 16)
	if len(chunks) != 3 || strings.Join(chunks, "") != value {
		t.Fatalf("got %d chunks, want 3 that join back", len(chunks))
	}
}

func TestEncodeInline_EscapesValuesThatLookLikeOurFormat(t *testing.T) {
	for _, v := range []string{headerV1 + "2:0123456789abcdef", rawPrefix + "x", headerPrefix} {
		enc, ok := encodeInline(v, 100)
		if !ok || enc != rawPrefix+v {
			t.Fatalf("encodeInline(%q) = %q, %v; want it escaped", v, enc, ok)
		}
		s, err := decode("k", enc)
		if err != nil || s.chunked || s.value != v {
			t.Fatalf("decode(%q) = %+v, %v; want the original value", enc, s, err)
		}
	}
}

func TestEncodeInline_CountsTheEscapeTowardsTheLimit(t *testing.T) {
	v := headerPrefix + strings.Repeat("x", 20) // 35 bytes, 46 escaped
	if _, ok := encodeInline(v, 40); ok {
		t.Fatal("escaped value over the chunk size was kept inline")
	}
}

func TestDecode_RejectsDamagedHeaders(t *testing.T) {
	for _, raw := range []string{
		headerPrefix + "v2:3:0123456789abcdef",
		headerV1 + "3",
		headerV1 + "x:0123456789abcdef",
		headerV1 + "0:0123456789abcdef",
		headerV1 + "1001:0123456789abcdef",
		headerV1 + "3:0123",
	} {
		_, err := decode("k", raw)
		var ce *CorruptError
		if !errors.As(err, &ce) || !errors.Is(err, ErrNotFound) {
			t.Errorf("decode(%q) error = %v, want a *CorruptError that is ErrNotFound", raw, err)
		}
	}
}

func TestDecode_ReadsHeaderItWrote(t *testing.T) {
	s, err := decode("k", header(7, "value"))
	if err != nil || !s.chunked || s.n != 7 || s.verify("k", "value") != nil {
		t.Fatalf("decode(header(7, value)) = %+v, %v", s, err)
	}
	if s.verify("k", "other") == nil {
		t.Fatal("verify accepted a different value")
	}
}
