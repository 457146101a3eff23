package runbook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

const primary, failover = "us-east-1", "us-west-2"

type env struct {
	srv *fakeaws.Server
	d   *fakeaws.Deployment
	opt Options
	out *bytes.Buffer
}

// setup serves a converged default deployment; nat keeps standby NAT
// gateways (so the standby's tasks can start before a deploy).
func setup(t testing.TB, nat bool) *env {
	t.Helper()
	return setupWith(t, nat, nil)
}

// ecrImage is a service image in each region's private ECR registry.
const ecrImage = fakeaws.AccountID + ".dkr.ecr.{region}.amazonaws.com/app:1.0"

// setupWith is setup with change applied to the config and the deployment
// before the fake serves it.
func setupWith(t testing.TB, nat bool, change func(*config.Config, *fakeaws.Deployment)) *env {
	t.Helper()
	cfg := config.Default()
	if nat {
		cfg.Network.StandbyEgress = config.EgressNat
	}
	n := cfg.Names()
	srv := fakeaws.New()
	t.Cleanup(srv.Close)
	d := fakeaws.NewDeployment(n.Prefix(), cfg.Regions(), n.Cluster(), n.Service(), n.TargetGroup(), cfg.Service.DesiredCount)
	if nat {
		d.NatGateways[failover] = 2
	}
	// The data bucket replicates forward to the failover region and back.
	bucket := func(r string) string { return n.Bucket("data", r, fakeaws.AccountID) }
	d.SetReplication(primary, bucket(primary), fakeaws.ReplicationRule{ID: "to-" + failover, DestinationBucket: bucket(failover), Status: "Enabled"})
	d.SetReplication(failover, bucket(failover), fakeaws.ReplicationRule{ID: "to-" + primary, DestinationBucket: bucket(primary), Status: "Enabled"})
	if change != nil {
		change(&cfg, d)
	}
	srv.Deploy(d)
	enforceOperatorPolicy(t, srv, cfg, "") // every call checked against the operator policy (permissions_test.go)
	awsCfg := aws.Config{Region: primary, Credentials: credentials.NewStaticCredentialsProvider("AKIAFAKE", "secret", ""), RetryMaxAttempts: 1}
	out := &bytes.Buffer{}
	return &env{srv: srv, d: d, out: out, opt: Options{
		Config: cfg, AWS: &awsCfg, Endpoint: srv.URL, Yes: true, Out: out,
		Poll: time.Millisecond, StepTimeout: 10 * time.Second, LockDir: t.TempDir(),
	}}
}

func (e *env) runbook(t testing.TB) *Runbook {
	t.Helper()
	rb, err := New(context.Background(), e.opt)
	if err != nil {
		t.Fatal(err)
	}
	return rb
}

// mutations are the state-changing calls, in order, as "REGION service Action".
func mutations(calls []fakeaws.Call) []string {
	var out []string
	for _, c := range calls {
		switch c.Action {
		case "UpdateService", "SwitchoverGlobalCluster", "FailoverGlobalCluster", "FailoverGlobalReplicationGroup", "DisassociateGlobalReplicationGroup":
			out = append(out, fmt.Sprintf("%s %s %s", c.Region, c.Service, c.Action))
		}
	}
	return out
}

// sameCalls reports whether got and want hold the same calls, in any
// order: steps that start together make theirs in any order, and the
// order that matters (a scale-down after the traffic step) is checked
// with lastCall.
func sameCalls(got, want []string) bool {
	return strings.Join(slices.Sorted(slices.Values(got)), "\n") == strings.Join(slices.Sorted(slices.Values(want)), "\n")
}

// lastCall checks that the last of calls is want.
func lastCall(t *testing.T, calls []string, want string) {
	t.Helper()
	if len(calls) == 0 || calls[len(calls)-1] != want {
		t.Errorf("last state-changing call: got %q, want %s", calls, want)
	}
}

func checkAnswered(t *testing.T, srv *fakeaws.Server) {
	t.Helper()
	if u := srv.Unanswered(); len(u) > 0 {
		t.Errorf("calls the fake did not know: %s", fakeaws.Summary(u))
	}
}

