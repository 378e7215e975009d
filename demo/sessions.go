package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A session is one sign-in: the family of refresh tokens that descend from
// it by rotation, and the access tokens issued along the way (they carry its
// id as the sid claim). Revoking the session kills all of them at once.
type sessionRecord struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
	// Generation counts the rotations; access tokens carry it as gen.
	Generation int `json:"generation"`
	// CurrentHash is the SHA-256 of the one refresh token that may be
	// used next; nil when the session has no refresh token.
	CurrentHash      []byte    `json:"current_hash,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	RefreshExpiresAt time.Time `json:"refresh_expires_at"`
	// AccessExpiresAt is the expiry of the newest access token; the record
	// is kept at least that long so the token's sid can still be checked.
	AccessExpiresAt time.Time `json:"access_expires_at"`
	RevokedAt       time.Time `json:"revoked_at"`
	RevokeReason    string    `json:"revoke_reason,omitempty"`
}

func (s *sessionRecord) revoked() bool { return !s.RevokedAt.IsZero() }

func (s *sessionRecord) revoke(now time.Time, reason string) {
	if !s.revoked() {
		s.RevokedAt, s.RevokeReason = now, reason
	}
}

// Why a session was revoked (logged, and kept in the record).
const (
	reasonLogout = "logout"
	reasonReuse  = "refresh token reuse"
	reasonAdmin  = "revoked by the operator"
)

// refreshOutcome is what rotate found.
type refreshOutcome int

const (
	refreshRotated refreshOutcome = iota
	refreshUnknown                // never issued, or pruned
	refreshExpired
	refreshRevoked // the session was already revoked
	refreshReused  // an older token of a live session: the session is now revoked
)

// createSession stores a new session; refreshHash may be nil.
func (st *store) createSession(s sessionRecord) error {
	return st.db.Update(func(tx *bolt.Tx) error {
		if s.CurrentHash != nil {
			if err := tx.Bucket(bucketRefresh).Put(s.CurrentHash, []byte(s.ID)); err != nil {
				return err
			}
		}
		return putJSON(tx.Bucket(bucketSessions), s.ID, s)
	})
}

// rotate redeems the refresh token whose hash is oldHash. On success the
// session's current token becomes newHash and the generation goes up; next
// then completes the record (expiries, the access token that goes with it)
// inside the same transaction. Presenting any token but the current one of a
// live session revokes the session: either the legitimate client or an
// attacker holds a copy, and the server cannot tell which.
func (st *store) rotate(oldHash, newHash []byte, now time.Time, next func(*sessionRecord) error) (sessionRecord, refreshOutcome, error) {
	var s sessionRecord
	outcome := refreshUnknown
	err := st.db.Update(func(tx *bolt.Tx) error {
		sid := tx.Bucket(bucketRefresh).Get(oldHash)
		if sid == nil {
			return nil
		}
		sessions := tx.Bucket(bucketSessions)
		found, err := getJSON(sessions, string(sid), &s)
		if err != nil || !found {
			return err
		}
		switch {
		case s.revoked():
			outcome = refreshRevoked
			return nil
		case !bytes.Equal(s.CurrentHash, oldHash):
			outcome = refreshReused
			s.revoke(now, reasonReuse)
			return putJSON(sessions, s.ID, s)
		case !now.Before(s.RefreshExpiresAt):
			outcome = refreshExpired
			return nil
		}
		s.Generation++
		s.CurrentHash = newHash
		if err := next(&s); err != nil {
			return err
		}
		if err := tx.Bucket(bucketRefresh).Put(newHash, []byte(s.ID)); err != nil {
			return err
		}
		outcome = refreshRotated
		return putJSON(sessions, s.ID, s)
	})
	return s, outcome, err
}

// revokeByRefresh revokes the session the refresh token belongs to, current
// or not. Unknown tokens are not an error: logout is idempotent.
func (st *store) revokeByRefresh(hash []byte, now time.Time, reason string) (sessionRecord, bool, error) {
	var s sessionRecord
	var found bool
	err := st.db.Update(func(tx *bolt.Tx) error {
		sid := tx.Bucket(bucketRefresh).Get(hash)
		if sid == nil {
			return nil
		}
		return st.revokeTx(tx, string(sid), now, reason, &s, &found)
	})
	return s, found, err
}

// revokeSession revokes the session with the given id, if it exists.
func (st *store) revokeSession(sid string, now time.Time, reason string) (bool, error) {
	var found bool
	err := st.db.Update(func(tx *bolt.Tx) error {
		var s sessionRecord
		return st.revokeTx(tx, sid, now, reason, &s, &found)
	})
	return found, err
}

func (st *store) revokeTx(tx *bolt.Tx, sid string, now time.Time, reason string, s *sessionRecord, found *bool) error {
	sessions := tx.Bucket(bucketSessions)
	ok, err := getJSON(sessions, sid, s)
	if err != nil || !ok {
		return err
	}
	*found = true
	s.revoke(now, reason)
	return putJSON(sessions, sid, s)
}

// revokeUser revokes every live session of a user and returns how many.
func (st *store) revokeUser(userID string, now time.Time, reason string) (int, error) {
	n := 0
	err := st.db.Update(func(tx *bolt.Tx) error {
		sessions := tx.Bucket(bucketSessions)
		var changed []sessionRecord
		err := sessions.ForEach(func(_, v []byte) error {
			var s sessionRecord
			if err := unmarshalSession(v, &s); err != nil {
				return err
			}
			if s.UserID == userID && !s.revoked() {
				s.revoke(now, reason)
				changed = append(changed, s)
			}
			return nil
		})
		if err != nil {
			return err
		}
		// A bucket must not be written while ForEach walks it.
		for _, s := range changed {
			if err := putJSON(sessions, s.ID, s); err != nil {
				return err
			}
		}
		n = len(changed)
		return nil
	})
	return n, err
}

// sessionLive reports whether the session exists and is not revoked. Access
// tokens are checked against it on every protected call, which is what makes
// logout and reuse detection take effect before the tokens expire.
func (st *store) sessionLive(sid string) (bool, error) {
	var s sessionRecord
	var found bool
	err := st.db.View(func(tx *bolt.Tx) error {
		var err error
		found, err = getJSON(tx.Bucket(bucketSessions), sid, &s)
		return err
	})
	return found && !s.revoked(), err
}

// prune deletes sessions whose refresh and access tokens have all expired,
// and the refresh-token hashes that pointed at them, so the file does not
// grow forever. It runs when the server opens.
func (st *store) prune(now time.Time) (int, error) {
	n := 0
	err := st.db.Update(func(tx *bolt.Tx) error {
		dead := map[string]bool{}
		sessions := tx.Bucket(bucketSessions)
		err := sessions.ForEach(func(k, v []byte) error {
			var s sessionRecord
			if err := unmarshalSession(v, &s); err != nil {
				return err
			}
			if now.After(s.RefreshExpiresAt) && now.After(s.AccessExpiresAt) {
				dead[string(k)] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		for sid := range dead {
			if err := sessions.Delete([]byte(sid)); err != nil {
				return err
			}
		}
		// Keys are copied and deleted after the walk: bbolt forbids
		// changing a bucket while iterating it. This also drops hashes whose
		// session is already gone.
		refresh := tx.Bucket(bucketRefresh)
		var stale [][]byte
		err = refresh.ForEach(func(k, v []byte) error {
			if sessions.Get(v) == nil {
				stale = append(stale, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range stale {
			if err := refresh.Delete(k); err != nil {
				return err
			}
		}
		n = len(dead)
		return nil
	})
	return n, err
}

func unmarshalSession(v []byte, s *sessionRecord) error {
	if err := json.Unmarshal(v, s); err != nil {
		return errors.New("demo: a session record in the data file is damaged")
	}
	return nil
}
