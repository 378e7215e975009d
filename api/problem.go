package api

import (
	"fmt"
	"strings"
)

// A Problem is one thing wrong with a profile.
type Problem struct {
	// Field is the dotted key path as a profile file spells it:
	// "base_url", "login.tokens.access_token", "lists[1].paging.style";
	// empty for the profile as a whole.
	Field string
	// Message says what is wrong and, where it can, how to fix it.
	Message string

	// cause is the sentinel behind the problem, if any
	// (ErrInsecureBaseURL), for errors.Is on New's error.
	cause error
}

// String is "field: message".
func (p Problem) String() string {
	if p.Field == "" {
		return p.Message
	}
	return p.Field + ": " + p.Message
}

// ProfileError is New's refusal of a profile: every problem Validate found.
type ProfileError struct {
	Problems []Problem
}

// maxNamed is how many problems ProfileError's text names.
const maxNamed = 3

// Unwrap is the sentinels behind the problems (ErrInsecureBaseURL).
func (e *ProfileError) Unwrap() []error {
	var causes []error
	for _, p := range e.Problems {
		if p.cause != nil {
			causes = append(causes, p.cause)
		}
	}
	return causes
}

func (e *ProfileError) Error() string {
	named := make([]string, 0, maxNamed)
	for _, p := range e.Problems[:min(len(e.Problems), maxNamed)] {
		named = append(named, p.String())
	}
	msg := "api: invalid profile: " + strings.Join(named, "; ")
	if more := len(e.Problems) - len(named); more > 0 {
		msg += fmt.Sprintf(" (and %d more)", more)
	}
	return msg
}

// checker collects a profile's problems in the order of the file format.
type checker struct {
	probs   []Problem
	origins map[string]string // the profile's declared origins, by name
	base    string            // base_url
}

func (c *checker) add(field, format string, args ...any) {
	c.probs = append(c.probs, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}
