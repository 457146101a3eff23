package timing

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// The synth and the runbook both import timing: it must pull in neither
// jsii, cdktf and the provider bindings nor the AWS SDK. It may import this
// module's own packages (the price table) only as far as they, too, import
// nothing from outside the standard library.
func TestTimingImportsOnlyTheStandardLibrary(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(pkg, "/")
		if strings.Contains(first, ".") && !strings.HasPrefix(pkg, "github.com/pilotlight/pilotlight/") {
			t.Errorf("timing depends on %s; it may import the standard library and this module's standard-library-only packages", pkg)
		}
	}
}

func step(id string, d time.Duration, needs ...string) Step {
	return Step{ID: id, Needs: needs, Parts: []Figure{{What: id, Duration: d}}}
}

// The critical path is the longest chain, found from the graph: whatever
// the order the steps are listed in, parallel steps overlap, ties keep the
// first need, and a blocked step makes its successors unbounded.
func TestScheduleFindsTheLongestChain(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []Step
		path  []string
		total time.Duration
	}{
		{"one step", []Step{step("a", time.Minute)}, []string{"a"}, time.Minute},
		{"parallel then join",
			[]Step{step("t", 100*time.Second, "a", "c"), step("a", 60*time.Second), step("c", 90*time.Second), step("x", 80*time.Second)},
			[]string{"c", "t"}, 190 * time.Second},
		{"a side branch outlasts the join",
			[]Step{step("a", time.Minute), step("b", 10*time.Minute), step("t", time.Minute, "a")},
			[]string{"b"}, 10 * time.Minute},
		{"tie keeps the first need",
			[]Step{step("a", time.Minute), step("c", time.Minute), step("t", time.Second, "a", "c")},
			[]string{"a", "t"}, time.Minute + time.Second},
		{"chain of three", []Step{step("c", 3, "b"), step("b", 2, "a"), step("a", 1)}, []string{"a", "b", "c"}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, total, err := Schedule(tc.steps)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(path, tc.path) || total != tc.total {
				t.Errorf("path %v total %v, want %v %v", path, total, tc.path, tc.total)
			}
			for _, s := range tc.steps {
				if s.Critical != slices.Contains(tc.path, s.ID) {
					t.Errorf("%s: Critical %v", s.ID, s.Critical)
				}
				if s.End != s.Start+s.Duration {
					t.Errorf("%s: ends %v, starts %v, lasts %v", s.ID, s.End, s.Start, s.Duration)
				}
			}
		})
	}
	blocked := []Step{step("a", time.Minute), step("t", time.Minute, "a"), step("b", time.Hour)}
	blocked[0].Blocked = "needs us-east-1"
	path, total, err := Schedule(blocked)
	if err != nil || total != Forever || !slices.Equal(path, []string{"a", "t"}) || Format(blocked[1].End) != "unbounded" {
		t.Errorf("blocked: path %v total %v err %v, t ends %v", path, total, err, blocked[1].End)
	}
	for name, steps := range map[string][]Step{
		"twice":   {step("a", 1), step("a", 2)},
		"unknown": {step("a", 1, "b")},
		"cycle":   {step("a", 1, "b"), step("b", 1, "a"), step("c", 1)},
	} {
		if _, _, err := Schedule(steps); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// nat is the defaults with dns set and standbyEgress nat.
func nat() Settings {
	return Settings{From: "us-east-1", To: "us-west-2", Regions: 2, DNS: true, TTL: DefaultTTL, HealthCheckInterval: DefaultHealthCheckInterval,
		FailureThreshold: DefaultFailureThreshold, StandbyEgress: EgressNat, SecondaryInstances: 1, AzCount: 2, InstanceClass: "db.r6g.large"}
}

func scenario(t *testing.T, s Settings, name string) Scenario {
	t.Helper()
	b, err := NewBudget(s)
	if err != nil {
		t.Fatal(err)
	}
	sc, ok := b.Scenario(name)
	if !ok {
		t.Fatalf("no %s scenario", name)
	}
	return sc
}

func byID(sc Scenario) map[string]Step {
	out := map[string]Step{}
	for _, s := range sc.Steps {
		out[s.ID] = s
	}
	return out
}

// A failover's writes wait for the longest of the promotions and the
// compute start, then the traffic step: not for their sum.
func TestFailoverIsTheCriticalPathNotTheSum(t *testing.T) {
	sc := scenario(t, nat(), "failover")
	st := byID(sc)
	longest := max(st[StepAurora].Duration, st[StepCompute].Duration)
	if want := longest + st[StepTraffic].Duration; sc.Writes != want {
		t.Errorf("writes after %v, want %v (longest of aurora and compute, then traffic)", sc.Writes, want)
	}
	var sum time.Duration
	for _, s := range sc.Steps {
		sum += s.Duration
	}
	if sc.Writes >= sum {
		t.Errorf("writes after %v, the sum of the steps is %v", sc.Writes, sum)
	}
	for _, id := range []string{StepAurora, StepCache, StepCompute} {
		if st[id].Start != 0 {
			t.Errorf("%s starts at %v: the promotions and the compute start together", id, st[id].Start)
		}
	}
	if !slices.Equal(st[StepTraffic].Needs, []string{StepAurora, StepCache, StepCompute}) {
		t.Errorf("traffic needs %v", st[StepTraffic].Needs)
	}
	sw := byID(scenario(t, nat(), "switchover"))
	if sw[StepScaleDown].Start != sw[StepTraffic].End || !slices.Equal(sw[StepTraffic].Needs, []string{StepAurora, StepCache, StepCompute}) {
		t.Errorf("switchover: traffic needs %v; scale-down starts %v, traffic ends %v", sw[StepTraffic].Needs, sw[StepScaleDown].Start, sw[StepTraffic].End)
	}
}

// Each step's time comes from the config's own values: the traffic step
// is failureThreshold x interval, one interval for the calculated check,
// and the TTL.
func TestBudgetFollowsTheSettings(t *testing.T) {
	s := nat()
	s.TTL, s.HealthCheckInterval, s.FailureThreshold = 300, 30, 5
	traffic := byID(scenario(t, s, "failover"))[StepTraffic]
	if want := 5*30*time.Second + 30*time.Second + 300*time.Second; traffic.Duration != want {
		t.Errorf("traffic %v, want %v", traffic.Duration, want)
	}
	compute := byID(scenario(t, s, "failover"))[StepCompute]
	if want := TaskLaunch.Duration + TargetHealthCheckInterval; compute.Duration != want || compute.Manual {
		t.Errorf("compute %v manual %v, want %v", compute.Duration, compute.Manual, want)
	}

	none := nat()
	none.StandbyEgress = EgressNone
	st := byID(scenario(t, none, "failover"))
	if !st[StepCompute].Manual || st[StepCompute].Duration != OperatorAction.Duration+TerraformApply.Duration+NatGatewayCreation.Duration+compute.Duration {
		t.Errorf("none: compute %v (manual %v) should add the deploy and NAT gateway creation", st[StepCompute].Duration, st[StepCompute].Manual)
	}
	sw := byID(scenario(t, none, "switchover"))
	if e, ok := sw[StepEgress]; !ok || !slices.Equal(sw[StepAurora].Needs, []string{StepEgress}) || sw[StepAurora].Start != e.End {
		t.Errorf("none: a switchover waits for the egress deploy: %+v", sw[StepAurora])
	}

	headless := nat()
	headless.SecondaryInstances = 0
	for _, name := range []string{"failover", "switchover"} {
		st := byID(scenario(t, headless, name))
		if i, ok := st[StepInstance]; !ok || st[StepAurora].Start != i.End || st[StepCompute].Start != i.End || i.Duration != OperatorAction.Duration+AuroraInstanceCreation.Duration {
			t.Errorf("%s headless: %+v", name, st[StepInstance])
		}
	}
}

// Without dns, writes move with the edge stack's deploy: a switchover
// counts it, a failover with us-east-1 dark cannot finish, and says why.
// A standby in us-east-1 leaves a failover nowhere to go.
func TestUnboundedWhereAControlPlaneIsNeeded(t *testing.T) {
	s := nat()
	s.DNS = false
	f := scenario(t, s, "failover")
	if f.Writes != Forever || !strings.Contains(byID(f)[StepTraffic].Blocked, "CloudFront's control plane in us-east-1") {
		t.Errorf("no dns failover: writes %v, %q", f.Writes, byID(f)[StepTraffic].Blocked)
	}
	if sw := scenario(t, s, "switchover"); sw.Writes == Forever || !byID(sw)[StepTraffic].Manual {
		t.Errorf("no dns switchover: writes %v", sw.Writes)
	}
	s = nat()
	s.From, s.To = "us-west-2", "us-east-1"
	if f := scenario(t, s, "failover"); f.Writes != Forever || !strings.Contains(f.Steps[0].Blocked, "no region is left") {
		t.Errorf("standby us-east-1: %+v", f)
	}
}

// The settings that shorten a budget are found by budgeting the changed
// settings: each saves what the two budgets differ by, and one that saves
// nothing is not listed.
func TestShortenSavesWhatTheBudgetsDiffer(t *testing.T) {
	s := nat()
	s.StandbyEgress, s.SecondaryInstances, s.HealthCheckInterval, s.TTL = EgressNone, 0, 30, 20
	b, err := NewBudget(s)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := b.Scenario("failover")
	seen := map[string]bool{}
	for _, sug := range b.Shorten {
		seen[sug.Key+"="+sug.To] = true
		if sug.Costs == "" || len(sug.Saves) == 0 {
			t.Errorf("%s: %+v", sug.Key, sug)
		}
	}
	for _, want := range []string{"network.standbyEgress=nat", "network.standbyEgress=endpoints", "database.secondaryInstances=1", "dns.healthCheckInterval=10", "dns.failureThreshold=2"} {
		if !seen[want] {
			t.Errorf("no suggestion %s; got %v", want, seen)
		}
	}
	if seen["dns.ttl=30"] {
		t.Error("a TTL of 20 s is not shortened to 30 s")
	}
	alt := s
	alt.StandbyEgress = EgressNat
	after := scenario(t, alt, "failover")
	for _, sug := range b.Shorten {
		if sug.Key == "network.standbyEgress" && sug.To == EgressNat && sug.Saves["failover"] != base.Writes-after.Writes {
			t.Errorf("nat saves %v, budgets differ by %v", sug.Saves["failover"], base.Writes-after.Writes)
		}
	}
	s = nat()
	s.DNS = false
	b, _ = NewBudget(s)
	if len(b.Shorten) == 0 || b.Shorten[0].Saves["failover"] != Forever || Saving(Forever) != "unbounded -> bounded" {
		t.Errorf("setting dns makes the failover bounded: %+v", b.Shorten)
	}
}

func TestSettingsValidateNamesTheKey(t *testing.T) {
	for key, set := range map[string]func(*Settings){
		"network.standbyEgress":       func(s *Settings) { s.StandbyEgress = "vpn" },
		"database.secondaryInstances": func(s *Settings) { s.SecondaryInstances = -1 },
		"dns.ttl":                     func(s *Settings) { s.TTL = 0 },
		"activeRegion":                func(s *Settings) { s.To = s.From },
	} {
		s := nat()
		set(&s)
		if _, err := NewBudget(s); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: %v", key, err)
		}
	}
}

