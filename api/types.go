package api

import (
	"encoding/json"
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
}

// String never shows the secrets.
func (t Tokens) String() string { return "api.Tokens{<redacted>}" }

// GoString never shows the secrets, even under %#v.
func (t Tokens) GoString() string { return t.String() }

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
