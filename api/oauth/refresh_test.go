package oauth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"signet/api"
)

// Any refusal from the token endpoint ends the session (the refresh is
// refused, as a 400 or 401 to a profile's own [refresh] call is), not only
// invalid_grant: a client the provider no longer knows would otherwise be
// retried for ever. A provider's "try again later" stays retryable.
func TestRefresh_ProviderRefusalIsRefreshRefused(t *testing.T) {
	for _, tc := range []struct {
		code    string
		status  int
		refused bool
	}{
		{"invalid_grant", http.StatusBadRequest, true},
		{"invalid_client", http.StatusUnauthorized, true},
		{"unauthorized_client", http.StatusBadRequest, true},
		{"temporarily_unavailable", http.StatusBadRequest, false},
	} {
		t.Run(tc.code, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(`{"error":"` + tc.code + `"}`))
			}))
			t.Cleanup(srv.Close)
			c := newClient(t, Config{ClientID: "signet", Endpoints: Endpoints{Authorization: srv.URL + "/authorize", Token: srv.URL + "/token"}})
			_, err := c.Refresh(context.Background(), "rt-1")
			if got := api.KindOf(err) == api.KindRefreshRefused; got != tc.refused {
				t.Fatalf("Refresh: %v (kind %v), refused %t, want %t", err, api.KindOf(err), got, tc.refused)
			}
		})
	}
}
