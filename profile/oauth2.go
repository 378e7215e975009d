package profile

import (
	"encoding/base64"
	"maps"
	"net/url"

	"signet/api"
)

// OAuth2Options are the optional parts of an RFC 6749 password-grant
// client.
type OAuth2Options struct {
	// Name of the profile; default "oauth2-password".
	Name string
	// TokenPath is the token endpoint; default "/oauth/token".
	TokenPath string
	// ClientID and ClientSecret identify Signet to the server, when it
	// asks for that (§2.3.1). Empty means a public client.
	ClientID, ClientSecret string
	// BasicClientAuth sends them as HTTP Basic (the method §2.3.1 says
	// servers MUST support) instead of as body fields.
	BasicClientAuth bool
	// Scope, if set, is requested at sign-in (§3.3).
	Scope string
	// Lists are the protected lists; default one list like the demo's
	// (GET /api/items, {items:[…], total}, offset/limit paging), since an
	// OAuth 2.0 server says nothing about its resource API.
	Lists []api.ListSpec
}

// OAuth2Password is the profile of an RFC 6749 authorization server used
// with the resource owner password credentials grant (§4.3) and refresh
// (§6): form-encoded requests, snake_case answers with expires_in seconds
// (§5.1), and errors as {error, error_description} (§5.2). An invalid_grant
// answer means wrong credentials at sign-in and an ended session at
// refresh; the api client tells those apart by the call, not the body.
func OAuth2Password(baseURL string, o OAuth2Options) api.Profile {
	if o.Name == "" {
		o.Name = "oauth2-password"
	}
	if o.TokenPath == "" {
		o.TokenPath = "/oauth/token"
	}
	login := map[string]any{"grant_type": "password", "username": "{username}", "password": "{password}"}
	refresh := map[string]any{"grant_type": "refresh_token", "refresh_token": "{refresh_token}"}
	var headers map[string]string
	if o.ClientID != "" {
		if o.BasicClientAuth {
			// §2.3.1: both parts are form-urlencoded before base64.
			cred := url.QueryEscape(o.ClientID) + ":" + url.QueryEscape(o.ClientSecret)
			headers = map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(cred))}
		} else {
			for _, body := range []map[string]any{login, refresh} {
				body["client_id"] = o.ClientID
				if o.ClientSecret != "" {
					body["client_secret"] = o.ClientSecret
				}
			}
		}
	}
	if o.Scope != "" {
		login["scope"] = o.Scope
	}
	lists := o.Lists
	if len(lists) == 0 {
		lists = []api.ListSpec{{
			Name: "Items", Path: "/api/items", ItemsPath: "items",
			IDField: "id", TitleField: "title", SubtitleField: "subtitle",
			Paging: api.Paging{Style: api.PagingOffset, PageSize: api.DefaultPageSize, TotalPath: "total"},
		}}
	}
	tokens := api.TokenPaths{
		AccessToken: "access_token", RefreshToken: "refresh_token", TokenType: "token_type",
		Expiry: []api.ExpirySpec{{Path: "expires_in", Unit: "seconds"}},
	}
	return api.Profile{
		Name:    o.Name,
		BaseURL: baseURL,
		Login: api.LoginSpec{
			RequestSpec:   api.RequestSpec{Method: "POST", Path: o.TokenPath, Encoding: "form", Body: login, Headers: headers},
			Tokens:        tokens,
			UsernameLabel: api.DefaultUsernameLabel,
		},
		Refresh: &api.RefreshSpec{
			RequestSpec: api.RequestSpec{Method: "POST", Path: o.TokenPath, Encoding: "form", Body: refresh, Headers: maps.Clone(headers)},
		},
		// §5.2 errors are found by the automatic detection.
		ExpiredStatuses: []int{401},
		Lists:           lists,
	}
}
