package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/internal/floor"
	"github.com/pilotlight/pilotlight/internal/synthtest"
	"github.com/pilotlight/pilotlight/runbook"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the default app's synth")

// synthesized is one whole-app synth: the manifest and each stack's JSON.
type synthesized struct {
	dir      string
	manifest struct {
		Stacks map[string]struct {
			Dependencies         []string `json:"dependencies"`
			SynthesizedStackPath string   `json:"synthesizedStackPath"`
		} `json:"stacks"`
	}
	stacks map[string]synthtest.Template
}

func synthApp(t testing.TB, cfg config.Config) synthesized {
	t.Helper()
	out := synthesized{dir: t.TempDir(), stacks: map[string]synthtest.Template{}}
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(out.dir)})
	if err := synth(app, cfg); err != nil {
		t.Fatalf("synth: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(out.dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &out.manifest); err != nil {
		t.Fatal(err)
	}
	for name, s := range out.manifest.Stacks {
		text, err := os.ReadFile(filepath.Join(out.dir, s.SynthesizedStackPath))
		if err != nil {
			t.Fatal(err)
		}
		out.stacks[name] = synthtest.Parse(t, string(text))
	}
	return out
}

// mustParse reads a test's config text over the defaults; "" is the
// defaults (a config file that sets nothing is refused).
func mustParse(t testing.TB, yaml string) config.Config {
	t.Helper()
	if yaml == "" {
		return config.Default()
	}
	cfg, err := config.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// deployOrder sorts the stacks so each comes after what it depends on, and
// fails on a cycle.
func deployOrder(t testing.TB, s synthesized) []string {
	t.Helper()
	var order []string
	done := map[string]bool{}
	for len(order) < len(s.manifest.Stacks) {
		var ready []string
		for name, st := range s.manifest.Stacks {
			if done[name] {
				continue
			}
			if !slices.ContainsFunc(st.Dependencies, func(d string) bool { return !done[d] }) {
				ready = append(ready, name)
			}
		}
		if len(ready) == 0 {
			t.Fatalf("dependency cycle among stacks; ordered so far: %v", order)
		}
		sort.Strings(ready)
		for _, name := range ready {
			done[name] = true
		}
		order = append(order, ready...)
	}
	return order
}

func TestDefaultAppTopology(t *testing.T) {
	s := synthApp(t, config.Default())
	// Each region's key comes first, with the global roles: the primary's
	// secrets replicate into us-west-2 under us-west-2's key, which must
	// exist before the primary stack and cannot live in the us-west-2 stack
	// (that deploys after the primary: a cycle).
	want := []string{"pilotlight-dev-global", "pilotlight-dev-keys-us-east-1", "pilotlight-dev-keys-us-west-2", "pilotlight-dev-us-east-1", "pilotlight-dev-us-west-2", "pilotlight-dev-edge", "pilotlight-dev-replication"}
	if got := deployOrder(t, s); !slices.Equal(got, want) {
		t.Errorf("deploy order = %v, want %v (as the README and docs/deploying.md state)", got, want)
	}
	deps := func(name string) []string { d := s.manifest.Stacks[name].Dependencies; sort.Strings(d); return d }
	for stack, want := range map[string][]string{
		"pilotlight-dev-global":         nil,
		"pilotlight-dev-keys-us-east-1": nil,
		"pilotlight-dev-keys-us-west-2": nil,
		"pilotlight-dev-us-east-1":      {"pilotlight-dev-global", "pilotlight-dev-keys-us-east-1", "pilotlight-dev-keys-us-west-2"},
		// The secondaries need the primary's global cluster and datastore,
		// and must come after the primary's writer instance; reverse S3
		// replication encrypts replicas with us-east-1's key (its ARN is
		// read from that stack's state, not from us-east-1).
		"pilotlight-dev-us-west-2": {"pilotlight-dev-global", "pilotlight-dev-keys-us-east-1", "pilotlight-dev-keys-us-west-2", "pilotlight-dev-us-east-1"},
		// Forward S3 replication needs the failover buckets to exist.
		"pilotlight-dev-replication": {"pilotlight-dev-global", "pilotlight-dev-keys-us-west-2", "pilotlight-dev-us-east-1", "pilotlight-dev-us-west-2"},
		"pilotlight-dev-edge":        {"pilotlight-dev-us-east-1", "pilotlight-dev-us-west-2"},
	} {
		if d := deps(stack); !slices.Equal(d, want) {
			t.Errorf("%s depends on %v, want %v", stack, d, want)
		}
	}

	global := s.stacks["pilotlight-dev-global"]
	for _, role := range []string{"pilotlight-dev-ecs-task-execution", "pilotlight-dev-ecs-task", "pilotlight-dev-vpc-flow-logs"} {
		if !hasNamed(global.Resources("aws_iam_role"), role) {
			t.Errorf("global stack lacks IAM role %s", role)
		}
	}
	if n := len(s.stacks["pilotlight-dev-edge"].Resources("aws_cloudfront_distribution")); n != 1 {
		t.Errorf("edge stack has %d CloudFront distributions, want 1", n)
	}
	for _, region := range []string{"us-east-1", "us-west-2"} {
		tpl := s.stacks["pilotlight-dev-"+region]
		for typ, n := range map[string]int{
			"aws_vpc": 1, "aws_subnet": 4, "aws_flow_log": 1, "aws_kms_key": 0, "aws_lb": 1,
			"aws_ecs_cluster": 1, "aws_ecs_task_definition": 1, "aws_ecs_service": 1, "aws_cloudwatch_log_group": 2,
		} {
			if got := len(tpl.Resources(typ)); got != n {
				t.Errorf("%s: %d %s, want %d", region, got, typ, n)
			}
		}
		if n := len(s.stacks["pilotlight-dev-keys-"+region].Resources("aws_kms_key")); n != 1 {
			t.Errorf("keys stack of %s has %d KMS keys, want 1", region, n)
		}
		task := tpl.Resource(t, "aws_ecs_task_definition")
		if arn, _ := task["execution_role_arn"].(string); !strings.Contains(arn, "terraform_remote_state.cross-stack-reference-input-pilotlight-dev-global") {
			t.Errorf("%s: execution role must come from the global stack's state, got %q", region, arn)
		}
	}
}

func hasNamed(resources map[string]synthtest.Object, name string) bool {
	for _, r := range resources {
		if r["name"] == name {
			return true
		}
	}
	return false
}

// originGroupMembers returns the distribution's origin group members, in order.
func originGroupMembers(t testing.TB, edge synthtest.Template) []string {
	t.Helper()
	dist := edge.Resource(t, "aws_cloudfront_distribution")
	group := dist["origin_group"].([]any)[0].(map[string]any)
	var out []string
	for _, m := range group["member"].([]any) {
		out = append(out, m.(map[string]any)["origin_id"].(string))
	}
	return out
}

func TestPilotLight(t *testing.T) {
	for _, active := range []string{"us-east-1", "us-west-2"} {
		t.Run("active "+active, func(t *testing.T) {
			cfg := mustParse(t, "activeRegion: "+active+"\n")
			s := synthApp(t, cfg)
			for _, region := range cfg.Regions() {
				tpl := s.stacks["pilotlight-dev-"+region]
				service := tpl.Resource(t, "aws_ecs_service")
				nat := len(tpl.Resources("aws_nat_gateway"))
				if region == active {
					if service["desired_count"] != float64(cfg.Service.DesiredCount) || nat != cfg.Network.AzCount {
						t.Errorf("active %s: desired_count %v and %d NAT gateways, want %d and %d", region, service["desired_count"], nat, cfg.Service.DesiredCount, cfg.Network.AzCount)
					}
				} else if service["desired_count"] != float64(0) || nat != 0 {
					t.Errorf("standby %s: desired_count %v and %d NAT gateways, want 0 and 0 (pilot light)", region, service["desired_count"], nat)
				}
			}
			edge := s.stacks["pilotlight-dev-edge"]
			if got := originGroupMembers(t, edge); !slices.Equal(got, []string{active, cfg.StandbyRegion()}) {
				t.Errorf("origin group = %v, want active %s first, then %s", got, active, cfg.StandbyRegion())
			}
			api := edge.Resource(t, "aws_cloudfront_distribution")["ordered_cache_behavior"].([]any)[0].(map[string]any)
			if api["target_origin_id"] != active {
				t.Errorf("API path goes to %v, want the active region %s", api["target_origin_id"], active)
			}
		})
	}
}

// The default synth holds all three replication pairs, us-east-1 to us-west-2.
func TestReplicatedDataPairs(t *testing.T) {
	s := synthApp(t, config.Default())
	primary, failover, links := s.stacks["pilotlight-dev-us-east-1"], s.stacks["pilotlight-dev-us-west-2"], s.stacks["pilotlight-dev-replication"]
	for typ, n := range map[string]int{
		"aws_rds_global_cluster": 1, "aws_rds_cluster": 1, "aws_rds_cluster_instance": 1,
		"aws_elasticache_replication_group": 1, "aws_elasticache_global_replication_group": 1,
		"aws_s3_bucket": 2, "aws_secretsmanager_secret": 2, // data + access logs
	} {
		if got := len(primary.Resources(typ)); got != n {
			t.Errorf("primary: %d %s, want %d", got, typ, n)
		}
	}
	for typ, n := range map[string]int{
		"aws_rds_cluster": 1, "aws_rds_cluster_instance": 1, "aws_elasticache_replication_group": 1,
		"aws_s3_bucket": 2, "aws_s3_bucket_replication_configuration": 1, "aws_rds_global_cluster": 0, "aws_secretsmanager_secret": 0,
	} {
		if got := len(failover.Resources(typ)); got != n {
			t.Errorf("failover: %d %s, want %d", got, typ, n)
		}
	}
	// Issue 8, case 6: each secret's replica in us-west-2 is encrypted with
	// us-west-2's own key, read from its keys stack (deployed before this one).
	for id, secret := range primary.Resources("aws_secretsmanager_secret") {
		if key, _ := synthtest.Get(secret, "replica.0.kms_key_id").(string); !strings.Contains(key, "terraform_remote_state.cross-stack-reference-input-pilotlight-dev-keys-us-west-2.") {
			t.Errorf("secret %s: replica key %q is not us-west-2's customer-managed key", id, key)
		}
	}
	rule := synthtest.Get(links.Resource(t, "aws_s3_bucket_replication_configuration"), "rule.0.id")
	if rule != "to-us-west-2" {
		t.Errorf("forward rule = %v", rule)
	}
	task := synthtest.Get(failover.Resource(t, "aws_ecs_task_definition"), "container_definitions").(string)
	var containers []struct {
		Environment []struct{ Name, Value string }
		Secrets     []struct{ Name, ValueFrom string }
	}
	if err := json.Unmarshal([]byte(task), &containers); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, e := range containers[0].Environment {
		env[e.Name] = e.Value
	}
	// Each region's tasks reach their own region's endpoints.
	if !strings.Contains(env["DATABASE_HOST"], "aws_rds_cluster.database_cluster") || !strings.Contains(env["CACHE_HOST"], "aws_elasticache_replication_group.cache_secondary") {
		t.Errorf("failover tasks' endpoints = %v", env)
	}
	secrets := map[string]string{}
	for _, e := range containers[0].Secrets {
		secrets[e.Name] = e.ValueFrom
	}
	if secrets["DATABASE_PASSWORD"] != "pilotlight/dev/database/master" || secrets["CACHE_AUTH_TOKEN"] != "pilotlight/dev/cache/auth-token" {
		t.Errorf("task secrets = %v", secrets)
	}
}

// dataResource reports whether a resource type holds or protects data.
func dataResource(typ string) bool {
	for _, prefix := range []string{"aws_rds_", "aws_db_", "aws_elasticache_", "aws_s3_", "aws_secretsmanager_", "aws_kms_"} {
		if strings.HasPrefix(typ, prefix) {
			return true
		}
	}
	return false
}

// After a switchover or failover, the app is re-synthesized with
// activeRegion flipped. No data resource may change at all: the data tier is
// laid out by primaryRegion, and what AWS changes during the switch is
// ignored in lifecycle blocks (checked in constructs/data).
func TestRegionSwitchKeepsEveryDataResource(t *testing.T) {
	before := synthApp(t, config.Default())
	after := synthApp(t, mustParse(t, "activeRegion: us-west-2\n"))
	count := 0
	for name, tpl := range before.stacks {
		for typ := range tpl.Types("resource") {
			if !dataResource(typ) {
				continue
			}
			for id, r := range tpl.Resources(typ) {
				count++
				other, ok := after.stacks[name].Resources(typ)[id]
				if !ok {
					t.Errorf("%s: %s.%s is gone after the switch", name, typ, id)
					continue
				}
				a, _ := json.Marshal(r)
				b, _ := json.Marshal(other)
				if !bytes.Equal(a, b) {
					t.Errorf("%s: %s.%s changes with the switch:\n%s\n%s", name, typ, id, a, b)
				}
				if (strings.HasPrefix(typ, "aws_rds_cluster") && typ != "aws_rds_cluster_instance" || typ == "aws_rds_global_cluster" || typ == "aws_s3_bucket" ||
					strings.HasPrefix(typ, "aws_elasticache_") && strings.Contains(typ, "replication_group") || typ == "aws_kms_key" || typ == "aws_secretsmanager_secret") &&
					synthtest.Get(r, "lifecycle.prevent_destroy") != true {
					t.Errorf("%s: stateful %s.%s lacks prevent_destroy", name, typ, id)
				}
			}
		}
	}
	if count < 20 {
		t.Errorf("only %d data resources compared; the data tier is missing", count)
	}
}

// No password or token appears in the synthesized JSON or in any output.
func TestNoPlaintextSecrets(t *testing.T) {
	s := synthApp(t, config.Default())
	for name, tpl := range s.stacks {
		for _, p := range synthtest.LiteralSecrets(tpl) {
			t.Errorf("%s: %s is not a reference", name, p)
		}
		outputs, _ := tpl["output"].(map[string]any)
		for out, o := range outputs {
			v := fmt.Sprint(o.(map[string]any)["value"])
			for _, k := range append(slices.Clone(synthtest.SecretAttributes), "random_password") {
				if strings.Contains(v, "."+k) {
					t.Errorf("%s: output %s exposes %s", name, out, k)
				}
			}
		}
	}
}

// The app passes its own policy pack: no violation; warnings only where the
// fix needs input the defaults cannot have; every suppression has a reason.
func TestPolicyPackPassesOnDefaults(t *testing.T) {
	s := synthApp(t, config.Default())
	report, err := policypack.CheckDir(s.dir, policypack.AwsSolutions())
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Err(); err != nil {
		t.Fatal(err)
	}
	warned := map[string]bool{}
	for _, f := range report.Warnings() {
		warned[f.RuleID] = true
	}
	for _, id := range []string{"AwsSolutions-CFR2", "AwsSolutions-CFR3", "AwsSolutions-CFR4", "AwsSolutions-CFR5", "PL-CFR-WRITES", "PL-ECS-IMAGE-DIGEST"} {
		if !warned[id] {
			t.Errorf("no %s warning: the defaults lack the input it asks for", id)
		}
		delete(warned, id)
	}
	if len(warned) != 0 {
		t.Errorf("unexpected warnings: %v", warned)
	}
	for _, f := range report.Suppressed() {
		if len(f.SuppressionReason) < 20 {
			t.Errorf("suppression without a real reason: %v", f)
		}
	}
}

// operator.principals adds the runbook's operator role to the global stack,
// with exactly runbook.Permissions, trusted by the principals named; the
// pack still passes. Without it (the default) there is no such role.
func TestOperatorRole(t *testing.T) {
	cfg := mustParse(t, "operator:\n  principals: [arn:aws:iam::123456789012:role/oncall]\n")
	s := synthApp(t, cfg)
	names := cfg.Names()
	global := s.stacks[names.GlobalStack()]
	var trust, policyText string
	for _, r := range global.Resources("aws_iam_role") {
		if r["name"] == names.OperatorRole() {
			trust = r["assume_role_policy"].(string)
		}
	}
	for _, p := range global.Resources("aws_iam_role_policy") {
		if p["name"] == names.OperatorRole() {
			policyText = p["policy"].(string)
		}
	}
	if !strings.Contains(trust, `"AWS":["arn:aws:iam::123456789012:role/oncall"]`) {
		t.Errorf("operator role trust: %s", trust)
	}
	want, err := cfg.OperatorPolicy("${data.aws_caller_identity.account.account_id}", "")
	if err != nil {
		t.Fatal(err)
	}
	if policyText != want.JSON() {
		t.Errorf("operator policy:\n got %s\nwant %s", policyText, want.JSON())
	}
	report, err := policypack.CheckDir(s.dir, policypack.AwsSolutions())
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Err(); err != nil {
		t.Errorf("policy pack: %v", err)
	}
}

// With the inputs the warnings ask for, the warnings go away.
func TestPolicyPackWarningsHaveFixes(t *testing.T) {
	cfg := mustParse(t, `service:
  image: public.ecr.aws/nginx/nginx@sha256:0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f
edge:
  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0b7f5f2c-9d6c
  aliases: [shop.example.com]
  logBucket: shop-cf-logs.s3.amazonaws.com
  webAclArn: arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/0b7f5f2c
  origins:
    us-east-1: {domain: use1.origin.example.com, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/aaa"}
    us-west-2: {domain: usw2.origin.example.com, certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/bbb"}
dns:
  zoneName: example.com
  zoneId: Z0123456789ABCDEFGHIJ
  name: origin.example.com
`)
	s := synthApp(t, cfg)
	report, err := policypack.CheckDir(s.dir, policypack.AwsSolutions())
	if err != nil {
		t.Fatal(err)
	}
	if w := report.Warnings(); len(w) != 0 || report.Err() != nil {
		t.Errorf("warnings left: %v; errors: %v", w, report.Err())
	}
	alb := s.stacks["pilotlight-dev-us-west-2"].Resource(t, "aws_lb_listener")
	if alb["protocol"] != "HTTPS" || alb["port"] != float64(443) || alb["ssl_policy"] == nil {
		t.Errorf("listener = %v", alb)
	}
}

// A region switch changes which region runs tasks and has NAT; it must not
// rename or drop anything else.
func TestRegionSwitchKeepsEveryOtherResource(t *testing.T) {
	// With standbyEgress: endpoints every region keeps its VPC endpoints
	// through the switch, so tasks running on them never lose them.
	endpoints := "network:\n  standbyEgress: endpoints\nservice:\n  image: 123456789012.dkr.ecr.{region}.amazonaws.com/app:1\n"
	for name, base := range map[string]string{"defaults": "", "standbyEgress endpoints": endpoints} {
		t.Run(name, func(t *testing.T) {
			before := synthApp(t, mustParse(t, base))
			after := synthApp(t, mustParse(t, base+"activeRegion: us-west-2\n"))
			natParts := []string{"aws_nat_gateway", "aws_eip", "aws_route"}
			for name, tpl := range before.stacks {
				other, ok := after.stacks[name]
				if !ok {
					t.Errorf("stack %s disappears when switching", name)
					continue
				}
				for typ := range tpl.Types("resource") {
					if slices.Contains(natParts, typ) {
						continue
					}
					for id := range tpl.Resources(typ) {
						if _, ok := other.Resources(typ)[id]; !ok {
							t.Errorf("%s: %s.%s would be destroyed by the switch", name, typ, id)
						}
					}
				}
				if base == endpoints && strings.HasPrefix(name, "pilotlight-dev-us-") {
					if n := len(tpl.Resources("aws_vpc_endpoint")); n != len(config.TaskInterfaceEndpoints)+1 {
						t.Errorf("%s has %d VPC endpoints, want %d", name, n, len(config.TaskInterfaceEndpoints)+1)
					}
				}
			}
		})
	}
}

// drViolations lists how a failover region's stack breaks the DR rule: it
// must plan and apply while the primary region is unreachable.
func drViolations(tpl synthtest.Template, cfg config.Config, region string) []string {
	var out []string
	providers := tpl.Providers("aws")
	if len(providers) != 1 || providers[0]["region"] != region {
		out = append(out, fmt.Sprintf("AWS providers %v: want exactly one, in %s", providers, region))
	}
	for name := range tpl["provider"].(map[string]any) {
		if name != "aws" {
			out = append(out, "unexpected provider "+name)
		}
	}
	backend := tpl["terraform"].(map[string]any)["backend"].(map[string]any)
	for typ, conf := range backend {
		c := conf.(map[string]any)
		if typ != "local" && (typ != "s3" || c["region"] == cfg.PrimaryRegion || c["region"] == nil) {
			out = append(out, fmt.Sprintf("state backend %s %v lives in or may live in the primary region", typ, c))
		}
	}
	for name, rs := range tpl.DataSources("terraform_remote_state") {
		c, _ := rs["config"].(map[string]any)
		if rs["backend"] != "local" && (rs["backend"] != "s3" || c["region"] == cfg.PrimaryRegion || c["region"] == nil) {
			out = append(out, fmt.Sprintf("remote state %s reads %v %v, which may be in the primary region", name, rs["backend"], c))
		}
	}
	globalServices := []string{"aws_iam_", "aws_cloudfront_", "aws_route53_", "aws_organizations_", "aws_shield_", "aws_globalaccelerator_", "aws_wafv2_web_acl"}
	for _, kind := range []string{"resource", "data"} {
		for typ := range tpl.Types(kind) {
			for _, prefix := range globalServices {
				if strings.HasPrefix(typ, prefix) && !strings.HasPrefix(typ, "aws_route53_resolver") {
					out = append(out, fmt.Sprintf("%s %s belongs to a global service managed from us-east-1", kind, typ))
				}
			}
		}
	}
	return out
}

func TestDRRule(t *testing.T) {
	configs := map[string]string{
		"defaults":             "",
		"failover active":      "activeRegion: us-west-2\n",
		"two failover regions": "failoverRegions: [us-west-2, us-east-2]\n",
		"s3 backend":           "backend:\n  type: s3\n  bucket: state\n  region: eu-west-1\n",
		"primary elsewhere":    "primaryRegion: eu-west-1\nfailoverRegions: [us-east-1]\nbackend:\n  type: s3\n  bucket: state\n  region: eu-central-1\n",
		"snapshot mode":        "database:\n  mode: snapshot\n  snapshotIdentifier: before\n  secondaryInstances: 0\n",
		"dns":                  dnsYAML + "failoverRegions: [us-west-2, us-east-2]\n",
	}
	for name, yaml := range configs {
		t.Run(name, func(t *testing.T) {
			cfg := mustParse(t, yaml)
			s := synthApp(t, cfg)
			for _, region := range cfg.FailoverRegions {
				// Both stacks a failover region deploys: its keys and itself.
				for _, stack := range []string{cfg.Names().KeysStack(region), cfg.Names().RegionalStack(region)} {
					for _, v := range drViolations(s.stacks[stack], cfg, region) {
						t.Errorf("%s: %s", stack, v)
					}
				}
			}
		})
	}
}

// The DR check itself must catch each way of breaking the rule.
func TestDRRuleCatchesViolations(t *testing.T) {
	cfg := mustParse(t, "backend:\n  type: s3\n  bucket: state\n  region: eu-west-1\n")
	s := synthApp(t, cfg)
	stack := cfg.Names().RegionalStack("us-west-2")
	breakers := map[string]func(synthtest.Template){
		"second provider": func(tpl synthtest.Template) {
			p := tpl["provider"].(map[string]any)
			p["aws"] = append(p["aws"].([]any), map[string]any{"region": "us-east-1", "alias": "primary"})
		},
		"state in primary": func(tpl synthtest.Template) {
			tpl["terraform"].(map[string]any)["backend"].(map[string]any)["s3"].(map[string]any)["region"] = "us-east-1"
		},
		"remote state in primary": func(tpl synthtest.Template) {
			for _, rs := range tpl.DataSources("terraform_remote_state") {
				rs["config"].(map[string]any)["region"] = "us-east-1"
			}
		},
		"IAM resource": func(tpl synthtest.Template) {
			tpl["resource"].(map[string]any)["aws_iam_role"] = map[string]any{"r": map[string]any{}}
		},
		"Route 53 health check": func(tpl synthtest.Template) {
			tpl["resource"].(map[string]any)["aws_route53_health_check"] = map[string]any{"h": map[string]any{}}
		},
		"CloudFront resource": func(tpl synthtest.Template) {
			tpl["resource"].(map[string]any)["aws_cloudfront_distribution"] = map[string]any{"d": map[string]any{}}
		},
		"Route 53 data source": func(tpl synthtest.Template) {
			tpl["data"].(map[string]any)["aws_route53_zone"] = map[string]any{"z": map[string]any{}}
		},
	}
	if v := drViolations(s.stacks[stack], cfg, "us-west-2"); len(v) != 0 {
		t.Fatalf("unbroken stack reported: %v", v)
	}
	for name, breakIt := range breakers {
		tpl := copyTemplate(t, s.stacks[stack])
		breakIt(tpl)
		if v := drViolations(tpl, cfg, "us-west-2"); len(v) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}

func copyTemplate(t testing.TB, tpl synthtest.Template) synthtest.Template {
	raw, _ := json.Marshal(tpl)
	return synthtest.Parse(t, string(raw))
}

// Values the global stack derives from config must equal what the regional
// stacks create, since neither reads the other for them.
func TestDerivedNamesMatchTheirProducers(t *testing.T) {
	cfg := config.Default()
	s := synthApp(t, cfg)
	names := cfg.Names()
	policies := map[string]string{}
	for _, p := range s.stacks[names.GlobalStack()].Resources("aws_iam_role_policy") {
		policies[p["name"].(string)] = p["policy"].(string)
	}
	for _, region := range cfg.Regions() {
		tpl := s.stacks[names.RegionalStack(region)]
		groups := map[string]bool{}
		for _, g := range tpl.Resources("aws_cloudwatch_log_group") {
			groups[g["name"].(string)] = true
		}
		for role, group := range map[string]string{names.ExecutionRole(): names.AppLogGroup(), names.FlowLogsRole(): names.FlowLogGroup()} {
			if !groups[group] {
				t.Errorf("%s creates no log group %s, which role %s is scoped to", region, group, role)
			}
			want := fmt.Sprintf(":logs:%s:${data.aws_caller_identity.account.account_id}:log-group:%s", region, group)
			if !strings.Contains(policies[role], want) {
				t.Errorf("role %s policy does not cover %s in %s:\n%s", role, group, region, policies[role])
			}
		}
		for _, g := range tpl.Resources("aws_cloudwatch_log_group") {
			if !strings.HasPrefix(g["name"].(string), names.LogGroupPrefix()) {
				t.Errorf("%s: log group %v is outside %s, which the region's key lets CloudWatch Logs use", region, g["name"], names.LogGroupPrefix())
			}
		}
	}
}

func TestGolden(t *testing.T) {
	s := synthApp(t, config.Default())
	for name, st := range s.manifest.Stacks {
		got, err := os.ReadFile(filepath.Join(s.dir, st.SynthesizedStackPath))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "golden", name+".json")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestGolden -update . to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; if the change is intended, run go test -run TestGolden -update . and review the diff", name, path)
		}
	}
}

