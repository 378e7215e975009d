package profile

import (
	"sort"

	"signet/api"
	"signet/api/oauth"
)

// Validate checks a profile built in code (a preset, or one a caller
// changed) after applying the defaults, and returns the defaulted profile.
// Problems carry no line numbers, as there is no file.
func Validate(p api.Profile) (api.Profile, error) {
	p = p.WithDefaults()
	if probs := problems(p, func(string) int { return 0 }); len(probs) > 0 {
		return api.Profile{}, &ValidationError{Source: p.Name, Problems: probs}
	}
	return p, nil
}

// WithBaseURL returns p pointed at another server (a preset on the
// person's own host, an example profile on a test server), validated.
func WithBaseURL(p api.Profile, baseURL string) (api.Profile, error) {
	p = p.Clone()
	p.BaseURL = baseURL
	return Validate(p)
}

// problems are api.Profile.Validate's, each with its line, ordered by line
// so the list reads like the file; and, when there are none, what the
// oauth client refuses in [oauth] (the api package cannot ask it).
func problems(p api.Profile, lineOf func(field string) int) []Problem {
	var probs []Problem
	for _, pr := range p.Validate() {
		probs = append(probs, Problem{Field: pr.Field, Line: lineOf(pr.Field), Message: pr.Message})
	}
	if len(probs) == 0 && p.OAuth != nil {
		if _, err := oauth.New(OAuthConfig(p)); err != nil {
			probs = append(probs, Problem{Field: "oauth", Line: lineOf("oauth"), Message: err.Error()})
		}
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	return probs
}
