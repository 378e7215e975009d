package demo

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Passwords are stored as "pbkdf2-sha256$<iterations>$<salt>$<key>" (salt
// and key in unpadded base64): self-describing, so the cost can be raised
// later without invalidating stored hashes. PBKDF2 from the standard
// library keeps the module free of a dependency for a demo.
const (
	hashScheme            = "pbkdf2-sha256"
	defaultHashIterations = 100_000
	hashSaltLen           = 16
	hashKeyLen            = 32
)

var b64 = base64.RawStdEncoding

// hashPassword returns the storable form of password with a fresh salt.
func hashPassword(password string, iterations int) (string, error) {
	salt := make([]byte, hashSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, hashKeyLen)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s$%d$%s$%s", hashScheme, iterations, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether password matches the stored hash, in time
// that does not depend on where they differ.
func checkPassword(stored, password string) (bool, error) {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != hashScheme {
		return false, errors.New("unknown password hash format")
	}
	iterations, err := strconv.Atoi(parts[1])
	if err != nil || iterations < 1 {
		return false, errors.New("bad iteration count in password hash")
	}
	salt, err := b64.DecodeString(parts[2])
	if err != nil {
		return false, errors.New("bad salt in password hash")
	}
	want, err := b64.DecodeString(parts[3])
	if err != nil {
		return false, errors.New("bad key in password hash")
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iterations, len(want))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
