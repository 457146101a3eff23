package data_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/pilotlight/pilotlight/constructs/data"
)

// AcceptUnlisted on the props: a listed value validates without a warning;
// an unlisted well-formed value is refused without it (the error says to set
// it) and accepted with a warning naming the list; a malformed value is
// refused either way.
func TestPropsAcceptUnlisted(t *testing.T) {
	type props interface {
		Validate() error
		Warnings() []string
	}
	for _, c := range []struct {
		name     string
		shut     props  // the value without AcceptUnlisted
		open     props  // the same with it
		unlisted string // the list named; "" listed, "-" refused
	}{
		{"listed version", data.DatabaseProps{EngineVersion: "16.4"}, data.DatabaseProps{EngineVersion: "16.4", AcceptUnlisted: true}, ""},
		{"new Aurora minor", data.DatabaseProps{EngineVersion: "16.9"}, data.DatabaseProps{EngineVersion: "16.9", AcceptUnlisted: true}, "spec/data.GlobalDatabaseVersions"},
		{"malformed Aurora version", data.DatabaseProps{EngineVersion: "16"}, data.DatabaseProps{EngineVersion: "16", AcceptUnlisted: true}, "-"},
		{"new class", data.DatabaseProps{InstanceClass: "db.r8i.xlarge"}, data.DatabaseProps{InstanceClass: "db.r8i.xlarge", AcceptUnlisted: true}, "spec/data.GlobalDatabaseInstanceClasses"},
		{"burstable class", data.DatabaseProps{InstanceClass: "db.t4g.large"}, data.DatabaseProps{InstanceClass: "db.t4g.large", AcceptUnlisted: true}, "-"},
		{"listed node type", data.CacheProps{NodeType: "cache.r7g.large"}, data.CacheProps{NodeType: "cache.r7g.large", AcceptUnlisted: true}, ""},
		{"new node type", data.CacheProps{NodeType: "cache.r8g.large"}, data.CacheProps{NodeType: "cache.r8g.large", AcceptUnlisted: true}, "spec/data.GlobalDatastoreNodeTypes"},
		{"malformed node type", data.CacheProps{NodeType: "r8g.large"}, data.CacheProps{NodeType: "r8g.large", AcceptUnlisted: true}, "-"},
		{"new Redis OSS minor", data.CacheProps{EngineVersion: "7.2"}, data.CacheProps{EngineVersion: "7.2", AcceptUnlisted: true}, "spec/data.CacheEngineVersions"},
		{"unknown Redis OSS major", data.CacheProps{EngineVersion: "8.0"}, data.CacheProps{EngineVersion: "8.0", AcceptUnlisted: true}, "-"},
	} {
		errShut, errOpen := c.shut.Validate(), c.open.Validate()
		if len(c.shut.Warnings()) != 0 {
			t.Errorf("%s: warnings without AcceptUnlisted: %v", c.name, c.shut.Warnings())
		}
		switch c.unlisted {
		case "":
			if errShut != nil || errOpen != nil || len(c.open.Warnings()) != 0 {
				t.Errorf("%s: %v / %v / %v; want valid without warnings", c.name, errShut, errOpen, c.open.Warnings())
			}
		case "-":
			if errShut == nil || errOpen == nil || strings.Contains(errShut.Error(), "AcceptUnlisted") {
				t.Errorf("%s: %v / %v; want refused either way, without offering AcceptUnlisted", c.name, errShut, errOpen)
			}
		default:
			w := c.open.Warnings()
			if errShut == nil || !strings.Contains(errShut.Error(), "set AcceptUnlisted: true") || !strings.Contains(errShut.Error(), c.unlisted) {
				t.Errorf("%s without AcceptUnlisted: %v; want a refusal naming %s and AcceptUnlisted", c.name, errShut, c.unlisted)
			}
			if errOpen != nil || len(w) != 1 || !strings.Contains(w[0], c.unlisted) {
				t.Errorf("%s with AcceptUnlisted: %v, warnings %v; want one warning naming %s", c.name, errOpen, w, c.unlisted)
			}
		}
	}
}

// Accepted unlisted values reach the resources: the global cluster runs the
// new Aurora minor, the global datastore the new Redis OSS minor with its
// major's default parameter group; the primary stack carries a warning per
// value naming its list.
func TestUnlistedValuesSynthesize(t *testing.T) {
	var primary constructs.Construct
	w := build(t, func(p *data.ReplicatedDataProps) {
		primary = p.Primary.Scope
		p.Database.EngineVersion, p.Database.AcceptUnlisted = "16.9", true
		p.Cache.EngineVersion, p.Cache.AcceptUnlisted = "7.2", true
	})
	if g := w.primary.Resource(t, "aws_rds_global_cluster"); g["engine_version"] != "16.9" {
		t.Errorf("global cluster = %v", g)
	}
	if g := w.primary.Resource(t, "aws_elasticache_global_replication_group"); g["engine_version"] != "7.2" || g["parameter_group_name"] != "default.redis7" {
		t.Errorf("global datastore = %v", g)
	}
	var warnings []string
	for _, m := range *primary.Node().Metadata() {
		if strings.Contains(*m.Type, "warn") {
			if s, ok := m.Data.(*string); ok {
				warnings = append(warnings, *s)
			} else {
				warnings = append(warnings, fmt.Sprint(m.Data))
			}
		}
	}
	joined := strings.Join(warnings, "\n")
	if len(warnings) != 2 || !strings.Contains(joined, "Database.EngineVersion: 16.9 is not on spec/data.GlobalDatabaseVersions") || !strings.Contains(joined, "Cache.EngineVersion: 7.2 is not on spec/data.CacheEngineVersions") {
		t.Errorf("warning annotations on the primary stack: %q", warnings)
	}
}
