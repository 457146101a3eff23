package runbook

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
	"github.com/pilotlight/pilotlight/internal/vclock"
	"github.com/pilotlight/pilotlight/timing"
)

// The step graph against the fake on a virtual clock: the fake takes the
// durations a test gives it (no AWS figure lives in the fake or here: these
// are arbitrary, chosen so each step's end differs), the runbook polls
// every 10 s of that clock, and nothing waits in real time.

const graphPoll = 10 * time.Second

var graphDurations = fakeaws.Durations{
	AuroraFailover: 70 * time.Second, AuroraSwitchover: 80 * time.Second,
	CacheFailover: 50 * time.Second, TaskStart: 130 * time.Second, TaskStop: 40 * time.Second,
	TrafficSwitch: 150 * time.Second,
}

// onVirtualClock makes e's fake and runbook share a virtual clock, the fake
// take durations, and the runbook poll every graphPoll.
func onVirtualClock(e *env, durations fakeaws.Durations) *vclock.Virtual {
	clock := vclock.NewVirtual(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
	e.d.Set(func(d *fakeaws.Deployment) { d.Clock, d.Durations = clock, &durations })
	e.opt.Clock, e.opt.Poll, e.opt.StepTimeout = clock, graphPoll, 20*time.Minute
	return clock
}

// criticalPathProblems lists how tl falls short of a run as a graph:
// aurora, cache and compute starting together, traffic starting as the
// last of them ends, and the total the longest of them plus traffic plus
// tail (what runs after traffic), within one poll, not their sum.
func criticalPathProblems(tl Timeline, poll, tail time.Duration) []string {
	var out []string
	var longest time.Duration
	for _, id := range []string{"aurora", "cache", "compute"} {
		s, ok := tl.Step(id)
		if !ok {
			return []string{"no step " + id}
		}
		if s.Start != 0 {
			out = append(out, fmt.Sprintf("%s started at %s, not with the others at 0: it ran after another step", id, s.Start))
		}
		longest = max(longest, s.End)
	}
	traffic, ok := tl.Step("traffic")
	if !ok {
		return append(out, "no step traffic")
	}
	if traffic.Start != longest {
		out = append(out, fmt.Sprintf("traffic started at %s, not when the last step it waits for ended (%s)", traffic.Start, longest))
	}
	want := longest + (traffic.End - traffic.Start) + tail
	if d := tl.Total - want; d < 0 || d > poll {
		out = append(out, fmt.Sprintf("total %s, want the longest of aurora, cache and compute plus traffic (plus %s after it), %s, within one poll (%s)", tl.Total, tail, want, poll))
	}
	return out
}

// With dns set and standbyEgress nat, a failover's aurora, cache and
// compute steps overlap, and its total is the longest of them plus the
// traffic step, not their sum; each step takes the fake's duration to
// within one poll; the critical path is compute -> traffic. Run several
// times, the timeline is the same each time (the virtual clock moves only
// when every step waits).
func TestFailoverRunsItsStepsTogether(t *testing.T) {
	var first Timeline
	for run := 0; run < 5; run++ {
		e := setupWith(t, true, withDNS)
		onVirtualClock(e, graphDurations)
		e.srv.Dark(primary, fakeaws.Drop)
		rb := e.runbook(t)
		if err := rb.Failover(context.Background(), failover); err != nil {
			t.Fatalf("failover: %v\n%s", err, e.out)
		}
		tl := rb.Timeline()
		if p := criticalPathProblems(tl, graphPoll, 0); len(p) > 0 {
			t.Errorf("run %d:\n  %s\n%s", run, strings.Join(p, "\n  "), e.out)
		}
		for id, want := range map[string]time.Duration{"aurora": graphDurations.AuroraFailover, "cache": graphDurations.CacheFailover, "compute": graphDurations.TaskStart} {
			s, _ := tl.Step(id)
			if took := s.End - s.Start; took < want || took > want+graphPoll {
				t.Errorf("%s took %s, want the fake's %s within one poll", id, took, want)
			}
		}
		if !slices.Equal(tl.Critical, []string{"compute", "traffic"}) || tl.Total != 140*time.Second {
			t.Errorf("critical path %v, total %s; want compute -> traffic, 2m20s\n%s", tl.Critical, tl.Total, e.out)
		}
		if run == 0 {
			first = tl
			checkEventLines(t, e.out.String())
			for _, s := range []string{"measured: 2m20s in total; critical path compute -> traffic; the steps one after another would take 4m20s", "failover finished in 2m20s"} {
				if !strings.Contains(e.out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, e.out)
				}
			}
			t.Logf("transcript:\n%s", e.out)
		} else if fmt.Sprint(tl) != fmt.Sprint(first) {
			t.Errorf("run %d differs from run 0:\n%v\n%v", run, tl, first)
		}
	}
}

