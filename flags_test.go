package main

import (
	"bytes"
	"errors"
	"flag"
	"log/slog"
	"strings"
	"testing"
	"time"

	"signet/demo"
)

func TestParseFlags_DefaultsRunTheEmbeddedDemo(t *testing.T) {
	o, err := parseFlags(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.server != "" || o.tokenTTL != demo.DefaultTokenTTL || o.logLevel != slog.LevelInfo || o.version {
		t.Errorf("defaults: %+v", o)
	}
}

func TestParseFlags_AcceptsWhatTheREADMEShows(t *testing.T) {
	o, err := parseFlags([]string{"--server", "http://127.0.0.1:8080/", "--log-level", "debug"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.server != "http://127.0.0.1:8080" || o.logLevel != slog.LevelDebug {
		t.Errorf("got %+v", o)
	}
	o, err = parseFlags([]string{"--token-ttl", "30s"}, &bytes.Buffer{})
	if err != nil || o.tokenTTL != 30*time.Second {
		t.Errorf("--token-ttl 30s: %+v, %v", o, err)
	}
}

func TestParseFlags_ExplainsBadFlagsInWords(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--log-level", "loud"}, "--log-level must be info or debug"},
		{[]string{"--token-ttl", "500ms"}, "at least 1s"},
		{[]string{"--server", "ftp://example.com"}, "--server wants a URL"},
		{[]string{"--server", "127.0.0.1:8080"}, "--server wants a URL"},
		{[]string{"--server", "http://127.0.0.1:8080", "--token-ttl", "5s"}, "can't be used with --server"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--bogus"}, "flag provided but not defined"},
	} {
		var stderr bytes.Buffer
		_, err := parseFlags(tc.args, &stderr)
		if !errors.Is(err, errBadFlags) {
			t.Errorf("%q: err %v, want errBadFlags", tc.args, err)
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: stderr %q, want it to say %q", tc.args, stderr.String(), tc.want)
		}
	}
}

func TestParseFlags_HelpIsNotAnError(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseFlags([]string{"-help"}, &stderr)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "demo-server") {
		t.Errorf("err %v, usage %q", err, stderr.String())
	}
}

func TestRun_VersionAndExitCodes(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--version"}, &stdout, &stderr); code != 0 || stdout.String() != "signet "+version+"\n" {
		t.Errorf("--version: code %d, stdout %q", code, stdout.String())
	}
	if code := run([]string{"--log-level", "loud"}, &stdout, &stderr); code != 2 {
		t.Errorf("bad flag: code %d, want 2", code)
	}
	if code := run([]string{"-h"}, &stdout, &stderr); code != 0 {
		t.Errorf("-h: code %d, want 0", code)
	}
}
