package profile_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Fakes of real products, each answering exactly as that product's public
// API documentation shows (bodies, field names, casing, statuses, error
// bodies), for the ready profiles in assets/profiles. Each is strict about
// what it accepts: a profile that sends the wrong field, casing, encoding
// or paging parameter fails its test.

const fakeAPIKey = "test-api-key-123"

// readyItems is the backend's items as a product names its fields.
func readyItems(b *backend, from, n int, shape func(item) map[string]any) []map[string]any {
	out := []map[string]any{}
	for _, it := range b.window(from, n) {
		out = append(out, shape(it))
	}
	return out
}

func intParam(q url.Values, name string) (int, bool) {
	n, err := strconv.Atoi(q.Get(name))
	return n, err == nil && n >= 0
}

func formBody(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		http.Error(w, "want a form", http.StatusUnsupportedMediaType)
		return nil, false
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, false
	}
	return r.PostForm, true
}

// dummyJSONServer: https://dummyjson.com/docs/auth and /docs/products.
func dummyJSONServer(b *backend) http.Handler {
	b.jwtKey = []byte("dummyjson")
	mux := http.NewServeMux()
	user := map[string]any{"id": 1, "username": testUser, "email": "emily.johnson@x.dummyjson.com", "firstName": "Emily", "lastName": "Johnson", "gender": "female", "image": "https://dummyjson.com/icon/emilys/128"}
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Username, Password string
			ExpiresInMins      *float64
		}
		if !decodeJSON(w, r, &in) {
			return
		}
		if in.ExpiresInMins == nil || *in.ExpiresInMins != 30 {
			writeJSON(w, 400, map[string]any{"message": "expiresInMins must be a number"})
			return
		}
		at, rt, ok := b.signIn(in.Username, in.Password)
		if !ok {
			writeJSON(w, 400, map[string]any{"message": "Invalid credentials"})
			return
		}
		out := map[string]any{"accessToken": at, "refreshToken": rt}
		for k, v := range user {
			out[k] = v
		}
		writeJSON(w, 200, out)
	})
	mux.HandleFunc("POST /auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ RefreshToken string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, rt, ok := b.renew(in.RefreshToken)
		if !ok {
			writeJSON(w, 401, map[string]any{"message": "Invalid refresh token"})
			return
		}
		writeJSON(w, 200, map[string]any{"accessToken": at, "refreshToken": rt})
	})
	authed := func(w http.ResponseWriter, r *http.Request) bool {
		if _, ok := b.bearerUser(r); !ok {
			writeJSON(w, 401, map[string]any{"message": "Token Expired!"})
			return false
		}
		return true
	}
	mux.HandleFunc("GET /auth/me", func(w http.ResponseWriter, r *http.Request) {
		if authed(w, r) {
			writeJSON(w, 200, user)
		}
	})
	products := func(w http.ResponseWriter, r *http.Request, all []item) {
		q := r.URL.Query()
		limit, ok1 := intParam(q, "limit")
		skip, ok2 := intParam(q, "skip")
		if !ok1 || !ok2 {
			http.Error(w, "want limit and skip", 400)
			return
		}
		sub := &backend{items: all}
		writeJSON(w, 200, map[string]any{"products": readyItems(sub, skip, limit, func(it item) map[string]any {
			return map[string]any{"id": it.ID, "title": it.Title, "brand": it.Subtitle}
		}), "total": len(all), "skip": skip, "limit": limit})
	}
	mux.HandleFunc("GET /auth/products", func(w http.ResponseWriter, r *http.Request) {
		if authed(w, r) {
			products(w, r, b.items) // ?q= is ignored here, as on the real server
		}
	})
	mux.HandleFunc("GET /auth/products/search", func(w http.ResponseWriter, r *http.Request) {
		if !authed(w, r) {
			return
		}
		var hits []item
		for _, it := range b.items {
			if strings.Contains(strings.ToLower(it.Title), strings.ToLower(r.URL.Query().Get("q"))) {
				hits = append(hits, it)
			}
		}
		products(w, r, hits)
	})
	return mux
}

