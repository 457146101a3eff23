package tfplan_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
	"github.com/pilotlight/pilotlight/internal/tfplan"
)

// Every stack of every config plans, in deploy order, against the fake AWS:
// the plan succeeds, destroys nothing, and every call it makes is answered.
// Each failover stack is planned with the primary region and us-east-1
// dark, and every call it makes goes to its own region (or to the state
// bucket's region): the DR drill.
//
// Every top-level test here runs in parallel with the others (they share
// each config's plans through deploy), so the machine's cores stay busy.
func TestPlanEveryStack(t *testing.T) {
	t.Parallel()
	terraform(t)
	names := make([]string, 0, len(configs))
	for name := range configs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := deploy(t, name)
			for _, stack := range d.app.order {
				p := d.plans[stack]
				if p == nil {
					t.Errorf("%s: not planned: a stack before it failed", stack)
					continue
				}
				if p.err != nil {
					t.Errorf("%s: plan failed:\n%v", stack, p.err)
					continue
				}
				if destroys := p.result.Destroys(); len(destroys) > 0 {
					t.Errorf("%s: plan destroys %v", stack, destroys)
				}
				if p.result.Add == 0 {
					t.Errorf("%s: plan adds nothing; an empty-state plan must create the stack", stack)
				}
				if region, failover := d.app.region(stack); failover {
					if stray := strayCalls(d.app.cfg, region, p.calls); len(stray) > 0 {
						t.Errorf("DR drill: %s planned with %v dark made calls outside %s: %v", stack, d.app.dark(), region, stray)
					}
					if len(p.calls) == 0 {
						t.Errorf("DR drill: %s made no AWS calls at all; the drill proves nothing", stack)
					}
				}
				t.Logf("%s: +%d ~%d -%d in %s, %d calls", stack, p.result.Add, p.result.Change, p.result.Remove, p.result.Elapsed.Round(1e8), len(p.calls))
			}
		})
	}
}

// strayCalls lists the calls that did not go to region, other than the s3
// backend's (STS and S3 in the state bucket's region, which config keeps
// outside the app's regions).
func strayCalls(cfg config.Config, region string, calls []fakeaws.Call) []string {
	var out []string
	for _, c := range calls {
		if c.Region == region || (cfg.Backend.Type == config.BackendS3 && c.Region == cfg.Backend.Region) {
			continue
		}
		out = append(out, c.String())
	}
	return out
}

// The drill bites: with the primary region dark, the stacks that need it
// (global and edge, whose control planes are in us-east-1, and the
// primary's own) fail to plan; and a failover stack that reads a global
// service fails it.
func TestDRDrillBites(t *testing.T) {
	t.Parallel()
	d := deploy(t, "defaults")
	names := d.app.cfg.Names()
	for _, stack := range []string{names.GlobalStack(), names.RegionalStack(d.app.cfg.PrimaryRegion), names.EdgeStack()} {
		c := d.clone(t)
		p := c.planStack(t, stack, d.app.dark())
		if p.err == nil {
			t.Errorf("%s planned with %v dark; the drill must show it cannot", stack, d.app.dark())
		}
		if !slices.ContainsFunc(p.calls, func(c fakeaws.Call) bool { return c.Status == 0 }) {
			t.Errorf("%s: no call reached a dark region; calls: %v", stack, p.calls)
		}
	}

	// Mutation: a failover stack that reads IAM (a global service, signed
	// for us-east-1) no longer plans with us-east-1 dark.
	failover := names.RegionalStack(d.app.cfg.FailoverRegions[0])
	c := d.clone(t)
	path := filepath.Join(c.app.dir(failover), "cdk.tf.json")
	var doc map[string]any
	raw, _ := os.ReadFile(path)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["data"].(map[string]any)["aws_iam_role"] = map[string]any{"mutant": map[string]any{"name": names.ExecutionRole(), "provider": "aws.failover"}}
	raw, _ = json.Marshal(doc)
	os.WriteFile(path, raw, 0o644)
	p := c.planStack(t, failover, d.app.dark())
	region, _ := c.app.region(failover)
	if p.err == nil && len(strayCalls(c.app.cfg, region, p.calls)) == 0 {
		t.Errorf("a failover stack reading an IAM role passed the drill; calls: %v", p.calls)
	}
}

// An account that sees fewer availability zones than network.azCount
// asks for is refused at plan, by the VPC's zones postcondition, naming
// the setting; before, element() wrapped and two subnets shared a zone
// until the load balancer's apply failed (issue 16 class 7).
func TestPlanRefusesMoreZonesThanTheRegionHas(t *testing.T) {
	t.Parallel()
	d := deploy(t, "defaults")
	cfg := d.app.cfg
	standby := cfg.Names().RegionalStack(cfg.FailoverRegions[0])
	c := d.clone(t)
	c.zones = cfg.Network.AzCount - 1
	p := c.planStack(t, standby, d.app.dark())
	if p.err == nil {
		t.Fatalf("%s planned with %d availability zones for azCount %d", standby, c.zones, cfg.Network.AzCount)
	}
	for _, want := range []string{"Resource postcondition failed", fmt.Sprintf("spans %d availability zones (its AzCount; azCount in a config file)", cfg.Network.AzCount), "describe-availability-zones"} {
		if !strings.Contains(strings.Join(strings.Fields(p.err.Error()), " "), want) {
			t.Errorf("plan error lacks %q:\n%v", want, p.err)
		}
	}
}

