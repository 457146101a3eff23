package tfplan_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
	"github.com/pilotlight/pilotlight/internal/tfplan"
	"github.com/pilotlight/pilotlight/stacks"
)

// The configs every stack is planned for. Between them: the defaults;
// config/testdata/full.yaml (two failover regions, the s3 backend, a
// failover region active, snapshot mode, r6gd data tiering, a CloudFront
// domain and certificate, a primary other than us-east-1, dns with a zone id
// and one origin certificate given); the switched activeRegion (the same
// config as defaults otherwise: TestRegionSwitchPlan compares the two); and
// cluster mode, with dns found by zone name (certificates created). A plan also validates, so these replace
// the `terraform validate` runs.
var configs = map[string]string{
	"defaults": "",
	"full":     "@../../config/testdata/full.yaml",
	"switched": "activeRegion: us-west-2\n",
	// The drill's config with dns: the traffic switch exists, and NAT
	// gateways stand in the standby, so the runbook starts its service.
	"dns":          "dns:\n  zoneId: Z0123456789ABCDEFGHIJ\n  zoneName: example.com\n  name: origin.example.com\nnetwork:\n  standbyEgress: nat\n",
	"cluster-mode": "database:\n  mode: cluster\n  sourceClusterArn: arn:aws:rds:us-east-1:123456789012:cluster:legacy\n  masterSecretName: legacy/master\ndns:\n  zoneName: example.com\n  name: origin.example.com\n",
}

// testMaxRetries keeps a plan against a dark region short in the tests.
const testMaxRetries = 2

var (
	tfOnce sync.Once
	tf     *tfplan.Terraform
	tfErr  error
	tfWork string
	synthM sync.Mutex // one jsii app synthesizes at a time
)

// terraform returns the offline Terraform, or skips the test (fails it when
// PILOTLIGHT_REQUIRE_PLAN is set, as .ci/run does on machines that have it).
func terraform(t *testing.T) *tfplan.Terraform {
	t.Helper()
	tfOnce.Do(func() {
		tfWork, tfErr = os.MkdirTemp("", "pilotlight-tf-")
		if tfErr == nil {
			tf, tfErr = tfplan.Find(tfWork)
		}
	})
	if tfErr != nil {
		if tfplan.Skippable(tfErr) {
			t.Skipf("%v; the plan tests need Terraform and the AWS provider mirror (set PILOTLIGHT_REQUIRE_PLAN=1 to make this a failure)", tfErr)
		}
		t.Fatal(tfErr)
	}
	return tf
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tfWork != "" && os.Getenv("PILOTLIGHT_KEEP_PLANS") == "" {
		os.RemoveAll(tfWork)
	}
	os.Exit(code)
}

func loadConfig(t testing.TB, spec string) config.Config {
	t.Helper()
	text := []byte(spec)
	source := "test.yaml"
	if path, ok := strings.CutPrefix(spec, "@"); ok {
		var err error
		if text, err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
		source = path
	}
	cfg, err := config.Default(), error(nil)
	if len(text) > 0 {
		// A config file that sets nothing is refused: "" is the defaults.
		cfg, err = config.Parse(source, text)
	}
	if err != nil {
		t.Fatal(err)
	}
	cfg.Provider.MaxRetries = testMaxRetries
	return cfg
}

// app is one config synthesized into root/cdktf.out, with its stacks in
// deploy order; local state files sit in root, where the stacks' local
// backends and remote-state reads expect them.
type app struct {
	cfg   config.Config
	root  string
	order []string
	deps  map[string][]string
}

