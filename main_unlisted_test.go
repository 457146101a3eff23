package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
)

// The synth reports each value acceptUnlisted let through, naming the key
// and the list to refresh, and nothing for the defaults (all listed).
func TestSynthReportsUnlistedValues(t *testing.T) {
	var out bytes.Buffer
	reportUnlisted(&out, config.Default())
	if out.Len() != 0 {
		t.Errorf("the defaults are all listed, yet the synth warns:\n%s", out.String())
	}
	cfg, err := config.Parse("unlisted.yaml", []byte("acceptUnlisted: [database.engineVersion]\ndatabase:\n  engineVersion: \"16.9\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	reportUnlisted(&out, cfg)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "pilotlight: warning: database.engineVersion: 16.9 is not on spec/data.GlobalDatabaseVersions") {
		t.Errorf("want one warning naming database.engineVersion and spec/data.GlobalDatabaseVersions, got:\n%s", out.String())
	}
}