// main itself, run as a process: bad config exits 1 with one line per
// problem, no stack trace, and no cdktf.out.
func TestMainRefusesBadConfig(t *testing.T) {
	if os.Getenv("PILOTLIGHT_RUN_MAIN") == "1" {
		// The test binary's own flags are not main's: PILOTLIGHT_ARGS
		// holds the command line main sees.
		os.Args = append([]string{"pilotlight"}, strings.Fields(os.Getenv("PILOTLIGHT_ARGS"))...)
		main()
		return
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("failoverRegions: [us-east-1, us-west-2, eu-west-1]\nactiveRegion: mars-1\nregoin: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, yaml := range map[string]string{"unknown key": bad, "invalid values": ""} {
		t.Run(name, func(t *testing.T) {
			path := yaml
			if path == "" {
				path = filepath.Join(dir, "values.yaml")
				os.WriteFile(path, []byte("failoverRegions: [us-east-1, us-west-2, eu-west-1]\nactiveRegion: mars-1\n"), 0o600)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestMainRefusesBadConfig$")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PILOTLIGHT_RUN_MAIN=1", config.EnvVar+"="+path, "CDKTF_OUTDIR="+filepath.Join(dir, "cdktf.out"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			exit, ok := err.(*exec.ExitError)
			if !ok || exit.ExitCode() != 1 {
				t.Fatalf("want exit status 1, got %v; stderr:\n%s", err, stderr.String())
			}
			out := stderr.String()
			if strings.Contains(out, "goroutine") || strings.Contains(out, "panic") {
				t.Errorf("stack trace on bad config:\n%s", out)
			}
			if !strings.Contains(out, "invalid config ("+path+")") {
				t.Errorf("stderr does not name the file:\n%s", out)
			}
			if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); !os.IsNotExist(err) {
				t.Errorf("cdktf.out was written for a bad config")
			}
		})
	}
}

// main on the defaults, started as `cdktf synth` starts it (cdktf.json's
// app command, through a shell): exit 0, cdktf.out in place with every
// stack, the pack's warnings and suppressions listed on stdout, nothing on
// stderr (cdktf synth labels each stderr line [ERROR], so jsii's Node
// end-of-life banner and the warnings would read as errors), no staging
// folder left behind.
func TestMainWritesOutdirAfterThePack(t *testing.T) {
	raw, err := os.ReadFile("cdktf.json")
	if err != nil {
		t.Fatal(err)
	}
	var app struct{ App string }
	if err := json.Unmarshal(raw, &app); err != nil || app.App == "" {
		t.Fatalf("cdktf.json has no app command: %v", err)
	}
	dir := t.TempDir()
	outdir := filepath.Join(dir, "out")
	cmd := exec.Command("sh", "-c", app.App)
	// The user's shell, not CI's: without the banner switch that .ci/run
	// exports (jsii reads the environment while Go packages initialize,
	// before main runs, so the app cannot set it itself).
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=")
	})
	cmd.Env = append(env, config.EnvVar+"=", "CDKTF_OUTDIR="+outdir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", app.App, err, stderr.String())
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		t.Errorf("a successful synth wrote to stderr (cdktf synth shows each line as [ERROR]):\n%s", s)
	}
	stacks, err := os.ReadDir(filepath.Join(outdir, "stacks"))
	if err != nil || len(stacks) != 7 {
		t.Fatalf("stacks in %s: %v %v", outdir, stacks, err)
	}
	left, _ := filepath.Glob(outdir + ".staging-*")
	if len(left) != 0 {
		t.Errorf("staging folders left: %v", left)
	}
	for _, want := range []string{"warning AwsSolutions-CFR4", "suppressed AwsSolutions-SMG4"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
}

// BenchmarkSynth measures what a user waits for: a whole synth process
// (`go run .` minus compiling: the jsii kernel starting, the AWS provider
// bindings loading, the stacks being built and written), for the default app
// and for the floor, the same provider bindings and one bucket per region.
// Goal: app within 1.3x the floor. Both binaries are built before timing;
// the first iteration of each warms the jsii assembly cache.
func BenchmarkSynth(b *testing.B) {
	bin := b.TempDir()
	for name, pkg := range map[string]string{"app": ".", "floor": "./internal/floor/cmd/floor"} {
		if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, name), pkg).CombinedOutput(); err != nil {
			b.Fatalf("build %s: %v\n%s", name, err, out)
		}
	}
	for _, name := range []string{"floor", "app"} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(filepath.Join(bin, name))
				cmd.Env = append(os.Environ(), "CDKTF_OUTDIR="+b.TempDir(), config.EnvVar+"=")
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%s: %v\n%s", name, err, out)
				}
			}
		})
	}
}

