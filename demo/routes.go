package demo

import (
	"log/slog"
	"net/http"
	"time"

	"signet/internal/statusrec"
)

// routes builds the API. Endpoints that a Config switches off are not
// registered at all, so they answer 404 like on a server that lacks them.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/login", s.handleLogin)
	if !s.cfg.DisableRefresh {
		mux.HandleFunc("POST /auth/refresh", s.handleRefresh)
	}
	mux.HandleFunc("POST /auth/logout", s.handleLogout)
	mux.HandleFunc("GET /api/items", s.requireToken(s.handleItems))
	mux.HandleFunc("GET /api/me", s.requireToken(s.handleMe))
	s.oauth.routes(mux)
	if s.cfg.Stats {
		mux.HandleFunc("GET /stats", s.handleStats)
	}
	return s.logRequests(mux)
}

func (s *Server) handleStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Stats())
}

// logRequests logs one line per request: method, path (never the query or
// headers, where secrets could be), status and duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusrec.Writer{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.Status
		if status == 0 {
			status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Duration("took", time.Since(start)))
	})
}
