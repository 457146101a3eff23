package config

import (
	"errors"
	"strings"
	"testing"
)

// acceptUnlisted: a listed value loads without a warning; an unlisted
// well-formed value is refused without the key (the error names the key
// and how to add it) and loads with a warning naming the list to refresh
// with it; a malformed value is refused either way, without offering the
// hatch.
func TestAcceptUnlisted(t *testing.T) {
	for _, c := range []struct {
		name, key, value string
		list             string // the list an unlisted value's warning names; "" for listed, "-" for refused
	}{
		{"listed engine version", "database.engineVersion", "16.4", ""},
		{"new Aurora minor", "database.engineVersion", "16.9", "spec/data.GlobalDatabaseVersions"},
		{"new Aurora major", "database.engineVersion", "18.1", "spec/data.GlobalDatabaseVersions"},
		{"malformed engine version", "database.engineVersion", "16.x", "-"},
		{"listed class", "database.instanceClass", "db.r7g.large", ""},
		{"new class family", "database.instanceClass", "db.r8i.large", "spec/data.GlobalDatabaseInstanceClasses"},
		{"burstable class", "database.instanceClass", "db.t4g.large", "-"},
		{"malformed class", "database.instanceClass", "r8i.large", "-"},
		{"listed node type", "cache.nodeType", "cache.m7g.large", ""},
		{"new node family", "cache.nodeType", "cache.r8g.large", "spec/data.GlobalDatastoreNodeTypes"},
		{"node below large", "cache.nodeType", "cache.r8g.medium", "-"},
		{"listed cache version", "cache.engineVersion", "7.0", ""},
		{"new Redis OSS minor", "cache.engineVersion", "7.2", "spec/data.CacheEngineVersions"},
		{"Redis OSS major without a parameter group", "cache.engineVersion", "8.0", "-"},
	} {
		section, leaf, _ := strings.Cut(c.key, ".")
		body := section + ":\n  " + leaf + ": \"" + c.value + "\"\n"
		for _, hatch := range []bool{false, true} {
			yaml := body
			if hatch {
				yaml += "acceptUnlisted: [" + c.key + "]\n"
			}
			cfg, err := Parse("unlisted.yaml", []byte(yaml))
			refusedWith := func() string {
				var problems *Problems
				if !errors.As(err, &problems) {
					return ""
				}
				for _, p := range problems.List {
					if p.Key == c.key {
						return p.Message
					}
				}
				return ""
			}()
			switch {
			case c.list == "":
				if err != nil || len(cfg.Warnings()) != 0 {
					t.Errorf("%s (hatch %v): err %v, warnings %v; want neither", c.name, hatch, err, cfg.Warnings())
				}
			case c.list == "-":
				if refusedWith == "" || strings.Contains(refusedWith, "acceptUnlisted") {
					t.Errorf("%s (hatch %v): %v; want %s refused without offering acceptUnlisted", c.name, hatch, err, c.key)
				}
			case !hatch:
				if !strings.Contains(refusedWith, "add "+c.key+" to acceptUnlisted") || !strings.Contains(refusedWith, c.list) {
					t.Errorf("%s without the hatch: %q; want a refusal of %s naming %s and saying to add it to acceptUnlisted", c.name, refusedWith, c.key, c.list)
				}
			default:
				w := cfg.Warnings()
				if err != nil || len(w) != 1 || !strings.HasPrefix(w[0], c.key+": "+c.value) || !strings.Contains(w[0], c.list) || !strings.Contains(w[0], "aws ") {
					t.Errorf("%s with the hatch: err %v, warnings %q; want one warning naming %s, %s and the refresh command", c.name, err, w, c.key, c.list)
				}
			}
		}
	}
}

// The hatch opens only the keys it names, and names only keys that have a
// list.
func TestAcceptUnlistedKeys(t *testing.T) {
	_, err := Parse("k.yaml", []byte("acceptUnlisted: [database.engineVersion, database.port, database.engineVersion]\ncache:\n  nodeType: cache.r8g.large\n"))
	for _, want := range []string{
		`acceptUnlisted[1]: "database.port": acceptUnlisted takes database.engineVersion`,
		`acceptUnlisted[2]: "database.engineVersion" twice`,
		"cache.nodeType: ",
		"add cache.nodeType to acceptUnlisted",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in:\n%v", want, err)
		}
	}
}

// Data tiering is checked on an accepted unlisted version as on a listed
// one: r6gd needs Redis OSS 6.2 or newer.
func TestDataTieringWithAnUnlistedVersion(t *testing.T) {
	_, err := Parse("t.yaml", []byte("acceptUnlisted: [cache.engineVersion]\ncache:\n  nodeType: cache.r6gd.xlarge\n  engineVersion: \"6.1\"\n"))
	if err == nil || !strings.Contains(err.Error(), "cache.nodeType: ") || !strings.Contains(err.Error(), "6.2 or newer") {
		t.Errorf("r6gd on unlisted 6.1: %v", err)
	}
	if _, err := Parse("t.yaml", []byte("acceptUnlisted: [cache.engineVersion]\ncache:\n  nodeType: cache.r6gd.xlarge\n  engineVersion: \"7.2\"\n")); err != nil {
		t.Errorf("r6gd on unlisted 7.2: %v", err)
	}
}