func synthesize(t testing.TB, cfg config.Config) *app {
	t.Helper()
	root, err := os.MkdirTemp(tfWork, "app-")
	if err != nil {
		t.Fatal(err)
	}
	synthM.Lock()
	a := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(filepath.Join(root, "cdktf.out"))})
	_, err = stacks.New(a, cfg)
	if err == nil {
		a.Synth()
	}
	synthM.Unlock()
	if err != nil {
		t.Fatalf("synth: %v", err)
	}
	var manifest struct {
		Stacks map[string]struct {
			Dependencies []string `json:"dependencies"`
		} `json:"stacks"`
	}
	raw, err := os.ReadFile(filepath.Join(root, "cdktf.out", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	out := &app{cfg: cfg, root: root, deps: map[string][]string{}}
	done := map[string]bool{}
	for len(out.order) < len(manifest.Stacks) {
		var ready []string
		for name, s := range manifest.Stacks {
			if !done[name] && !slices.ContainsFunc(s.Dependencies, func(d string) bool { return !done[d] }) {
				ready = append(ready, name)
			}
			out.deps[name] = s.Dependencies
		}
		if len(ready) == 0 {
			t.Fatalf("dependency cycle in the manifest")
		}
		sort.Strings(ready)
		for _, r := range ready {
			done[r] = true
		}
		out.order = append(out.order, ready...)
	}
	return out
}

func (a *app) dir(stack string) string { return filepath.Join(a.root, "cdktf.out", "stacks", stack) }

// region is the stack's provider region, and whether it is a failover
// region's stack.
func (a *app) region(stack string) (string, bool) {
	names := a.cfg.Names()
	for _, r := range a.cfg.FailoverRegions {
		if names.RegionalStack(r) == stack || names.KeysStack(r) == stack {
			return r, true
		}
	}
	if names.RegionalStack(a.cfg.PrimaryRegion) == stack || names.KeysStack(a.cfg.PrimaryRegion) == stack {
		return a.cfg.PrimaryRegion, false
	}
	return stacks.GlobalRegion, false
}

// dark is what the DR drill turns off: the primary region, and us-east-1
// with it (the home of the global control planes).
func (a *app) dark() []string {
	if a.cfg.PrimaryRegion == stacks.GlobalRegion {
		return []string{a.cfg.PrimaryRegion}
	}
	return []string{a.cfg.PrimaryRegion, stacks.GlobalRegion}
}

// overrides makes the s3 backend, and remote-state reads through it,
// address the fake path-style (it has no per-bucket host names).
func (a *app) overrides(t testing.TB, stack string) map[string]any {
	if a.cfg.Backend.Type != config.BackendS3 {
		return nil
	}
	var doc struct {
		Terraform struct {
			Backend map[string]map[string]any `json:"backend"`
		} `json:"terraform"`
		Data map[string]map[string]map[string]any `json:"data"`
	}
	raw, err := os.ReadFile(filepath.Join(a.dir(stack), "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	backend := doc.Terraform.Backend["s3"]
	backend["use_path_style"] = true
	out := map[string]any{"terraform": map[string]any{"backend": map[string]any{"s3": backend}}}
	reads := map[string]any{}
	for name, rs := range doc.Data["terraform_remote_state"] {
		cfg, _ := rs["config"].(map[string]any)
		cfg["use_path_style"] = true
		reads[name] = map[string]any{"backend": "s3", "config": cfg}
	}
	if len(reads) > 0 {
		out["data"] = map[string]any{"terraform_remote_state": reads}
	}
	return out
}

// plan is one stack's plan against its own fake AWS.
type plan struct {
	stack  string
	dir    string // where it was planned (plan.bin), maybe another config's app
	result *tfplan.Result
	calls  []fakeaws.Call
	err    error
	state  []byte // the stack as applied, built from the plan (producers only)
}

// states holds each planned stack's built state, for its consumers.
type deployment struct {
	app    *app
	mu     sync.Mutex
	plans  map[string]*plan
	states map[string][]byte
	zones  int // availability zones the fake answers per region (0: its default, 3)
}

// planStack prepares and plans one stack with the given regions dark,
// seeding the fake's S3 with the states of the stacks planned before (for
// the s3 backend) or writing them beside the app (local backend).
func (d *deployment) planStack(t testing.TB, stack string, dark []string, args ...string) *plan {
	t.Helper()
	tf := terraform(t.(*testing.T))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	fake := fakeaws.New()
	defer fake.Close()
	d.seed(t, fake)
	if d.zones > 0 {
		fake.SetAvailabilityZones(d.zones)
	}
	env := tfplan.Env{Endpoint: fake.URL}
	p := &plan{stack: stack, dir: d.app.dir(stack)}
	if p.err = tf.Prepare(ctx, d.app.dir(stack), env, d.app.overrides(t, stack)); p.err != nil {
		return p
	}
	for _, r := range dark {
		fake.Dark(r, fakeaws.Drop)
	}
	p.result, p.err = tf.Plan(ctx, d.app.dir(stack), env, args...)
	p.calls = fake.Calls()
	for _, c := range fake.Unanswered() {
		p.err = errors.Join(p.err, fmt.Errorf("the fake AWS had no answer for %s", c))
	}
	if p.err != nil {
		p.err = fmt.Errorf("%w\ncalls: %s", p.err, fakeaws.Summary(p.calls))
	}
	return p
}

// seed puts every built state where the app's backend reads it.
func (d *deployment) seed(t testing.TB, fake *fakeaws.Server) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b := d.app.cfg.Backend
	for stack, state := range d.states {
		if b.Type == config.BackendS3 {
			fake.PutObject(b.Region, b.Bucket, b.KeyPrefix+"/"+stack+".tfstate", state)
			continue
		}
		if err := os.WriteFile(filepath.Join(d.app.root, "terraform."+stack+".tfstate"), state, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// build turns the stack's last plan into the state of the stack as applied.
func (d *deployment) build(t testing.TB, p *plan) *tfplan.Plan {
	t.Helper()
	shown, err := d.show(t, p.stack)
	if err != nil {
		t.Fatal(err)
	}
	p.state = d.state(t, p.stack, shown)
	d.mu.Lock()
	d.states[p.stack] = p.state
	d.mu.Unlock()
	return shown
}

// state builds the stack as applied from its shown plan.
func (d *deployment) state(t testing.TB, stack string, shown *tfplan.Plan) []byte {
	t.Helper()
	fake := fakeaws.New()
	defer fake.Close()
	schemas, err := terraform(t.(*testing.T)).Schemas(context.Background(), d.app.dir(stack), tfplan.Env{Endpoint: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	state, err := shown.State(schemas, "00000000-0000-4000-8000-"+fmt.Sprintf("%012x", len(stack)))
	if err != nil {
		t.Fatalf("%s: building state from its plan: %v", stack, err)
	}
	return state
}

// buildOutputs stands for the stack as applied, for its consumers: a state
// with its outputs, built from its JSON (cheaper than a full state from its
// plan, which the region-switch test builds where it needs resources).
func (d *deployment) buildOutputs(t testing.TB, p *plan) {
	t.Helper()
	tf := terraform(t.(*testing.T))
	fake := fakeaws.New()
	defer fake.Close()
	schemas, err := tf.Schemas(context.Background(), d.app.dir(p.stack), tfplan.Env{Endpoint: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(d.app.dir(p.stack), "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	state, err := tfplan.OutputsState(raw, schemas, "00000000-0000-4000-8000-"+fmt.Sprintf("%012x", len(p.stack)))
	if err != nil {
		t.Fatalf("%s: %v", p.stack, err)
	}
	p.state = state
	d.mu.Lock()
	d.states[p.stack] = state
	d.mu.Unlock()
}

// show reads the stack's last plan, with a fake AWS for the backend.
func (d *deployment) show(t testing.TB, stack string) (*tfplan.Plan, error) {
	fake := fakeaws.New()
	defer fake.Close()
	return terraform(t.(*testing.T)).Show(context.Background(), d.app.dir(stack), tfplan.Env{Endpoint: fake.URL})
}

// consumers reports whether any stack reads stack's outputs.
func (a *app) consumed(stack string) bool {
	for _, deps := range a.deps {
		if slices.Contains(deps, stack) {
			return true
		}
	}
	return false
}

// onceMap runs one computation per key, shared by every test that asks.
type onceMap[T any] struct {
	mu sync.Mutex
	m  map[string]*onceEntry[T]
}

type onceEntry[T any] struct {
	once sync.Once
	v    T
}

func (o *onceMap[T]) get(key string) *onceEntry[T] {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string]*onceEntry[T]{}
	}
	e, ok := o.m[key]
	if !ok {
		e = &onceEntry[T]{}
		o.m[key] = e
	}
	return e
}

var (
	deploys     onceMap[*deployment]
	sharedPlans onceMap[*plan]
)

// deploy plans every stack of the named config in deploy order, each
// failover stack with the primary region (and us-east-1) dark, building
// each producer's state from its plan for the stacks after it. It runs once
// per config per test binary; the tests share it.
func deploy(t *testing.T, name string) *deployment {
	t.Helper()
	terraform(t)
	o := deploys.get(name)
	o.once.Do(func() {
		a := synthesize(t, loadConfig(t, configs[name]))
		d := &deployment{app: a, plans: map[string]*plan{}, states: map[string][]byte{}}
		keys := map[string]string{}
		for _, stack := range a.order {
			var dark []string
			if _, failover := a.region(stack); failover {
				dark = a.dark()
			}
			// A stack whose JSON, dark regions and inputs equal one
			// planned for another config (the global and keys stacks,
			// mostly) shares that plan and built state.
			keys[stack] = d.key(t, stack, dark, keys)
			shared := sharedPlans.get(keys[stack])
			shared.once.Do(func() {
				p := d.planStack(t, stack, dark)
				if p.err == nil && a.consumed(stack) {
					d.buildOutputs(t, p)
				}
				shared.v = p
			})
			p := shared.v
			if p == nil {
				t.Fatalf("%s: an earlier test failed to plan it", stack)
			}
			d.plans[stack] = p
			if p.err != nil {
				break
			}
			if p.state != nil {
				d.mu.Lock()
				d.states[stack] = p.state
				d.mu.Unlock()
			}
		}
		o.v = d
	})
	if o.v == nil {
		t.Fatalf("config %s: an earlier test failed to plan it", name)
	}
	return o.v
}

// key identifies a stack's plan: its JSON, the backend, the dark regions
// and the keys of the stacks it reads.
func (d *deployment) key(t testing.TB, stack string, dark []string, keys map[string]string) string {
	raw, err := os.ReadFile(filepath.Join(d.app.dir(stack), "cdk.tf.json"))
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	h.Write(raw)
	fmt.Fprintf(h, "\x00%v\x00%+v", dark, d.app.cfg.Backend)
	// What a stack reads of another is the producer's outputs state (built
	// from its JSON alone), so producers that differ only in what they
	// keep to themselves give equal inputs.
	d.mu.Lock()
	for _, dep := range d.app.deps[stack] {
		if state, ok := d.states[dep]; ok {
			sum := sha256.Sum256(state)
			fmt.Fprintf(h, "\x00%x", sum)
		} else {
			fmt.Fprintf(h, "\x00%s", keys[dep])
		}
	}
	d.mu.Unlock()
	return hex.EncodeToString(h.Sum(nil))
}
