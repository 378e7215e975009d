package demo

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Paging limits of /api/items.
const (
	defaultPageLimit = 50
	maxPageLimit     = 1000
)

// bearerToken returns the token of an "Authorization: Bearer" header; the
// scheme is case-insensitive (RFC 9110 11.1).
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// requireToken guards a protected endpoint: a valid, unexpired access token
// whose session is still live, or 401 with the RFC 6750 challenge.
func (s *Server) requireToken(next func(http.ResponseWriter, *http.Request, *accessClaims)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, ok := bearerToken(r)
		if !ok {
			s.unauthorized(w, descTokenMissing)
			return
		}
		claims, problem := s.signer.verify(raw)
		if problem != "" {
			s.unauthorized(w, problem)
			return
		}
		live, err := s.st.sessionLive(claims.SessionID)
		if err != nil {
			s.internalError(w, "checking session", err)
			return
		}
		if !live {
			s.unauthorized(w, descTokenRevoked)
			return
		}
		next(w, r, claims)
	}
}

// unauthorized answers 401 invalid_token. The challenge names the error
// even when the token is missing: clients key their refresh on it.
func (s *Server) unauthorized(w http.ResponseWriter, description string) {
	s.stats.unauthorized.Add(1)
	w.Header().Set("WWW-Authenticate",
		fmt.Sprintf(`Bearer error="%s", error_description="%s"`, errInvalidToken, description))
	writeError(w, http.StatusUnauthorized, errInvalidToken, description)
}

type itemsPage struct {
	Items  []Item `json:"items"`
	Total  int    `json:"total"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
}

// handleItems serves GET /api/items?offset=&limit=&q=. q filters by a
// case-insensitive match on title, subtitle, category and tags; total counts
// the matches, and is also sent as X-Total-Count.
func (s *Server) handleItems(w http.ResponseWriter, r *http.Request, claims *accessClaims) {
	q := r.URL.Query()
	offset, err := queryInt(q.Get("offset"), 0)
	if err != nil || offset < 0 {
		writeError(w, http.StatusBadRequest, errInvalidRequest, "offset must be a whole number, 0 or more.")
		return
	}
	limit, err := queryInt(q.Get("limit"), defaultPageLimit)
	if err != nil || limit < 1 {
		writeError(w, http.StatusBadRequest, errInvalidRequest,
			fmt.Sprintf("limit must be a whole number from 1 to %d.", maxPageLimit))
		return
	}
	limit = min(limit, maxPageLimit)

	matches := s.catalog
	if term := strings.ToLower(strings.TrimSpace(q.Get("q"))); term != "" {
		matches = nil
		for _, it := range s.catalog {
			if itemMatches(it, term) {
				matches = append(matches, it)
			}
		}
	}
	page := []Item{}
	if offset < len(matches) {
		page = matches[offset:min(offset+limit, len(matches))]
	}

	s.stats.listCalls.Add(1)
	if claims.Generation > 0 {
		s.stats.listCallsRenewed.Add(1)
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(len(matches)))
	writeJSON(w, http.StatusOK, itemsPage{Items: page, Total: len(matches), Offset: offset, Limit: limit})
}

func queryInt(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}

func itemMatches(it Item, term string) bool {
	fields := append([]string{it.Title, it.Subtitle, it.Category}, it.Tags...)
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), term) {
			return true
		}
	}
	return false
}

// handleMe serves GET /api/me: the signed-in user.
func (s *Server) handleMe(w http.ResponseWriter, _ *http.Request, claims *accessClaims) {
	user, found, err := s.st.userByID(claims.Subject)
	if err != nil {
		s.internalError(w, "reading user", err)
		return
	}
	if !found {
		s.unauthorized(w, descTokenInvalid)
		return
	}
	s.stats.meCalls.Add(1)
	writeJSON(w, http.StatusOK, toUserJSON(user))
}
