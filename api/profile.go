package api

// A Profile describes one backend's HTTP contract: where to sign in, where the
// tokens are in the answers, how to refresh, and which protected lists exist.
// Signet serves every backend through a Profile, the embedded demo included
// (see DemoProfile), so no backend gets code of its own.
//
// The toml tags are the profile file's field names (docs/profiles.md).
type Profile struct {
	// Name identifies the profile; keychain entries are keyed by it.
	Name string `toml:"name"`
	// BaseURL is prefixed to every path; https unless the host is loopback.
	BaseURL string `toml:"base_url"`

	Login   LoginSpec    `toml:"login"`
	Refresh *RefreshSpec `toml:"refresh"` // nil: the API has no refresh
	Logout  *RequestSpec `toml:"logout"`  // nil: nothing to tell the server
	// Me is an optional "current user" endpoint, called after sign-in when
	// the sign-in response does not name the user.
	Me *MeSpec `toml:"me"`

	// ExpiredStatuses are the statuses that mean "the auth token is dead"
	// on protected calls. Empty means {401}.
	ExpiredStatuses []int `toml:"expired_statuses"`
	// ErrorPath is a gjson path to the server's message in error bodies;
	// empty means automatic detection of the common shapes.
	ErrorPath string `toml:"error_path"`

	Lists []ListSpec `toml:"lists"`
}

// RequestSpec is one call the client makes on its own behalf (sign-in,
// refresh, logout, current user).
type RequestSpec struct {
	Method string `toml:"method"` // default POST (GET for Me)
	// Path is appended to BaseURL and may carry a query string.
	Path string `toml:"path"`
	// Encoding of the body: "json" (default) or "form".
	Encoding string `toml:"encoding"`
	// Body maps field names to templates; {username}, {password},
	// {refresh_token} and {access_token} (for logout/revoke calls) are
	// replaced, anything else is sent as is.
	Body map[string]string `toml:"body"`
	// Headers are extra headers; values are templates like Body's.
	Headers map[string]string `toml:"headers"`
	// BearerRefreshToken sends the refresh token as
	// "Authorization: Bearer <refresh token>" (some APIs' refresh style).
	BearerRefreshToken bool `toml:"bearer_refresh_token"`
}

// TokenPaths say where the tokens are in a sign-in or refresh response
// (gjson paths).
type TokenPaths struct {
	AccessToken  string `toml:"access_token"`  // required
	RefreshToken string `toml:"refresh_token"` // optional
	TokenType    string `toml:"token_type"`    // optional
	// Expiry is tried in order; the first present value wins. When none
	// is present, the JWT exp claim of the access token is used; when that
	// is absent too, the expiry is unknown (design rule R8).
	Expiry []ExpirySpec `toml:"expiry"`
}

// ExpirySpec locates one form of the expiry time.
type ExpirySpec struct {
	Path string `toml:"path"`
	// Unit: "seconds" (from now, the default), "milliseconds" (from now),
	// "unix" (absolute seconds), "unix_ms" (absolute milliseconds),
	// "rfc3339" (absolute time).
	Unit string `toml:"unit"`
}

// UserPaths say where the signed-in person is described (gjson paths).
type UserPaths struct {
	ID    string `toml:"id"`
	Name  string `toml:"name"`
	Email string `toml:"email"`
}

// LoginSpec is the sign-in call.
type LoginSpec struct {
	RequestSpec
	Tokens TokenPaths `toml:"tokens"`
	User   UserPaths  `toml:"user"`
	// UsernameLabel is what the form calls the first field ("Username",
	// "Email", ...). Empty means "Username".
	UsernameLabel string `toml:"username_label"`
}

// RefreshSpec is the refresh call.
type RefreshSpec struct {
	RequestSpec
	// Tokens default to the sign-in ones when nil.
	Tokens *TokenPaths `toml:"tokens"`
}

// MeSpec is the "current user" call, made with the bearer token.
type MeSpec struct {
	RequestSpec
	User UserPaths `toml:"user"`
}

// Paging styles for ListSpec.Paging.Style.
const (
	PagingNone       = "none"
	PagingOffset     = "offset" // ?offset=&limit=
	PagingSkip       = "skip"   // ?skip=&limit=
	PagingPage       = "page"   // ?page=&per_page= (1-based)
	PagingUnderscore = "_page"  // ?_page=&_limit= (json-server style)
)

// ListSpec is one protected list.
type ListSpec struct {
	Name string `toml:"name"`
	Path string `toml:"path"`
	// ItemsPath is where the array is: "" for the root, or a gjson path
	// such as "items", "data", "products".
	ItemsPath     string `toml:"items_path"`
	IDField       string `toml:"id_field"`
	TitleField    string `toml:"title_field"`
	SubtitleField string `toml:"subtitle_field"`
	Paging        Paging `toml:"paging"`
	// SearchParam is the query parameter for server-side search, if any.
	SearchParam string `toml:"search_param"`
}

// Paging says how a list is fetched in pages.
type Paging struct {
	Style    string `toml:"style"`     // one of the Paging* constants; "" = none
	PageSize int    `toml:"page_size"` // default 100
	// TotalPath is a gjson path to the total count in the body.
	TotalPath string `toml:"total_path"`
	// TotalHeader is a response header holding the total (X-Total-Count).
	TotalHeader string `toml:"total_header"`
}

// DemoProfile is the contract of the embedded demo backend (package demo).
func DemoProfile(baseURL string) Profile {
	return Profile{
		Name:    "demo",
		BaseURL: baseURL,
		Login: LoginSpec{
			RequestSpec: RequestSpec{
				Method: "POST", Path: "/auth/login", Encoding: "json",
				Body: map[string]string{"username": "{username}", "password": "{password}"},
			},
			Tokens: TokenPaths{
				AccessToken: "access_token", RefreshToken: "refresh_token", TokenType: "token_type",
				Expiry: []ExpirySpec{{Path: "expires_in", Unit: "seconds"}},
			},
			User:          UserPaths{ID: "user.id", Name: "user.name", Email: "user.email"},
			UsernameLabel: "Username",
		},
		Refresh: &RefreshSpec{RequestSpec: RequestSpec{
			Method: "POST", Path: "/auth/refresh", Encoding: "json",
			Body: map[string]string{"refresh_token": "{refresh_token}"},
		}},
		Logout: &RequestSpec{
			Method: "POST", Path: "/auth/logout", Encoding: "json",
			Body: map[string]string{"refresh_token": "{refresh_token}"},
		},
		ExpiredStatuses: []int{401},
		Lists: []ListSpec{{
			Name: "Items", Path: "/api/items", ItemsPath: "items",
			IDField: "id", TitleField: "title", SubtitleField: "subtitle",
			Paging:      Paging{Style: PagingOffset, PageSize: 100, TotalPath: "total"},
			SearchParam: "q",
		}},
	}
}