func TestSwitchoverEndToEnd(t *testing.T) {
	e := setup(t, true)
	e.opt.ScaleDownOld = true
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("switchover: %v\n%s", err, e.out)
	}
	checkAnswered(t, e.srv)
	want := []string{
		"us-west-2 ecs UpdateService",
		"us-east-1 rds SwitchoverGlobalCluster", // the writer's region (auroraStep)
		"us-west-2 elasticache FailoverGlobalReplicationGroup",
		"us-east-1 ecs UpdateService",
	}
	if got := mutations(e.srv.Calls()); !sameCalls(got, want) {
		t.Errorf("state-changing calls:\n got %q\nwant %q\nall calls: %s", got, want, fakeaws.Summary(e.srv.Calls()))
	}
	lastCall(t, mutations(e.srv.Calls()), "us-east-1 ecs UpdateService") // the scale-down waits for traffic
	st := e.d.State()
	if st.Writer != failover || st.CachePrimary != failover || st.Desired[failover] != 2 || st.Running[failover] != 2 || st.Desired[primary] != 0 || st.Running[primary] != 0 {
		t.Errorf("state after switchover: %+v", st)
	}
	out := e.out.String()
	for _, s := range []string{"activeRegion: us-west-2", "npx cdktf deploy pilotlight-dev-keys-us-west-2 pilotlight-dev-us-west-2", "npx cdktf deploy pilotlight-dev-edge", "npx cdktf deploy pilotlight-dev-us-east-1", "waiting (", "done in"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if strings.Index(out, "pilotlight-dev-edge") > strings.Index(out, "deploy pilotlight-dev-us-east-1") {
		t.Errorf("edge must deploy before the old region:\n%s", out)
	}

	// A rerun finds nothing to do and changes nothing.
	before := len(mutations(e.srv.Calls()))
	e.out.Reset()
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatal(err)
	}
	if n := len(mutations(e.srv.Calls())); n != before || !strings.Contains(e.out.String(), "nothing to do") {
		t.Errorf("rerun made %d more changes; output:\n%s", n-before, e.out)
	}
}

func TestFailoverTouchesOnlyTheTarget(t *testing.T) {
	e := setup(t, true)
	e.srv.Dark(primary, fakeaws.Drop)
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("failover: %v\n%s", err, e.out)
	}
	checkAnswered(t, e.srv)
	for _, c := range e.srv.Calls() {
		if c.Region != failover {
			t.Errorf("call to %s during an unplanned failover: %s", c.Region, c)
		}
	}
	if r := e.srv.Regions(); len(r) != 1 || r[0] != failover {
		t.Errorf("regions called: %v", r)
	}
	want := []string{"us-west-2 rds FailoverGlobalCluster", "us-west-2 elasticache FailoverGlobalReplicationGroup", "us-west-2 ecs UpdateService"}
	if got := mutations(e.srv.Calls()); !sameCalls(got, want) {
		t.Errorf("state-changing calls:\n got %q\nwant %q", got, want)
	}
	st := e.d.State()
	if st.Writer != failover || st.CachePrimary != failover || st.Running[failover] != 2 {
		t.Errorf("state after failover: %+v", st)
	}
	if !strings.Contains(e.out.String(), "estimated data loss: Aurora up to 20ms (AuroraGlobalDBRPOLag, measured ") || !strings.Contains(e.out.String(), "ElastiCache up to 500ms (GlobalDatastoreReplicationLag, measured ") {
		t.Errorf("output does not record the last lag as the estimated data loss:\n%s", e.out)
	}
	if strings.Contains(e.out.String(), "deploy pilotlight-dev-us-east-1\n") {
		t.Errorf("unplanned path must not ask to deploy the dark region now:\n%s", e.out)
	}

	// A rerun has nothing to do.
	n := len(e.srv.Calls())
	e.out.Reset()
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil || !strings.Contains(e.out.String(), "nothing to do") {
		t.Errorf("rerun: %v\n%s", err, e.out)
	}
	if m := mutations(e.srv.Calls()[n:]); len(m) != 0 {
		t.Errorf("rerun changed %v", m)
	}

	// Failback: refused until Aurora has resynchronized the old primary.
	e.srv.Dark(primary, 0)
	e.opt.ScaleDownOld = true
	e.out.Reset()
	err := e.runbook(t).Failback(context.Background(), primary)
	var re *RefusedError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "has not rebuilt replication to us-east-1") {
		t.Fatalf("failback before resync: want a refusal, got %v", err)
	}
	e.d.Recover(primary)
	// The operator deployed the old region's stack once it was back (the
	// failover's next steps): its service runs no tasks.
	e.d.Set(func(d *fakeaws.Deployment) { d.Desired[primary], d.Running[primary] = 0, 0 })
	calls := len(e.srv.Calls())
	if err := e.runbook(t).Failback(context.Background(), primary); err != nil {
		t.Fatalf("failback: %v\n%s", err, e.out)
	}
	want = []string{"us-east-1 ecs UpdateService", "us-west-2 rds SwitchoverGlobalCluster", "us-east-1 elasticache FailoverGlobalReplicationGroup", "us-west-2 ecs UpdateService"}
	if got := mutations(e.srv.Calls()[calls:]); !sameCalls(got, want) {
		t.Errorf("failback calls:\n got %q\nwant %q", got, want)
	}
	lastCall(t, mutations(e.srv.Calls()[calls:]), "us-west-2 ecs UpdateService")
	if st := e.d.State(); st.Writer != primary || st.CachePrimary != primary || st.Running[primary] != 2 || st.Running[failover] != 0 {
		t.Errorf("state after failback: %+v", st)
	}
}