// checkEventLines checks that every line between the first step's start
// and the closing table is one event: the run's clock, a step's id, text.
func checkEventLines(t *testing.T, out string) {
	t.Helper()
	event := regexp.MustCompile(`^\d\d:\d\d  (aurora|cache|compute|traffic|scale-down-[a-z0-9-]+) +\S`)
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "00:00  "):
			in = true
		case line == "":
			in = false
		}
		if in && !event.MatchString(line) {
			t.Errorf("not an event line (clock, step id, text): %q", line)
		}
	}
}

// The check bites: a timeline whose steps ran one after another fails it.
func TestCriticalPathProblemsCatchesASequentialRun(t *testing.T) {
	seq := Timeline{Total: 280 * time.Second, Steps: []StepTime{
		{ID: "aurora", Start: 0, End: 70 * time.Second},
		{ID: "cache", Start: 70 * time.Second, End: 120 * time.Second},
		{ID: "compute", Start: 120 * time.Second, End: 250 * time.Second},
		{ID: "traffic", Start: 250 * time.Second, End: 260 * time.Second},
	}}
	if p := criticalPathProblems(seq, graphPoll, 0); len(p) < 3 {
		t.Errorf("a sequential run passes the check: %q", p)
	}
	together := Timeline{Total: 140 * time.Second, Steps: []StepTime{
		{ID: "aurora", End: 70 * time.Second}, {ID: "cache", End: 50 * time.Second}, {ID: "compute", End: 130 * time.Second},
		{ID: "traffic", Start: 130 * time.Second, End: 140 * time.Second},
	}}
	if p := criticalPathProblems(together, graphPoll, 0); len(p) > 0 {
		t.Errorf("a run as a graph fails the check: %q", p)
	}
}

// A switchover runs compute, aurora and cache together too, then traffic,
// then the old region's scale-down (scale-down-us-east-1), which waits for
// traffic.
func TestSwitchoverRunsItsStepsTogether(t *testing.T) {
	e := setupWith(t, true, withDNS)
	e.opt.ScaleDownOld = true
	onVirtualClock(e, graphDurations)
	rb := e.runbook(t)
	if err := rb.Switchover(context.Background(), failover); err != nil {
		t.Fatalf("switchover: %v\n%s", err, e.out)
	}
	tl := rb.Timeline()
	traffic, _ := tl.Step("traffic")
	down, ok := tl.Step("scale-down-us-east-1")
	if p := criticalPathProblems(tl, graphPoll, down.End-down.Start); len(p) > 0 {
		t.Errorf("%s\n%s", strings.Join(p, "\n"), e.out)
	}
	if !ok || down.State != stateDone || down.Start != traffic.End || down.End-down.Start < graphDurations.TaskStop {
		t.Errorf("scale-down-us-east-1 %+v, want it done, starting as traffic ends (%s) and taking TaskStop", down, traffic.End)
	}
	if !slices.Equal(tl.Critical, []string{"compute", "traffic", "scale-down-us-east-1"}) {
		t.Errorf("critical path %v", tl.Critical)
	}
	checkEventLines(t, e.out.String())
}

// A failed step stops what waits for it and lets the others finish: the
// datastore's promotion refused, traffic is skipped (the switch stays off),
// while Aurora's failover and the service's start, which do not wait for
// it, finish; the error and the table say which is which.
func TestFailedStepSkipsItsDependents(t *testing.T) {
	e := setupWith(t, true, withDNS)
	onVirtualClock(e, graphDurations)
	e.d.Set(func(d *fakeaws.Deployment) { d.CacheFailoverRefused = true })
	e.srv.Dark(primary, fakeaws.Drop)
	rb := e.runbook(t)
	err := rb.Failover(context.Background(), failover)
	if err == nil {
		t.Fatalf("want the cache step's failure\n%s", e.out)
	}
	for _, s := range []string{"step cache (ElastiCache: make pilotlight-dev-us-west-2 the Global Datastore's primary) failed: elasticache:FailoverGlobalReplicationGroup in us-west-2",
		"skipped because of it: traffic (waits for cache, which failed)", "finished: aurora, compute", "run the same command again"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error lacks %q:\n%v", s, err)
		}
	}
	states := map[string]string{}
	for _, s := range rb.Timeline().Steps {
		states[s.ID] = s.State
	}
	if want := map[string]string{"aurora": stateDone, "cache": stateFailed, "compute": stateDone, "traffic": stateSkipped}; fmt.Sprint(states) != fmt.Sprint(want) {
		t.Errorf("states %v, want %v", states, want)
	}
	if st := e.d.State(); st.Writer != failover || st.Running[failover] != 2 || st.SwitchState[failover] != fakeaws.SwitchOff {
		t.Errorf("the others did not finish, or traffic ran: %+v", st)
	}
	if c, _ := rb.Timeline().Step("compute"); c.End != graphDurations.TaskStart {
		t.Errorf("compute ended at %s, want %s: it must go on after cache failed", c.End, graphDurations.TaskStart)
	}
	if !strings.Contains(e.out.String(), "traffic  skipped: waits for cache, which failed") {
		t.Errorf("output:\n%s", e.out)
	}
	// Fixed, the rerun does only what is left.
	e.d.Set(func(d *fakeaws.Deployment) { d.CacheFailoverRefused = false })
	e.out.Reset()
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("rerun: %v\n%s", err, e.out)
	}
	if m := e.d.Mutations(); m["us-west-2 rds FailoverGlobalCluster"] != 1 || m["us-west-2 ecs UpdateService"] != 1 || m["us-west-2 elasticache FailoverGlobalReplicationGroup"] != 1 {
		t.Errorf("mutations: %v", m)
	}
}

