package data_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/spec/data"
)

func TestValidators(t *testing.T) {
	good := map[string]func(string) error{
		"16.4": data.ValidateDatabaseEngineVersion, "14.3": data.ValidateDatabaseEngineVersion, "17.4": data.ValidateDatabaseEngineVersion,
		"db.r6g.large": data.ValidateDatabaseInstanceClass, "db.r7g.16xlarge": data.ValidateDatabaseInstanceClass, "db.r5.xlarge": data.ValidateDatabaseInstanceClass,
		"cache.r7g.large": data.ValidateCacheNodeType, "cache.m6g.2xlarge": data.ValidateCacheNodeType, "cache.r6gd.xlarge": data.ValidateCacheNodeType,
		"7.1": data.ValidateCacheEngineVersion, "5.0.6": data.ValidateCacheEngineVersion, "6.2": data.ValidateCacheEngineVersion,
	}
	for v, f := range good {
		if err := f(v); err != nil {
			t.Errorf("%s refused: %v", v, err)
		}
	}
	bad := map[string]struct {
		f    func(string) error
		says string
	}{
		"14.2":               {data.ValidateDatabaseEngineVersion, "14.3"},
		"10.21":              {data.ValidateDatabaseEngineVersion, "12.9 to 12.22"},
		"16":                 {data.ValidateDatabaseEngineVersion, "supports"},
		"db.t4g.medium":      {data.ValidateDatabaseInstanceClass, "burstable"},
		"db.r6g.medium":      {data.ValidateDatabaseInstanceClass, "large or bigger"},
		"db.r6gd.large":      {data.ValidateDatabaseInstanceClass, "xlarge, 2xlarge"},
		"db.r7g.32xlarge":    {data.ValidateDatabaseInstanceClass, "16xlarge"},
		"16.5":               {data.ValidateDatabaseEngineVersion, "16.4, 16.6"},
		"cache.r6gd.large":   {data.ValidateCacheNodeType, "xlarge, 2xlarge"},
		"cache.r7g.64xlarge": {data.ValidateCacheNodeType, "large or bigger"},
		"cache.x9g.large":    {data.ValidateCacheNodeType, "c7gn, m5"},
		"7.2":                {data.ValidateCacheEngineVersion, "7.0, 7.1"},
		"db.serverless":      {data.ValidateDatabaseInstanceClass, "memory-optimized"},
		"cache.t4g.medium":   {data.ValidateCacheNodeType, "m5, m6g"},
		"cache.r6g.medium":   {data.ValidateCacheNodeType, "large or bigger"},
		"5.0.5":              {data.ValidateCacheEngineVersion, "5.0.6"},
		"4.0.10":             {data.ValidateCacheEngineVersion, "5.0.6"},
		"seven":              {data.ValidateCacheEngineVersion, "5.0.6, 6.0, 6.2, 7.0, 7.1"},
	}
	for v, c := range bad {
		if err := c.f(v); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: want an error saying %q, got %v", v, c.says, err)
		}
	}
}

func TestNameLimits(t *testing.T) {
	if err := data.ValidateReplicationGroupID(strings.Repeat("a", 41)); err == nil {
		t.Error("41-character replication group id accepted (limit 40)")
	}
	// CreateDBCluster's MasterUsername takes 1 to 16 characters.
	if err := data.ValidateMasterUsername(strings.Repeat("a", 16)); err != nil {
		t.Errorf("a 16-character master user refused: %v", err)
	}
	if err := data.ValidateMasterUsername(strings.Repeat("a", 17)); err == nil {
		t.Error("a 17-character master user accepted (CreateDBCluster takes at most 16)")
	}
	if err := data.ValidateDatabaseName(strings.Repeat("a", 64)); err == nil {
		t.Error("a 64-character database name accepted (Aurora PostgreSQL takes at most 63)")
	}
}

// Every listed value passes its validator, so a list entry the validator
// cannot read would show here; and the lists hold what their sources say.
func TestEnumeratedListsAreAccepted(t *testing.T) {
	for major, versions := range data.GlobalDatabaseVersions {
		for _, v := range versions {
			if err := data.ValidateDatabaseEngineVersion(v); err != nil || !strings.HasPrefix(v, fmt.Sprint(major)+".") {
				t.Errorf("%d: %s: %v", major, v, err)
			}
		}
	}
	for family, sizes := range data.GlobalDatabaseInstanceClasses {
		for _, size := range sizes {
			if err := data.ValidateDatabaseInstanceClass("db." + family + "." + size); err != nil {
				t.Error(err)
			}
		}
	}
	for family, sizes := range data.GlobalDatastoreNodeTypes {
		for _, size := range sizes {
			if err := data.ValidateCacheNodeType("cache." + family + "." + size); err != nil {
				t.Error(err)
			}
		}
	}
	// Global Datastore prerequisites: these eight families, large and up;
	// r6gd (data tiering) has no large size.
	if got := slices.Sorted(maps.Keys(data.GlobalDatastoreNodeTypes)); !slices.Equal(got, []string{"c7gn", "m5", "m6g", "m7g", "r5", "r6g", "r6gd", "r7g"}) {
		t.Errorf("node families = %v", got)
	}
	if slices.Contains(data.GlobalDatastoreNodeTypes["r6gd"], "large") {
		t.Error("cache.r6gd.large does not exist")
	}
	// Redis OSS 5.0.6 and newer; each major's default parameter group.
	if got := data.CacheVersionsInOrder(); !slices.Equal(got, []string{"5.0.6", "6.0", "6.2", "7.0", "7.1"}) {
		t.Errorf("cache versions = %v", got)
	}
	for v, group := range map[string]string{"5.0.6": "default.redis5.0", "6.2": "default.redis6.x", "7.1": "default.redis7"} {
		if data.CacheEngineVersions[v] != group {
			t.Errorf("%s: parameter group %s, want %s", v, data.CacheEngineVersions[v], group)
		}
	}
}

// r6gd nodes tier data to SSD, which needs Redis OSS 6.2 or newer.
func TestDataTieringNeedsRedis62(t *testing.T) {
	if err := data.ValidateDataTiering("cache.r6gd.xlarge", "6.0"); err == nil || !strings.Contains(err.Error(), "6.2 or newer") {
		t.Errorf("r6gd on 6.0: %v", err)
	}
	for _, ok := range [][2]string{{"cache.r6gd.xlarge", "6.2"}, {"cache.r6gd.2xlarge", "7.1"}, {"cache.r6g.large", "5.0.6"}} {
		if err := data.ValidateDataTiering(ok[0], ok[1]); err != nil {
			t.Errorf("%v refused: %v", ok, err)
		}
	}
}