// By default a planned switch leaves the old region's tasks to its stack's
// deploy (after the edge deploy moves traffic), and says so.
func TestSwitchoverLeavesOldRegionByDefault(t *testing.T) {
	e := setup(t, true)
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("switchover: %v\n%s", err, e.out)
	}
	want := []string{"us-west-2 ecs UpdateService", "us-east-1 rds SwitchoverGlobalCluster", "us-west-2 elasticache FailoverGlobalReplicationGroup"}
	if got := mutations(e.srv.Calls()); !sameCalls(got, want) {
		t.Errorf("state-changing calls: got %q, want %q", got, want)
	}
	if !strings.Contains(e.out.String(), "Left running until traffic has moved: deploying pilotlight-dev-us-east-1 after the edge stack") {
		t.Errorf("output:\n%s", e.out)
	}
	// After the edge deploy, a rerun with --scale-down-old does only that.
	e.opt.ScaleDownOld = true
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatal(err)
	}
	want = append(want, "us-east-1 ecs UpdateService")
	if got := mutations(e.srv.Calls()); !sameCalls(got, want) {
		t.Errorf("after the rerun: got %q, want %q", got, want)
	}
}

// Without a NAT gateway in the target, failover promotes the data and hands
// compute to the regional stack's deploy instead of starting tasks that
// could not pull their image; it does not claim to be done: its last line
// says writes are not served yet and what is left, with the commands as
// they must be run (PILOTLIGHT_CONFIG naming the run's config), and Main
// exits ExitNotServing. Once the deploy has run, the same command exits 0.
// (Issue 19: it used to end "failover finished in 4s" and exit 0.)
func TestFailoverWithoutNatLeavesComputeToTheDeploy(t *testing.T) {
	e := setup(t, false)
	e.srv.Dark(primary, fakeaws.Drop)
	err := e.runbook(t).Failover(context.Background(), failover)
	var ns *NotServingError
	if !errors.As(err, &ns) || ns.To != failover {
		t.Fatalf("failover: want *NotServingError for %s, got %v\n%s", failover, err, e.out)
	}
	want := []string{"us-west-2 rds FailoverGlobalCluster", "us-west-2 elasticache FailoverGlobalReplicationGroup"}
	if got := mutations(e.srv.Calls()); !sameCalls(got, want) {
		t.Errorf("state-changing calls: got %q, want %q", got, want)
	}
	if !strings.Contains(e.out.String(), "us-west-2 has no NAT gateway, so its tasks cannot start: set activeRegion: us-west-2 in FILE (a new YAML config file: PILOTLIGHT_CONFIG is unset") ||
		!strings.Contains(e.out.String(), "PILOTLIGHT_CONFIG=FILE npx cdktf deploy pilotlight-dev-keys-us-west-2 pilotlight-dev-us-west-2") {
		t.Errorf("output:\n%s", e.out)
	}

	// Through Main, with the config from a file, as an operator runs it.
	dir := t.TempDir()
	file := filepath.Join(dir, "prod.yaml")
	if err := os.WriteFile(file, []byte("network:\n  standbyEgress: none\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.EnvVar, file)
	var stdout, stderr bytes.Buffer
	code := Main([]string{"failover", "--to", failover, "--yes"}, strings.NewReader(""), &stdout, &stderr, &e.opt)
	if code != ExitNotServing {
		t.Errorf("exit %d, want %d (ExitNotServing); stderr: %s", code, ExitNotServing, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	last := lines[len(lines)-1]
	for _, s := range []string{
		"writes are not served yet: us-west-2 runs 0 of 2 tasks and has no NAT gateway",
		"Left: step compute: set activeRegion: us-west-2 in " + file,
		"run PILOTLIGHT_CONFIG=" + file + " npx cdktf deploy pilotlight-dev-keys-us-west-2 pilotlight-dev-us-west-2",
		"then check with: PILOTLIGHT_CONFIG=" + file + " pilotlight failover --to us-west-2 --yes",
	} {
		if !strings.Contains(last, s) {
			t.Errorf("last line lacks %q:\n%s", s, last)
		}
	}
	if strings.Contains(stdout.String(), "failover finished") {
		t.Errorf("a failover that serves no writes says it finished:\n%s", stdout.String())
	}

	// The operator's deploy: activeRegion us-west-2 (NAT gateways, the
	// service scaled to 2). The check then finds nothing left.
	os.WriteFile(file, []byte("activeRegion: us-west-2\nnetwork:\n  standbyEgress: none\n"), 0o600)
	e.d.Set(func(d *fakeaws.Deployment) {
		d.NatGateways[failover], d.Desired[failover], d.Running[failover] = 2, 2, 2
	})
	stdout.Reset()
	stderr.Reset()
	if code := Main([]string{"failover", "--to", failover, "--yes"}, strings.NewReader(""), &stdout, &stderr, &e.opt); code != ExitOK {
		t.Errorf("after the deploy: exit %d, want 0\n%s%s", code, stdout.String(), stderr.String())
	}
}

// If AWS refuses the datastore's promotion while the primary is down, the
// run stops with the fallback named, and Aurora's completed failover is not
// repeated by the rerun.
func TestFailoverCacheRefusedNamesTheFallback(t *testing.T) {
	e := setup(t, true)
	e.srv.Dark(primary, fakeaws.Drop)
	e.d.Set(func(d *fakeaws.Deployment) { d.CacheFailoverRefused = true })
	err := e.runbook(t).Failover(context.Background(), failover)
	if err == nil || !strings.Contains(err.Error(), "aws elasticache disassociate-global-replication-group --region us-west-2 --global-replication-group-id fake-pilotlight-dev --replication-group-id pilotlight-dev-us-west-2") {
		t.Fatalf("want the fallback named, got %v", err)
	}
	e.d.Set(func(d *fakeaws.Deployment) { d.CacheFailoverRefused = false })
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if m := e.d.Mutations(); m["us-west-2 rds FailoverGlobalCluster"] != 1 || m["us-west-2 elasticache FailoverGlobalReplicationGroup"] != 1 {
		t.Errorf("mutations: %v", m)
	}
}

// Interrupted after each step, a rerun finishes and no operation is made twice.
func TestInterruptedSwitchoverResumes(t *testing.T) {
	for stop := 1; stop <= 4; stop++ { // the four steps that call AWS
		t.Run(fmt.Sprintf("after step %d", stop), func(t *testing.T) {
			e := setup(t, true)
			e.opt.ScaleDownOld = true
			n := 0
			e.opt.AfterStep = func(string) error {
				if n++; n == stop {
					return errors.New("interrupted")
				}
				return nil
			}
			if err := e.runbook(t).Switchover(context.Background(), failover); err == nil || !strings.Contains(err.Error(), "interrupted") {
				t.Fatalf("first run: want the interruption, got %v", err)
			}
			e.opt.AfterStep = nil
			if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
				t.Fatalf("rerun: %v\n%s", err, e.out)
			}
			for call, count := range e.d.Mutations() {
				if count != 1 {
					t.Errorf("%s made %d times", call, count)
				}
			}
			if len(e.d.Mutations()) != 4 {
				t.Errorf("mutations: %v", e.d.Mutations())
			}
			if st := e.d.State(); st.Writer != failover || st.CachePrimary != failover || st.Running[primary] != 0 {
				t.Errorf("state: %+v", st)
			}
		})
	}
}

// An unplanned failover interrupted after each step resumes the same way,
// still calling only the target region.
func TestInterruptedFailoverResumes(t *testing.T) {
	for stop := 1; stop <= 3; stop++ {
		t.Run(fmt.Sprintf("after step %d", stop), func(t *testing.T) {
			e := setup(t, true)
			e.srv.Dark(primary, fakeaws.Drop)
			n := 0
			e.opt.AfterStep = func(string) error {
				if n++; n == stop {
					return errors.New("interrupted")
				}
				return nil
			}
			if err := e.runbook(t).Failover(context.Background(), failover); err == nil {
				t.Fatal("first run: want the interruption")
			}
			e.opt.AfterStep = nil
			if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
				t.Fatalf("rerun: %v\n%s", err, e.out)
			}
			for call, count := range e.d.Mutations() {
				if count != 1 {
					t.Errorf("%s made %d times", call, count)
				}
			}
			if len(e.d.Mutations()) != 3 || e.srv.Regions()[0] != failover || len(e.srv.Regions()) != 1 {
				t.Errorf("mutations %v, regions %v", e.d.Mutations(), e.srv.Regions())
			}
		})
	}
}

// Ctrl-C (the context cancelled) stops the run, releases the lock, and a
// rerun finishes.
func TestCancelledRunReleasesTheLock(t *testing.T) {
	e := setup(t, true)
	e.opt.ScaleDownOld = true
	ctx, cancel := context.WithCancel(context.Background())
	e.opt.AfterStep = func(string) error { cancel(); return nil }
	if err := e.runbook(t).Switchover(ctx, failover); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("want the cancellation, got %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(e.opt.LockDir, "*.lock")); len(left) != 0 {
		t.Errorf("lock left behind: %v", left)
	}
	e.opt.AfterStep = nil
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if m := e.d.Mutations(); len(m) != 4 {
		t.Errorf("mutations: %v", m)
	}
}

// A run that times out while Aurora switches is resumed by waiting, not by
// a second SwitchoverGlobalCluster.
func TestTimedOutStepResumesWaiting(t *testing.T) {
	e := setup(t, true)
	e.d.Set(func(d *fakeaws.Deployment) { d.Polls = 1 << 20 })
	e.opt.StepTimeout = 100 * time.Millisecond
	e.opt.Poll = 5 * time.Millisecond
	err := e.runbook(t).Switchover(context.Background(), failover)
	if err == nil || !strings.Contains(err.Error(), "not finished within") || !strings.Contains(err.Error(), "run the same command again") {
		t.Fatalf("want a step timeout, got %v", err)
	}
	e.d.Settle(4) // the rerun's preflight and first check still see it switching
	e.d.Set(func(d *fakeaws.Deployment) { d.Polls = 2 })
	e.opt.StepTimeout = 10 * time.Second
	e.out.Reset()
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("rerun: %v\n%s", err, e.out)
	}
	if !strings.Contains(e.out.String(), "already in progress: waiting") {
		t.Errorf("rerun did not wait for the switch in progress:\n%s", e.out)
	}
	if m := e.d.Mutations(); m["us-east-1 rds SwitchoverGlobalCluster"] != 1 {
		t.Errorf("SwitchoverGlobalCluster made %d times", m["us-east-1 rds SwitchoverGlobalCluster"])
	}
}

func TestPreflightRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nat   bool
		setup func(d *fakeaws.Deployment)
		want  []string
	}{
		{"lag too high", true, func(d *fakeaws.Deployment) { d.AuroraLagMs[failover] = 12000 }, []string{"Aurora replication lag to us-west-2 is 12s, over the 5s threshold", "fix: wait for the lag to drain"}},
		{"cache lag too high", true, func(d *fakeaws.Deployment) { d.CacheLagSec[failover] = 30 }, []string{"ElastiCache replication lag to us-west-2 is 30s"}},
		{"headless secondary", true, func(d *fakeaws.Deployment) { d.Instances[failover] = 0 }, []string{"no instance to promote (a headless secondary", "aws rds create-db-instance --region us-west-2 --db-cluster-identifier pilotlight-dev-us-west-2", "database.secondaryInstances: 1"}},
		{"link broken", true, func(d *fakeaws.Deployment) { d.Sync[failover] = "pending-resync" }, []string{"is pending-resync, not connected"}},
		{"no NAT in the standby", false, func(*fakeaws.Deployment) {}, []string{"us-west-2 has no available NAT gateway (pilotlight-dev-nat-*)", "npx cdktf deploy pilotlight-dev-keys-us-west-2 pilotlight-dev-us-west-2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, tc.nat)
			e.d.Set(tc.setup)
			err := e.runbook(t).Switchover(context.Background(), failover)
			if !IsRefused(err) {
				t.Fatalf("want a refusal, got %v", err)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("refusal lacks %q:\n%v", s, err)
				}
			}
			if m := e.d.Mutations(); len(m) != 0 {
				t.Errorf("a refused run changed %v", m)
			}
		})
	}
	t.Run("failover to a headless secondary", func(t *testing.T) {
		e := setup(t, true)
		e.d.Set(func(d *fakeaws.Deployment) { d.Instances[failover] = 0 })
		e.srv.Dark(primary, fakeaws.Drop)
		if err := e.runbook(t).Failover(context.Background(), failover); !IsRefused(err) || !strings.Contains(err.Error(), "create-db-instance --region us-west-2") {
			t.Fatalf("want the headless refusal, got %v", err)
		}
	})
	t.Run("planned switch with a dark region", func(t *testing.T) {
		e := setup(t, true)
		e.srv.Dark(primary, fakeaws.Unavailable)
		if err := e.runbook(t).Switchover(context.Background(), failover); !IsRefused(err) || !strings.Contains(err.Error(), "pilotlight failover --to us-west-2") {
			t.Fatalf("want a refusal pointing at failover, got %v", err)
		}
	})
}