// BenchmarkBuildStacks measures only the in-process part: building and
// synthesizing the stacks once the jsii kernel is up, app against floor.
// It shows what the app's own constructs cost, which BenchmarkSynth hides
// under the kernel's start-up.
func BenchmarkBuildStacks(b *testing.B) {
	regions := config.Default().Regions()
	b.Run("floor", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(b.TempDir())})
			floor.New(app, regions)
			app.Synth()
		}
	})
	b.Run("app", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(b.TempDir())})
			if err := synth(app, config.Default()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// maxTrackedBytes is the largest file git may track: anything bigger is a
// build output committed by accident (an 80 MB app binary once was).
const maxTrackedBytes = 1 << 20

func TestNoLargeTrackedFiles(t *testing.T) {
	if _, err := os.Stat(".git"); err != nil {
		t.Skip("not a git work tree")
	}
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		fi, err := os.Lstat(name)
		if err != nil {
			continue // deleted in the work tree, not yet committed
		}
		if fi.Size() > maxTrackedBytes {
			t.Errorf("%s is tracked and %d bytes (over %d): build outputs stay out of git; `git rm --cached %s` and add it to .gitignore", name, fi.Size(), maxTrackedBytes, name)
		}
	}
}

// The command line, run as a process: help prints usage and exits 0; an
// operations command, or help for one, is refused with exit 1
// (runbook.ExitInput) and one line naming the command that runs it in
// ./cmd/pilotlight; an unknown flag or command is refused with exit 1. None
// writes cdktf.out or starts the synth (each returns well before jsii could
// load).
func TestMainCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args     string
		code     int
		out, err string
	}{
		{"--help", 0, "usage: go run .", ""},
		{"-h", 0, "go run ./cmd/pilotlight --help\n", ""},
		{"help", 0, "go build -o pilotlight ./cmd/pilotlight && ./pilotlight --help\n", ""},
		{"status", 1, "", "run go run ./cmd/pilotlight status (or go build -o pilotlight ./cmd/pilotlight once, then ./pilotlight status)\n"},
		{"status --json --max-lag 5s", 1, "", "run go run ./cmd/pilotlight status --json --max-lag 5s (or"},
		{"failover --to us-west-2 --yes", 1, "", "then ./pilotlight failover --to us-west-2 --yes)\n"},
		{"help status", 1, "", "run go run ./cmd/pilotlight help status (or"},
		{"policy -h", 1, "", "run go run ./cmd/pilotlight policy -h (or"},
		{"rto --json", 1, "", "run go run ./cmd/pilotlight rto --json (or"},
		{"--verbose", 1, "", `unknown flag "--verbose": the synth takes no flags`},
		{"-out=x", 1, "", `unknown flag "-out=x"`},
		{"synth", 1, "", `unknown command "synth": the synth takes no arguments`},
		{"help synth", 1, "", `unknown command "help synth"`},
	} {
		t.Run(tc.args, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestMainRefusesBadConfig$")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PILOTLIGHT_RUN_MAIN=1", "PILOTLIGHT_ARGS="+tc.args, config.EnvVar+"=", "CDKTF_OUTDIR="+filepath.Join(dir, "cdktf.out"))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if exit, ok := err.(*exec.ExitError); ok {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.err) {
				t.Errorf("stdout:\n%s\nstderr:\n%s\nwant %q on stdout and %q on stderr", stdout.String(), stderr.String(), tc.out, tc.err)
			}
			if tc.code != 0 && (stdout.Len() != 0 || strings.Count(stderr.String(), "\n") != 1) {
				t.Errorf("a refusal is one line on stderr and nothing on stdout; got stdout %q, stderr %q", stdout.String(), stderr.String())
			}
			if _, err := os.Stat(filepath.Join(dir, "cdktf.out")); !os.IsNotExist(err) {
				t.Errorf("cdktf.out was written")
			}
		})
	}
}

