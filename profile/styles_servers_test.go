package profile_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fake servers, one per real-world style of Login API (../docs/profiles.md
// shows the same exchanges). Each is strict about what it accepts, so a
// client that sends the wrong encoding, field or paging parameter fails the
// test instead of passing by luck.

// pagingKeys are every style's paging parameters; a server rejects those
// that are not its own.
var pagingKeys = []string{"offset", "limit", "skip", "page", "per_page", "_page", "_limit"}

// pageParams reads exactly the wanted paging parameters as positive ints.
func pageParams(w http.ResponseWriter, r *http.Request, want ...string) ([]int, bool) {
	q := r.URL.Query()
	for _, k := range pagingKeys {
		if q.Has(k) && !slices.Contains(want, k) {
			http.Error(w, "unexpected paging parameter "+k, http.StatusBadRequest)
			return nil, false
		}
	}
	out := make([]int, len(want))
	for i, k := range want {
		n, err := strconv.Atoi(q.Get(k))
		if err != nil || n < 0 {
			http.Error(w, "missing or bad "+k, http.StatusBadRequest)
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// camelJWTServer: camelCase names, JWT access tokens (exp claim only), a
// refresh that does not rotate (the answer has no refreshToken), {message}
// errors, lists under "data" with skip/limit.
func camelJWTServer(b *backend) http.Handler {
	b.jwtKey = []byte("camel-jwt test key")
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Username, Password string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, rt, ok := b.signIn(in.Username, in.Password)
		if !ok {
			writeJSON(w, 400, map[string]any{"message": "Invalid credentials"})
			return
		}
		writeJSON(w, 200, map[string]any{"accessToken": at, "refreshToken": rt, "id": 1, "username": in.Username, "firstName": "Ada"})
	})
	mux.HandleFunc("POST /auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ RefreshToken string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, _, ok := b.renew(in.RefreshToken)
		if !ok {
			writeJSON(w, 401, map[string]any{"message": "Invalid refresh token"})
			return
		}
		writeJSON(w, 200, map[string]any{"accessToken": at})
	})
	mux.HandleFunc("POST /auth/logout", func(w http.ResponseWriter, r *http.Request) { b.logout() })
	mux.HandleFunc("GET /products", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			writeJSON(w, 401, map[string]any{"message": "Token Expired!"})
			return
		}
		p, ok := pageParams(w, r, "skip", "limit")
		if !ok {
			return
		}
		var data []map[string]any
		for _, it := range b.window(p[0], p[1]) {
			data = append(data, map[string]any{"id": it.ID, "title": it.Title, "brand": it.Subtitle})
		}
		writeJSON(w, 200, map[string]any{"data": data, "total": len(b.items), "skip": p[0], "limit": p[1]})
	})
	return mux
}

// dataWrappedServer: {"data": …} everywhere, expiresIn in milliseconds,
// rotating refresh tokens, {errors:[{message}]} errors, page/per_page.
func dataWrappedServer(b *backend) http.Handler {
	b.rotate = true
	errs := func(w http.ResponseWriter, status int, msg string) {
		writeJSON(w, status, map[string]any{"errors": []any{map[string]any{"message": msg, "code": "E_AUTH"}}})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/auth/sign-in", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Email, Password string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, rt, ok := b.signIn(in.Email, in.Password)
		if !ok {
			errs(w, 401, "Email or password is incorrect")
			return
		}
		writeJSON(w, 200, map[string]any{"data": map[string]any{
			"token": at, "refreshToken": rt, "expiresIn": 900000,
			"user": map[string]any{"id": "u_1", "fullName": "Ada Lovelace", "email": in.Email},
		}})
	})
	mux.HandleFunc("POST /api/v1/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ RefreshToken string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, rt, ok := b.renew(in.RefreshToken)
		if !ok {
			errs(w, 401, "Refresh token is invalid or was already used")
			return
		}
		writeJSON(w, 200, map[string]any{"data": map[string]any{"token": at, "refreshToken": rt, "expiresIn": 900000}})
	})
	mux.HandleFunc("GET /api/v1/projects", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			errs(w, 401, "Access token expired")
			return
		}
		p, ok := pageParams(w, r, "page", "per_page")
		if !ok || p[0] < 1 {
			return
		}
		var data []map[string]any
		for _, it := range b.window((p[0]-1)*p[1], p[1]) {
			data = append(data, map[string]any{"id": it.ID, "name": it.Title, "owner": map[string]any{"name": it.Subtitle}})
		}
		writeJSON(w, 200, map[string]any{"data": data, "meta": map[string]any{"total": len(b.items), "page": p[0]}})
	})
	return mux
}

