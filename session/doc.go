// Package session is Signet's session: it signs a person in through an
// api.Client, keeps the tokens in the OS keychain and the rest in
// preferences, restores them at start-up, hands out an authenticated
// http.Client that renews the token before and after it dies (one refresh at
// a time, shared by every waiting request), and tells subscribers every time
// the session changes. Rules R1, R5–R11 and R13 of docs/design.md live here.
//
// Where things happen, in the shape of golang.org/x/oauth2:
//   - token.go: Token, a token pair with its own expiry and renewal
//     behaviour (Valid, Dead, ExpiresWithin, RenewDue) and what to send
//     (Authorization).
//   - transport.go: Transport{Source, Base, Origin, Expired}, an
//     http.RoundTripper usable by any http.Client; source.go: the
//     Controller as its TokenSource and Renewer (a token due for renewal
//     that still lives goes out while the renewal runs behind it);
//     inflight.go: the context each request runs under, so sign-out
//     cancels it; origin.go: the origin check, without allocating.
//   - refresher.go: one refresh at a time, the keychain re-read before a
//     refresh token is spent, the outcome handed back through hooks;
//     refresh.go: those hooks (persist, Offline with backoff, Expired).
//   - controller.go and state.go: the Controller, which keeps the state,
//     and the one transition function; subscribe.go: its subscribers;
//     held.go: the token pair it holds, registered as secrets.
//   - storage.go: where a session is saved (one keychain entry, the
//     preferences) and the order of writes; persist.go: storage saving and
//     wiping it, and the memory-only mode when the keychain fails.
//   - signin.go, restore.go, signout.go: how a session begins and ends.
//
// # States
//
// A Controller is always in one State. It changes only through the table in
// state.go, which is this diagram (docs/design.md, "Session states"):
//
//	from        to
//	Restoring   SignedOut, SignedIn, Refreshing, Expired
//	SignedOut   SignedOut, SigningIn
//	SigningIn   SignedOut, SignedIn, Expired
//	SignedIn    SignedOut, Refreshing, Expired
//	Refreshing  SignedOut, SignedIn, Offline, Expired
//	Offline     SignedOut, Refreshing, Expired
//	Expired     SignedOut, SigningIn
//
// Restoring ends in SignedIn (a live saved token), Refreshing (a dead one
// with a refresh token), Expired (nothing can renew it, or the keychain is
// unavailable) or SignedOut (nothing saved). A failed sign-in goes back to
// where it started (SignedOut or Expired). Refreshing ends in SignedIn,
// Offline (network, timeout, 5xx: retried in the background, Offline →
// Refreshing) or Expired (refused). Sign-out reaches SignedOut from every
// state. A change the table doesn't have is a programming error: it is
// logged at error level and the state is kept (the package's tests panic
// instead).
package session
