package demo

import (
	"bytes"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func countKeys(t *testing.T, s *Server, bucket []byte) int {
	t.Helper()
	n := 0
	err := s.st.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucket).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStore_KeepsOnlyHashesOfRefreshTokensAndSaltedPasswords(t *testing.T) {
	s, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword)
	rotated := mustRefresh(t, base, tok.RefreshToken)

	var dump bytes.Buffer
	err := s.st.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				dump.Write(k)
				dump.Write(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, secret := range map[string]string{
		"first refresh token": tok.RefreshToken, "rotated refresh token": rotated.RefreshToken,
		"access token": rotated.AccessToken, "password": DemoPassword,
	} {
		if bytes.Contains(dump.Bytes(), []byte(secret)) {
			t.Errorf("the data file holds the %s in plain text", name)
		}
	}
	if n := countKeys(t, s, bucketRefresh); n != 2 {
		t.Errorf("%d refresh hashes stored, want 2 (both generations)", n)
	}
}

func TestStore_SeedsEachUserOnceAndKeepsExistingHashes(t *testing.T) {
	s, _ := startServer(t, Config{})
	before, _, err := s.st.userByName(DemoUsername)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.init(Accounts(), testHashIterations); err != nil {
		t.Fatal(err)
	}
	after, _, err := s.st.userByName(DemoUsername)
	if err != nil {
		t.Fatal(err)
	}
	if before.PasswordHash != after.PasswordHash {
		t.Error("seeding again replaced an existing password hash")
	}
	if n := countKeys(t, s, bucketUsers); n != len(Accounts()) {
		t.Errorf("%d users, want %d", n, len(Accounts()))
	}
}
