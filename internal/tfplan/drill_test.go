package tfplan_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
	"github.com/pilotlight/pilotlight/internal/tfplan"
	"github.com/pilotlight/pilotlight/internal/vclock"
	"github.com/pilotlight/pilotlight/names"
	"github.com/pilotlight/pilotlight/runbook"
	"github.com/pilotlight/pilotlight/timing"
)

// The failover drill, end to end: the stacks synthesized and planned (the
// plans TestPlanEveryStack made), each regional stack's state as applied
// built from its plan, the fake AWS seeded from those states (so every
// identifier and tag the runbook looks up is the one the constructs
// create), the primary region and us-east-1 dark, then the runbook.
//
// The drill runs on a virtual clock (internal/vclock) shared by the fake
// and the runbook, with the fake taking the durations of the config's RTO
// budget (fakeaws.DurationsOf: AWS's documented figures and the config's
// values), and the runbook polling every drillPoll of that clock, as it
// does by default: nothing waits in real time, and each run measures its
// steps in the budget's durations. drill.measured compares each run with
// the budget (runbook.Timeline.Deviations) and logs its RTO.

// drillPoll is the runbook's poll on the drill's clock (its default).
const drillPoll = 10 * time.Second

// appliedStates builds, once per config, each region's regional stack as
// applied (every resource, from its plan), keyed by region.
var appliedStates onceMap[map[string][]byte]

func applied(t *testing.T, name string) (*deployment, map[string][]byte) {
	t.Helper()
	d := deploy(t, name)
	o := appliedStates.get(name)
	o.once.Do(func() {
		out := map[string][]byte{}
		for _, region := range d.app.cfg.Regions() {
			stack := d.app.cfg.Names().RegionalStack(region)
			p := d.plans[stack]
			if p == nil || p.err != nil {
				t.Fatalf("%s: not planned (TestPlanEveryStack says why)", stack)
			}
			shown, err := terraform(t).Show(context.Background(), p.dir, envFor(t))
			if err != nil {
				t.Fatal(err)
			}
			out[region] = d.state(t, stack, shown)
		}
		o.v = out
	})
	if o.v == nil {
		t.Fatalf("config %s: building the applied states failed in an earlier test", name)
	}
	return d, o.v
}

// envFor is an Env with a fake AWS for the backend, closed with the test.
func envFor(t *testing.T) tfplan.Env {
	fake := fakeaws.New()
	t.Cleanup(fake.Close)
	return tfplan.Env{Endpoint: fake.URL}
}

// drill is a fake AWS seeded from a config's applied states, and a runbook
// for it.
type drill struct {
	cfg       config.Config
	srv       *fakeaws.Server
	dep       *fakeaws.Deployment
	out       bytes.Buffer
	lockDir   string
	clock     *vclock.Virtual
	durations fakeaws.Durations
	reading   reading
}

// reading is one of the fake's adversarial readings of what AWS leaves
// undocumented (fakeaws.Deployment's options; runbook/readings_test.go
// tests each alone): the drills run under each.
type reading struct {
	name string
	set  func(d *fakeaws.Deployment)
	// offBudget lists the commands whose steps the reading delays on
	// purpose, by an AWS delay the budget does not count (it budgets a
	// switch AWS neither refuses nor cancels): their runs are checked for
	// steps run one after another (runbook.Timeline.LateStarts), not
	// against the budget's durations. Every other run is compared with
	// the budget (Deviations), under every reading.
	offBudget []string
}

var readings = []reading{
	{name: "documented", set: func(*fakeaws.Deployment) {}},
	// AWS refuses the switch until the unrelated change ends (counted in
	// describes), and the promotions start only then. The change has
	// ended by the failback, which is compared with the budget; the
	// switchover back is not (the list is by command).
	{name: "unrelated status, switch refused meanwhile", set: func(d *fakeaws.Deployment) {
		d.GlobalClusterStatus, d.CacheGlobalStatus = "modifying", "modifying"
		d.UnrelatedStatusRefuses, d.UnrelatedStatusDescribes = true, 4
	}, offBudget: []string{"failover", "switchover"}},
	{name: "unrelated status lasting", set: func(d *fakeaws.Deployment) { d.GlobalClusterStatus, d.CacheGlobalStatus = "upgrading", "primary-only" }},
	{name: "transitional while the old primary is dark", set: func(d *fakeaws.Deployment) {
		d.AuroraStatusWhileOldPrimaryDark, d.CacheStatusWhileOldPrimaryDark = "failing-over", "modifying"
	}},
	{name: "lag under SourceRegion, cache lag on node 002", set: func(d *fakeaws.Deployment) { d.AuroraLagDimensions, d.CacheLagNode = "SourceRegion", "002" }},
	// AWS cancels the first switchover; the run that follows finds the
	// cache promoted and the service started by the cancelled one.
	{name: "switchover cancelled once", set: func(d *fakeaws.Deployment) { d.CancelSwitchover = true }, offBudget: []string{"switchover", "failback"}},
}

