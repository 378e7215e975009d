package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is the demo backend: an http.Handler over a bbolt data file, which
// it can also serve itself (Start).
type Server struct {
	cfg     Config
	st      *store
	signer  signer
	log     *slog.Logger
	catalog []Item
	handler http.Handler
	stats   counters
	oauth   *oauthServer // browser and device sign-in (oauth_*.go)
	// dummyHash is checked when the username is unknown, so a wrong
	// username takes as long as a wrong password.
	dummyHash string

	// stop ends the contexts of in-flight requests on Close, so a
	// request sleeping in RefreshDelay does not hold the shutdown up.
	baseCtx context.Context
	stop    context.CancelFunc

	mu        sync.Mutex
	httpSrv   *http.Server
	url       string
	closed    bool
	closeErr  error
	closeOnce sync.Once
}

// Open opens or creates the data file, seeds the signing key and the users
// of Accounts on first use, drops sessions that have fully expired, and
// returns a server ready to serve. Close releases the file.
func Open(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	st, err := openStore(cfg.DataPath)
	if err != nil {
		return nil, err
	}
	s, err := newServer(cfg, st)
	if err != nil {
		_ = st.close()
		return nil, err
	}
	return s, nil
}

func newServer(cfg Config, st *store) (*Server, error) {
	accounts := Accounts()
	key, err := st.init(accounts, cfg.hashIterations)
	if err != nil {
		return nil, err
	}
	pruned, err := st.prune(cfg.Now())
	if err != nil {
		return nil, fmt.Errorf("demo: cleaning up expired sessions: %w", err)
	}
	first, _, err := st.userByName(accounts[0].Username)
	if err != nil {
		return nil, fmt.Errorf("demo: reading users: %w", err)
	}
	s := &Server{
		cfg:       cfg,
		st:        st,
		signer:    signer{key: key, ttl: cfg.TokenTTL, now: cfg.Now},
		log:       cfg.Logger,
		catalog:   Catalog(),
		dummyHash: first.PasswordHash,
	}
	if s.oauth, err = newOAuthServer(s); err != nil {
		return nil, err
	}
	s.baseCtx, s.stop = context.WithCancel(context.Background())
	s.handler = dateFromClock(cfg.Now, s.routes())
	if pruned > 0 {
		s.log.Info("removed expired sessions", "count", pruned)
	}
	return s, nil
}

// Handler is the HTTP API, for use with httptest or another server.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the
// background until Close. It returns the base URL, e.g.
// "http://127.0.0.1:41234".
func (s *Server) Start(addr string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return "", errors.New("demo: the server is closed")
	case s.httpSrv != nil:
		return "", errors.New("demo: the server is already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("demo: cannot listen on %s: %w", addr, err)
	}
	s.httpSrv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		// The write deadline includes the handler's run time, and a
		// refresh deliberately takes RefreshDelay.
		WriteTimeout: 30*time.Second + s.cfg.RefreshDelay,
		IdleTimeout:  60 * time.Second,
		BaseContext:  func(net.Listener) context.Context { return s.baseCtx },
		ErrorLog:     slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.url = "http://" + ln.Addr().String()
	go func(srv *http.Server) {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("demo server stopped", "err", err)
		}
	}(s.httpSrv)
	return s.url, nil
}

// URL is the base URL Start returned, or "" before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats sets every counter to zero.
func (s *Server) ResetStats() { s.stats.reset() }

// RevokeUserSessions ends every session of the user, as an operator or a
// password change would: their refresh tokens are refused and their access
// tokens stop working at once. It returns how many sessions it ended.
func (s *Server) RevokeUserSessions(username string) (int, error) {
	u, found, err := s.st.userByName(username)
	if err != nil {
		return 0, err
	}
	if !found {
		return 0, fmt.Errorf("demo: no user %q", username)
	}
	n, err := s.st.revokeUser(u.ID, s.cfg.Now(), reasonAdmin)
	if err == nil {
		s.log.Info("sessions revoked", "user", u.ID, "count", n, "reason", reasonAdmin)
	}
	return n, err
}

// Close stops serving (waiting briefly for requests in flight) and closes
// the data file; a temporary one is deleted. Calling it again is harmless.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		srv := s.httpSrv
		s.mu.Unlock()

		s.stop()
		var errs []error
		if srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := srv.Shutdown(ctx); err != nil {
				// Past the grace period, close what is left. What keeps
				// Shutdown waiting is most often a connection a client
				// dialed and never used (net/http counts one as idle only
				// after 5 s): ending it is no failure of the server's.
				s.log.Debug("demo server: closing connections still open after the grace period", "err", err)
				errs = append(errs, srv.Close())
			}
			cancel()
		}
		errs = append(errs, s.st.close())
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// dateFromClock sends the Date header from the demo's own clock, as a real
// server's Date comes from its clock: a demo run on a skewed or fake clock
// must look skewed to the client too (design R8 corrects expiries by it).
func dateFromClock(now func() time.Time, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", now().UTC().Format(http.TimeFormat))
		next.ServeHTTP(w, r)
	})
}
