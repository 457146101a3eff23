package stacks_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/internal/synthtest"
	"github.com/pilotlight/pilotlight/stacks"
)

// parse reads a test's config text over the defaults; "" is the defaults
// (a config file that sets nothing is refused).
func parse(yaml string) (config.Config, error) {
	if yaml == "" {
		return config.Default(), nil
	}
	return config.Parse("test.yaml", []byte(yaml))
}

func build(t *testing.T, yaml string) (*stacks.Pilotlight, config.Config) {
	t.Helper()
	cfg, err := parse(yaml)
	if err != nil {
		t.Fatal(err)
	}
	p, err := stacks.New(cdktf.Testing_App(nil), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p, cfg
}

func TestS3BackendLayout(t *testing.T) {
	p, _ := build(t, "backend:\n  type: s3\n  bucket: acme-state\n  region: eu-west-1\n  keyPrefix: shop/prod\n")
	tpl := synthtest.Synth(t, p.Region("us-west-2").Stack)
	s3 := synthtest.Get(tpl, "terraform.backend.s3").(map[string]any)
	// Terraform 1.10+ S3 native locking; the key is per stack.
	if s3["bucket"] != "acme-state" || s3["region"] != "eu-west-1" || s3["key"] != "shop/prod/pilotlight-dev-us-west-2.tfstate" || s3["encrypt"] != true || s3["use_lockfile"] != true {
		t.Errorf("backend = %v", s3)
	}
	if s3["dynamodb_table"] != nil {
		t.Error("one lock only")
	}
}

func TestDynamoDBLock(t *testing.T) {
	p, _ := build(t, "backend:\n  type: s3\n  bucket: acme-state\n  region: eu-west-1\n  dynamodbTable: locks\n")
	s3 := synthtest.Get(synthtest.Synth(t, p.Global.Stack), "terraform.backend.s3").(map[string]any)
	if s3["dynamodb_table"] != "locks" || s3["use_lockfile"] != nil || s3["key"] != "pilotlight/dev/pilotlight-dev-global.tfstate" {
		t.Errorf("backend = %v", s3)
	}
}

func TestProvidersAndTags(t *testing.T) {
	p, cfg := build(t, "failoverRegions: [us-west-2, eu-west-1]\ntags:\n  CostCenter: \"42\"\n")
	want := map[*stacks.RegionalStack]string{p.Regions[0]: "primary", p.Regions[1]: "failover", p.Regions[2]: "failover"}
	for r, alias := range want {
		providers := synthtest.Synth(t, r.Stack).Providers("aws")
		if len(providers) != 1 || providers[0]["alias"] != alias || providers[0]["region"] != r.Region {
			t.Errorf("%s providers = %v", r.Region, providers)
		}
		tags := synthtest.Get(providers[0], "default_tags.0.tags").(map[string]any)
		if tags["CostCenter"] != "42" || tags["Project"] != cfg.Name || tags["pilotlight:role"] != alias {
			t.Errorf("%s default tags = %v", r.Region, tags)
		}
	}
	if r := p.Region("eu-west-1"); r == nil || r.Role != stacks.Failover || r.Active {
		t.Errorf("second failover region = %+v", r)
	}
	global := synthtest.Synth(t, p.Global.Stack).Providers("aws")
	if global[0]["region"] != stacks.GlobalRegion || global[0]["alias"] != "global" {
		t.Errorf("global provider = %v", global)
	}
}

// Issue 8, cases 1 to 3, through the app's config: the global replication
// group owns what every member runs.
func TestCacheChangesReachTheGlobalDatastore(t *testing.T) {
	for _, c := range []struct {
		name, yaml                    string
		nodeType, version, paramGroup string
		tiering                       any
	}{
		{"resize", "cache:\n  nodeType: cache.r7g.xlarge\n", "cache.r7g.xlarge", "7.1", "default.redis7", nil},
		{"before a major upgrade", "cache:\n  engineVersion: '6.2'\n", "cache.r7g.large", "6.2", "default.redis6.x", nil},
		{"r6gd", "cache:\n  nodeType: cache.r6gd.xlarge\n", "cache.r6gd.xlarge", "7.1", "default.redis7", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, _ := build(t, c.yaml)
			primary := synthtest.Synth(t, p.Regions[0].Stack)
			g := primary.Resource(t, "aws_elasticache_global_replication_group")
			if g["cache_node_type"] != c.nodeType || g["engine_version"] != c.version || g["parameter_group_name"] != c.paramGroup {
				t.Errorf("global group = %v %v %v, want %s %s %s", g["cache_node_type"], g["engine_version"], g["parameter_group_name"], c.nodeType, c.version, c.paramGroup)
			}
			secondary := synthtest.Synth(t, p.Regions[1].Stack).Resource(t, "aws_elasticache_replication_group")
			if primary.Resource(t, "aws_elasticache_replication_group")["data_tiering_enabled"] != c.tiering || secondary["data_tiering_enabled"] != c.tiering {
				t.Errorf("data tiering: want %v on every member", c.tiering)
			}
		})
	}
}

