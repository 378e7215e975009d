package demo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	bolt "go.etcd.io/bbolt"
)

// keyIDTokenKey holds the ECDSA P-256 key (PKCS #8) that signs ID tokens.
// Unlike the HS256 access-token key, clients check these signatures
// themselves, against the public half published at the JWKS endpoint.
var keyIDTokenKey = []byte("id_token_key")

// idTokenTTL is how long an ID token is good for; it only proves who
// signed in at that moment.
const idTokenTTL = 5 * time.Minute

// idSigner signs ID tokens with the persisted key.
type idSigner struct {
	key *ecdsa.PrivateKey
	kid string
	now func() time.Time
}

// loadIDSigner reads the ID token key from the data file, making it on
// first use, so ID tokens verify across restarts.
func (st *store) loadIDSigner(now func() time.Time) (idSigner, error) {
	var key *ecdsa.PrivateKey
	err := st.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if der := meta.Get(keyIDTokenKey); der != nil {
			k, err := x509.ParsePKCS8PrivateKey(der)
			if ec, ok := k.(*ecdsa.PrivateKey); ok && err == nil {
				key = ec
				return nil
			}
			return errors.New("the ID token key in the data file is damaged")
		}
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return err
		}
		key = k
		return meta.Put(keyIDTokenKey, der)
	})
	if err != nil {
		return idSigner{}, fmt.Errorf("demo: ID token key: %w", err)
	}
	pub, err := key.PublicKey.Bytes()
	if err != nil {
		return idSigner{}, fmt.Errorf("demo: ID token key: %w", err)
	}
	sum := sha256.Sum256(pub)
	return idSigner{key: key, kid: base64.RawURLEncoding.EncodeToString(sum[:12]), now: now}, nil
}

// jwk is the public key as a JSON Web Key (RFC 7517/7518).
func (sg idSigner) jwk() map[string]string {
	pub, _ := sg.key.PublicKey.Bytes() // 0x04 || X (32) || Y (32)
	return map[string]string{
		"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": sg.kid,
		"x": base64.RawURLEncoding.EncodeToString(pub[1:33]),
		"y": base64.RawURLEncoding.EncodeToString(pub[33:65]),
	}
}

type idClaims struct {
	jwt.RegisteredClaims
	Nonce             string `json:"nonce,omitempty"`
	AuthTime          int64  `json:"auth_time"`
	SessionID         string `json:"sid"`
	Name              string `json:"name,omitempty"`
	PreferredUsername string `json:"preferred_username,omitempty"`
	Email             string `json:"email,omitempty"`
	EmailVerified     bool   `json:"email_verified,omitempty"`
}

// issue returns an ID token for user, for clientID, from issuer.
func (sg idSigner) issue(issuer, clientID, nonce string, u userRecord, sid string, scopes map[string]bool) (string, error) {
	now := sg.now()
	c := idClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: issuer, Subject: u.ID, Audience: jwt.ClaimStrings{clientID},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(idTokenTTL)),
		},
		Nonce: nonce, AuthTime: now.Unix(), SessionID: sid,
	}
	if scopes["profile"] {
		c.Name, c.PreferredUsername = u.Name, u.Username
	}
	if scopes["email"] {
		c.Email, c.EmailVerified = u.Email, true
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, c)
	t.Header["kid"] = sg.kid
	return t.SignedString(sg.key)
}