// --dry-run prints the graph: each step's id, what it does and calls, and
// what it waits for.
func TestDryRunPrintsTheGraph(t *testing.T) {
	e := setupWith(t, true, withDNS)
	e.opt.DryRun, e.opt.AWS, e.opt.ScaleDownOld = true, nil, true
	waits := func(out, id, after string) {
		t.Helper()
		re := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(id) + ` +.*\n +waits for: ` + regexp.QuoteMeta(after) + `$`)
		if !re.MatchString(out) {
			t.Errorf("dry run does not show %s waiting for %q:\n%s", id, after, out)
		}
	}
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatal(err)
	}
	out := e.out.String()
	for id, after := range map[string]string{"aurora": "nothing: starts at once", "cache": "nothing: starts at once", "compute": "nothing: starts at once", "traffic": "aurora, cache, compute"} {
		waits(out, id, after)
	}
	e.out.Reset()
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatal(err)
	}
	waits(e.out.String(), "scale-down-us-east-1", "traffic")
	waits(e.out.String(), "traffic", "aurora, cache, compute")
	if len(e.srv.Calls()) != 0 {
		t.Errorf("dry run called AWS: %s", fakeaws.Summary(e.srv.Calls()))
	}
}

// budgetOnVirtualClock puts e on a virtual clock with the fake taking the
// durations of the config's RTO budget (fakeaws.DurationsOf), and returns
// the budget.
func budgetOnVirtualClock(t *testing.T, e *env) timing.Budget {
	t.Helper()
	b, err := timing.NewBudget(e.opt.Config.Timing())
	if err != nil {
		t.Fatal(err)
	}
	onVirtualClock(e, fakeaws.DurationsOf(b))
	return b
}

// scenario is b's scenario name.
func scenario(t *testing.T, b timing.Budget, name string) timing.Scenario {
	t.Helper()
	sc, ok := b.Scenario(name)
	if !ok {
		t.Fatalf("the budget has no %s", name)
	}
	return sc
}

// With the fake taking the budget's durations, a failover (dns set,
// standbyEgress nat) and a switchover (with --scale-down-old, so the
// scale-down is measured too) each measure what the budget says, within
// one poll: the drill's comparison (Timeline.Deviations), without
// Terraform.
func TestRunsMeetTheirBudget(t *testing.T) {
	t.Run("failover", func(t *testing.T) {
		e := setupWith(t, true, withDNS)
		b := budgetOnVirtualClock(t, e)
		e.srv.Dark(primary, fakeaws.Drop)
		rb := e.runbook(t)
		if err := rb.Failover(context.Background(), failover); err != nil {
			t.Fatalf("failover: %v\n%s", err, e.out)
		}
		sc := scenario(t, b, "failover")
		if d := rb.Timeline().Deviations(sc, graphPoll); len(d) > 0 {
			t.Errorf("the failover differs from its budget:\n  %s\n%s", strings.Join(d, "\n  "), e.out)
		}
		at, ok := rb.Timeline().WritesAt(sc)
		if !ok || at-sc.Writes > graphPoll || sc.Writes-at > graphPoll {
			t.Errorf("writes reach %s after %s (%v), the budget says %s", sc.To, timing.Format(at), ok, timing.Format(sc.Writes))
		}
		t.Logf("measured RTO: writes reach %s after %s; the budget's %s", sc.To, timing.Format(at), timing.Format(sc.Writes))
	})
	t.Run("switchover", func(t *testing.T) {
		e := setupWith(t, true, withDNS)
		e.opt.ScaleDownOld = true
		b := budgetOnVirtualClock(t, e)
		rb := e.runbook(t)
		if err := rb.Switchover(context.Background(), failover); err != nil {
			t.Fatalf("switchover: %v\n%s", err, e.out)
		}
		if d := rb.Timeline().Deviations(scenario(t, b, "switchover"), graphPoll); len(d) > 0 {
			t.Errorf("the switchover differs from its budget:\n  %s\n%s", strings.Join(d, "\n  "), e.out)
		}
	})
}

