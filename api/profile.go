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
	// BaseURL is prefixed to every path whose call names no origin; https
	// unless the host is loopback.
	BaseURL string `toml:"base_url"`
	// Origins are further servers the backend declares, by name (an API on
	// another host than sign-in, a token service): a call or list with
	// Origin "api" is sent to Origins["api"]. Secrets go to these and
	// BaseURL only (design R12).
	Origins map[string]string `toml:"origins"`

	Login   LoginSpec    `toml:"login"`
	Refresh *RefreshSpec `toml:"refresh"` // nil: the API has no refresh
	Logout  *RequestSpec `toml:"logout"`  // nil: nothing to tell the server
	// Me is an optional "current user" endpoint, called after sign-in when
	// the sign-in response does not name the user.
	Me *MeSpec `toml:"me"`
	// Check is a call made with the bearer to confirm that the session is
	// alive when a list comes back empty (some servers answer a dead token
	// as a guest, with an empty list); nil means Me, if any.
	Check *RequestSpec `toml:"check"`

	// ExpiredStatuses are the statuses that mean "the auth token is dead"
	// on protected calls. Empty means {401}.
	ExpiredStatuses []int `toml:"expired_statuses"`
	// ExpiredWhen are finer rules: a status together with words in the
	// body ("invalid signature" in a 500), so that not every answer with
	// that status reads as a dead token.
	ExpiredWhen []ExpiredRule `toml:"expired_when"`
	// ErrorPath is a gjson path to the server's message in error bodies;
	// empty means automatic detection of the common shapes.
	ErrorPath string `toml:"error_path"`
	// ErrorCodes map a server's error codes (INVALID_PASSWORD) to sentences
	// shown instead; ErrorCodePath says where the code is (empty: the
	// message, then "error", "code", "__type").
	ErrorCodes    map[string]string `toml:"error_codes"`
	ErrorCodePath string            `toml:"error_code_path"`

	Lists []ListSpec `toml:"lists"`

	// OAuth, when set, signs in through the browser or another device
	// (see OAuthSpec); Login is then optional.
	OAuth *OAuthSpec `toml:"oauth"`
}

