package reliability

import (
	"testing"
)

// row is one line of the fault matrix: what the server or the keychain
// does, and what Signet must end in. docs/RELIABILITY.md lists the same
// rows by name (TestReliabilityDoc_ListsEveryRow keeps them in step).
type row struct {
	name   string
	expect string
	run    func(t *testing.T)
}

func matrix() []row {
	var rows []row
	add := func(name, expect string, run func(t *testing.T)) {
		rows = append(rows, row{name, expect, run})
	}

	// Refresh refused: the session is over.
	add("refresh_400_invalid_grant", "Expired, keychain wiped, username kept", refreshRefused(refusedBy400))
	add("refresh_401_revoked_session", "Expired, keychain wiped, username kept", refreshRefused(refusedByRevocation))
	add("refresh_401_expired_refresh_token", "Expired, keychain wiped, username kept", refreshRefused(refusedByExpiry))

	// Refresh can't get an answer: signed in, retrying, recovering alone.
	for _, f := range offlineFaults() {
		add("refresh_"+f.name, "Offline, capped backoff, recovers by itself", offline(f))
	}
	add("offline_concurrent_calls_share_attempts", "one refresh attempt per burst of calls", offlineCallsShareAttempts)

	add("second_401_after_fresh_token", "authorisation error on the list, one refresh, no loop", secondUnauthorized)

	for _, b := range badTokenBodies() {
		add("refresh_answer_"+b.name, "clear error, stored tokens unchanged, still signed in", badRefreshAnswer(b))
	}
	for _, f := range loginFaults() {
		add("login_"+f.name, "clear message on the form, nothing stored", badLogin(f))
	}

	for _, e := range expiryCases() {
		add("expiry_"+e.name, e.expect, expiryRow(e))
	}

	add("non_replayable_body_401", "401 returned, not replayed; next call uses the renewed token", nonReplayable)
	add("concurrent_500_calls_slow_refresh", "one refresh, all calls succeed, no stale token after it", concurrentCalls)
	add("two_copies_rotating_refresh", "both copies signed in, no reuse detected", twoCopies)
	add("sigkill_during_sign_in_and_refresh", "every restart signed in or cleanly asked to sign in", sigkillLoop)

	add("keychain_no_bus_at_start", "SignedIn, MemoryOnly with notice, nothing persisted", keychainNoBus)
	add("keychain_locked_at_restore", "Expired with notice and username; sign-in works in memory", keychainLockedAtRestore)
	add("keychain_locked_at_sign_in", "SignedIn, MemoryOnly with notice", keychainLockedAtSignIn)
	add("keychain_slow_call_times_out", "SignedIn, MemoryOnly with notice, within the timeout", keychainSlow)
	add("keychain_write_fails_during_refresh", "SignedIn on the new token, MemoryOnly with notice", keychainWriteFailsOnRefresh)

	add("sign_out_while_offline", "SignedOut at once, keychain empty", signOutOffline)
	add("sign_out_logout_hangs", "SignedOut at once; logout bounded by its timeout", signOutLogoutHangs)
	add("sign_out_with_calls_in_flight", "calls cancelled, SignedOut, keychain empty", signOutInFlight)

	add("profile_plain_http_remote_host", "refused with a message", plainHTTPRefused)
	add("redirect_to_other_host_list", "refused in words; nothing reaches the other host", redirectList)
	add("redirect_to_other_host_login", "password never replayed to the other host", redirectLogin)
	return rows
}

// TestFaultMatrix runs every row of the matrix over real HTTP against the
// demo backend.
func TestFaultMatrix(t *testing.T) {
	for _, r := range matrix() {
		t.Run(r.name, r.run)
	}
}
