package config

import (
	"testing"
	"time"

	"github.com/pilotlight/pilotlight/timing"
)

// dnsOnly sets dns (a zone and a name) and nothing else: a hosted zone is
// the user's, so it can have no default; every other setting, the dns
// timings among them, stays at its default.
const dnsOnly = "name: pilotlight\nenvironment: dev\ndns:\n  zoneName: example.com\n  name: origin.example.com\n"

// Issue 20 part 4: with the defaults (dns set) and standbyEgress nat or
// endpoints, writes reach the standby within 5 minutes of a failover with
// the primary region and us-east-1 dark.
func TestDefaultFailoverOfWritesWithinFiveMinutes(t *testing.T) {
	for _, egress := range []string{EgressNat, EgressEndpoints} {
		extra := "network:\n  standbyEgress: " + egress + "\n"
		if egress == EgressEndpoints {
			extra += "service:\n  image: 111122223333.dkr.ecr.{region}.amazonaws.com/app:1\n"
		}
		cfg, err := Parse("test", []byte(dnsOnly+extra))
		if err != nil {
			t.Fatal(err)
		}
		b, err := timing.NewBudget(cfg.Timing())
		if err != nil {
			t.Fatal(err)
		}
		f, _ := b.Scenario("failover")
		if f.From != "us-east-1" || f.Writes > 5*time.Minute {
			t.Errorf("standbyEgress %s: writes reach %s %s after a failover from %s, over 5 minutes; critical path %v", egress, f.To, timing.Format(f.Writes), f.From, f.CriticalPath)
		}
	}
}

// What the defaults cost in RTO, as docs/rto.md says it: standbyEgress
// none puts the deploy that creates NAT gateways on the failover's
// critical path, and without dns a failover with us-east-1 dark never
// moves writes.
func TestDefaultsRTOWithoutEgressOrDNS(t *testing.T) {
	cfg, err := Parse("test", []byte(dnsOnly))
	if err != nil {
		t.Fatal(err)
	}
	b, err := timing.NewBudget(cfg.Timing())
	if err != nil {
		t.Fatal(err)
	}
	f, _ := b.Scenario("failover")
	if f.Writes <= 5*time.Minute || f.CriticalPath[0] != timing.StepCompute {
		t.Errorf("standbyEgress none: writes after %s, critical path %v; want the compute deploy first and over 5 minutes", timing.Format(f.Writes), f.CriticalPath)
	}
	s := Default().Timing()
	if s.DNS || s.StandbyEgress != EgressNone || s.To != "us-west-2" {
		t.Fatalf("defaults: %+v", s)
	}
	b, err = timing.NewBudget(s)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := b.Scenario("failover"); f.Writes != timing.Forever {
		t.Errorf("no dns: writes after %s with us-east-1 dark; want unbounded", timing.Format(f.Writes))
	}
}

// Timing reads the config's own values.
func TestTimingReadsTheConfig(t *testing.T) {
	cfg, err := Parse("test", []byte(dnsOnly+"  ttl: 300\n  healthCheckInterval: 30\n  failureThreshold: 5\nnetwork:\n  standbyEgress: nat\n  azCount: 3\ndatabase:\n  secondaryInstances: 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := timing.Settings{From: "us-east-1", To: "us-west-2", Regions: 2, DNS: true, TTL: 300, HealthCheckInterval: 30, FailureThreshold: 5,
		StandbyEgress: EgressNat, SecondaryInstances: 0, AzCount: 3, InstanceClass: cfg.Database.InstanceClass}
	if got := cfg.Timing(); got != want {
		t.Errorf("Timing() = %+v\nwant %+v", got, want)
	}
}
