package demo

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Bucket layout of the data file:
//
//	meta     "signing_key" → 32 random bytes (HS256 key, made once)
//	users    username      → JSON userRecord
//	sessions session id    → JSON sessionRecord
//	refresh  SHA-256(refresh token) → session id, for every refresh token a
//	         session ever handed out, so a rotated-away token is recognised
//	         (reuse) instead of merely unknown.
var (
	bucketMeta     = []byte("meta")
	bucketUsers    = []byte("users")
	bucketSessions = []byte("sessions")
	bucketRefresh  = []byte("refresh")

	keySigningKey = []byte("signing_key")
)

// lockTimeout bounds the wait for the file lock: a second process using the
// same file gets a clear error instead of hanging.
const lockTimeout = 2 * time.Second

// ErrDataFileInUse means another process (or another Server) holds the
// data file.
var ErrDataFileInUse = errors.New("demo: the data file is in use by another process")

// store is the persistent state. Every method is one bbolt transaction, so
// a check and the change it leads to cannot interleave with another request.
type store struct {
	db      *bolt.DB
	tempDir string // removed by close when the file is temporary
}

type userRecord struct {
	ID           string `json:"id"`
	Username     string `json:"username"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	PasswordHash string `json:"password_hash"`
}

// openStore opens (creating if needed) the file at path; an empty path
// means a temporary file.
func openStore(path string) (*store, error) {
	st := &store{}
	if path == "" {
		dir, err := os.MkdirTemp("", "signet-demo-")
		if err != nil {
			return nil, fmt.Errorf("demo: creating a temporary data file: %w", err)
		}
		st.tempDir = dir
		path = filepath.Join(dir, "demo.db")
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("demo: creating the data folder: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	if err != nil {
		st.removeTemp()
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%w (%s)", ErrDataFileInUse, path)
		}
		return nil, fmt.Errorf("demo: opening data file %s: %w", path, err)
	}
	st.db = db
	return st, nil
}

func (st *store) removeTemp() {
	if st.tempDir != "" {
		_ = os.RemoveAll(st.tempDir)
	}
}

func (st *store) close() error {
	err := st.db.Close()
	st.removeTemp()
	return err
}

// init creates the buckets, the signing key and the seed users that are
// missing, and returns the signing key. Users are matched by username, so
// a password changed in the file is left alone.
func (st *store) init(accounts []Account, iterations int) ([]byte, error) {
	var key []byte
	err := st.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketUsers, bucketSessions, bucketRefresh} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if k := meta.Get(keySigningKey); len(k) == 32 {
			key = append([]byte(nil), k...)
		} else {
			key = make([]byte, 32)
			if _, err := rand.Read(key); err != nil {
				return err
			}
			if err := meta.Put(keySigningKey, key); err != nil {
				return err
			}
		}
		users := tx.Bucket(bucketUsers)
		for _, a := range accounts {
			if users.Get([]byte(strings.ToLower(a.Username))) != nil {
				continue
			}
			hash, err := hashPassword(a.Password, iterations)
			if err != nil {
				return err
			}
			if err := putJSON(users, strings.ToLower(a.Username), userRecord{
				ID: a.ID, Username: a.Username, Name: a.Name, Email: a.Email, PasswordHash: hash,
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: initialising the data file: %w", err)
	}
	return key, nil
}

// userByName finds a user by username, ignoring case.
func (st *store) userByName(username string) (userRecord, bool, error) {
	var u userRecord
	var found bool
	err := st.db.View(func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketUsers), strings.ToLower(username), &u)
		return err
	})
	return u, found, err
}

// userByID finds a user by id; the user list is tiny, so a scan is fine.
func (st *store) userByID(id string) (userRecord, bool, error) {
	var u userRecord
	var found bool
	err := st.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			var cand userRecord
			if err := json.Unmarshal(v, &cand); err != nil {
				return err
			}
			if cand.ID == id {
				u, found = cand, true
			}
			return nil
		})
	})
	return u, found, err
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

func getJSON(b *bolt.Bucket, key string, v any) (bool, error) {
	data := b.Get([]byte(key))
	if data == nil {
		return false, nil
	}
	return true, json.Unmarshal(data, v)
}