func TestLockRefusesConcurrentRun(t *testing.T) {
	e := setup(t, true)
	path := filepath.Join(e.opt.LockDir, "pilotlight-pilotlight-dev.lock")
	os.WriteFile(path, []byte(fmt.Sprintf("%d switchover 2026-01-01T00:00:00Z\n", os.Getpid())), 0o600)
	err := e.runbook(t).Switchover(context.Background(), failover)
	if !IsInput(err) || !strings.Contains(err.Error(), "another run holds") {
		t.Fatalf("want the lock refusal, got %v", err)
	}
	if len(e.d.Mutations()) != 0 {
		t.Error("changed state while locked")
	}
	// A lock whose process is gone is taken over.
	os.WriteFile(path, []byte("999999999 switchover\n"), 0o600)
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("stale lock: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("lock not released")
	}
}

func TestDryRunCallsNothing(t *testing.T) {
	e := setup(t, false)
	e.opt.DryRun = true
	e.opt.AWS = nil // no credentials needed
	for _, cmd := range []func(*Runbook) error{
		func(rb *Runbook) error { return rb.Switchover(context.Background(), failover) },
		func(rb *Runbook) error { return rb.Failover(context.Background(), failover) },
		func(rb *Runbook) error { return rb.Failback(context.Background(), primary) },
	} {
		if err := cmd(e.runbook(t)); err != nil {
			t.Fatal(err)
		}
	}
	if c := e.srv.Calls(); len(c) != 0 {
		t.Errorf("dry run called AWS: %s", fakeaws.Summary(c))
	}
	for _, s := range []string{"rds:SwitchoverGlobalCluster in us-west-2", "rds:FailoverGlobalCluster in us-west-2", "elasticache:FailoverGlobalReplicationGroup in us-west-2", "ecs:UpdateService in us-east-1", "rds:SwitchoverGlobalCluster in us-east-1"} {
		if !strings.Contains(e.out.String(), s) {
			t.Errorf("dry run lacks %q:\n%s", s, e.out)
		}
	}
}

