package data_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/spec/data"
)

// The escape hatch: a listed value passes without a warning either way; an
// unlisted well-formed value is refused without the hatch, with an error
// that says how to open it, and accepted with a warning naming the list to
// refresh with it; a malformed value, or one a documented rule refuses, is
// refused either way.
func TestAcceptUnlisted(t *testing.T) {
	type kind int
	const (
		listed kind = iota
		unlisted
		refused
	)
	for _, c := range []struct {
		validate func(string) error
		value    string
		kind     kind
		list     string
	}{
		{data.ValidateDatabaseEngineVersion, "16.4", listed, ""},
		{data.ValidateDatabaseEngineVersion, "16.9", unlisted, "spec/data.GlobalDatabaseVersions"},
		{data.ValidateDatabaseEngineVersion, "17.6", unlisted, "spec/data.GlobalDatabaseVersions"},
		{data.ValidateDatabaseEngineVersion, "18.1", unlisted, "spec/data.GlobalDatabaseVersions"},
		{data.ValidateDatabaseEngineVersion, "16", refused, ""},
		{data.ValidateDatabaseEngineVersion, "16.4.1", refused, ""},
		{data.ValidateDatabaseEngineVersion, "v16.4", refused, ""},
		{data.ValidateDatabaseEngineVersion, "11.21", refused, ""}, // older than the list: end of support
		{data.ValidateDatabaseInstanceClass, "db.r6g.large", listed, ""},
		{data.ValidateDatabaseInstanceClass, "db.r8i.large", unlisted, "spec/data.GlobalDatabaseInstanceClasses"},
		{data.ValidateDatabaseInstanceClass, "db.x8g.2xlarge", unlisted, "spec/data.GlobalDatabaseInstanceClasses"},
		{data.ValidateDatabaseInstanceClass, "db.r7g.24xlarge", unlisted, "spec/data.GlobalDatabaseInstanceClasses"},
		{data.ValidateDatabaseInstanceClass, "db.t4g.large", refused, ""},  // burstable
		{data.ValidateDatabaseInstanceClass, "db.m7g.large", refused, ""},  // not memory optimized
		{data.ValidateDatabaseInstanceClass, "db.r8g.medium", refused, ""}, // below large
		{data.ValidateDatabaseInstanceClass, "db.serverless", refused, ""},
		{data.ValidateDatabaseInstanceClass, "cache.r8g.large", refused, ""},
		{data.ValidateDatabaseInstanceClass, "db.R8g.large", refused, ""},
		{data.ValidateCacheNodeType, "cache.r7g.large", listed, ""},
		{data.ValidateCacheNodeType, "cache.r8g.large", unlisted, "spec/data.GlobalDatastoreNodeTypes"},
		{data.ValidateCacheNodeType, "cache.c7gn.2xlarge", unlisted, "spec/data.GlobalDatastoreNodeTypes"},
		{data.ValidateCacheNodeType, "cache.t4g.large", refused, ""},
		{data.ValidateCacheNodeType, "cache.r8g.small", refused, ""},
		{data.ValidateCacheNodeType, "cache.r8g", refused, ""},
		{data.ValidateCacheNodeType, "db.r8g.large", refused, ""},
		{data.ValidateCacheEngineVersion, "7.1", listed, ""},
		{data.ValidateCacheEngineVersion, "7.2", unlisted, "spec/data.CacheEngineVersions"},
		{data.ValidateCacheEngineVersion, "6.3", unlisted, "spec/data.CacheEngineVersions"},
		{data.ValidateCacheEngineVersion, "8.0", refused, ""}, // a major whose parameter group is unknown
		{data.ValidateCacheEngineVersion, "5.0.5", refused, ""},
		{data.ValidateCacheEngineVersion, "7", refused, ""},
		{data.ValidateCacheEngineVersion, "7.x", refused, ""},
	} {
		err := c.validate(c.value)
		open, errOpen := data.AcceptUnlisted(err, true, "open the hatch")
		shut, errShut := data.AcceptUnlisted(err, false, "set acceptUnlisted")
		if shut != "" {
			t.Errorf("%s: a warning with the hatch shut: %s", c.value, shut)
		}
		switch c.kind {
		case listed:
			if err != nil || errOpen != nil || errShut != nil || open != "" {
				t.Errorf("%s (listed): err %v, open %q %v, shut %v; want no error and no warning", c.value, err, open, errOpen, errShut)
			}
		case unlisted:
			var u *data.UnlistedError
			if !errors.As(err, &u) || u.List != c.list {
				t.Errorf("%s: %v, want an UnlistedError naming %s", c.value, err, c.list)
			}
			if errShut == nil || !strings.Contains(errShut.Error(), "set acceptUnlisted") || !strings.Contains(errShut.Error(), c.list) {
				t.Errorf("%s without the hatch: %v, want a refusal naming %s and saying how to open the hatch", c.value, errShut, c.list)
			}
			if errOpen != nil || !strings.Contains(open, c.value) || !strings.Contains(open, c.list) || !strings.Contains(open, "aws ") {
				t.Errorf("%s with the hatch: warning %q, err %v; want a warning naming the value, %s and the refresh command", c.value, open, errOpen, c.list)
			}
		case refused:
			var u *data.UnlistedError
			if err == nil || errors.As(err, &u) || errOpen == nil || errShut == nil {
				t.Errorf("%s (malformed or against a rule): err %v, open %v, shut %v; want refused either way", c.value, err, errOpen, errShut)
			}
			if errShut != nil && strings.Contains(errShut.Error(), "set acceptUnlisted") {
				t.Errorf("%s: the refusal offers the hatch, which cannot accept it: %v", c.value, errShut)
			}
		}
	}
}

// An unlisted Redis OSS minor takes the default parameter group of its
// listed major; an unknown major has none.
func TestCacheParameterGroup(t *testing.T) {
	for v, want := range map[string]string{"7.1": "default.redis7", "7.2": "default.redis7", "6.3": "default.redis6.x", "5.0.7": "default.redis5.0", "8.0": ""} {
		if got := data.CacheParameterGroup(v); got != want {
			t.Errorf("CacheParameterGroup(%s) = %q, want %q", v, got, want)
		}
	}
}

// Data tiering compares versions by number, so an unlisted version is
// judged as a listed one is.
func TestDataTieringWithUnlistedVersion(t *testing.T) {
	if err := data.ValidateDataTiering("cache.r6gd.xlarge", "6.1"); err == nil {
		t.Error("r6gd on unlisted 6.1 accepted; data tiering needs 6.2")
	}
	if err := data.ValidateDataTiering("cache.r6gd.xlarge", "7.2"); err != nil {
		t.Errorf("r6gd on unlisted 7.2: %v", err)
	}
}