// tokenOnlyServer: an opaque access token and nothing else, no refresh
// endpoint, {msg} errors, a /me endpoint, {items, total} with offset/limit.
func tokenOnlyServer(b *backend) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Username, Password string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, _, ok := b.signIn(in.Username, in.Password)
		if !ok {
			writeJSON(w, 401, map[string]any{"msg": "Bad username or password"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": at})
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		user, ok := b.bearerUser(r)
		if !ok {
			writeJSON(w, 401, map[string]any{"msg": "Token has expired"})
			return
		}
		writeJSON(w, 200, map[string]any{"id": 7, "display_name": "Grace Hopper", "email": user})
	})
	mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			writeJSON(w, 401, map[string]any{"msg": "Token has expired"})
			return
		}
		p, ok := pageParams(w, r, "offset", "limit")
		if !ok {
			return
		}
		var items []map[string]any
		for _, it := range b.window(p[0], p[1]) {
			items = append(items, map[string]any{"id": it.ID, "text": it.Title})
		}
		writeJSON(w, 200, map[string]any{"items": items, "total": len(b.items)})
	})
	return mux
}

// expiresAtServer: one token endpoint, the grant type in the query string,
// both expires_in and expires_at (deliberately disagreeing, so a test can
// see which one won), rotating refresh, §5.2-style errors, 403 for a dead
// token, and an apikey header that must come with every auth call.
func expiresAtServer(b *backend) http.Handler {
	b.rotate = true
	const apiKey = "public-anon-key"
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/v1/token", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("apikey") != apiKey {
			writeJSON(w, 401, map[string]any{"message": "No API key found in request"})
			return
		}
		var at, rt string
		var ok bool
		var in struct{ Email, Password, Refresh_Token string }
		if !decodeJSON(w, r, &in) {
			return
		}
		switch r.URL.Query().Get("grant_type") {
		case "password":
			if at, rt, ok = b.signIn(in.Email, in.Password); !ok {
				writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Invalid login credentials"})
				return
			}
		case "refresh_token":
			if at, rt, ok = b.renew(in.Refresh_Token); !ok {
				writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Invalid Refresh Token: Already Used"})
				return
			}
		default:
			writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "bad grant_type"})
			return
		}
		writeJSON(w, 200, map[string]any{
			"access_token": at, "token_type": "bearer", "refresh_token": rt,
			"expires_in": 3600, "expires_at": expiresAtFor(b.now()).Unix(),
			"user": map[string]any{"id": "8f3c", "email": testUser, "user_metadata": map[string]any{"name": "Ada"}},
		})
	})
	mux.HandleFunc("POST /auth/v1/logout", func(w http.ResponseWriter, r *http.Request) {
		b.logout()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /rest/v1/todos", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			writeJSON(w, 403, map[string]any{"message": "JWT expired"})
			return
		}
		p, ok := pageParams(w, r, "offset", "limit")
		if !ok {
			return
		}
		var items []map[string]any
		for _, it := range b.window(p[0], p[1]) {
			items = append(items, map[string]any{"id": it.ID, "task": it.Title, "inserted_at": it.Subtitle})
		}
		writeJSON(w, 200, map[string]any{"items": items, "total": len(b.items)})
	})
	return mux
}

// expiresAtFor is the expires_at the server sends: 50 minutes, while
// expires_in says 60, so the two can be told apart.
func expiresAtFor(now time.Time) time.Time { return now.Add(50 * time.Minute).Truncate(time.Second) }

// bareArrayServer: json-server style. Bare-array lists with _page/_limit
// and X-Total-Count, bare JSON string errors, an RFC 3339 expiresAt, and a
// refresh call that takes the refresh token as a bearer header.
func bareArrayServer(b *backend) http.Handler {
	mux := http.NewServeMux()
	expiresAt := func() string { return b.now().Add(time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339) }
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Email, Password string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, rt, ok := b.signIn(in.Email, in.Password)
		if !ok {
			writeJSON(w, 400, "Incorrect password")
			return
		}
		writeJSON(w, 200, map[string]any{"accessToken": at, "refreshToken": rt, "expiresAt": expiresAt(),
			"user": map[string]any{"id": 1, "email": in.Email}})
	})
	mux.HandleFunc("POST /token/refresh", func(w http.ResponseWriter, r *http.Request) {
		rt, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		at, _, ok := b.renew(rt)
		if !ok {
			writeJSON(w, 401, "jwt malformed")
			return
		}
		writeJSON(w, 200, map[string]any{"accessToken": at, "expiresAt": expiresAt()})
	})
	list := func(title func(item) string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if _, ok := b.bearerUser(r); !ok {
				writeJSON(w, 401, "jwt expired")
				return
			}
			p, ok := pageParams(w, r, "_page", "_limit")
			if !ok || p[0] < 1 {
				return
			}
			out := []map[string]any{}
			for _, it := range b.window((p[0]-1)*p[1], p[1]) {
				out = append(out, map[string]any{"id": it.ID, "title": title(it), "body": title(it), "author": it.Subtitle})
			}
			w.Header().Set("X-Total-Count", fmt.Sprint(len(b.items)))
			writeJSON(w, 200, out)
		}
	}
	mux.HandleFunc("GET /posts", list(func(it item) string { return it.Title }))
	mux.HandleFunc("GET /comments", list(func(it item) string { return "Comment on " + it.Title }))
	return mux
}