// directusServer: Directus /auth/login, /auth/refresh, /auth/logout,
// /users/me and /users with meta=total_count.
func directusServer(b *backend) http.Handler {
	b.rotate = true
	mux := http.NewServeMux()
	fail := func(w http.ResponseWriter, status int, msg, code string) {
		writeJSON(w, status, map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}}})
	}
	tokens := func(w http.ResponseWriter, at, rt string) {
		writeJSON(w, 200, map[string]any{"data": map[string]any{"access_token": at, "expires": 900000, "refresh_token": rt}})
	}
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Email, Password, Mode string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, rt, ok := b.signIn(in.Email, in.Password)
		if !ok || in.Mode != "json" {
			fail(w, 401, "Invalid user credentials.", "INVALID_CREDENTIALS")
			return
		}
		tokens(w, at, rt)
	})
	mux.HandleFunc("POST /auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			RefreshToken string `json:"refresh_token"`
			Mode         string
		}
		if !decodeJSON(w, r, &in) {
			return
		}
		at, rt, ok := b.renew(in.RefreshToken)
		if !ok || in.Mode != "json" {
			fail(w, 401, "Invalid user credentials.", "INVALID_CREDENTIALS")
			return
		}
		tokens(w, at, rt)
	})
	mux.HandleFunc("POST /auth/logout", func(w http.ResponseWriter, r *http.Request) {
		b.logout()
		w.WriteHeader(http.StatusNoContent)
	})
	authed := func(w http.ResponseWriter, r *http.Request) bool {
		if _, ok := b.bearerUser(r); !ok {
			fail(w, 401, "Token expired.", "TOKEN_EXPIRED")
			return false
		}
		return true
	}
	mux.HandleFunc("GET /users/me", func(w http.ResponseWriter, r *http.Request) {
		if authed(w, r) {
			writeJSON(w, 200, map[string]any{"data": map[string]any{"id": "0b4e", "first_name": "Ada", "last_name": "Lovelace", "email": testUser}})
		}
	})
	mux.HandleFunc("GET /users", func(w http.ResponseWriter, r *http.Request) {
		if !authed(w, r) {
			return
		}
		q := r.URL.Query()
		limit, ok1 := intParam(q, "limit")
		offset, ok2 := intParam(q, "offset")
		if !ok1 || !ok2 || q.Get("meta") != "total_count" {
			fail(w, 400, "Invalid query.", "INVALID_QUERY")
			return
		}
		writeJSON(w, 200, map[string]any{"data": readyItems(b, offset, limit, func(it item) map[string]any {
			return map[string]any{"id": strconv.Itoa(it.ID), "email": it.Title, "first_name": it.Subtitle}
		}), "meta": map[string]any{"total_count": len(b.items)}})
	})
	return mux
}

// strapiServer: Strapi 5 /api/auth/local, /api/users/me and a collection
// type with pagination[page]/pagination[pageSize].
func strapiServer(b *backend) http.Handler {
	b.jwtKey = []byte("strapi")
	mux := http.NewServeMux()
	fail := func(w http.ResponseWriter, status int, name, msg string) {
		writeJSON(w, status, map[string]any{"data": nil, "error": map[string]any{"status": status, "name": name, "message": msg, "details": map[string]any{}}})
	}
	user := map[string]any{"id": 1, "documentId": "x1y2", "username": "ada", "email": testUser, "provider": "local", "confirmed": true, "blocked": false}
	mux.HandleFunc("POST /api/auth/local", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Identifier, Password string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, _, ok := b.signIn(in.Identifier, in.Password)
		if !ok {
			fail(w, 400, "ValidationError", "Invalid identifier or password")
			return
		}
		writeJSON(w, 200, map[string]any{"jwt": at, "user": user})
	})
	authed := func(w http.ResponseWriter, r *http.Request) bool {
		if _, ok := b.bearerUser(r); !ok {
			fail(w, 401, "UnauthorizedError", "Missing or invalid credentials")
			return false
		}
		return true
	}
	mux.HandleFunc("GET /api/users/me", func(w http.ResponseWriter, r *http.Request) {
		if authed(w, r) {
			writeJSON(w, 200, user)
		}
	})
	mux.HandleFunc("GET /api/articles", func(w http.ResponseWriter, r *http.Request) {
		if !authed(w, r) {
			return
		}
		q := r.URL.Query()
		page, ok1 := intParam(q, "pagination[page]")
		size, ok2 := intParam(q, "pagination[pageSize]")
		if !ok1 || !ok2 || page < 1 || len(q) != 2 {
			fail(w, 400, "ValidationError", "Invalid key "+r.URL.RawQuery)
			return
		}
		writeJSON(w, 200, map[string]any{"data": readyItems(b, (page-1)*size, size, func(it item) map[string]any {
			return map[string]any{"id": it.ID, "documentId": strconv.Itoa(it.ID), "title": it.Title, "description": it.Subtitle}
		}), "meta": map[string]any{"pagination": map[string]any{"page": page, "pageSize": size, "pageCount": (len(b.items) + size - 1) / size, "total": len(b.items)}}})
	})
	return mux
}