// clone copies the deployment's synthesized app and states into a new root,
// so a test can change and plan it without touching the shared one.
func (d *deployment) clone(t *testing.T) *deployment {
	t.Helper()
	root := t.TempDir()
	err := filepath.WalkDir(d.app.root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(d.app.root, path)
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(root, rel), 0o755)
		}
		// The initialised .terraform folders come along (backend paths are
		// relative, the provider is a link into the mirror), so a clone
		// plans without a second init.
		if e.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(target, filepath.Join(root, rel))
		}
		if (strings.HasSuffix(path, ".tfstate") && !strings.Contains(rel, ".terraform")) || e.Name() == "plan.bin" {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, rel), raw, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	a := *d.app
	a.root = root
	c := &deployment{app: &a, plans: map[string]*plan{}, states: map[string][]byte{}}
	d.mu.Lock()
	for k, v := range d.states {
		c.states[k] = v
	}
	d.mu.Unlock()
	return c
}

// The region switch, planned by Terraform: the failover stack as applied
// (its state built from its own plan, converged with -refresh=false), then
// the config with activeRegion switched, with the primary region dark. Only
// the NAT parts and the service's desired count may change; nothing is
// destroyed or replaced. Then the same for switching back, with every
// region up again: the failover stack, and the primary's stack coming back.
func TestRegionSwitchPlan(t *testing.T) {
	t.Parallel()
	terraform(t)
	t.Run("to the failover region", func(t *testing.T) {
		t.Parallel()
		from, to := deploy(t, "defaults"), deploy(t, "switched")
		sharedSwitchPlan(t, from, to, from.app.cfg.Names().RegionalStack(from.app.cfg.FailoverRegions[0]), from.app.dark())
	})
	t.Run("back, failover region", func(t *testing.T) {
		t.Parallel()
		from, to := deploy(t, "switched"), deploy(t, "defaults")
		switchPlan(t, from, to, from.app.cfg.Names().RegionalStack(from.app.cfg.FailoverRegions[0]), nil)
	})
	t.Run("back, primary region", func(t *testing.T) {
		t.Parallel()
		from, to := deploy(t, "switched"), deploy(t, "defaults")
		switchPlan(t, from, to, from.app.cfg.Names().RegionalStack(from.app.cfg.PrimaryRegion), nil)
	})
}

// switchPlans runs each region switch plan once per test binary: the drill
// (TestDrill...) and TestRegionSwitchPlan both ask for the defaults to
// switched one.
var switchPlans onceMap[bool]

// sharedSwitchPlan is switchPlan run once for from, to, stack and dark, as
// a subtest of the first test that asks; later askers fail if it failed.
func sharedSwitchPlan(t *testing.T, from, to *deployment, stack string, dark []string) {
	t.Helper()
	o := switchPlans.get(fmt.Sprintf("%p %p %s %v", from, to, stack, dark))
	ran := false
	o.once.Do(func() {
		ran = true
		o.v = t.Run("region switch plan "+stack, func(t *testing.T) { switchPlan(t, from, to, stack, dark) })
	})
	if !o.v && !ran {
		t.Errorf("the region switch plan of %s failed (in another test: see its log)", stack)
	}
}

// natParts are the resources a region has only while it is active (or
// keeps standby NAT).
var natParts = []string{"aws_nat_gateway", "aws_eip", "aws_route"}