// The layers keep their promises (issue 17). The synth entry (what
// cdktf.json runs) compiles no AWS SDK service package and no runbook, so a
// cold synth does not build what only an outage needs. The operations CLI,
// the runbook, the config and the spec packages link no jsii, cdktf,
// constructs or provider package, so nothing the operations commands call
// can start Node.js during an outage. The stacks and the constructs import
// no CLI package and no AWS SDK service package.
func TestLayers(t *testing.T) {
	const module = "github.com/pilotlight/pilotlight/"
	cli := []string{module + "runbook", module + "cmd/pilotlight"}
	sdkOrCLI := func(p string) bool {
		return strings.HasPrefix(p, "github.com/aws/aws-sdk-go-v2/service/") || slices.Contains(cli, p)
	}
	jsiiModules := []string{
		"github.com/aws/jsii-runtime-go",
		"github.com/hashicorp/terraform-cdk-go/",
		"github.com/cdktf/cdktf-provider-aws-go/",
		"github.com/aws/constructs-go/",
	}
	jsiiLike := func(p string) bool {
		return slices.ContainsFunc(jsiiModules, func(m string) bool { return strings.HasPrefix(p, m) })
	}
	for _, tc := range []struct {
		patterns string
		// needs is a package the layer must link: a go list that answers
		// nothing cannot pass.
		needs string
		bad   func(string) bool
		rule  string
	}{
		{".", "github.com/hashicorp/terraform-cdk-go/cdktf", sdkOrCLI, "the synth entry compiles no AWS SDK service package and no operations CLI"},
		{"./stacks ./constructs/...", module + "constructs/policy", sdkOrCLI, "the stacks and constructs import no AWS SDK service package and no CLI package"},
		{"./cmd/pilotlight", module + "runbook", jsiiLike, "the operations CLI links no jsii, cdktf, constructs or provider package"},
		{"./runbook", "github.com/aws/aws-sdk-go-v2/service/rds", jsiiLike, "the runbook links no jsii, cdktf, constructs or provider package"},
		{"./config", module + "spec/data", jsiiLike, "the config links no jsii, cdktf, constructs or provider package"},
		{"./spec/...", module + "spec/awsenv", jsiiLike, "the spec packages link no jsii, cdktf, constructs or provider package"},
	} {
		t.Run(tc.patterns, func(t *testing.T) {
			out, err := exec.Command("go", append([]string{"list", "-deps"}, strings.Fields(tc.patterns)...)...).Output()
			if err != nil {
				t.Fatalf("go list -deps %s: %v", tc.patterns, err)
			}
			all := strings.Fields(string(out))
			if !slices.Contains(all, tc.needs) {
				t.Fatalf("go list -deps %s lacks %s, which it must link: %v", tc.patterns, tc.needs, all)
			}
			for _, p := range all {
				if tc.bad(p) {
					t.Errorf("%s depends on %s: %s", tc.patterns, p, tc.rule)
				}
			}
		})
	}
}

