package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	toml "github.com/pelletier/go-toml/v2"

	"signet/api"
)

// MaxFileSize caps a profile file; a real one is a few kilobytes, and a
// settings screen should not hang on a wrongly chosen multi-gigabyte file.
const MaxFileSize = 1 << 20

// Load reads, decodes, defaults and validates the profile file at path.
// Problems are reported as a *ValidationError naming the file and lines.
// Only a regular file of at most MaxFileSize bytes is read: opening a FIFO
// would block until something writes to it, and a device may never end.
func Load(path string) (api.Profile, error) {
	name := filepath.Base(path)
	fi, err := os.Stat(path)
	if err != nil {
		return api.Profile{}, fmt.Errorf("open profile: %w", err)
	}
	if err := checkFileInfo(fi); err != nil {
		return api.Profile{}, fmt.Errorf("read profile %s: %w", name, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return api.Profile{}, fmt.Errorf("open profile: %w", err)
	}
	defer f.Close()
	// Again on what was opened: the path may have been swapped meanwhile.
	if fi, err = f.Stat(); err == nil {
		err = checkFileInfo(fi)
	}
	if err != nil {
		return api.Profile{}, fmt.Errorf("read profile %s: %w", name, err)
	}
	data, err := readCapped(f)
	if err != nil {
		return api.Profile{}, fmt.Errorf("read profile %s: %w", name, err)
	}
	return Parse(name, data)
}

// checkFileInfo accepts a regular file no larger than MaxFileSize.
func checkFileInfo(fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return errors.New("not a regular file; a profile is a small text file (.toml)")
	}
	if fi.Size() > MaxFileSize {
		return errTooLarge
	}
	return nil
}

var errTooLarge = fmt.Errorf("larger than %d bytes; a profile is a small text file", MaxFileSize)

// LoadFS is Load for a file in fsys, such as the embedded examples
// (signet/assets/profiles.FS).
func LoadFS(fsys fs.FS, name string) (api.Profile, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return api.Profile{}, fmt.Errorf("open profile: %w", err)
	}
	defer f.Close()
	data, err := readCapped(f)
	if err != nil {
		return api.Profile{}, fmt.Errorf("read profile %s: %w", path.Base(name), err)
	}
	return Parse(path.Base(name), data)
}

func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errTooLarge // a file that grew after its size was checked
	}
	return data, nil
}

// Parse decodes a profile from TOML, applies the defaults and validates it.
// name is the file name used in messages ("profile.toml:12: …") and, when
// the file sets no name key, the profile's name (without ".toml").
//
// Decoding is strict: a key Signet does not know is an error, not ignored.
func Parse(name string, data []byte) (api.Profile, error) {
	// Syntax first: a file that is not TOML has no keys to speak of.
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return api.Profile{}, &ValidationError{Source: name, Problems: decodeProblems(err)}
	}
	lines := indexLines(data)
	var shape []Problem
	checkShape(doc, func(field, msg string) {
		shape = append(shape, Problem{Field: field, Line: lines.lineOf(field), Message: msg})
	})
	// What is left fits the profile's shape; decode it strictly.
	clean, err := toml.Marshal(doc)
	if err != nil {
		return api.Profile{}, &ValidationError{Source: name, Problems: append(shape, Problem{Message: err.Error()})}
	}
	var p api.Profile
	dec := toml.NewDecoder(bytes.NewReader(clean)).DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return api.Profile{}, &ValidationError{Source: name, Problems: append(shape, decodeProblems(err)...)}
	}
	if p.Name == "" {
		p.Name = nameFromFile(name)
	}
	p = p.WithDefaults()
	probs := append(shape, withoutShapeFields(problems(p, lines.lineOf), shape)...)
	if len(probs) > 0 {
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
		return api.Profile{}, &ValidationError{Source: name, Problems: probs}
	}
	return p, nil
}

// withoutShapeFields drops what validation says about a key the shape check
// already reported (and removed): "title_field: required" after "must be
// text, not a number" would be the same problem twice.
func withoutShapeFields(probs, shape []Problem) []Problem {
	out := probs[:0]
	for _, p := range probs {
		dup := false
		for _, s := range shape {
			if p.Field == s.Field || strings.HasPrefix(p.Field, s.Field+".") || strings.HasPrefix(p.Field, s.Field+"[") ||
				strings.HasPrefix(s.Field, p.Field+".") && strings.HasSuffix(p.Message, "required") {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// decodeProblems turns the TOML library's errors into Problems.
func decodeProblems(err error) []Problem {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		probs := make([]Problem, 0, len(strict.Errors))
		for i := range strict.Errors {
			de := &strict.Errors[i]
			line, _ := de.Position()
			probs = append(probs, Problem{
				Field:   strings.Join(de.Key(), "."),
				Line:    line,
				Message: "unknown key (check the spelling; docs/profiles.md lists every key)",
			})
		}
		return probs
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		return []Problem{{Field: strings.Join(de.Key(), "."), Line: line, Message: decodeMessage(de)}}
	}
	// Type mismatches and the like come without a position.
	return []Problem{{Message: err.Error()}}
}

// decodeMessage is the library's message without its "toml: " prefix.
func decodeMessage(de *toml.DecodeError) string {
	return strings.TrimPrefix(de.Error(), "toml: ")
}

// nameFromFile is "acme-api" for "acme-api.toml".
func nameFromFile(file string) string {
	base := filepath.Base(file)
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}
