package api

import (
	"encoding/json"
	"log/slog"
	"time"
)

// Tokens are what a sign-in or refresh hands out. They are secrets: never
// log or print them (Tokens has a redacting String and LogValue).
type Tokens struct {
	AccessToken  string
	RefreshToken string // empty when the API gives none
	TokenType    string // usually "Bearer"
	// Expiry of the access token; zero means unknown (rule R8).
	Expiry time.Time
	// IDToken is the OpenID Connect ID token of a browser sign-in, kept for
	// RP-initiated logout (id_token_hint); empty otherwise.
	IDToken string
}

// String never shows the secrets.
func (t Tokens) String() string { return "api.Tokens{<redacted>}" }

// GoString never shows the secrets, even under %#v.
func (t Tokens) GoString() string { return t.String() }

// LogValue keeps the secrets out of structured logs, whose JSON handler
// would otherwise print every field.
func (t Tokens) LogValue() slog.Value { return slog.StringValue(t.String()) }

// User is who is signed in, as far as the backend says.
type User struct {
	ID    string
	Name  string
	Email string
}

// LoginResult is the outcome of a successful sign-in.
type LoginResult struct {
	Tokens Tokens
	User   User
}

// Item is one row of a protected list.
type Item struct {
	ID       string
	Title    string
	Subtitle string
	// Raw is the item as the server sent it, for a detail view.
	Raw json.RawMessage
}

// Page is one fetched page of a list.
type Page struct {
	Items []Item
	// Total is the number of items the server says the list has, or -1
	// when it does not say.
	Total int
}