// eachReading runs drill under every reading, in parallel subtests.
func eachReading(t *testing.T, drill func(t *testing.T, r reading)) {
	for _, r := range readings {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			drill(t, r)
		})
	}
}

func newDrill(t *testing.T, name string, r reading) *drill {
	t.Helper()
	d, states := applied(t, name)
	dep, err := fakeaws.NewDeploymentFromStates(d.app.cfg.Regions(), states)
	if err != nil {
		t.Fatal(err)
	}
	dep.Polls = 2
	budget, err := timing.NewBudget(d.app.cfg.Timing())
	if err != nil {
		t.Fatal(err)
	}
	durations := fakeaws.DurationsOf(budget)
	clock := vclock.NewVirtual(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
	dep.Clock, dep.Durations = clock, &durations
	r.set(dep)
	srv := fakeaws.New()
	t.Cleanup(srv.Close)
	srv.Deploy(dep)
	if bad := namesDisagree(d.app.cfg, dep); len(bad) > 0 {
		t.Errorf("what the runbook looks up is not what the stacks create:\n  %s", strings.Join(bad, "\n  "))
	}
	return &drill{cfg: d.app.cfg, srv: srv, dep: dep, lockDir: t.TempDir(), clock: clock, durations: durations, reading: r}
}

// measured compares the last run of rb, command (failover, switchover or
// failback) run with cfg, with cfg's RTO budget for it: the budget's
// scenario (a failback is the switchover back), with the steps already
// done before the run taking no time (already: a return trip's target
// still runs its service). Under a reading that delays the command on
// purpose it checks only that no step ran after one it does not wait for.
// It logs the measured RTO and the timeline.
func (dr *drill) measured(t *testing.T, rb *runbook.Runbook, cfg config.Config, command string, already ...string) {
	t.Helper()
	b, err := timing.NewBudget(cfg.Timing())
	if err != nil {
		t.Fatal(err)
	}
	name := command
	if command == "failback" {
		name = "switchover"
	}
	sc, ok := b.Scenario(name)
	if !ok {
		t.Fatalf("the budget has no %s", name)
	}
	tl := rb.Timeline()
	against := "the budget"
	var bad []string
	if slices.Contains(dr.reading.offBudget, command) {
		against = "its own graph (this reading delays it on purpose)"
		bad = tl.LateStarts(sc, drillPoll)
	} else {
		bad = tl.Deviations(sc, drillPoll, already...)
	}
	if len(bad) > 0 {
		t.Errorf("%s --to %s differs from %s, beyond one poll (%s):\n  %s\n%s", command, sc.To, against, drillPoll, strings.Join(bad, "\n  "), &dr.out)
	}
	at, _ := tl.WritesAt(sc)
	t.Logf("%s --to %s: measured RTO (writes reach %s) %s, the budget's %s; critical path %s, run %s in total (compared with %s)",
		command, sc.To, sc.To, timing.Format(at), timing.Format(sc.Writes), strings.Join(tl.Critical, " -> "), tl.Total, against)
}

// routeFollows lets the drill's clock run through the Route 53 part of the
// traffic step (health checks and TTL: durations.TrafficSwitch), which the
// runbook does not wait for, so the answer trafficGoesTo reads is the one
// resolvers see once writes have moved.
func (dr *drill) routeFollows(t *testing.T) {
	t.Helper()
	if err := dr.clock.Sleep(context.Background(), dr.durations.TrafficSwitch); err != nil {
		t.Fatal(err)
	}
}

// alreadyRunning is the compute step when region already runs the
// service's desired tasks (a return trip: nothing scaled them down), so a
// run there does not wait for tasks to start.
func (dr *drill) alreadyRunning(region string) []string {
	if dr.dep.State().Running[region] >= dr.cfg.Service.DesiredCount {
		return []string{timing.StepCompute}
	}
	return nil
}

// runbook is the runbook for cfg against the drill's fake, which from now
// on authorizes each call as IAM would under the operator policy of
// command (runbook.Permissions: what the operator role holds for it), so a
// call the policy does not allow fails the drill with AccessDenied.
func (dr *drill) runbook(t *testing.T, cfg config.Config, command string) *runbook.Runbook {
	t.Helper()
	doc, err := cfg.OperatorPolicy(fakeaws.AccountID, command)
	if err != nil {
		t.Fatal(err)
	}
	if err := dr.srv.EnforcePolicy(doc.JSON()); err != nil {
		t.Fatal(err)
	}
	awsCfg := aws.Config{Region: cfg.PrimaryRegion, Credentials: credentials.NewStaticCredentialsProvider("AKIAFAKE", "secret", ""), RetryMaxAttempts: 1}
	opt := runbook.Options{
		Config: cfg, AWS: &awsCfg, Endpoint: dr.srv.URL, Yes: true, Out: &dr.out,
		Poll: drillPoll, StepTimeout: 20 * time.Minute, LockDir: dr.lockDir,
	}
	if dr.clock != nil { // else the wall clock (a drill that reads only)
		opt.Clock = dr.clock
	}
	rb, err := runbook.New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return rb
}

// namesDisagree lists each identifier or tag that the runbook derives from
// the config (config.Names, built with package names) and the seeded
// deployment (read from the applied states) hold differently.
func namesDisagree(cfg config.Config, dep *fakeaws.Deployment) []string {
	n := cfg.Names()
	var out []string
	check := func(what, runbook, stacks string) {
		if runbook != stacks {
			out = append(out, fmt.Sprintf("%s: the runbook looks up %q, the stacks create %q", what, runbook, stacks))
		}
	}
	check("Aurora global cluster", n.GlobalDatabase(), dep.GlobalCluster)
	check("Global Datastore suffix", "fake-"+n.GlobalCacheSuffix(), dep.CacheGlobalID)
	check("ECS cluster", n.Cluster(), dep.Cluster)
	check("ECS service", n.Service(), dep.Service)
	check("target group", n.TargetGroup(), dep.TargetGroup)
	if cfg.DNS.Enabled() {
		check("traffic switch key", config.TrafficSwitchKey, dep.SwitchKey)
		for _, r := range cfg.Regions() {
			check("traffic switch bucket in "+r, n.TrafficSwitchBucket(r, fakeaws.AccountID), dep.SwitchBuckets[r])
		}
	}
	for _, r := range cfg.Regions() {
		check("Aurora cluster in "+r, cfg.DatabaseCluster(r), dep.ClusterIDs[r])
		check("replication group in "+r, n.CacheGroup(r), dep.CacheGroups[r])
		for _, tag := range dep.NatGatewayNames[r] {
			if !strings.HasPrefix(tag, n.NatGatewayPrefix()) {
				out = append(out, fmt.Sprintf("NAT gateway in %s: the runbook looks up %s*, the stacks tag %q", r, n.NatGatewayPrefix(), tag))
			}
		}
		for _, svc := range dep.VpcEndpoints[r] {
			check("VPC endpoint "+svc+" in "+r, n.VpcEndpoint(svc), dep.VpcEndpointNames[r][svc])
		}
	}
	return out
}

// trafficGoesTo reports whether Route 53 answers the failover name with
// region, for DNS records deployed with activeRegion deployed (two regions):
// fakeaws.FailoverAnswer evaluates the health checks dns.FailoverName makes
// over the fake's state and dark regions. It is the drill's one reading of
// the switch.
func (dr *drill) trafficGoesTo(regions []string, deployed, region string) bool {
	var standby string
	for _, r := range regions {
		if r != deployed {
			standby = r
		}
	}
	if dr.srv.FailoverAnswer(dr.dep, deployed, standby) == "active" {
		return region == deployed
	}
	return region == standby
}

// redeployRecords is the operator's part after a switch to active: the
// stacks deployed with activeRegion: active (the DNS records now make it the
// active region) and its switch object, left by the switch, deleted (the
// failover's printed next step). It is the drill's one model of that
// deploy; trafficGoesTo then reads the answer with deployed = active.
func redeployRecords(dep *fakeaws.Deployment, active string) {
	dep.Set(func(d *fakeaws.Deployment) { d.SwitchState[active] = fakeaws.SwitchOff })
}

// callsOutside lists the calls since index from that went to a region
// other than region.
func callsOutside(srv *fakeaws.Server, from int, region string) []string {
	var out []string
	for _, c := range srv.Calls()[from:] {
		if c.Region != region {
			out = append(out, c.String())
		}
	}
	return out
}

// status runs `status` with cfg and returns its exit code (the one
// runbook.Main exits with: the pipeline's gate).
func (dr *drill) status(t *testing.T, cfg config.Config) int {
	t.Helper()
	saved := dr.out.String()
	dr.out.Reset()
	code, err := dr.runbook(t, cfg, "status").Status(context.Background(), false)
	out := dr.out.String()
	dr.out.Reset()
	dr.out.WriteString(saved)
	t.Logf("status (activeRegion %s): exit %d %v\n%s", cfg.ActiveRegion, code, err, out)
	return code
}

// switchover runs `switchover --to to` (or failback, with failback set);
// a switchover AWS cancels (the CancelSwitchover reading) must say so and
// go through when run again, as its error tells the operator. Once it
// went through, it is compared with cfg's budget (drill.measured), and the
// clock runs through the Route 53 part of the switch (routeFollows).
func (dr *drill) switchover(t *testing.T, cfg config.Config, to string, failback bool) error {
	t.Helper()
	command := "switchover"
	if failback {
		command = "failback"
	}
	already := dr.alreadyRunning(to)
	var rb *runbook.Runbook
	run := func() error {
		rb = dr.runbook(t, cfg, command)
		if failback {
			return rb.Failback(context.Background(), to)
		}
		return rb.Switchover(context.Background(), to)
	}
	err := run()
	if err != nil && strings.Contains(err.Error(), "Run the same command again to retry") {
		t.Logf("cancelled by AWS, run again: %v", err)
		err = run()
	}
	if err == nil {
		dr.measured(t, rb, cfg, command, already...)
		dr.routeFollows(t)
	}
	return err
}

// noDenied fails on any call the operator policy refused.
func (dr *drill) noDenied(t *testing.T) {
	t.Helper()
	var denied []fakeaws.Call
	for _, c := range dr.srv.Calls() {
		if c.Denied {
			denied = append(denied, c)
		}
	}
	if len(denied) > 0 {
		t.Errorf("calls the operator policy refused: %s", fakeaws.Summary(denied))
	}
}

// TestDrillFailover: the dns config (traffic switch; NAT gateways standing
// in the standby) fails over with the primary region and us-east-1 dark,
// every call in the standby; the pipeline gate refuses a deploy with the
// old activeRegion; then failback once the primary returns.
func TestDrillFailover(t *testing.T) {
	t.Parallel()
	eachReading(t, func(t *testing.T, r reading) {
		dr := newDrill(t, "dns", r)
		cfg := dr.cfg
		primary, standby := cfg.PrimaryRegion, cfg.FailoverRegions[0]
		if dep := dr.dep.State(); dep.Writer != primary || dep.CachePrimary != primary || dep.Desired[primary] == 0 || dep.Desired[standby] != 0 || !dr.trafficGoesTo(cfg.Regions(), primary, primary) {
			t.Fatalf("the seeded deployment is not the deployed defaults: %+v", dep)
		}
		d := deploy(t, "dns")
		for _, region := range d.app.dark() {
			dr.srv.Dark(region, fakeaws.Drop)
		}
		from := len(dr.srv.Calls())
		rb := dr.runbook(t, cfg, "failover")
		if err := rb.Failover(context.Background(), standby); err != nil {
			t.Fatalf("failover --to %s: %v\n%s", standby, err, &dr.out)
		}
		dr.measured(t, rb, cfg, "failover")
		dr.routeFollows(t)
		if stray := callsOutside(dr.srv, from, standby); len(stray) > 0 {
			t.Errorf("failover called outside %s: %v", standby, stray)
		}
		if u := dr.srv.Unanswered(); len(u) > 0 {
			t.Errorf("calls the fake did not know: %s", fakeaws.Summary(u))
		}
		st := dr.dep.State()
		if st.Writer != standby || st.CachePrimary != standby {
			t.Errorf("after failover: Aurora writes in %s, the datastore's primary is %s; want %s for both", st.Writer, st.CachePrimary, standby)
		}
		if want := cfg.Service.DesiredCount; st.Desired[standby] != want || st.Running[standby] != want {
			t.Errorf("after failover: %s desires %d, runs %d tasks; want %d", standby, st.Desired[standby], st.Running[standby], want)
		}
		if !dr.trafficGoesTo(cfg.Regions(), primary, standby) {
			t.Errorf("after failover the traffic signal does not send requests to %s: %+v", standby, st.SwitchState)
		}
		rs, err := dr.runbook(t, cfg, "status").ReadStatus(context.Background(), standby)
		if err != nil || rs.Regions[0].HealthyTargets != cfg.Service.DesiredCount {
			t.Errorf("after failover: %s's target group has %+v healthy targets (%v), want %d", standby, rs, err, cfg.Service.DesiredCount)
		}

		// The deploy gate: status exits ExitActiveRegion with the old
		// activeRegion, and passes it once activeRegion names the writer.
		if code := dr.status(t, cfg); code != runbook.ExitActiveRegion {
			t.Errorf("status with activeRegion %s after the failover: exit %d, want %d (the pipeline's gate)", primary, code, runbook.ExitActiveRegion)
		}
		switched := cfg
		switched.ActiveRegion = standby
		if code := dr.status(t, switched); code == runbook.ExitActiveRegion {
			t.Errorf("status with activeRegion %s (the writer): exit %d, the gate refuses a correct deploy", standby, code)
		}

		// The config with activeRegion switched plans with only the expected
		// changes and destroys nothing, with the primary dark (the same plan
		// TestRegionSwitchPlan checks, made once).
		sharedSwitchPlan(t, deploy(t, "defaults"), deploy(t, "switched"), cfg.Names().RegionalStack(standby), d.app.dark())

		// The operator then deploys that config (its records now make the
		// standby the active region) and resets the standby's switch, as
		// the failover's next steps say (the delete-object it prints).
		redeployRecords(dr.dep, standby)

		// The primary returns: failback, with activeRegion on the standby.
		for _, region := range d.app.dark() {
			dr.srv.Dark(region, 0)
		}
		dr.dep.Recover(primary)
		dr.out.Reset()
		if err := dr.switchover(t, switched, primary, true); err != nil {
			t.Fatalf("failback --to %s: %v\n%s", primary, err, &dr.out)
		}
		st = dr.dep.State()
		if st.Writer != primary || st.CachePrimary != primary || st.Running[primary] < cfg.Service.DesiredCount {
			t.Errorf("after failback: %+v", st)
		}
		if !dr.trafficGoesTo(cfg.Regions(), standby, primary) {
			t.Errorf("after failback the traffic signal does not send requests to %s: %+v", primary, st.SwitchState)
		}
		if code := dr.status(t, cfg); code == runbook.ExitActiveRegion {
			t.Errorf("status after failback with activeRegion %s: exit %d", primary, code)
		}
		dr.noDenied(t)
	})
}

// TestDrillSwitchover: a planned switchover and back with every region up.
func TestDrillSwitchover(t *testing.T) {
	t.Parallel()
	eachReading(t, func(t *testing.T, r reading) {
		dr := newDrill(t, "dns", r)
		cfg := dr.cfg
		primary, standby := cfg.PrimaryRegion, cfg.FailoverRegions[0]
		if err := dr.switchover(t, cfg, standby, false); err != nil {
			t.Fatalf("switchover --to %s: %v\n%s", standby, err, &dr.out)
		}
		st := dr.dep.State()
		if st.Writer != standby || st.CachePrimary != standby || st.Running[standby] != cfg.Service.DesiredCount || !dr.trafficGoesTo(cfg.Regions(), primary, standby) {
			t.Errorf("after switchover: %+v", st)
		}
		if code := dr.status(t, cfg); code != runbook.ExitActiveRegion {
			t.Errorf("status with activeRegion %s after the switchover: exit %d, want %d", primary, code, runbook.ExitActiveRegion)
		}
		switched := cfg
		switched.ActiveRegion = standby
		if code := dr.status(t, switched); code == runbook.ExitActiveRegion {
			t.Errorf("status with activeRegion %s (the writer): exit %d, the gate refuses a correct deploy", standby, code)
		}
		redeployRecords(dr.dep, standby)
		dr.out.Reset()
		if err := dr.switchover(t, switched, primary, false); err != nil {
			t.Fatalf("switchover back to %s: %v\n%s", primary, err, &dr.out)
		}
		st = dr.dep.State()
		if st.Writer != primary || st.CachePrimary != primary || st.Running[primary] < cfg.Service.DesiredCount || !dr.trafficGoesTo(cfg.Regions(), standby, primary) {
			t.Errorf("after switchover back: %+v", st)
		}
		if u := dr.srv.Unanswered(); len(u) > 0 {
			t.Errorf("calls the fake did not know: %s", fakeaws.Summary(u))
		}
		dr.noDenied(t)
	})
}

// TestDrillDefaultsFailover: the defaults (no dns, no standing NAT): the
// failover promotes both data stores with every call in the standby, and
// leaves compute to the standby's deploy, saying writes are not served yet
// (runbook.NotServingError: ExitNotServing), which the gate then admits
// only with activeRegion switched.
func TestDrillDefaultsFailover(t *testing.T) {
	t.Parallel()
	eachReading(t, func(t *testing.T, r reading) {
		dr := newDrill(t, "defaults", r)
		cfg := dr.cfg
		primary, standby := cfg.PrimaryRegion, cfg.FailoverRegions[0]
		d := deploy(t, "defaults")
		for _, region := range d.app.dark() {
			dr.srv.Dark(region, fakeaws.Drop)
		}
		rb := dr.runbook(t, cfg, "failover")
		if err := rb.Failover(context.Background(), standby); !runbook.IsNotServing(err) {
			t.Fatalf("failover --to %s: want writes not served yet (compute left to the deploy), got %v\n%s", standby, err, &dr.out)
		}
		// Compute and traffic are the operator's (deploys): the run is
		// compared with the budget for its promotions, and its RTO is the
		// budget's unbounded (writes wait for the edge stack's deploy).
		dr.measured(t, rb, cfg, "failover")
		if stray := callsOutside(dr.srv, 0, standby); len(stray) > 0 {
			t.Errorf("failover called outside %s: %v", standby, stray)
		}
		st := dr.dep.State()
		if st.Writer != standby || st.CachePrimary != standby || st.Desired[standby] != 0 {
			t.Errorf("after failover: %+v", st)
		}
		if want := "set activeRegion: " + standby + " in "; !strings.Contains(dr.out.String(), want) || !strings.Contains(dr.out.String(), "npx cdktf deploy "+cfg.Names().KeysStack(standby)+" "+cfg.Names().RegionalStack(standby)) {
			t.Errorf("failover output lacks %q:\n%s", want, &dr.out)
		}
		if code := dr.status(t, cfg); code != runbook.ExitActiveRegion {
			t.Errorf("status with activeRegion %s after the failover: exit %d, want %d", primary, code, runbook.ExitActiveRegion)
		}
		dr.noDenied(t)
	})
}

// Renaming an identifier or tag the runbook reads in a construct alone is
// caught: the seed reads the NAT gateways' Name tags from the state, and a
// tag the runbook does not look up makes namesDisagree name it and the
// runbook see no NAT gateway there.
func TestDrillCatchesARename(t *testing.T) {
	t.Parallel()
	d, states := applied(t, "dns")
	cfg := d.app.cfg
	standby := cfg.FailoverRegions[0]
	dep, err := fakeaws.NewDeploymentFromStates(cfg.Regions(), states)
	if err != nil {
		t.Fatal(err)
	}
	if got := dep.NatGatewayNames[standby]; len(got) != cfg.Network.AzCount || got[0] != names.NatGateway(cfg.Names().Vpc(), 0) {
		t.Fatalf("NAT gateways seeded in %s: %q, want %d tagged %s0...", standby, got, cfg.Network.AzCount, cfg.Names().NatGatewayPrefix())
	}
	// The construct renamed (VPC-natgw-N): only the state changes.
	renamed := map[string][]byte{}
	for r, s := range states {
		renamed[r] = bytes.ReplaceAll(s, []byte(`"`+cfg.Names().NatGatewayPrefix()), []byte(`"`+cfg.Names().Vpc()+"-natgw-"))
	}
	dep, err = fakeaws.NewDeploymentFromStates(cfg.Regions(), renamed)
	if err != nil {
		t.Fatal(err)
	}
	bad := namesDisagree(cfg, dep)
	if !slices.ContainsFunc(bad, func(s string) bool { return strings.Contains(s, "NAT gateway in "+standby) }) {
		t.Errorf("a renamed NAT gateway tag went unnoticed: %q", bad)
	}
	srv := fakeaws.New()
	defer srv.Close()
	srv.Deploy(dep)
	dr := &drill{cfg: cfg, srv: srv, dep: dep, lockDir: t.TempDir()}
	st, err := dr.runbook(t, cfg, "status").ReadStatus(context.Background(), standby)
	if err != nil {
		t.Fatal(err)
	}
	if st.Regions[0].NatGateways != 0 {
		t.Errorf("the runbook found %d NAT gateways tagged other than it looks up", st.Regions[0].NatGateways)
	}
}
