package demo

import "testing"

func TestPassword_HashIsSaltedAndChecks(t *testing.T) {
	h1, err := hashPassword("correct horse", testHashIterations)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := hashPassword("correct horse", testHashIterations)
	if h1 == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		password string
		want     bool
	}{{"correct horse", true}, {"correct horse ", false}, {"", false}} {
		if got, err := checkPassword(h1, tc.password); err != nil || got != tc.want {
			t.Errorf("checkPassword(%q) = %v, %v; want %v", tc.password, got, err, tc.want)
		}
	}
}

func TestPassword_DamagedHashesAreErrorsNotMatches(t *testing.T) {
	for _, stored := range []string{
		"", "plain", "bcrypt$10$x$y", "pbkdf2-sha256$0$c2FsdA$a2V5", "pbkdf2-sha256$x$c2FsdA$a2V5",
		"pbkdf2-sha256$10$!!$a2V5", "pbkdf2-sha256$10$c2FsdA$!!",
	} {
		if ok, err := checkPassword(stored, "pw"); ok || err == nil {
			t.Errorf("checkPassword(%q) = %v, %v; want an error", stored, ok, err)
		}
	}
}