func switchPlan(t *testing.T, from, to *deployment, stack string, dark []string) {
	c := from.applied(t, stack, dark)
	raw, err := os.ReadFile(filepath.Join(to.app.dir(stack), "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.app.dir(stack), "cdk.tf.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	p := c.planStack(t, stack, dark, "-refresh=false")
	if p.err != nil {
		t.Fatalf("switch plan of %s with %v dark: %v", stack, dark, p.err)
	}
	if destroys := p.result.Destroys(); len(destroys) > 0 {
		// Removing the NAT parts of a region that goes standby is the one
		// destroy a switch may plan.
		var bad []string
		for _, d := range destroys {
			typ := strings.SplitN(d, ".", 2)[0]
			if !slices.Contains(natParts, typ) || strings.Contains(d, "create") {
				bad = append(bad, d)
			}
		}
		if len(bad) > 0 {
			t.Errorf("%s: the switch destroys or replaces %v", stack, bad)
		}
	}
	shown, err := c.show(t, stack)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, rc := range shown.ResourceChanges {
		if rc.Mode != "managed" || reflect.DeepEqual(rc.Change.Actions, []string{"no-op"}) {
			continue
		}
		changed++
		if slices.Contains(natParts, rc.Type) {
			continue
		}
		if rc.Type == "aws_ecs_service" && reflect.DeepEqual(rc.Change.Actions, []string{"update"}) {
			if diff := changedAttributes(rc); !slices.Equal(diff, []string{"desired_count"}) {
				t.Errorf("%s: the switch changes %s attributes %v, want only desired_count", stack, rc.Address, diff)
			}
			continue
		}
		t.Errorf("%s: the switch plans %v on %s; only the NAT parts and the service's desired count may change", stack, rc.Change.Actions, rc.Address)
	}
	if changed == 0 {
		t.Errorf("%s: the switch plans no change at all; the test compares the same config", stack)
	}
	t.Logf("%s switch: %v", stack, p.result.Changes)
}

// applied is a clone of d whose stack has its full state as applied: built
// from its empty-state plan (the one TestPlanEveryStack made, still in the
// deployment's folder), then converged: the built state, planned again with
// its own config, must show no changes; a pass that still does is folded
// into the state. Fake values that AWS would have computed from others (a
// task definition's JSON) can plan replacements while converging, so
// prevent_destroy is lifted for these passes only: they build the fixture,
// and the caller's plan runs with the app's lifecycle.
func (d *deployment) applied(t *testing.T, stack string, dark []string) *deployment {
	t.Helper()
	c := d.clone(t)
	shown, err := d.show(t, stack)
	if err != nil {
		t.Fatal(err)
	}
	c.states[stack] = c.state(t, stack, shown)
	lift := filepath.Join(c.app.dir(stack), "pilotlight_converge_override.tf.json")
	if err := os.WriteFile(lift, liftPreventDestroy(t, c.app.dir(stack)), 0o644); err != nil {
		t.Fatal(err)
	}
	converged := false
	for pass := 0; pass < 4 && !converged; pass++ {
		p := c.planStack(t, stack, dark, "-refresh=false")
		if p.err != nil {
			t.Fatalf("converging %s: %v", stack, p.err)
		}
		if p.result.Add+p.result.Change+p.result.Remove == 0 {
			converged = true
			break
		}
		shown := c.build(t, p)
		var diffs []string
		for _, rc := range shown.ResourceChanges {
			if rc.Mode == "managed" && !reflect.DeepEqual(rc.Change.Actions, []string{"no-op"}) {
				diffs = append(diffs, fmt.Sprintf("%s %v %v", rc.Address, rc.Change.Actions, changedAttributes(rc)))
			}
		}
		t.Logf("converging %s, pass %d: %s", stack, pass+1, strings.Join(diffs, "; "))
	}
	if !converged {
		t.Fatalf("%s: the state built from its plan does not converge", stack)
	}
	if err := os.Remove(lift); err != nil {
		t.Fatal(err)
	}
	return c
}

func changedAttributes(rc tfplan.ResourceChange) []string {
	before, _ := rc.Change.Before.(map[string]any)
	after, _ := rc.Change.After.(map[string]any)
	unknown, _ := rc.Change.AfterUnknown.(map[string]any)
	var out []string
	keys := map[string]bool{}
	for k := range after {
		keys[k] = true
	}
	for k := range before {
		keys[k] = true
	}
	for k := range keys {
		if !reflect.DeepEqual(before[k], after[k]) || hasUnknown(unknown[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// liftPreventDestroy is an override that turns prevent_destroy off on every
// resource of the stack in dir that sets it. It writes prevent_destroy
// alone: Terraform merges an override's lifecycle argument by argument, so
// ignore_changes stays the stack's own, and it refuses precondition and
// postcondition blocks in an override file ("Can't override postcondition
// blocks": hashicorp/terraform internal/configs, decodeCheckRuleBlock), so
// copying the whole lifecycle would fail every plan of a stack whose
// resources have conditions.
func liftPreventDestroy(t *testing.T, dir string) []byte {
	raw, err := os.ReadFile(filepath.Join(dir, "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Resource map[string]map[string]struct {
			Lifecycle map[string]any `json:"lifecycle"`
		} `json:"resource"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for typ, rs := range doc.Resource {
		for name, r := range rs {
			if r.Lifecycle["prevent_destroy"] == true {
				if out[typ] == nil {
					out[typ] = map[string]any{}
				}
				out[typ][name] = map[string]any{"lifecycle": map[string]any{"prevent_destroy": false}}
			}
		}
	}
	text, _ := json.Marshal(map[string]any{"resource": out})
	return text
}

// hasUnknown reports whether an after_unknown value marks anything unknown.
func hasUnknown(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case []any:
		return slices.ContainsFunc(t, hasUnknown)
	case map[string]any:
		for _, e := range t {
			if hasUnknown(e) {
				return true
			}
		}
	}
	return false
}
