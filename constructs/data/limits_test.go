package data_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/constructs/data"
)

func TestValidators(t *testing.T) {
	good := map[string]func(string) error{
		"16.4": data.ValidateDatabaseEngineVersion, "14.3": data.ValidateDatabaseEngineVersion, "17.4": data.ValidateDatabaseEngineVersion,
		"db.r6g.large": data.ValidateDatabaseInstanceClass, "db.r7g.16xlarge": data.ValidateDatabaseInstanceClass, "db.r5.xlarge": data.ValidateDatabaseInstanceClass,
		"cache.r7g.large": data.ValidateCacheNodeType, "cache.m6g.2xlarge": data.ValidateCacheNodeType,
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
		"14.2":             {data.ValidateDatabaseEngineVersion, "14.3"},
		"10.21":            {data.ValidateDatabaseEngineVersion, "supports"},
		"16":               {data.ValidateDatabaseEngineVersion, "supports"},
		"db.t4g.medium":    {data.ValidateDatabaseInstanceClass, "burstable"},
		"db.r6g.medium":    {data.ValidateDatabaseInstanceClass, "large or bigger"},
		"db.serverless":    {data.ValidateDatabaseInstanceClass, "memory-optimized"},
		"cache.t4g.medium": {data.ValidateCacheNodeType, "m5, m6g"},
		"cache.r6g.medium": {data.ValidateCacheNodeType, "large or bigger"},
		"5.0.5":            {data.ValidateCacheEngineVersion, "5.0.6"},
		"4.0.10":           {data.ValidateCacheEngineVersion, "5.0.6"},
		"seven":            {data.ValidateCacheEngineVersion, "major.minor"},
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
	if err := data.ValidateBucketName("app-data-us-east-1-${TfToken[TOKEN.3]}"); err != nil {
		t.Errorf("a token stands for the account id: %v", err)
	}
	if err := data.ValidateBucketName(strings.Repeat("a", 52) + "-${TfToken[TOKEN.3]}"); err == nil {
		t.Error("a name past 63 characters with the account id accepted")
	}
	for _, bad := range []string{"My-Bucket", "a.b.c", "xn--abc", "ab"} {
		if err := data.ValidateBucketName(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestPropsRefused(t *testing.T) {
	p := data.ReplicatedDataProps{Prefix: "x", Database: data.DatabaseProps{Mode: "copy", Port: 80}, Cache: data.CacheProps{Replicas: 0}}
	err := p.Validate()
	for _, want := range []string{"Primary and Links", "Failovers: 0 given", "Mode \"copy\"", "EngineVersion", "InstanceClass", "BackupRetentionDays 0", "Port: 80", "NodeType", "Replicas 0"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	for mode, want := range map[string]string{data.DatabaseFromSnapshot: "SnapshotIdentifier: required", data.DatabaseFromCluster: "MasterSecretName: required"} {
		err := data.DatabaseProps{Mode: mode}.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s mode: missing %q in %v", mode, want, err)
		}
	}
}
