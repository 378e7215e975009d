//go:build !windows && !darwin && !js && !android

package locale

import "testing"

func TestGetLocales_CAndPOSIXInAnySpellingAreNoLocale(t *testing.T) {
	for _, v := range []string{"C", "C.UTF-8", "C.utf8", "POSIX", "POSIX.UTF-8", "C@euro"} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", v)
		t.Setenv("LANGUAGE", "fr")
		if got, err := GetLocales(); err != nil || got != nil {
			t.Errorf("LANG=%s: %q, %v; want none, as for C", v, got, err)
		}
	}
	t.Setenv("LANG", "de_DE.UTF-8")
	if got, _ := GetLocales(); len(got) != 1 || got[0] != "fr" {
		t.Errorf("LANG=de_DE.UTF-8 LANGUAGE=fr: %q, want [fr]", got)
	}
}