// The JSON carries every step with its parts and sources, seconds as
// numbers and null where a scenario never gets there.
func TestJSONShape(t *testing.T) {
	s := nat()
	s.DNS = false
	b, err := NewBudget(s)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := b.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Settings  map[string]any `json:"settings"`
		Scenarios []struct {
			Name         string   `json:"name"`
			Writes       *float64 `json:"writes_seconds"`
			CriticalPath []string `json:"critical_path"`
			Steps        []struct {
				ID    string   `json:"id"`
				Needs []string `json:"needs"`
				End   *float64 `json:"end_seconds"`
				Parts []struct {
					Seconds *float64 `json:"seconds"`
					Source  string   `json:"source"`
				} `json:"parts"`
			} `json:"steps"`
		} `json:"scenarios"`
		Shorten []struct {
			Key   string `json:"key"`
			Saves map[string]struct {
				Seconds       *float64 `json:"seconds"`
				FromUnbounded bool     `json:"from_unbounded"`
			} `json:"saves"`
		} `json:"shorten"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Scenarios) != 2 || doc.Scenarios[0].Name != "switchover" || doc.Scenarios[1].Name != "failover" {
		t.Fatalf("scenarios: %s", raw)
	}
	if doc.Scenarios[0].Writes == nil || doc.Scenarios[1].Writes != nil || doc.Settings["dns"] != false {
		t.Errorf("writes: switchover %v, failover %v (want null)", doc.Scenarios[0].Writes, doc.Scenarios[1].Writes)
	}
	for _, sc := range doc.Scenarios {
		for _, st := range sc.Steps {
			if st.Needs == nil || len(st.Parts) == 0 {
				t.Errorf("%s/%s: needs %v parts %v", sc.Name, st.ID, st.Needs, st.Parts)
			}
			for _, p := range st.Parts {
				if p.Seconds == nil || p.Source == "" {
					t.Errorf("%s/%s: a part without seconds or source", sc.Name, st.ID)
				}
			}
		}
	}
	if sv := doc.Shorten[0].Saves["failover"]; doc.Shorten[0].Key != "dns (zoneName, name)" || sv.Seconds != nil || !sv.FromUnbounded {
		t.Errorf("shorten: %s", raw)
	}
}
