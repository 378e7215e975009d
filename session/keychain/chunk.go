package keychain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// How a value is laid out in the keychain (rule R4).
//
// A value that fits in ChunkSize bytes is stored as it is under its key. A
// longer one is cut into chunks stored under key#1, key#2, …, and the key
// itself holds a header naming the number of chunks and a checksum of the
// whole value:
//
//	key    signet-chunked:v1:5:3f9a0c1e22b47d10
//	key#1  first ChunkSize bytes
//	…
//	key#5  the rest
//
// Chunks are written first and the header last, so until the header lands a
// reader still sees the previous value (or nothing). A stored value that
// itself begins with one of the two prefixes gets rawPrefix in front, so it
// is never mistaken for a header.
const (
	headerPrefix = "signet-chunked:"
	headerV1     = headerPrefix + "v1:"
	rawPrefix    = "signet-raw:"

	// checksumLen is how many hex digits of the SHA-256 the header keeps:
	// 64 bits, plenty to notice chunks from a different write.
	checksumLen = 16
	// maxChunks bounds what a header may claim and how far a sweep of
	// stale chunks goes, so a damaged header cannot start a long loop.
	// At the default chunk size that is 2 MB, far beyond any token.
	maxChunks = 1000
	// minChunkSize keeps every chunk able to hold a whole UTF-8 rune.
	minChunkSize = 16
)

// chunkKey names the i-th chunk (counting from 1) of key.
func chunkKey(key string, i int) string { return key + "#" + strconv.Itoa(i) }

// encodeInline returns what to store under key for a value stored in one
// piece, and false if the value is too long for that.
func encodeInline(value string, chunkSize int) (string, bool) {
	if strings.HasPrefix(value, headerPrefix) || strings.HasPrefix(value, rawPrefix) {
		value = rawPrefix + value
	}
	return value, len(value) <= chunkSize
}

// splitChunks cuts value into pieces of at most size bytes, never inside a
// UTF-8 sequence: some keychains expect text, and a chunk that ends halfway
// through a rune is not valid UTF-8.
func splitChunks(value string, size int) []string {
	var chunks []string
	for len(value) > size {
		cut := size
		for cut > 0 && !utf8.RuneStart(value[cut]) {
			cut--
		}
		if cut == 0 { // not UTF-8 at all; bytes are all we can go by
			cut = size
		}
		chunks = append(chunks, value[:cut])
		value = value[cut:]
	}
	return append(chunks, value)
}

// header is what the key itself holds for a value stored in n chunks.
func header(n int, value string) string {
	return headerV1 + strconv.Itoa(n) + ":" + checksum(value)
}

func checksum(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])[:checksumLen]
}

// stored is how decode reads the entry under a key.
type stored struct {
	value   string // the value itself, when inline
	chunked bool
	n       int    // number of chunks, when chunked
	sum     string // checksum of the whole value, when chunked
}

// decode reads what is stored under key. The error is a *CorruptError.
func decode(key, raw string) (stored, error) {
	if v, ok := strings.CutPrefix(raw, rawPrefix); ok {
		return stored{value: v}, nil
	}
	rest, ok := strings.CutPrefix(raw, headerPrefix)
	if !ok {
		return stored{value: raw}, nil
	}
	bad := func(reason string) (stored, error) { return stored{}, &CorruptError{Key: key, Reason: reason} }
	rest, ok = strings.CutPrefix(rest, "v1:")
	if !ok {
		return bad("unknown chunk header version")
	}
	count, sum, ok := strings.Cut(rest, ":")
	if !ok {
		return bad("malformed chunk header")
	}
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 || n > maxChunks {
		return bad("malformed chunk header")
	}
	if len(sum) != checksumLen {
		return bad("malformed chunk header")
	}
	return stored{chunked: true, n: n, sum: sum}, nil
}

// verify checks the reassembled value against the header.
func (s stored) verify(key, value string) error {
	if checksum(value) != s.sum {
		return &CorruptError{Key: key, Reason: fmt.Sprintf("the %d chunks do not match the header's checksum", s.n)}
	}
	return nil
}
