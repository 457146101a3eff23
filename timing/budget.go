package timing

import (
	"fmt"
	"slices"
	"time"

	"github.com/pilotlight/pilotlight/internal/cost"
)

// Standby egress choices (config network.standbyEgress).
const (
	EgressNone      = "none"
	EgressNat       = "nat"
	EgressEndpoints = "endpoints"
)

// Settings are the config's values a switch's duration depends on
// (config.Config.Timing builds them).
type Settings struct {
	// From is the active region; To the standby region a switch goes to.
	From, To string
	// Regions is how many regions the app has (primary and failover).
	Regions int
	// DNS is whether dns is set: the traffic switch and the Route 53
	// failover records move requests with no control plane.
	DNS bool
	// TTL (seconds) of the failover records; HealthCheckInterval
	// (seconds) and FailureThreshold of their health checks.
	TTL, HealthCheckInterval, FailureThreshold int
	// StandbyEgress is network.standbyEgress: EgressNone, EgressNat or
	// EgressEndpoints.
	StandbyEgress string
	// SecondaryInstances is database.secondaryInstances; 0 is a headless
	// secondary.
	SecondaryInstances int
	// AzCount and InstanceClass price the settings that shorten a switch.
	AzCount       int
	InstanceClass string
}

// Validate names the first setting Budget cannot use, with the config key.
func (s Settings) Validate() error {
	switch {
	case s.From == "" || s.To == "" || s.From == s.To:
		return fmt.Errorf("activeRegion %q and the standby region %q: a switch needs two different regions", s.From, s.To)
	case !slices.Contains([]string{EgressNone, EgressNat, EgressEndpoints}, s.StandbyEgress):
		return fmt.Errorf("network.standbyEgress %q: use none, nat or endpoints", s.StandbyEgress)
	case s.SecondaryInstances < 0:
		return fmt.Errorf("database.secondaryInstances %d: use 0 or more", s.SecondaryInstances)
	case s.DNS && (s.TTL <= 0 || s.HealthCheckInterval <= 0 || s.FailureThreshold <= 0):
		return fmt.Errorf("dns.ttl %d, dns.healthCheckInterval %d, dns.failureThreshold %d: each must be positive", s.TTL, s.HealthCheckInterval, s.FailureThreshold)
	}
	return nil
}

// Scenario is one kind of switch, scheduled.
type Scenario struct {
	// Name is "switchover" or "failover".
	Name string
	// Title says what is up and what is dark.
	Title string
	// From and To are the regions the switch leaves and reaches.
	From string
	To   string
	// Steps, scheduled (Schedule).
	Steps []Step
	// CriticalPath is the chain of steps that ends last.
	CriticalPath []string
	// Writes is when writes reach To (the traffic step's end): the RTO.
	// Total is when the last step ends. Forever: they never do while the
	// scenario lasts (a step is Blocked).
	Writes, Total time.Duration
}

// Budget is a config's RTO budget: both scenarios and what shortens them.
type Budget struct {
	Settings  Settings
	Scenarios []Scenario
	// Shorten lists the settings that shorten a scenario, each with what
	// it saves and what it costs.
	Shorten []Suggestion
}

// Suggestion is one setting that shortens a switch.
type Suggestion struct {
	// Key is the config key; From and To its value now and suggested.
	Key  string
	From string
	To   string
	// Saves is, by scenario name, how much earlier writes reach the
	// target (Forever: from unbounded to bounded).
	Saves map[string]time.Duration
	// Costs says what the setting costs, with its source or "estimate".
	Costs string
}

