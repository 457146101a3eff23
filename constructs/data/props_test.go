package data_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/constructs/data"
	dataspec "github.com/pilotlight/pilotlight/spec/data"
)

// Zero values mean the documented defaults; SecondaryInstances and
// Readers keep 0, which is a choice.
func TestZeroPropsTakeDefaults(t *testing.T) {
	if err := (data.DatabaseProps{}).Validate(); err != nil {
		t.Errorf("zero DatabaseProps: %v", err)
	}
	if err := (data.CacheProps{}).Validate(); err != nil {
		t.Errorf("zero CacheProps: %v", err)
	}
	d := data.DatabaseProps{}.WithDefaults()
	if d.Mode != dataspec.DatabaseNew || d.Port != 5432 || d.BackupRetentionDays != 14 || d.SecondaryInstances != 0 {
		t.Errorf("database defaults: %+v", d)
	}
	if c := (data.CacheProps{}).WithDefaults(); c.Replicas != 1 || c.Port != 6379 || c.NodeType == "" {
		t.Errorf("cache defaults: %+v", c)
	}
}

func TestPropsRefused(t *testing.T) {
	p := data.ReplicatedDataProps{Prefix: "x", Database: data.DatabaseProps{Mode: "copy", Port: 80, EngineVersion: "9.6", InstanceClass: "db.t3.micro", BackupRetentionDays: 40}, Cache: data.CacheProps{Replicas: 6, NodeType: "cache.t2.micro"}}
	err := p.Validate()
	for _, want := range []string{"Primary and Links", "Failovers: 0 given", "Mode \"copy\"", "EngineVersion", "InstanceClass", "BackupRetentionDays 40", "Port: 80", "NodeType", "Replicas 6"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	for mode, want := range map[string]string{dataspec.DatabaseFromSnapshot: "SnapshotIdentifier: required", dataspec.DatabaseFromCluster: "MasterSecretName: required"} {
		err := data.DatabaseProps{Mode: mode}.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s mode: missing %q in %v", mode, want, err)
		}
	}
}
