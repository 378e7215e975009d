package profile_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Fakes of the hosted services among the ready profiles (Supabase, Firebase,
// Cognito), as strict as those in ready_servers_test.go.

// supabaseServer: GoTrue's /auth/v1 token and logout endpoints and
// PostgREST's /rest/v1, every call needing the apikey header.
func supabaseServer(b *backend) http.Handler {
	b.rotate = true
	mux := http.NewServeMux()
	gotrueErr := func(w http.ResponseWriter, status int, code, msg string) {
		writeJSON(w, status, map[string]any{"code": status, "error_code": code, "msg": msg})
	}
	mux.HandleFunc("POST /auth/v1/token", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Email, Password string
			RefreshToken    string `json:"refresh_token"`
		}
		if !decodeJSON(w, r, &in) {
			return
		}
		var at, rt string
		var ok bool
		switch r.URL.Query().Get("grant_type") {
		case "password":
			if at, rt, ok = b.signIn(in.Email, in.Password); !ok {
				gotrueErr(w, 400, "invalid_credentials", "Invalid login credentials")
				return
			}
		case "refresh_token":
			if at, rt, ok = b.renew(in.RefreshToken); !ok {
				gotrueErr(w, 400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
				return
			}
		default:
			gotrueErr(w, 400, "validation_failed", "unsupported_grant_type")
			return
		}
		exp := b.now().Add(time.Hour)
		writeJSON(w, 200, map[string]any{"access_token": at, "token_type": "bearer", "expires_in": 3600, "expires_at": exp.Unix(),
			"refresh_token": rt, "user": map[string]any{"id": "8f3c", "aud": "authenticated", "role": "authenticated", "email": testUser, "user_metadata": map[string]any{}}})
	})
	mux.HandleFunc("POST /auth/v1/logout", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			gotrueErr(w, 401, "no_authorization", "This endpoint requires a Bearer token")
			return
		}
		b.logout()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /rest/v1/todos", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			writeJSON(w, 401, map[string]any{"code": "PGRST303", "details": nil, "hint": nil, "message": "JWT expired"})
			return
		}
		q := r.URL.Query()
		limit, ok1 := intParam(q, "limit")
		offset, ok2 := intParam(q, "offset")
		if !ok1 || !ok2 || q.Get("select") != "*" {
			writeJSON(w, 400, map[string]any{"code": "PGRST100", "message": "failed to parse"})
			return
		}
		writeJSON(w, 200, readyItems(b, offset, limit, func(it item) map[string]any {
			return map[string]any{"id": it.ID, "task": it.Title, "is_complete": false}
		}))
	})
	return needsAPIKey("apikey", mux)
}

func needsAPIKey(header string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(header) != fakeAPIKey {
			writeJSON(w, 401, map[string]any{"message": "No API key found in request"})
			return
		}
		h.ServeHTTP(w, r)
	})
}

