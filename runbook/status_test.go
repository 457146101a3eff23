package runbook

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

// The region table stays a table when a region is dark: every row has the
// same columns, so each column starts at the same offset on every line.
func TestStatusTableAlignsWithADarkRegion(t *testing.T) {
	e := setup(t, true)
	e.srv.Dark(primary, fakeaws.Unavailable)
	code, err := e.runbook(t).Status(context.Background(), false)
	if err != nil || code != ExitUnhealthy {
		t.Fatalf("status with %s dark: code %d, %v\n%s", primary, code, err, e.out)
	}
	var header string
	var rows []string
	for _, l := range strings.Split(e.out.String(), "\n") {
		switch {
		case strings.HasPrefix(l, "REGION "):
			header = l
		case header != "" && len(rows) < 2:
			rows = append(rows, l)
		}
	}
	if header == "" || len(rows) != 2 {
		t.Fatalf("no region table:\n%s", e.out)
	}
	for _, col := range []string{"AURORA", "TASKS", "SWITCH"} {
		at := strings.Index(header, col)
		for _, r := range rows {
			if len(r) <= at || r[at] == ' ' || r[at-1] != ' ' {
				t.Errorf("column %s (offset %d) misaligned in row %q\nheader %q", col, at, r, header)
			}
		}
	}
	if !strings.Contains(e.out.String(), "PROBLEMS:\n  "+primary+": unreachable or not deployed: ") {
		t.Errorf("the dark region's error is not listed under PROBLEMS:\n%s", e.out)
	}
}

// After a failover that left compute to the deploy (no NAT gateway in the
// standby), status with activeRegion on the new writer names the active
// region's missing tasks under PROBLEMS, not only the Aurora resync; it is
// gone once the service runs there.
func TestStatusNamesAnActiveRegionWithoutTasks(t *testing.T) {
	e := setup(t, true)
	e.d.Set(func(d *fakeaws.Deployment) {
		d.Writer, d.CachePrimary = failover, failover
		d.Desired[primary], d.Running[primary] = 0, 0
	})
	e.opt.Config.ActiveRegion = failover
	code, err := e.runbook(t).Status(context.Background(), false)
	want := "ecs: the active region " + failover + " runs 0 of 2 tasks, 0 healthy targets"
	if err != nil || code != ExitUnhealthy || !strings.Contains(e.out.String(), want) {
		t.Errorf("status: exit %d, %v; want exit %d and %q\n%s", code, err, ExitUnhealthy, want, e.out)
	}
	e.d.Set(func(d *fakeaws.Deployment) { d.Desired[failover], d.Running[failover] = 2, 2 })
	e.out.Reset()
	if _, err := e.runbook(t).Status(context.Background(), false); err != nil || strings.Contains(e.out.String(), "ecs: the active region") {
		t.Errorf("with the service running: %v\n%s", err, e.out)
	}
}

// A region whose endpoints accept connections and never answer costs
// status one RegionTimeout, not its calls' attempts one after another:
// the other region is read and shown, the silent one is named with the
// bound, and the exit status says there is a problem.
func TestStatusBoundsARegionThatNeverAnswers(t *testing.T) {
	e := setup(t, true)
	e.srv.Dark(primary, fakeaws.Hang)
	e.opt.RegionTimeout = 300 * time.Millisecond
	code, err := e.runbook(t).Status(context.Background(), false)
	if err != nil || code != ExitUnhealthy {
		t.Fatalf("status with %s silent: code %d, %v\n%s", primary, code, err, e.out)
	}
	out := e.out.String()
	for _, want := range []string{"no answer from " + primary + " within 300ms", "\n" + failover + " "} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
}
