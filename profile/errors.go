package profile

import (
	"strconv"
	"strings"
)

// A Problem is one thing wrong with a profile.
type Problem struct {
	// Field is the key as the file spells it: "base_url",
	// "login.tokens.access_token", "lists[1].paging.style".
	Field string
	// Line is where the field is, or where its table starts when the field
	// is missing; 0 when unknown (a profile built in code).
	Line int
	// Message says what is wrong and, where it can, how to fix it.
	Message string
}

// String is "line 12: login.tokens.access_token: required".
func (p Problem) String() string { return p.format("") }

func (p Problem) format(source string) string {
	var b strings.Builder
	switch {
	case source != "" && p.Line > 0:
		b.WriteString(source + ":" + strconv.Itoa(p.Line) + ": ")
	case source != "":
		b.WriteString(source + ": ")
	case p.Line > 0:
		b.WriteString("line " + strconv.Itoa(p.Line) + ": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError is every problem found in one profile, in file order, so
// a settings screen can list them all at once.
type ValidationError struct {
	// Source names the profile: a file name, a preset name, or empty.
	Source   string
	Problems []Problem
}

// Error is one line per problem, each "source:line: field: message".
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.format(e.Source)
	}
	return strings.Join(lines, "\n")
}

// Lines are the problems formatted one per entry, for a list widget.
func (e *ValidationError) Lines() []string {
	return strings.Split(e.Error(), "\n")
}
