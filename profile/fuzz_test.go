package profile_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"signet/api"
	"signet/assets/profiles"
	"signet/profile"
)

// FuzzParse: no input makes Parse panic; every failure is a
// *ValidationError with at least one problem; every profile it accepts is
// one the api client accepts too.
func FuzzParse(f *testing.F) {
	names, _ := fs.Glob(profiles.FS, "*.toml")
	for _, n := range names {
		data, err := fs.ReadFile(profiles.FS, n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add(minimal)
	f.Add("[[lists]]\n[[lists]]\n[lists.paging]\n")
	f.Add("login = { tokens = { expiry = [{}, {path = 1}] } }")
	f.Fuzz(func(t *testing.T, src string) {
		p, err := profile.Parse("fuzz.toml", []byte(src))
		if err != nil {
			var ve *profile.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error %v is not a ValidationError with problems", err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.toml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if _, err := api.New(api.Config{Profile: p}); err != nil {
			t.Fatalf("accepted a profile the client refuses: %v", err)
		}
	})
}