// firebaseServers: the Identity Toolkit sign-in, the Secure Token refresh
// and Firestore's documents list, each on its own host.
func firebaseServers(b *backend) map[string]http.Handler {
	b.rotate = false
	googleErr := func(w http.ResponseWriter, status int, msg string) {
		writeJSON(w, status, map[string]any{"error": map[string]any{"code": status, "message": msg,
			"errors": []any{map[string]any{"message": msg, "domain": "global", "reason": "invalid"}}}})
	}
	keyed := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("key") != fakeAPIKey {
				googleErr(w, 400, "API key not valid. Please pass a valid API key.")
				return
			}
			h(w, r)
		}
	}
	signIn := http.NewServeMux()
	signIn.HandleFunc("POST /v1/accounts:signInWithPassword", keyed(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Email, Password   string
			ReturnSecureToken *bool
		}
		if !decodeJSON(w, r, &in) {
			return
		}
		if in.ReturnSecureToken == nil || !*in.ReturnSecureToken {
			googleErr(w, 400, "MISSING_RETURN_SECURE_TOKEN")
			return
		}
		if _, known := b.password[in.Email]; !known {
			googleErr(w, 400, "EMAIL_NOT_FOUND")
			return
		}
		at, rt, ok := b.signIn(in.Email, in.Password)
		if !ok {
			googleErr(w, 400, "INVALID_PASSWORD")
			return
		}
		writeJSON(w, 200, map[string]any{"kind": "identitytoolkit#VerifyPasswordResponse", "localId": "uid123", "email": in.Email,
			"displayName": "", "idToken": at, "registered": true, "refreshToken": rt, "expiresIn": "3600"})
	}))
	secure := http.NewServeMux()
	secure.HandleFunc("POST /v1/token", keyed(func(w http.ResponseWriter, r *http.Request) {
		f, ok := formBody(w, r)
		if !ok {
			return
		}
		if f.Get("grant_type") != "refresh_token" {
			googleErr(w, 400, "INVALID_GRANT_TYPE")
			return
		}
		at, rt, ok := b.renew(f.Get("refresh_token"))
		if !ok {
			googleErr(w, 400, "INVALID_REFRESH_TOKEN")
			return
		}
		writeJSON(w, 200, map[string]any{"expires_in": "3600", "token_type": "Bearer", "refresh_token": rt, "id_token": at,
			"user_id": "uid123", "project_id": "123456789"})
	}))
	store := http.NewServeMux()
	store.HandleFunc("GET /v1/projects/demo-project/databases/{db}/documents/notes", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok || r.PathValue("db") != "(default)" {
			writeJSON(w, 401, map[string]any{"error": map[string]any{"code": 401, "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "status": "UNAUTHENTICATED"}})
			return
		}
		docs := readyItems(b, 0, len(b.items), func(it item) map[string]any {
			return map[string]any{"name": "projects/demo-project/databases/(default)/documents/notes/" + strconv.Itoa(it.ID),
				"fields": map[string]any{"title": map[string]any{"stringValue": it.Title}}, "createTime": "2026-01-01T00:00:00Z", "updateTime": "2026-01-02T00:00:00Z"}
		})
		writeJSON(w, 200, map[string]any{"documents": docs})
	})
	return map[string]http.Handler{"": signIn, "securetoken": secure, "firestore": store}
}

// cognitoServers: the Cognito user-pool JSON-RPC endpoint (InitiateAuth
// with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, RevokeToken) and an API
// that takes its access tokens.
func cognitoServers(b *backend) map[string]http.Handler {
	idp := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(typ, msg string) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.Header().Set("x-amzn-ErrorType", typ)
			w.WriteHeader(400)
			_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
		}
		if r.Method != http.MethodPost || r.URL.Path != "/" || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
			fail("SerializationException", "")
			return
		}
		var in struct {
			AuthFlow, ClientId, Token string
			AuthParameters            map[string]string
		}
		if json.NewDecoder(r.Body).Decode(&in) != nil || in.ClientId != fakeAPIKey {
			fail("ResourceNotFoundException", "User pool client does not exist.")
			return
		}
		ok := func(v any) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_ = json.NewEncoder(w).Encode(v)
		}
		switch r.Header.Get("X-Amz-Target") {
		case "AWSCognitoIdentityProviderService.InitiateAuth":
			switch in.AuthFlow {
			case "USER_PASSWORD_AUTH":
				at, rt, good := b.signIn(in.AuthParameters["USERNAME"], in.AuthParameters["PASSWORD"])
				if !good {
					fail("NotAuthorizedException", "Incorrect username or password.")
					return
				}
				ok(map[string]any{"AuthenticationResult": map[string]any{"AccessToken": at, "ExpiresIn": 3600, "IdToken": "id." + at, "RefreshToken": rt, "TokenType": "Bearer"}, "ChallengeParameters": map[string]any{}})
			case "REFRESH_TOKEN_AUTH":
				at, _, good := b.renew(in.AuthParameters["REFRESH_TOKEN"])
				if !good {
					fail("NotAuthorizedException", "Refresh Token has been revoked")
					return
				}
				ok(map[string]any{"AuthenticationResult": map[string]any{"AccessToken": at, "ExpiresIn": 3600, "IdToken": "id." + at, "TokenType": "Bearer"}, "ChallengeParameters": map[string]any{}})
			default:
				fail("InvalidParameterException", "Initiate Auth method not supported.")
			}
		case "AWSCognitoIdentityProviderService.RevokeToken":
			b.logout()
			ok(map[string]any{})
		default:
			fail("UnknownOperationException", "")
		}
	})
	api := http.NewServeMux()
	api.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := b.bearerUser(r); !ok {
			writeJSON(w, 401, map[string]any{"message": "Unauthorized"})
			return
		}
		writeJSON(w, 200, map[string]any{"items": readyItems(b, 0, len(b.items), func(it item) map[string]any {
			return map[string]any{"id": it.ID, "title": it.Title}
		})})
	})
	return map[string]http.Handler{"": idp, "api": api}
}