// The synth entry names the operations CLI's commands and its input-error
// code without linking it: they must stay the runbook's.
func TestSynthKnowsTheOperationsCommands(t *testing.T) {
	if !slices.Equal(operationsCommands, runbook.Commands) {
		t.Errorf("main's operationsCommands %v, runbook.Commands %v: make them the same", operationsCommands, runbook.Commands)
	}
	if exitInput != runbook.ExitInput {
		t.Errorf("main's exitInput %d, runbook.ExitInput %d", exitInput, runbook.ExitInput)
	}
}

// The deploy gate of docs/deploying.md, run by sh for each exit code of
// status (a stub stands in for the binary): 0 and 2 deploy, 3 deploys only
// on the first deploy, 4 and anything else (go run's 1 among them) refuse.
func TestDeployGateRecipe(t *testing.T) {
	raw, err := os.ReadFile("docs/deploying.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	start := strings.Index(text, "./pilotlight status; rc=$?\n  case")
	end := strings.Index(text[max(start, 0):], "esac")
	if start < 0 || end < 0 {
		t.Fatal("docs/deploying.md has no deploy gate block (./pilotlight status; rc=$? ... esac)")
	}
	recipe := text[start:start+end+len("esac")] + "\necho deploy\n"
	dir := t.TempDir()
	for _, tc := range []struct {
		code   int
		first  bool
		deploy bool
	}{{0, false, true}, {2, false, true}, {3, false, false}, {3, true, true}, {4, false, false}, {4, true, false}, {1, false, false}, {5, false, false}} {
		stub := filepath.Join(dir, "pilotlight")
		if err := os.WriteFile(stub, []byte(fmt.Sprintf("#!/bin/sh\nexit %d\n", tc.code)), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("sh", "-c", recipe)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "FIRST_DEPLOY=")
		if tc.first {
			cmd.Env = append(cmd.Env, "FIRST_DEPLOY=1")
		}
		out, _ := cmd.CombinedOutput()
		if deployed := strings.Contains(string(out), "deploy\n") && !strings.Contains(string(out), "not deploying") && !strings.Contains(string(out), "do not deploy"); deployed != tc.deploy {
			t.Errorf("status exit %d (first deploy %v): deployed %v, want %v\n%s", tc.code, tc.first, deployed, tc.deploy, out)
		}
	}
}

// readmeMaxLines is the README's budget: what it builds, the two commands, a
// config, the deploy and the failover; everything else is a page in docs/.
const readmeMaxLines = 250

// pendingPages are pages the README and docs/ link to before the change that
// generates them has landed; a link to one passes while the file is missing.
// Empty this list as they land: then every link must lead to a file.
var pendingPages = []string{}

func TestReadmeFitsItsBudget(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), "\n"); n > readmeMaxLines {
		t.Errorf("README.md has %d lines, over its budget of %d: move a subject to a page under docs/ and link it", n, readmeMaxLines)
	}
}

