package docgen

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/timing"
)

// RTOPage is docs/rto.md: the RTO budget (timing.NewBudget) of the default
// config with dns set, in full, and what network.standbyEgress and dns
// change in it, from the same code `pilotlight rto` prints with.
func RTOPage() ([]byte, error) {
	budget := func(extra string) (timing.Budget, error) {
		cfg, err := config.Parse("docgen", []byte(dnsConfig+extra))
		if err != nil {
			return timing.Budget{}, err
		}
		return timing.NewBudget(cfg.Timing())
	}
	b, err := budget("")
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteString(header)
	out.WriteString("# RTO budget\n\n")
	out.WriteString("How long a region switch takes, step by step, for the default config with `dns` set, built by " +
		"`timing.NewBudget` from the config's own values and AWS's documented figures; `pilotlight rto [--json]` prints " +
		"it for your config (it reads the config only: no AWS call). The steps that AWS lets run together run together: " +
		"the time is the graph's critical path, not the sum of its steps. Where AWS documents no figure, the assumption is " +
		"written beside it. The RTO here is when writes reach the standby region.\n\n")

	out.WriteString("## Failover of writes with us-east-1 dark, by `network.standbyEgress`\n\n")
	out.WriteString("| config | writes reach us-west-2 after | critical path | standing cost of the choice |\n|---|---|---|---|\n")
	rows := []struct{ name, extra, cost string }{
		{"`standbyEgress: none` (default)", "", "none"},
		{"`standbyEgress: nat`", "network:\n  standbyEgress: nat\n", ""},
		{"`standbyEgress: endpoints`", "network:\n  standbyEgress: endpoints\nservice:\n  image: " + Account + ".dkr.ecr.{region}.amazonaws.com/app:1\n", ""},
	}
	for _, r := range rows {
		rb, err := budget(r.extra)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.name, err)
		}
		f, _ := rb.Scenario("failover")
		cost := r.cost
		if cost == "" {
			// What the choice costs is the suggestion's cost in the
			// default budget, so the two cannot disagree.
			for _, s := range b.Shorten {
				if s.Key == "network.standbyEgress" && strings.Contains(r.extra, "standbyEgress: "+s.To) {
					cost = s.Costs
				}
			}
		}
		fmt.Fprintf(&out, "| %s | %s | %s | %s |\n", r.name, timing.Format(f.Writes), strings.Join(f.CriticalPath, " → "), cell(cost))
	}
	bare, err := timing.NewBudget(config.Default().Timing())
	if err != nil {
		return nil, err
	}
	bf, _ := bare.Scenario("failover")
	fmt.Fprintf(&out, "| no `dns` (the bare defaults) | %s | %s | none |\n\n", timing.Format(bf.Writes), strings.Join(bf.CriticalPath, " → "))
	none, _ := b.Scenario("failover")
	withNat, err := budget(rows[1].extra)
	if err != nil {
		return nil, err
	}
	nat, _ := withNat.Scenario("failover")
	fmt.Fprintf(&out, "**What `none` costs in RTO:** %s more than `nat` or `endpoints` (%s against %s): the failover's compute step is then "+
		"the regional deploy that creates NAT gateways before any task can pull its image, and all of it is on the critical path. "+
		"**Without `dns`**, writes follow `activeRegion` only through the edge stack's deploy, which needs CloudFront's control plane "+
		"in us-east-1: with us-east-1 dark they wait for its return (reads already fail over per request). "+
		"`TestDefaultFailoverOfWritesWithinFiveMinutes` (in `config`) keeps `nat` and `endpoints` within 5 minutes.\n\n",
		timing.Format(none.Writes-nat.Writes), timing.Format(none.Writes), timing.Format(nat.Writes))

	out.WriteString("## Other settings, from the defaults with `dns` set and `standbyEgress: nat`\n\n" +
		"| setting | failover: writes after | against " + timing.Format(nat.Writes) + " | switchover: writes after |\n|---|---|---|---|\n")
	for _, r := range []struct{ name, extra string }{
		{"`database.secondaryInstances: 0` (headless secondary)", "database:\n  secondaryInstances: 0\n"},
		{"`dns.healthCheckInterval: 30`", "  healthCheckInterval: 30\n"},
		{"`dns.ttl: 300`", "  ttl: 300\n"},
		{"`dns.ttl: 30`", "  ttl: 30\n"},
		{"`dns.failureThreshold: 2`", "  failureThreshold: 2\n"},
	} {
		// An indented key continues the dns mapping dnsConfig ends with.
		rb, err := budget(r.extra + rows[1].extra)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.name, err)
		}
		f, _ := rb.Scenario("failover")
		sw, _ := rb.Scenario("switchover")
		diff := "+" + timing.Format(f.Writes-nat.Writes)
		if f.Writes < nat.Writes {
			diff = "-" + timing.Format(nat.Writes-f.Writes)
		}
		fmt.Fprintf(&out, "| %s | %s | %s | %s |\n", r.name, timing.Format(f.Writes), diff, timing.Format(sw.Writes))
	}
	out.WriteString("\n")

	for _, sc := range b.Scenarios {
		fmt.Fprintf(&out, "## %s%s\n\n", strings.ToUpper(sc.Title[:1]), sc.Title[1:])
		fmt.Fprintf(&out, "Config: %s. Writes reach %s after **%s**", b.Settings.Describe(), sc.To, timing.Format(sc.Writes))
		if sc.Total != sc.Writes {
			fmt.Fprintf(&out, "; every step is done after %s", timing.Format(sc.Total))
		}
		fmt.Fprintf(&out, ". Critical path: %s.\n\n", strings.Join(sc.CriticalPath, " → "))
		out.WriteString("| step | needs | start | end | takes | what |\n|---|---|---|---|---|---|\n")
		for _, st := range sc.Steps {
			id, needs, what := "`"+st.ID+"`", "-", st.Title
			if st.Critical {
				id = "**" + id + "**"
			}
			if len(st.Needs) > 0 {
				needs = code(st.Needs)
			}
			if st.Manual {
				what = "(manual) " + what
			}
			if st.Blocked != "" {
				what += "; cannot finish: " + st.Blocked
			}
			fmt.Fprintf(&out, "| %s | %s | %s | %s | %s | %s |\n", id, needs, timing.Format(st.Start), timing.Format(st.End), timing.Format(st.Duration), cell(what))
		}
		out.WriteString("\n| step | takes | what | source | assumed (AWS gives no figure) |\n|---|---|---|---|---|\n")
		for _, st := range sc.Steps {
			for _, p := range st.Parts {
				fmt.Fprintf(&out, "| `%s` | %s | %s | %s | %s |\n", st.ID, timing.Format(p.Duration), cell(p.What), cell(p.Source), cell(p.Assumed))
			}
		}
		out.WriteString("\n")
	}

	out.WriteString("## Settings that shorten it\n\nEach found by budgeting the config with the setting changed; what it saves is " +
		"how much earlier writes reach the standby.\n\n| setting | now | to | failover saves | switchover saves | what it costs |\n|---|---|---|---|---|---|\n")
	for _, s := range b.Shorten {
		saves := func(name string) string {
			if d, ok := s.Saves[name]; ok {
				return timing.Saving(d)
			}
			return "-"
		}
		fmt.Fprintf(&out, "| `%s` | %s | %s | %s | %s | %s |\n", s.Key, s.From, s.To, saves("failover"), saves("switchover"), cell(s.Costs))
	}
	fmt.Fprintf(&out, "\nNot among them: the target group's health check (interval %s; a new target needs one pass, so the "+
		"healthy threshold of %d does not apply) and the service's %s health check grace period, which bounds the "+
		"application's start rather than adding to it (a task slower than that is replaced). Costs marked estimate come "+
		"from list prices not read from AWS's pricing pages here: check them there.\n\n",
		timing.TargetHealthCheckInterval, timing.TargetHealthyThreshold, timing.ServiceHealthCheckGracePeriod)

	out.WriteString("## What the budget leaves out\n\n" +
		"- Deciding to fail over: the budget starts when the command runs.\n" +
		"- The runbook's polling: it sees a step end up to one `--poll` (default 10 s) late, so a run measures up to a poll more per step on its path.\n" +
		"- Resolvers that keep answers past the TTL, and clients that cache DNS themselves (a JVM's own cache, connection pools).\n" +
		"- The traffic switch has no CloudWatch alarm any more (period x evaluation periods): it is an S3 object read by an " +
		"inverted Route 53 health check, so its time is the health check's (see the traffic switch's decision record).\n")
	return out.Bytes(), nil
}