// Deviations bites: a run whose promotions and compute ran one after
// another, or took other than the budget's time, or a step of the budget
// the run lacks, each fail it.
func TestDeviationsCatchARunOffBudget(t *testing.T) {
	b, err := timing.NewBudget(func() config.Config {
		c := config.Default()
		c.Network.StandbyEgress = config.EgressNat
		c.DNS.ZoneId, c.DNS.ZoneName, c.DNS.Name = "Z0123456789ABCDEFGHIJ", "example.com", "origin.example.com"
		return c
	}().Timing())
	if err != nil {
		t.Fatal(err)
	}
	sc := scenario(t, b, "failover")
	want := map[string]time.Duration{}
	for _, s := range sc.Steps {
		want[s.ID] = s.Duration
	}
	a, c, m := want[timing.StepAurora], want[timing.StepCache], want[timing.StepCompute]
	together := Timeline{Total: max(a, c, m), Steps: []StepTime{
		{ID: "aurora", State: stateDone, End: a}, {ID: "cache", State: stateDone, End: c}, {ID: "compute", State: stateDone, End: m},
		{ID: "traffic", State: stateDone, After: []string{"aurora", "cache", "compute"}, Start: max(a, c, m), End: max(a, c, m)},
	}}
	if d := together.Deviations(sc, graphPoll); len(d) > 0 {
		t.Fatalf("a run as budgeted deviates: %q", d)
	}
	seq := Timeline{Total: a + c + m, Steps: []StepTime{
		{ID: "aurora", State: stateDone, End: a}, {ID: "cache", State: stateDone, Start: a, End: a + c},
		{ID: "compute", State: stateDone, Start: a + c, End: a + c + m},
		{ID: "traffic", State: stateDone, After: []string{"aurora", "cache", "compute"}, Start: a + c + m, End: a + c + m},
	}}
	d := strings.Join(seq.Deviations(sc, graphPoll), "\n")
	for _, s := range []string{"cache: started at", "compute: started at", "traffic: started at", "aurora, cache, compute ran one after another", "total "} {
		if !strings.Contains(d, s) {
			t.Errorf("a sequential run: the deviations lack %q:\n%s", s, d)
		}
	}
	slow := together
	slow.Steps = slices.Clone(together.Steps)
	slow.Steps[1].End = c + 2*graphPoll
	if d := strings.Join(slow.Deviations(sc, graphPoll), "\n"); !strings.Contains(d, "cache: took") {
		t.Errorf("a cache step two polls over its budget passes: %q", d)
	}
	// Chained in the run's own graph, cache after aurora: each start is
	// on time for that graph, yet the budget runs them together, and a
	// drill that checks the graph alone (a reading that delays AWS on
	// purpose) catches it.
	chained := Timeline{Total: a + c, Steps: []StepTime{
		{ID: "aurora", State: stateDone, End: a}, {ID: "cache", State: stateDone, After: []string{"aurora"}, Start: a, End: a + c},
		{ID: "compute", State: stateDone, End: m},
		{ID: "traffic", State: stateDone, After: []string{"aurora", "cache", "compute"}, Start: a + c, End: a + c},
	}}
	if d := strings.Join(chained.LateStarts(sc, graphPoll), "\n"); !strings.Contains(d, "cache: waits for aurora, the budget's for nothing: starts at once") {
		t.Errorf("a run with cache chained after aurora passes LateStarts: %q", d)
	}
	extra := together
	extra.Steps = append(slices.Clone(together.Steps), StepTime{ID: "instance", State: stateDone})
	if d := strings.Join(extra.Deviations(sc, graphPoll), "\n"); !strings.Contains(d, "instance: in the run, not in the budget") {
		t.Errorf("a run with a step the budget lacks passes: %q", d)
	}
	short := together
	short.Steps = together.Steps[:3]
	if d := strings.Join(short.Deviations(sc, graphPoll), "\n"); !strings.Contains(d, "traffic: in the budget, not in the run") {
		t.Errorf("a run without traffic passes: %q", d)
	}
}