// RequestSpec is one call the client makes on its own behalf (sign-in,
// refresh, logout, current user).
type RequestSpec struct {
	Method string `toml:"method"` // default POST (GET for Me)
	// Origin names the server (a key of Profile.Origins); empty is BaseURL.
	Origin string `toml:"origin"`
	// Path is appended to the origin's URL and may carry a query string.
	// A full URL is allowed when it is on a declared origin.
	Path string `toml:"path"`
	// Encoding of the body: "json" (default) or "form".
	Encoding string `toml:"encoding"`
	// Body maps field names to values: text, numbers, booleans, and (JSON
	// only) nested tables and arrays. In text, at any depth, {username},
	// {password}, {refresh_token} and {access_token} are replaced; anything
	// else is sent as is.
	Body map[string]any `toml:"body"`
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

// Refresh styles for RefreshSpec.Style.
const (
	// RefreshWithRefreshToken trades a refresh token for new tokens.
	RefreshWithRefreshToken = "refresh_token"
	// RefreshWithAccessToken sends the current, still valid access token
	// (as a bearer header, and wherever {access_token} is written); there
	// is no refresh token, and a dead token cannot be renewed.
	RefreshWithAccessToken = "access_token"
)

// RefreshSpec is the refresh call.
type RefreshSpec struct {
	RequestSpec
	// Style is RefreshWithRefreshToken (the default) or
	// RefreshWithAccessToken.
	Style string `toml:"style"`
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
	// Origin names the server (a key of Profile.Origins); empty is BaseURL.
	Origin string `toml:"origin"`
	Path   string `toml:"path"`
	// ItemsPath is where the array is: "" for the root, or a gjson path
	// such as "items", "data", "products".
	ItemsPath     string `toml:"items_path"`
	IDField       string `toml:"id_field"`
	TitleField    string `toml:"title_field"`
	SubtitleField string `toml:"subtitle_field"`
	Paging        Paging `toml:"paging"`
	// SearchParam is the query parameter for server-side search, if any.
	SearchParam string `toml:"search_param"`
	// Search, when set, is where a search goes instead of Path.
	Search *SearchSpec `toml:"search"`
	// Headers are constant extra headers (an API key); the bearer is the
	// authenticated client's to add.
	Headers map[string]string `toml:"headers"`
	// Fields are the item's values shown in the detail pane (and the row,
	// for SubtitleField), each with its format.
	Fields []FieldSpec `toml:"fields"`
	// ImageField is a path to an image URL shown as the row's thumbnail.
	ImageField string `toml:"image_field"`
	// ConfirmEmpty says when an empty first page is first checked against
	// the session (Client.ConfirmSession): one of the ConfirmEmpty*
	// constants; "" is ConfirmEmptyAfterRows.
	ConfirmEmpty string `toml:"confirm_empty"`
}

// When an empty list is confirmed against the session (ListSpec.ConfirmEmpty).
const (
	// ConfirmEmptyAfterRows: when the list had rows before.
	ConfirmEmptyAfterRows = "after_rows"
	// ConfirmEmptyAlways: on every empty answer.
	ConfirmEmptyAlways = "always"
	// ConfirmEmptyNever: an empty answer is taken at its word.
	ConfirmEmptyNever = "never"
)

// SearchSpec is a list's search on a path of its own (/products/search?q=).
type SearchSpec struct {
	Origin string `toml:"origin"` // default: the list's
	Path   string `toml:"path"`
	// Param is the query parameter holding the term (default "q").
	Param string `toml:"param"`
	// ItemsPath defaults to the list's.
	ItemsPath string `toml:"items_path"`
	// Paging defaults to the list's.
	Paging *Paging `toml:"paging"`
}

// DefaultSearchParam is SearchSpec.Param's default.
const DefaultSearchParam = "q"

// ExpiredRule says which answers to a protected call mean "the auth token
// is dead": the status, and when Contains is set, those words (any case)
// in the body's text at Path (the whole body when Path is empty).
type ExpiredRule struct {
	Status   int    `toml:"status"`
	Path     string `toml:"path"`
	Contains string `toml:"contains"`
}

// Paging says how a list is fetched in pages.
type Paging struct {
	Style    string `toml:"style"`     // one of the Paging* constants; "" = none
	PageSize int    `toml:"page_size"` // default DefaultPageSize
	// TotalPath is a gjson path to the total count in the body.
	TotalPath string `toml:"total_path"`
	// TotalHeader is a response header holding the total (X-Total-Count).
	TotalHeader string `toml:"total_header"`
	// PageParam, SizeParam and OffsetParam rename the style's query
	// parameters ("pagination[page]", "perPage"); empty keeps the style's.
	PageParam   string `toml:"page_param"`
	SizeParam   string `toml:"size_param"`
	OffsetParam string `toml:"offset_param"`
}

// DemoProfile is the contract of the embedded demo backend (package demo).
func DemoProfile(baseURL string) Profile {
	return Profile{
		Name:    "demo",
		BaseURL: baseURL,
		Login: LoginSpec{
			RequestSpec: RequestSpec{
				Method: "POST", Path: "/auth/login", Encoding: "json",
				Body: map[string]any{"username": "{username}", "password": "{password}"},
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
			Body: map[string]any{"refresh_token": "{refresh_token}"},
		}},
		Logout: &RequestSpec{
			Method: "POST", Path: "/auth/logout", Encoding: "json",
			Body: map[string]any{"refresh_token": "{refresh_token}"},
		},
		ExpiredStatuses: []int{401},
		Lists: []ListSpec{{
			Name: "Items", Path: "/api/items", ItemsPath: "items",
			IDField: "id", TitleField: "title", SubtitleField: "subtitle",
			Paging:      Paging{Style: PagingOffset, PageSize: DefaultPageSize, TotalPath: "total"},
			SearchParam: "q",
		}},
	}
}