func TestStatus(t *testing.T) {
	e := setup(t, true)
	code, err := e.runbook(t).Status(context.Background(), false)
	if err != nil || code != ExitOK {
		t.Fatalf("healthy status: code %d, %v\n%s", code, err, e.out)
	}
	for _, s := range []string{"writer in us-east-1", "primary in us-east-1", "us-west-2  reader  connected", "20ms", "500ms", "2/2", "OK:",
		"pilotlight-dev-data-us-east-1-123456789012  us-east-1  to-us-west-2  Enabled  pilotlight-dev-data-us-west-2-123456789012  0"} {
		if !strings.Contains(e.out.String(), s) {
			t.Errorf("status lacks %q:\n%s", s, e.out)
		}
	}
	e.d.Set(func(d *fakeaws.Deployment) { d.AuroraLagMs[failover] = 9000 })
	e.out.Reset()
	code, err = e.runbook(t).Status(context.Background(), true)
	if err != nil || code != ExitUnhealthy {
		t.Fatalf("lagging status: code %d, %v", code, err)
	}
	var st Status
	if err := json.Unmarshal(e.out.Bytes(), &st); err != nil {
		t.Fatalf("--json: %v\n%s", err, e.out)
	}
	if len(st.Problems) != 1 || !strings.Contains(st.Problems[0], "lags 9s, over the 5s threshold") || st.AuroraWriter != primary {
		t.Errorf("problems: %q", st.Problems)
	}
	checkAnswered(t, e.srv)

	// S3: a failed replication and a missing reverse rule are problems.
	n := e.opt.Config.Names()
	e.d.Set(func(d *fakeaws.Deployment) { d.AuroraLagMs[failover] = 20 })
	e.d.SetReplication(primary, n.Bucket("data", primary, fakeaws.AccountID), fakeaws.ReplicationRule{ID: "to-us-west-2", DestinationBucket: n.Bucket("data", failover, fakeaws.AccountID), Status: "Enabled", FailedOperations: 3})
	e.d.SetReplication(failover, n.Bucket("data", failover, fakeaws.AccountID))
	e.out.Reset()
	code, err = e.runbook(t).Status(context.Background(), false)
	if err != nil || code != ExitUnhealthy {
		t.Fatalf("s3 problems: code %d, %v", code, err)
	}
	for _, s := range []string{"rule to-us-west-2 failed 3 replication operations", "pilotlight-dev-data-us-west-2-123456789012 (us-west-2) has no enabled replication rule to-us-east-1 (deploy pilotlight-dev-us-west-2)"} {
		if !strings.Contains(e.out.String(), s) {
			t.Errorf("status lacks %q:\n%s", s, e.out)
		}
	}
	// Without replication metrics on the rule, S3 publishes no
	// OperationsFailedReplication: status shows none, not 0.
	e.d.SetReplication(primary, n.Bucket("data", primary, fakeaws.AccountID), fakeaws.ReplicationRule{ID: "to-us-west-2", DestinationBucket: n.Bucket("data", failover, fakeaws.AccountID), Status: "Enabled", FailedOperations: 3, NoMetrics: true})
	e.out.Reset()
	if _, err := e.runbook(t).Status(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.out.String(), "failed 3 replication operations") || !strings.Contains(e.out.String(), "to-us-west-2  Enabled  pilotlight-dev-data-us-west-2-123456789012  -") {
		t.Errorf("a rule without metrics reported failures:\n%s", e.out)
	}

	// The primary region dark: status still reads the global views through
	// the failover region, and reports the dark one.
	e.srv.Dark(primary, fakeaws.Drop)
	e.out.Reset()
	code, err = e.runbook(t).Status(context.Background(), false)
	if err != nil || code != ExitUnhealthy {
		t.Fatalf("status with the primary dark: code %d, %v\n%s", code, err, e.out)
	}
	for _, s := range []string{"us-east-1  unreachable  -", "writer in us-east-1", "us-east-1: unreachable or not deployed"} {
		if !strings.Contains(e.out.String(), s) {
			t.Errorf("status lacks %q:\n%s", s, e.out)
		}
	}
}