// Scenario returns the scenario named name ("switchover", "failover").
func (b Budget) Scenario(name string) (Scenario, bool) {
	for _, s := range b.Scenarios {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// NewBudget builds s's budget: the planned switchover from s.From to s.To
// with every region up, and the failover to s.To with s.From and
// ControlPlaneRegion dark, each step's duration from s and the figures
// above, scheduled as a graph; then every setting that shortens either,
// found by budgeting s with that setting changed. Errors: s.Validate's.
func NewBudget(s Settings) (Budget, error) {
	b, err := schedule(s)
	if err != nil {
		return Budget{}, err
	}
	for _, change := range changes(s) {
		alt, err := schedule(change.settings)
		if err != nil {
			return Budget{}, fmt.Errorf("%s: %w", change.Key, err)
		}
		saves := map[string]time.Duration{}
		for i, sc := range b.Scenarios {
			if d := savedBy(sc.Writes, alt.Scenarios[i].Writes); d > 0 {
				saves[sc.Name] = d
			}
		}
		if len(saves) > 0 {
			change.Suggestion.Saves = saves
			b.Shorten = append(b.Shorten, change.Suggestion)
		}
	}
	return b, nil
}

// savedBy is how much earlier after is than before; Forever when only
// after is bounded.
func savedBy(before, after time.Duration) time.Duration {
	switch {
	case after == Forever:
		return 0
	case before == Forever:
		return Forever
	}
	return before - after
}

func schedule(s Settings) (Budget, error) {
	if err := s.Validate(); err != nil {
		return Budget{}, err
	}
	b := Budget{Settings: s}
	for _, sc := range []Scenario{switchover(s), failover(s)} {
		path, total, err := Schedule(sc.Steps)
		if err != nil {
			return Budget{}, fmt.Errorf("%s: %w", sc.Name, err)
		}
		sc.CriticalPath, sc.Total, sc.Writes = path, total, Forever
		for _, st := range sc.Steps {
			if st.ID == StepTraffic {
				sc.Writes = st.End
			}
		}
		b.Scenarios = append(b.Scenarios, sc)
	}
	return b, nil
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// prepare is what the runbook refuses to switch without, as steps every
// other step needs: a DB instance in a headless secondary, and (a planned
// switch with standbyEgress none) the deploy that gives the target NAT
// gateways and starts its service.
func prepare(s Settings, planned bool) []Step {
	var steps []Step
	if s.SecondaryInstances == 0 {
		steps = append(steps, Step{ID: StepInstance, Manual: true,
			Title: fmt.Sprintf("Aurora: add a DB instance to the headless secondary in %s (the runbook refuses to promote a cluster with none)", s.To),
			Parts: []Figure{OperatorAction, AuroraInstanceCreation}})
	}
	if planned && s.StandbyEgress == EgressNone {
		steps = append(steps, Step{ID: StepEgress, Manual: true,
			Title: fmt.Sprintf("Deploy %s's stacks with activeRegion %s: NAT gateways, then the service (the runbook's preflight refuses without them)", s.To, s.To),
			Parts: []Figure{OperatorAction, TerraformApply, NatGatewayCreation, TaskLaunch, NewTargetHealthy}})
	}
	return steps
}

func ids(steps []Step) []string {
	out := []string{}
	for _, st := range steps {
		out = append(out, st.ID)
	}
	return out
}

// compute is the target's service from 0 tasks to healthy targets.
func compute(s Settings, planned bool) Step {
	st := Step{ID: StepCompute, Title: fmt.Sprintf("ECS: scale the service in %s up and wait for healthy targets", s.To),
		Parts: []Figure{TaskLaunch, NewTargetHealthy}}
	switch {
	case s.StandbyEgress != EgressNone:
	case planned:
		st.Title = fmt.Sprintf("ECS: the service in %s already runs (the egress deploy started it): checks only", s.To)
		st.Parts = nil
	default:
		st.Manual = true
		st.Title = fmt.Sprintf("Deploy %s's stacks with activeRegion %s: NAT gateways (standbyEgress none), then the service up to healthy targets", s.To, s.To)
		st.Parts = []Figure{OperatorAction, TerraformApply, NatGatewayCreation, TaskLaunch, NewTargetHealthy}
	}
	return st
}

// traffic is the switch until resolvers see it: with dns, Route 53 moves
// the failover name once the switch check and the target's endpoint check
// have changed status, and resolvers follow within the TTL; without it,
// the edge stack's deploy moves writes, which needs CloudFront's control
// plane.
func traffic(s Settings, planned bool, needs []string) Step {
	st := Step{ID: StepTraffic, Needs: needs, Title: fmt.Sprintf("Traffic: requests, writes among them, reach %s", s.To)}
	if !s.DNS {
		st.Manual = true
		st.Title = fmt.Sprintf("Traffic: deploy the edge stack with activeRegion %s (no dns: writes follow activeRegion only through CloudFront's configuration)", s.To)
		st.Parts = []Figure{OperatorAction, TerraformApply, CloudFrontPropagation}
		if !planned {
			st.Blocked = "writes move only with the edge stack's deploy, which needs CloudFront's control plane in " + ControlPlaneRegion + ", dark in this scenario (reads already fail over per request); set dns to move them on Route 53's data plane"
		}
		return st
	}
	interval := seconds(s.HealthCheckInterval)
	follow := RecordFollowsChildren
	follow.Duration = interval
	follow.What = fmt.Sprintf("%s (assumed one %ds interval)", follow.What, s.HealthCheckInterval)
	st.Title = fmt.Sprintf("Traffic: set the switch in %s (s3:PutObject); Route 53 answers with %s; resolvers follow", s.To, s.To)
	st.Parts = []Figure{
		{What: fmt.Sprintf("the switch check and %s's endpoint check change status together: %d x %ds (dns.failureThreshold x dns.healthCheckInterval)", s.To, s.FailureThreshold, s.HealthCheckInterval),
			Duration: time.Duration(s.FailureThreshold) * interval,
			Source:   "Route 53 Developer Guide, \"How Amazon Route 53 determines whether a health check is healthy\": status changes after failureThreshold consecutive results at the request interval"},
		follow,
		{What: fmt.Sprintf("resolvers, CloudFront among them, drop the cached answer: TTL %ds (dns.ttl)", s.TTL),
			Duration: seconds(s.TTL),
			Source:   "Route 53 Developer Guide, \"Values that you specify when you create or edit Amazon Route 53 records\" (TTL: how long recursive resolvers cache the record)",
			Assumed:  "CloudFront resolves the origin's name like a resolver that honours the TTL (not documented)"},
	}
	return st
}

func switchover(s Settings) Scenario {
	pre := prepare(s, true)
	needs := ids(pre)
	steps := append(pre,
		Step{ID: StepAurora, Needs: needs, Title: fmt.Sprintf("Aurora: switch the writer to %s (SwitchoverGlobalCluster)", s.To), Parts: []Figure{AuroraSwitchover}},
		Step{ID: StepCache, Needs: needs, Title: fmt.Sprintf("ElastiCache: make %s the Global Datastore's primary (FailoverGlobalReplicationGroup)", s.To), Parts: []Figure{CachePromotion}},
	)
	c := compute(s, true)
	c.Needs = needs
	steps = append(steps, c,
		traffic(s, true, []string{StepAurora, StepCache, StepCompute}),
		Step{ID: StepScaleDown, Needs: []string{StepTraffic}, Title: fmt.Sprintf("ECS: scale the service in %s to 0 (--scale-down-old, or its stack's deploy)", s.From), Parts: []Figure{TaskStop}},
	)
	return Scenario{Name: "switchover", From: s.From, To: s.To, Steps: steps,
		Title: fmt.Sprintf("planned switchover %s -> %s, every region up", s.From, s.To)}
}

func failover(s Settings) Scenario {
	dark := s.From
	if s.From != ControlPlaneRegion {
		dark += " and " + ControlPlaneRegion
	}
	sc := Scenario{Name: "failover", From: s.From, To: s.To,
		Title: fmt.Sprintf("failover %s -> %s with %s dark (writes)", s.From, s.To, dark)}
	if s.To == ControlPlaneRegion {
		sc.Steps = []Step{{ID: StepTraffic, Title: "Traffic: requests reach " + s.To, Parts: []Figure{},
			Blocked: fmt.Sprintf("the standby region is %s itself, dark in this scenario: no region is left to fail over to; choose a failover region other than %s", ControlPlaneRegion, ControlPlaneRegion)}}
		return sc
	}
	pre := prepare(s, false)
	needs := ids(pre)
	steps := append(pre,
		Step{ID: StepAurora, Needs: needs, Title: fmt.Sprintf("Aurora: fail the writer over to %s (FailoverGlobalCluster, allow data loss)", s.To), Parts: []Figure{AuroraFailover}},
		Step{ID: StepCache, Needs: needs, Title: fmt.Sprintf("ElastiCache: make %s the Global Datastore's primary (FailoverGlobalReplicationGroup)", s.To), Parts: []Figure{CachePromotion}},
	)
	c := compute(s, false)
	c.Needs = needs
	// Traffic waits for the cache too, as the runbook's graph does: a
	// Global Datastore secondary "only accepts read requests" until it is
	// promoted (ElastiCache User Guide, "Replication across AWS Regions
	// using global datastores", Overview), so requests landing earlier
	// would fail their cache writes.
	sc.Steps = append(steps, c, traffic(s, false, []string{StepAurora, StepCache, StepCompute}))
	return sc
}

// change is one setting to try, the settings with it, and its cost.
type change struct {
	Suggestion
	settings Settings
}

// Monthly list prices of what a change adds, from the one price table
// (internal/cost, which names each price's page and the date it was read).
var (
	// natGatewayMonth is one NAT gateway and its Elastic IP (a public IPv4
	// address) for a month, data processed not included.
	natGatewayMonth = (cost.NATGatewayHour.USD + cost.PublicIPv4Hour.USD) * cost.HoursPerMonth
	// endpointAzHour is one interface endpoint in one AZ for an hour.
	endpointAzHour = cost.InterfaceEndpointHour.USD
	hoursPerMonth  = float64(cost.HoursPerMonth)
)

// changes are the settings that may shorten s's switches.
func changes(s Settings) []change {
	var out []change
	try := func(key, from, to, costs string, set func(*Settings)) {
		alt := s
		set(&alt)
		out = append(out, change{Suggestion{Key: key, From: from, To: to, Costs: costs}, alt})
	}
	if !s.DNS {
		try("dns (zoneName, name)", "unset", "your hosted zone and a name in it",
			"a Route 53 hosted zone, the failover records' health checks (one per region, the switch, the calculated check: monthly charges, more for HTTPS and the 10 s interval) and the checkers' GETs of the switch object (Route 53 and S3 pricing pages); no standing compute",
			func(a *Settings) {
				a.DNS, a.TTL, a.HealthCheckInterval, a.FailureThreshold = true, DefaultTTL, DefaultHealthCheckInterval, DefaultFailureThreshold
			})
	}
	standbys := max(s.Regions-1, 1)
	if s.StandbyEgress == EgressNone {
		try("network.standbyEgress", EgressNone, EgressNat,
			fmt.Sprintf("%d NAT gateways (one per AZ) in each standby region (%d), each about %.0f USD a month plus data processed and its Elastic IP: about %.0f USD a month (list prices in docs/cost.md)",
				s.AzCount, standbys, natGatewayMonth, natGatewayMonth*float64(s.AzCount*standbys)),
			func(a *Settings) { a.StandbyEgress = EgressNat })
		try("network.standbyEgress", EgressNone, EgressEndpoints,
			fmt.Sprintf("4 interface endpoints x %d AZs in every region (%d), each endpoint-AZ hour about %.2f USD plus data processed: about %.0f USD a month (list prices in docs/cost.md); the image must be in each region's private ECR",
				s.AzCount, s.Regions, endpointAzHour, 4*float64(s.AzCount*s.Regions)*hoursPerMonth*endpointAzHour),
			func(a *Settings) { a.StandbyEgress = EgressEndpoints })
	}
	if s.SecondaryInstances == 0 {
		try("database.secondaryInstances", "0", "1",
			fmt.Sprintf("one %s instance running in each failover region (%d), at the Aurora on-demand hourly rate of the class (Aurora pricing page)", s.InstanceClass, standbys),
			func(a *Settings) { a.SecondaryInstances = 1 })
	}
	if s.DNS {
		if s.HealthCheckInterval > 10 {
			try("dns.healthCheckInterval", fmt.Sprint(s.HealthCheckInterval), "10",
				"the 10 s interval is a priced option of each Route 53 health check (Route 53 pricing page), and checkers request every endpoint and the switch object three times as often",
				func(a *Settings) { a.HealthCheckInterval = 10 })
		}
		if s.FailureThreshold > 2 {
			try("dns.failureThreshold", fmt.Sprint(s.FailureThreshold), "2",
				"a shorter run of failed checks marks the active region unhealthy: a brief outage of its endpoint is likelier to move traffic (with the standby not serving, Route 53 still answers with the active region)",
				func(a *Settings) { a.FailureThreshold = 2 })
		}
		if s.TTL > 30 {
			try("dns.ttl", fmt.Sprint(s.TTL), "30",
				fmt.Sprintf("resolvers ask Route 53 %.0f times as often: more billed queries (Route 53 pricing page, per million queries)", float64(s.TTL)/30),
				func(a *Settings) { a.TTL = 30 })
		}
	}
	return out
}
