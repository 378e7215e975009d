// Package oauth signs a person in through their browser (OAuth 2.0
// authorization code with PKCE on a loopback redirect, RFC 8252) or on
// another device (RFC 8628), against any OAuth 2.0 or OpenID Connect
// provider, and hands back the same api.Tokens and api.User as a password
// sign-in. It knows HTTP and the protocols, not the keychain or the UI: the
// session stores the result and refreshes it as usual.
//
// # The browser flow
//
//	c, _ := oauth.New(oauth.Config{Issuer: "https://id.example", ClientID: "signet"})
//	a, _ := c.Start(ctx)          // discovery (cached), loopback listener, URL
//	openBrowser(a.URL())          // or show it to copy
//	tokens, user, err := a.Wait(ctx)
//
// Start fetches the issuer's /.well-known/openid-configuration (once per
// DiscoveryTTL; a stale copy is used when a refresh fails), binds
// http://127.0.0.1:{port}/callback and builds the authorization URL. Wait
// takes the browser's return, exchanges the code and, for OIDC, verifies
// the ID token. Cancel, the context, Config.Timeout and a newer Start on the
// same Client each end the attempt cleanly: Wait returns ErrCanceled,
// ErrTimeout or ErrAbandoned and the listener is closed.
//
// # Security properties
//
//   - state: 32 random bytes per attempt. The listener compares it in
//     constant time and ignores any request without it (a stale tab, a
//     forged link): the attempt keeps waiting for the real answer. This
//     stops cross-site request forgery into the loopback.
//   - PKCE S256 (RFC 7636): the verifier never leaves this process; the URL
//     carries only its hash. A code intercepted on its way back (another
//     app on the same port, a browser extension, a log) is useless without
//     it, and the provider refuses the exchange.
//   - nonce (OIDC): 32 random bytes bound into the ID token, checked after
//     go-oidc has verified its signature against the provider's JWKS, its
//     iss (the discovered issuer, exactly), aud (this client ID) and exp. A
//     token replayed from another sign-in or minted for another client is
//     refused with an *IDTokenError.
//   - Loopback only: the listener binds 127.0.0.1 (and [::1] when asked,
//     or for the localhost name), never a wildcard address, so nothing on
//     the network can reach it. It answers a GET on the redirect path only,
//     only when the Host header is the redirect's own host (a page that
//     rebinds its DNS name to 127.0.0.1 is turned away), answers once, and
//     closes. Its pages send no Referer and cannot be framed.
//   - Origins (design R12): the issuer and every endpoint, configured or
//     discovered, must be https unless they are on this computer. The
//     provider's error text is cleaned and capped before it is shown;
//     tokens never appear in an error.
//
// A client secret, when a provider insists on one, is sent with HTTP Basic
// auth; it is not a secret in a desktop app, and PKCE is what protects the
// code. Public clients name themselves in the request body.
//
// # The device flow
//
// StartDevice returns the user code, the verification URI (and the
// complete one with the code, for a QR code) and the expiry; Wait polls at
// the provider's interval through authorization_pending, adds 5 s on each
// slow_down, and ends with ErrExpired on expired_token or expiry, or a
// *ProviderError matching ErrAccessDenied when the person refuses.
//
// # After sign-in
//
// Refresh redeems a refresh token at the token endpoint (invalid_grant is
// an *api.Error of kind api.KindRefreshRefused, as the session expects),
// Revoke revokes the refresh token on sign-out (RFC 7009), LogoutURL is the
// provider's RP-initiated logout URL. api.Tokens.IDToken keeps the ID token
// for the id_token_hint.
package oauth