func TestNeverDeployed(t *testing.T) {
	e := setup(t, true)
	bare := fakeaws.New() // plan handlers only: nothing deployed
	defer bare.Close()
	e.opt.Endpoint = bare.URL
	_, err := e.runbook(t).Status(context.Background(), false)
	if err == nil || !strings.Contains(err.Error(), "Aurora cluster pilotlight-dev-us-east-1 not found in us-east-1: deploy the pilotlight-dev-us-east-1 stack first") {
		t.Errorf("status of a system never deployed: %v", err)
	}
	if err := e.runbook(t).Switchover(context.Background(), failover); err == nil || IsRefused(err) || !strings.Contains(err.Error(), "deploy the pilotlight-dev-us-east-1 stack first") {
		t.Errorf("switchover of a system never deployed: %v", err)
	}
}

func TestMainBadInput(t *testing.T) {
	e := setup(t, true)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("primaryRegion: mars-1\n"), 0o600)
	for _, tc := range []struct {
		name, config string
		args         []string
		want         string
	}{
		{"unknown region", "", []string{"switchover", "--to", "us-west-3", "--yes"}, "--to us-west-3: not one of this app's regions (us-east-1, us-west-2)"},
		{"no --to", "", []string{"failover", "--yes"}, "failover: --to REGION is required"},
		{"unknown flag", "", []string{"status", "--colour"}, "flag provided but not defined"},
		{"invalid config", bad, []string{"status"}, "config: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(config.EnvVar, tc.config)
			var stdout, stderr bytes.Buffer
			code := Main(tc.args, strings.NewReader(""), &stdout, &stderr, &e.opt)
			if code != ExitInput {
				t.Errorf("exit %d, want %d", code, ExitInput)
			}
			if !strings.Contains(stderr.String(), tc.want) || strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
				t.Errorf("stderr should be one line with %q:\n%s", tc.want, stderr.String())
			}
		})
	}
	if len(e.srv.Calls()) != 0 {
		t.Errorf("bad input called AWS: %s", fakeaws.Summary(e.srv.Calls()))
	}
	t.Run("missing credentials", func(t *testing.T) {
		t.Setenv(config.EnvVar, "")
		for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
			t.Setenv(k, "")
		}
		t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
		t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
		var stdout, stderr bytes.Buffer
		code := Main([]string{"status"}, strings.NewReader(""), &stdout, &stderr, nil)
		if code != ExitInput || !strings.Contains(stderr.String(), "no AWS credentials") {
			t.Errorf("exit %d, stderr %s", code, stderr.String())
		}
	})
	t.Run("not confirmed", func(t *testing.T) {
		nat := filepath.Join(dir, "nat.yaml")
		os.WriteFile(nat, []byte("network:\n  standbyEgress: nat\n"), 0o600)
		t.Setenv(config.EnvVar, nat)
		opt := e.opt
		opt.Yes = false
		var stdout, stderr bytes.Buffer
		code := Main([]string{"switchover", "--to", failover}, strings.NewReader("no\n"), &stdout, &stderr, &opt)
		if code != ExitInput || !strings.Contains(stderr.String(), "not confirmed: nothing changed") {
			t.Errorf("exit %d, stderr %s", code, stderr.String())
		}
		if len(e.d.Mutations()) != 0 {
			t.Errorf("unconfirmed run changed %v", e.d.Mutations())
		}
	})
}