// The README's test command is the one CI runs: .ci/run ends with exactly
// that line.
func TestReadmeTestCommandIsCI(t *testing.T) {
	const command = "go test -timeout 30m ./... && .ci/scan"
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "\n"+command+" ") {
		t.Errorf("README.md does not give the test command %q at the start of a line", command)
	}
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(ci)), "\n")
	if last := lines[len(lines)-1]; last != command {
		t.Errorf(".ci/run ends with %q; the README says CI runs %q", last, command)
	}
}

// The README's example config is valid, and the stack names its deploy and
// failover commands use are the ones that config produces.
func TestReadmeConfigIsValid(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	_, after, ok := strings.Cut(text, "<!-- readme-config")
	if !ok {
		t.Fatal("README.md has no <!-- readme-config --> marker before its example config")
	}
	_, block, ok := strings.Cut(after, "```yaml\n")
	if !ok {
		t.Fatal("README.md: no ```yaml block after the readme-config marker")
	}
	block, _, _ = strings.Cut(block, "```")
	cfg, err := config.Parse("README.md", []byte(block))
	if err != nil {
		t.Fatalf("the README's example config is refused:\n%v", err)
	}
	n := cfg.Names()
	failover := cfg.FailoverRegions[0]
	for _, want := range []string{
		"npx cdktf deploy '" + n.Prefix() + "-*'",
		"failover --to " + failover + " ",
		"npx cdktf deploy " + n.KeysStack(failover) + " " + n.RegionalStack(failover) + " --ignore-missing-stack-dependencies\n",
		"activeRegion: " + failover,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("README.md does not contain %q, which its example config implies", want)
		}
	}
}