// An embedding app extends each region's service through the hook; the
// hook's error stops the build.
func TestServiceHook(t *testing.T) {
	cfg := config.Default()
	var regions []string
	p, err := stacks.New(cdktf.Testing_App(nil), cfg, stacks.WithServiceHook(func(region string, props *compute.FargateServiceProps) error {
		regions = append(regions, region)
		props.Environment["FEATURE_FLAGS"] = jsii.String("reports")
		props.Cpu, props.Memory = 1024, 2048
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 2 {
		t.Errorf("hook called for %v", regions)
	}
	task := synthtest.Synth(t, p.Region("us-east-1").Stack).Resource(t, "aws_ecs_task_definition")
	if task["cpu"] != "1024" || !strings.Contains(task["container_definitions"].(string), "FEATURE_FLAGS") {
		t.Errorf("task = cpu %v, %v", task["cpu"], task["container_definitions"])
	}
	_, err = stacks.New(cdktf.Testing_App(nil), cfg, stacks.WithServiceHook(func(string, *compute.FargateServiceProps) error {
		return errors.New("no image for this region")
	}))
	if err == nil || !strings.Contains(err.Error(), "service hook: no image") {
		t.Errorf("hook error: %v", err)
	}
}

// The user's tags are never overwritten: a Project, Environment or
// ManagedBy the user sets is what every provider's default tags carry
// (a cost-allocation or compliance tag); unset, the app's own apply.
func TestUserTagsAreKept(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       map[string]string
	}{
		{"the app's own", "name: shop\n", map[string]string{"Project": "shop", "Environment": "dev", "ManagedBy": "pilotlight"}},
		{"the user's Project and Environment", "name: shop\ntags:\n  Project: retail-platform\n  Environment: production\n", map[string]string{"Project": "retail-platform", "Environment": "production", "ManagedBy": "pilotlight"}},
		{"the user's ManagedBy", "name: shop\ntags:\n  ManagedBy: platform-team\n", map[string]string{"Project": "shop", "ManagedBy": "platform-team"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := build(t, tc.yaml)
			for _, stack := range p.Stacks() {
				for _, provider := range synthtest.Synth(t, stack).Providers("aws") {
					tags := synthtest.Get(provider, "default_tags.0.tags").(map[string]any)
					for k, v := range tc.want {
						if tags[k] != v {
							t.Errorf("%s: default tag %s = %v, want %s", *stack.Node().Id(), k, tags[k], v)
						}
					}
					if tags["pilotlight:stack"] != *stack.Node().Id() {
						t.Errorf("%s: pilotlight:stack = %v", *stack.Node().Id(), tags["pilotlight:stack"])
					}
				}
			}
		})
	}
}

// Issue 16 class 13: with database.mode cluster the primary region's tasks
// use the existing cluster's own port (read at plan, not database.port),
// the stack makes no database security group or subnet group (they would
// be attached to nothing), and it outputs what the cluster's owner needs
// to let the tasks in: the tasks' security group and the VPC's CIDR. The
// failover region keeps its own cluster, group and configured port. The
// plan against the fake (internal/tfplan TestClusterModeOpensOnlyTheTasksSide)
// shows the port read from the cluster.
func TestClusterModeTasksUseTheExistingClusterPort(t *testing.T) {
	stacksByName, cfg := synthAll(t, "database:\n  mode: cluster\n  sourceClusterArn: arn:aws:rds:us-east-1:123456789012:cluster:legacy\n  masterSecretName: legacy/master\n  port: 6000\n")
	names := cfg.Names()
	env := func(tpl synthtest.Template) map[string]string {
		var defs []struct {
			Environment []struct{ Name, Value string } `json:"environment"`
		}
		if err := json.Unmarshal([]byte(tpl.Resource(t, "aws_ecs_task_definition")["container_definitions"].(string)), &defs); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, e := range defs[0].Environment {
			out[e.Name] = e.Value
		}
		return out
	}
	primary := stacksByName[names.RegionalStack(cfg.PrimaryRegion)]
	var clusterAddr string
	for name := range primary.DataSources("aws_rds_cluster") {
		clusterAddr = "data.aws_rds_cluster." + name
	}
	if got := env(primary)["DATABASE_PORT"]; got != "${"+clusterAddr+".port}" {
		t.Errorf("primary DATABASE_PORT = %q, want the existing cluster's port ${%s.port}", got, clusterAddr)
	}
	if n := len(primary.Resources("aws_db_subnet_group")); n != 0 {
		t.Errorf("primary stack makes %d DB subnet groups", n)
	}
	for _, sg := range primary.Resources("aws_security_group") {
		if strings.HasSuffix(sg["name"].(string), "-db") {
			t.Errorf("primary stack makes security group %s for a cluster it does not attach it to", sg["name"])
		}
	}
	outputs, _ := primary["output"].(map[string]any)
	for name, want := range map[string]string{
		"database_clients_security_group_id": "aws_security_group.",
		"database_clients_cidr":              cfg.VpcCidr(cfg.PrimaryRegion),
	} {
		o, _ := outputs[name].(map[string]any)
		if v, _ := o["value"].(string); !strings.Contains(v, want) {
			t.Errorf("output %s = %v, want %s", name, o["value"], want)
		}
		if d, _ := o["description"].(string); !strings.Contains(d, "database.mode cluster") {
			t.Errorf("output %s says nothing of what to do: %q", name, d)
		}
	}
	failover := stacksByName[names.RegionalStack(cfg.FailoverRegions[0])]
	if got := env(failover)["DATABASE_PORT"]; got != "6000" {
		t.Errorf("failover DATABASE_PORT = %q, want database.port 6000 (its own cluster's)", got)
	}
	if outputs, _ := failover["output"].(map[string]any); outputs["database_clients_cidr"] != nil {
		t.Error("the failover region's cluster is the app's own: nothing for anyone to open")
	}
	defaults, cfg := synthAll(t, "")
	if outputs, _ := defaults[cfg.Names().RegionalStack(cfg.PrimaryRegion)]["output"].(map[string]any); outputs["database_clients_cidr"] != nil {
		t.Error("mode new outputs database_clients_cidr")
	}
}
