package tfplan_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/internal/fakeaws"
	"github.com/pilotlight/pilotlight/internal/tfplan"
)

// synthStack synthesizes the config spec (YAML over the defaults) and
// returns stack's JSON.
func synthStack(t *testing.T, spec, stack string) []byte {
	t.Helper()
	a := synthesize(t, loadConfig(t, spec))
	raw, err := os.ReadFile(filepath.Join(a.dir(stack), "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// planChanged plans stack of a clone of applied with its JSON replaced by
// raw: the deployed stack, planned with a changed config.
func planChanged(t *testing.T, applied *deployment, stack string, raw []byte, dark []string) (*deployment, *plan) {
	t.Helper()
	c := applied.clone(t)
	if err := os.WriteFile(filepath.Join(c.app.dir(stack), "cdk.tf.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return c, c.planStack(t, stack, dark, "-refresh=false")
}

// oneLine joins an error's words with single spaces: Terraform wraps its
// diagnostics at 80 columns.
func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// Issue 16 class 12a: database.engineVersion changed on a deployed global
// database (the defaults, 16.4, deployed and converged). The pinned
// provider cannot apply it (constructs/data/upgrades.go), so the global
// cluster ignores engine_version and its postcondition stops the plan,
// saying the version running, that the change was not applied, and the
// upgrade the Aurora User Guide gives for the kind of change. Mutation: the
// same plan without the postcondition succeeds and changes nothing, so the
// postcondition is what keeps the change from being dropped in silence.
// In cluster mode, a version other than the existing cluster's is refused
// before anything is created.
func TestEngineVersionChangeIsRefusedAtPlan(t *testing.T) {
	t.Parallel()
	d := deploy(t, "defaults")
	cfg := d.app.cfg
	stack := cfg.Names().RegionalStack(cfg.PrimaryRegion)
	applied := d.applied(t, stack, nil)
	secondary := fmt.Sprintf("%s-%s", cfg.Names().Prefix(), cfg.FailoverRegions[0])
	for _, c := range []struct {
		name, version string
		want          []string
	}{
		{"minor", "16.6", []string{"A minor upgrade is made on each member cluster, every secondary cluster before the primary",
			"aws rds modify-db-cluster --db-cluster-identifier " + secondary + " --engine-version 16.6 --apply-immediately --region " + cfg.FailoverRegions[0]}},
		{"major", "17.4", []string{"A major upgrade is made on the global cluster",
			"aws rds modify-global-cluster --global-cluster-identifier " + cfg.Names().Prefix() + " --engine-version 17.4 --allow-major-version-upgrade"}},
		{"lower", "16.2", []string{"AWS does not downgrade an engine version in place"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := synthStack(t, fmt.Sprintf("database:\n  engineVersion: '%s'\n", c.version), stack)
			_, p := planChanged(t, applied, stack, raw, nil)
			if p.err == nil {
				t.Fatalf("engineVersion %s planned against a global database at 16.4", c.version)
			}
			msg := oneLine(p.err)
			for _, want := range append([]string{"Resource postcondition failed", "database.engineVersion", "is " + c.version + ", but the Aurora global database", "runs 16.4",
				"The change was not applied", "To keep the running version instead, set database.engineVersion to 16.4"}, c.want...) {
				if !strings.Contains(msg, want) {
					t.Errorf("plan error lacks %q:\n%s", want, msg)
				}
			}
		})
	}

	t.Run("mutation: without the postcondition the change is dropped in silence", func(t *testing.T) {
		raw := withoutPostconditions(t, synthStack(t, "database:\n  engineVersion: '16.6'\n", stack), "aws_rds_global_cluster")
		c, p := planChanged(t, applied, stack, raw, nil)
		if p.err != nil {
			t.Fatalf("plan without the postcondition: %v", p.err)
		}
		shown, err := c.show(t, stack)
		if err != nil {
			t.Fatal(err)
		}
		for _, rc := range shown.ResourceChanges {
			if (rc.Type == "aws_rds_global_cluster" || rc.Type == "aws_rds_cluster") && !reflect.DeepEqual(rc.Change.Actions, []string{"no-op"}) {
				t.Errorf("%s %v %v: the change would reach AWS through the provider that cannot make it", rc.Address, rc.Change.Actions, changedAttributes(rc))
			}
		}
	})

	t.Run("cluster mode, existing cluster at another version", func(t *testing.T) {
		cd := deploy(t, "cluster-mode")
		ccfg := cd.app.cfg
		cstack := ccfg.Names().RegionalStack(ccfg.PrimaryRegion)
		spec := strings.Replace(configs["cluster-mode"], "  masterSecretName: legacy/master\n", "  masterSecretName: legacy/master\n  engineVersion: '16.6'\n", 1)
		if spec == configs["cluster-mode"] {
			t.Fatal("the cluster-mode config changed; put engineVersion under database")
		}
		raw := synthStack(t, spec, cstack)
		_, p := planChanged(t, cd, cstack, raw, nil)
		if p.err == nil {
			t.Fatal("engineVersion 16.6 planned against an existing cluster at 16.4")
		}
		msg := oneLine(p.err)
		for _, want := range []string{"postcondition failed", "(database.engineVersion in a pilotlight config) is 16.6, but the existing cluster legacy", "runs 16.4", "set database.engineVersion to 16.4"} {
			if !strings.Contains(msg, want) {
				t.Errorf("plan error lacks %q:\n%s", want, msg)
			}
		}
	})
}

// withoutPostconditions is raw with the postconditions of every resource
// of type typ removed.
func withoutPostconditions(t *testing.T, raw []byte, typ string) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	rs, _ := doc["resource"].(map[string]any)[typ].(map[string]any)
	if len(rs) == 0 {
		t.Fatalf("no %s in the stack", typ)
	}
	for _, r := range rs {
		lc, _ := r.(map[string]any)["lifecycle"].(map[string]any)
		if lc["postcondition"] == nil {
			t.Fatalf("%s has no postcondition to remove", typ)
		}
		delete(lc, "postcondition")
	}
	out, _ := json.Marshal(doc)
	return out
}

// Issue 16 class 12b: cache.replicas changed on the deployed defaults
// (1 replica, so 2 nodes per group). Each region's stack plans an in-place
// update of its own member group's num_cache_clusters and nothing else the
// group has: the provider applies that with IncreaseReplicaCount on the
// group alone, which AWS takes on a global datastore member (members may
// have different replica counts; data.CacheProps.Replicas has the sources),
// never ModifyReplicationGroup, which AWS refuses on a member. The global
// group does not change, and the failover stack plans with the primary
// region dark.
func TestCacheReplicasChangeTouchesOnlyTheCount(t *testing.T) {
	t.Parallel()
	d := deploy(t, "defaults")
	cfg := d.app.cfg
	for _, c := range []struct {
		stack string
		dark  []string
	}{
		{cfg.Names().RegionalStack(cfg.PrimaryRegion), nil},
		{cfg.Names().RegionalStack(cfg.FailoverRegions[0]), d.app.dark()},
	} {
		t.Run(c.stack, func(t *testing.T) {
			applied := d.applied(t, c.stack, c.dark)
			changed, p := planChanged(t, applied, c.stack, synthStack(t, "cache:\n  replicas: 2\n", c.stack), c.dark)
			if p.err != nil {
				t.Fatalf("plan: %v", p.err)
			}
			if destroys := p.result.Destroys(); len(destroys) > 0 {
				t.Errorf("a replicas change destroys %v", destroys)
			}
			shown, err := changed.show(t, c.stack)
			if err != nil {
				t.Fatal(err)
			}
			groups := 0
			for _, rc := range shown.ResourceChanges {
				if rc.Mode != "managed" || reflect.DeepEqual(rc.Change.Actions, []string{"no-op"}) {
					continue
				}
				switch rc.Type {
				case "aws_elasticache_replication_group":
					groups++
					before, _ := rc.Change.Before.(map[string]any)
					after, _ := rc.Change.After.(map[string]any)
					// member_clusters is computed: AWS names the new node.
					attrs := slices.DeleteFunc(changedAttributes(rc), func(a string) bool { return a == "member_clusters" })
					if !reflect.DeepEqual(rc.Change.Actions, []string{"update"}) || !slices.Equal(attrs, []string{"num_cache_clusters"}) ||
						before["num_cache_clusters"] != float64(2) || after["num_cache_clusters"] != float64(3) {
						t.Errorf("%s %v changes %v (num_cache_clusters %v -> %v); want an update of num_cache_clusters 2 -> 3 only",
							rc.Address, rc.Change.Actions, attrs, before["num_cache_clusters"], after["num_cache_clusters"])
					}
				case "aws_cloudwatch_metric_alarm", "aws_cloudwatch_dashboard":
					// Monitoring watches every node (monitoring.RegionalAlarms):
					// the new node's alarms, and the alarms and dashboard
					// that list the nodes. CloudWatch, not ElastiCache.
					if !reflect.DeepEqual(rc.Change.Actions, []string{"create"}) && !reflect.DeepEqual(rc.Change.Actions, []string{"update"}) {
						t.Errorf("%s %v", rc.Address, rc.Change.Actions)
					}
				default:
					t.Errorf("a replicas change plans %v on %s %v", rc.Change.Actions, rc.Address, changedAttributes(rc))
				}
			}
			if groups != 1 {
				t.Errorf("%d replication groups change, want this region's member", groups)
			}
			if region, failover := d.app.region(c.stack); failover {
				if stray := strayCalls(cfg, region, p.calls); len(stray) > 0 {
					t.Errorf("DR drill: calls outside %s: %v", region, stray)
				}
			}
		})
	}
}

// Issue 16 class 13, planned against the fake: in cluster mode the primary
// stack reads the existing cluster, its subnet group and its VPC (in its
// own region), makes no database security group or subnet group, opens
// the tasks' egress to each of the VPC's CIDR blocks on the cluster's own
// port (fakeaws.ExistingClusterPort, not database.port's 5432), and
// outputs what the cluster's owner must admit. The failover stack reads
// none of it (the DR drill in TestPlanEveryStack checks its calls).
func TestClusterModeOpensOnlyTheTasksSide(t *testing.T) {
	t.Parallel()
	d := deploy(t, "cluster-mode")
	cfg := d.app.cfg
	stack := cfg.Names().RegionalStack(cfg.PrimaryRegion)
	p := d.plans[stack]
	if p == nil || p.err != nil {
		t.Fatalf("%s did not plan: %v", stack, p)
	}
	fake := fakeaws.New()
	defer fake.Close()
	shown, err := terraform(t).Show(context.Background(), p.dir, tfplan.Env{Endpoint: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	var cidrs []string
	for _, rc := range shown.ResourceChanges {
		after, _ := rc.Change.After.(map[string]any)
		switch rc.Type {
		case "aws_db_subnet_group":
			t.Errorf("%s: the existing cluster keeps its own subnet group", rc.Address)
		case "aws_security_group":
			if name, _ := after["name"].(string); strings.HasSuffix(name, "-db") {
				t.Errorf("%s (%s): a security group for a cluster it is not attached to", rc.Address, name)
			}
		case "aws_vpc_security_group_egress_rule":
			if after["description"] != "To the existing database cluster's VPC" {
				continue
			}
			cidrs = append(cidrs, fmt.Sprint(after["cidr_ipv4"]))
			if rc.Index != after["cidr_ipv4"] || after["from_port"] != float64(fakeaws.ExistingClusterPort) || after["to_port"] != float64(fakeaws.ExistingClusterPort) || after["ip_protocol"] != "tcp" {
				t.Errorf("%s = %v", rc.Address, after)
			}
		}
	}
	sort.Strings(cidrs)
	want := slices.Sorted(slices.Values(fakeaws.ExistingVpcCidrs))
	if !slices.Equal(cidrs, want) {
		t.Errorf("egress to the cluster's VPC covers %v, want every CIDR block %v", cidrs, want)
	}
	if got := shown.OutputChanges["database_clients_cidr"].After; got != cfg.VpcCidr(cfg.PrimaryRegion) {
		t.Errorf("database_clients_cidr = %v", got)
	}
	if _, ok := shown.OutputChanges["database_clients_security_group_id"]; !ok {
		t.Error("no database_clients_security_group_id output")
	}
	for _, call := range []string{"rds DescribeDBClusters", "rds DescribeDBSubnetGroups", "ec2 DescribeVpcs"} {
		if !slices.ContainsFunc(p.calls, func(c fakeaws.Call) bool { return c.Region == cfg.PrimaryRegion && c.Service+" "+c.Action == call }) {
			t.Errorf("the plan made no %s in %s; calls: %s", call, cfg.PrimaryRegion, fakeaws.Summary(p.calls))
		}
	}
}