// Every relative link in README.md and docs/ leads to a file (or a folder),
// and a link to a heading of a Markdown page leads to a heading there
// (GitHub's anchors). Links inside code are not links.
func TestDocsLinksResolve(t *testing.T) {
	pages := []string{"README.md"}
	err := filepath.WalkDir("docs", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			pages = append(pages, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]map[string]bool{}
	headings := func(page string) map[string]bool {
		if a, ok := anchors[page]; ok {
			return a
		}
		raw, err := os.ReadFile(page)
		if err != nil {
			return nil
		}
		a := map[string]bool{}
		for _, line := range markdownProse(string(raw)) {
			if title, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
				a[headingAnchor(title)] = true
			}
		}
		anchors[page] = a
		return a
	}
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	code := regexp.MustCompile("`[^`]*`")
	for _, page := range pages {
		raw, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range markdownProse(string(raw)) {
			for _, m := range link.FindAllStringSubmatch(code.ReplaceAllString(line, ""), -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				file, anchor, _ := strings.Cut(target, "#")
				path := page
				if file != "" {
					path = filepath.Join(filepath.Dir(page), file)
				}
				if slices.Contains(pendingPages, filepath.ToSlash(path)) {
					continue
				}
				if _, err := os.Stat(path); err != nil {
					t.Errorf("%s: link %q: %s does not exist", page, target, path)
					continue
				}
				if anchor != "" && strings.HasSuffix(path, ".md") && !headings(path)[anchor] {
					t.Errorf("%s: link %q: %s has no heading with the anchor #%s", page, target, path, anchor)
				}
			}
		}
	}
}