// pocketBaseServer: PocketBase auth-with-password, auth-refresh (the
// current token in Authorization, with or without "Bearer ") and records
// with page/perPage.
func pocketBaseServer(b *backend) http.Handler {
	b.jwtKey = []byte("pocketbase")
	mux := http.NewServeMux()
	fail := func(w http.ResponseWriter, status int, msg string) {
		writeJSON(w, status, map[string]any{"status": status, "message": msg, "data": map[string]any{}})
	}
	record := map[string]any{"id": "r4nd0m1d", "collectionName": "users", "email": testUser, "name": "Ada", "verified": true}
	mux.HandleFunc("POST /api/collections/users/auth-with-password", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Identity, Password string }
		if !decodeJSON(w, r, &in) {
			return
		}
		at, _, ok := b.signIn(in.Identity, in.Password)
		if !ok {
			fail(w, 400, "Failed to authenticate.")
			return
		}
		writeJSON(w, 200, map[string]any{"token": at, "record": record})
	})
	tokenUser := func(r *http.Request) (string, bool) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		b.mu.Lock()
		defer b.mu.Unlock()
		u, ok := b.access[tok]
		return u, ok
	}
	mux.HandleFunc("POST /api/collections/users/auth-refresh", func(w http.ResponseWriter, r *http.Request) {
		user, ok := tokenUser(r)
		if !ok {
			fail(w, 401, "The request requires valid record authorization token.")
			return
		}
		b.mu.Lock()
		b.refreshes++
		at := b.issueLocked(user)
		b.mu.Unlock()
		writeJSON(w, 200, map[string]any{"token": at, "record": record})
	})
	mux.HandleFunc("GET /api/collections/users/records", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := tokenUser(r); !ok {
			fail(w, 401, "The request requires valid record authorization token.")
			return
		}
		q := r.URL.Query()
		page, ok1 := intParam(q, "page")
		per, ok2 := intParam(q, "perPage")
		if !ok1 || !ok2 || page < 1 {
			fail(w, 400, "Something went wrong while processing your request.")
			return
		}
		writeJSON(w, 200, map[string]any{"page": page, "perPage": per, "totalItems": len(b.items), "totalPages": (len(b.items) + per - 1) / per,
			"items": readyItems(b, (page-1)*per, per, func(it item) map[string]any {
				return map[string]any{"id": strconv.Itoa(it.ID), "email": it.Title, "name": it.Subtitle}
			})})
	})
	return mux
}

// keycloakServer: the openid-connect token, logout and userinfo endpoints
// of the master realm, and the Admin REST API's users with first/max.
func keycloakServer(b *backend) http.Handler {
	b.rotate = true
	mux := http.NewServeMux()
	const realm = "/realms/master/protocol/openid-connect"
	oauthErr := func(w http.ResponseWriter, status int, code, desc string) {
		writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
	}
	tokens := func(w http.ResponseWriter, at, rt string) {
		writeJSON(w, 200, map[string]any{"access_token": at, "expires_in": 60, "refresh_expires_in": 1800, "refresh_token": rt,
			"token_type": "Bearer", "not-before-policy": 0, "session_state": "5e1", "scope": "profile email"})
	}
	mux.HandleFunc("POST "+realm+"/token", func(w http.ResponseWriter, r *http.Request) {
		f, ok := formBody(w, r)
		if !ok {
			return
		}
		if f.Get("client_id") != "admin-cli" {
			oauthErr(w, 401, "invalid_client", "Invalid client or Invalid client credentials")
			return
		}
		switch f.Get("grant_type") {
		case "password":
			at, rt, ok := b.signIn(f.Get("username"), f.Get("password"))
			if !ok {
				oauthErr(w, 401, "invalid_grant", "Invalid user credentials")
				return
			}
			tokens(w, at, rt)
		case "refresh_token":
			at, rt, ok := b.renew(f.Get("refresh_token"))
			if !ok {
				oauthErr(w, 400, "invalid_grant", "Token is not active")
				return
			}
			tokens(w, at, rt)
		default:
			oauthErr(w, 400, "unsupported_grant_type", "Unsupported grant_type")
		}
	})
	mux.HandleFunc("POST "+realm+"/logout", func(w http.ResponseWriter, r *http.Request) {
		if f, ok := formBody(w, r); ok && f.Get("client_id") == "admin-cli" && f.Get("refresh_token") != "" {
			b.logout()
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("GET "+realm+"/userinfo", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			oauthErr(w, 401, "invalid_token", "Token verification failed")
			return
		}
		writeJSON(w, 200, map[string]any{"sub": "f3a1", "email_verified": true, "preferred_username": "ada", "email": testUser})
	})
	mux.HandleFunc("GET /admin/realms/master/users", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			writeJSON(w, 401, map[string]any{"error": "HTTP 401 Unauthorized"})
			return
		}
		q := r.URL.Query()
		first, ok1 := intParam(q, "first")
		maxN, ok2 := intParam(q, "max")
		if !ok1 || !ok2 || q.Get("briefRepresentation") != "true" {
			writeJSON(w, 400, map[string]any{"error": "unknown_error"})
			return
		}
		writeJSON(w, 200, readyItems(b, first, maxN, func(it item) map[string]any {
			return map[string]any{"id": strconv.Itoa(it.ID), "username": it.Title, "email": it.Subtitle, "enabled": true}
		}))
	})
	return mux
}