// After a failover whose config change has not been made, status exits
// ExitActiveRegion (the pipeline's deploy gate), even with other problems
// (the old primary dark), and 0 again once activeRegion names the writer.
func TestStatusActiveRegionGate(t *testing.T) {
	e := setup(t, true)
	e.d.Set(func(d *fakeaws.Deployment) { d.Writer = failover })
	code, err := e.runbook(t).Status(context.Background(), false)
	if err != nil || code != ExitActiveRegion {
		t.Fatalf("writer in %s, activeRegion %s: code %d, %v; want %d\n%s", failover, primary, code, err, ExitActiveRegion, e.out)
	}
	if !strings.Contains(e.out.String(), "activeRegion is us-east-1 but Aurora writes in us-west-2") {
		t.Errorf("status does not say why:\n%s", e.out)
	}
	e.srv.Dark(primary, fakeaws.Drop)
	if code, err := e.runbook(t).Status(context.Background(), true); err != nil || code != ExitActiveRegion {
		t.Errorf("with the old primary dark too: code %d, %v; want %d (it wins over %d)", code, err, ExitActiveRegion, ExitUnhealthy)
	}
	e.opt.Config.ActiveRegion = failover
	if code, err := e.runbook(t).Status(context.Background(), true); err != nil || code != ExitUnhealthy {
		t.Errorf("activeRegion set to the writer, primary dark: code %d, %v; want %d (the dark region only)", code, err, ExitUnhealthy)
	}
}
