package api

// CleanMessage makes text from a server fit to show a person: control and
// format characters become spaces, runs of space collapse, the length is
// capped, and text that looks like it carries a token becomes "" (rule
// R13). Packages that read other servers' errors (api/oauth) use it too.
func CleanMessage(s string) string { return cleanMessage(s, nil) }