// markdownProse is a page's lines outside fenced code blocks.
func markdownProse(text string) []string {
	var out []string
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			out = append(out, line)
		}
	}
	return out
}

// headingAnchor is the anchor GitHub gives a heading: lower case, spaces as
// hyphens, punctuation other than hyphens and underscores dropped.
func headingAnchor(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(title)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The operations commands are ./cmd/pilotlight: a binary built from the
// module root (the synth) exits 1 on `status`, so a deploy gate copied from
// a page that builds `.` would block every deploy, and `go run . status`
// only prints where the command went.
func TestDocsRunTheOperationsCLI(t *testing.T) {
	pages, _ := filepath.Glob("docs/*.md")
	more, _ := filepath.Glob("docs/*/*.md")
	pages = append(append(pages, more...), "README.md")
	build := regexp.MustCompile(`go build -o \S*pilotlight \.(\s|$|` + "`" + `)`)
	run := regexp.MustCompile(`go run \. (` + strings.Join(operationsCommands, "|") + `)\b`)
	for _, page := range pages {
		raw, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(raw), "\n") {
			if build.MatchString(line) || run.MatchString(line) {
				t.Errorf("%s:%d builds or runs the operations commands from the module root (the synth); use ./cmd/pilotlight: %s", page, i+1, strings.TrimSpace(line))
			}
		}
	}
}
