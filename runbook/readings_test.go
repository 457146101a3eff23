package runbook

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

// The adversarial readings of what AWS leaves undocumented (the fake's
// Deployment options): every switchover and failover finishes under each,
// calling each promotion once.

// A global status changed for a reason unrelated to the switch (Aurora
// modifying or upgrading, the datastore modifying or primary-only) never
// stalls a run: the steps decide from the target's own role.
func TestUnrelatedGlobalStatusNeverStalls(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(d *fakeaws.Deployment)
	}{
		{"aurora modifying", func(d *fakeaws.Deployment) { d.GlobalClusterStatus = "modifying" }},
		{"aurora upgrading", func(d *fakeaws.Deployment) { d.GlobalClusterStatus = "upgrading" }},
		{"datastore modifying", func(d *fakeaws.Deployment) { d.CacheGlobalStatus = "modifying" }},
		{"datastore primary-only", func(d *fakeaws.Deployment) { d.CacheGlobalStatus = "primary-only" }},
	} {
		t.Run(tc.name+"/switchover", func(t *testing.T) {
			e := setup(t, true)
			e.d.Set(tc.set)
			if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
				t.Fatalf("switchover: %v\n%s", err, e.out)
			}
			promotedOnce(t, e, "us-east-1 rds SwitchoverGlobalCluster")
			if !strings.Contains(e.out.String(), "(information only)") {
				t.Errorf("the unrelated status is not reported as information:\n%s", e.out)
			}
		})
		t.Run(tc.name+"/failover", func(t *testing.T) {
			e := setup(t, true)
			e.d.Set(tc.set)
			e.srv.Dark(primary, fakeaws.Drop)
			if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
				t.Fatalf("failover: %v\n%s", err, e.out)
			}
			promotedOnce(t, e, "us-west-2 rds FailoverGlobalCluster")
			if st := e.d.State(); st.Running[failover] != 2 {
				t.Errorf("service not started: %+v", st)
			}
		})
	}
}

// Under the API references' reading of their state faults, AWS refuses a
// switch while an unrelated change runs: the run waits for it to end and
// calls again, rather than failing or stalling.
func TestSwitchRefusedDuringUnrelatedChange(t *testing.T) {
	set := func(d *fakeaws.Deployment) {
		d.GlobalClusterStatus, d.CacheGlobalStatus = "modifying", "modifying"
		d.UnrelatedStatusRefuses, d.UnrelatedStatusDescribes = true, 4
	}
	t.Run("switchover", func(t *testing.T) {
		e := setup(t, true)
		e.d.Set(set)
		if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
			t.Fatalf("switchover: %v\n%s", err, e.out)
		}
		promotedOnce(t, e, "us-east-1 rds SwitchoverGlobalCluster")
		if !strings.Contains(e.out.String(), "AWS refused the switchover while global cluster pilotlight-dev is modifying: waiting, then calling again") {
			t.Errorf("output:\n%s", e.out)
		}
	})
	t.Run("failover", func(t *testing.T) {
		e := setup(t, true)
		e.d.Set(set)
		e.srv.Dark(primary, fakeaws.Drop)
		if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
			t.Fatalf("failover: %v\n%s", err, e.out)
		}
		promotedOnce(t, e, "us-west-2 rds FailoverGlobalCluster")
		if !strings.Contains(e.out.String(), "AWS refused the promotion while Global Datastore fake-pilotlight-dev is modifying") {
			t.Errorf("output:\n%s", e.out)
		}
	})
}

// What the global cluster and the datastore report while the old
// primary's region is still dark is not documented: under a status that
// stays transitional (Aurora failing-over with its FailoverState, or
// modifying; the datastore modifying), the failover moves on to the
// service once the target writes, and a rerun has nothing to do.
func TestFailoverWhileOldPrimaryDark(t *testing.T) {
	for _, reading := range []string{"failing-over", "modifying"} {
		t.Run(reading, func(t *testing.T) {
			e := setup(t, true)
			e.d.Set(func(d *fakeaws.Deployment) {
				d.AuroraStatusWhileOldPrimaryDark = reading
				d.CacheStatusWhileOldPrimaryDark = "modifying"
			})
			e.srv.Dark(primary, fakeaws.Drop)
			if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
				t.Fatalf("failover: %v\n%s", err, e.out)
			}
			promotedOnce(t, e, "us-west-2 rds FailoverGlobalCluster")
			if st := e.d.State(); st.Running[failover] != 2 {
				t.Errorf("service not started: %+v", st)
			}
			for _, s := range []string{"us-west-2 writes; global cluster pilotlight-dev reads " + reading + " (information only)", "reads modifying (information only)"} {
				if !strings.Contains(e.out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, e.out)
				}
			}
			n := len(e.srv.Calls())
			e.out.Reset()
			if err := e.runbook(t).Failover(context.Background(), failover); err != nil || !strings.Contains(e.out.String(), "nothing to do") {
				t.Errorf("rerun: %v\n%s", err, e.out)
			}
			if m := mutations(e.srv.Calls()[n:]); len(m) != 0 {
				t.Errorf("rerun changed %v", m)
			}
			// status still names the config change a deploy needs first
			// (the pipeline's gate), whatever the global status reads.
			e.out.Reset()
			if code, err := e.runbook(t).Status(context.Background(), false); err != nil || code != ExitActiveRegion || !strings.Contains(e.out.String(), "config: activeRegion is us-east-1 but Aurora writes in us-west-2") {
				t.Errorf("status: exit %d, %v\n%s", code, err, e.out)
			}
			// With activeRegion set to the new writer, the gate lets the
			// deploy of us-west-2's stacks through though the finished
			// failover's state lingers: that deploy is a step of the
			// failover's own next steps.
			e.opt.Config.ActiveRegion = failover
			e.out.Reset()
			if code, err := e.runbook(t).Status(context.Background(), false); err != nil || code == ExitActiveRegion || strings.Contains(e.out.String(), "config: ") {
				t.Errorf("status with activeRegion %s: exit %d, %v\n%s", failover, code, err, e.out)
			}
		})
	}
}

// A switchover AWS cancels (FailoverState cancelling) is reported as such,
// not waited out to the step timeout; the rerun switches.
func TestCancelledSwitchoverIsReportedAndRerun(t *testing.T) {
	e := setup(t, true)
	e.d.Set(func(d *fakeaws.Deployment) { d.CancelSwitchover = true })
	err := e.runbook(t).Switchover(context.Background(), failover)
	if err == nil || !strings.Contains(err.Error(), "AWS cancelled the switchover of global cluster pilotlight-dev to us-west-2 (FailoverState cancelling") || !strings.Contains(err.Error(), "run the same command again") {
		t.Fatalf("want the cancellation reported, got %v\n%s", err, e.out)
	}
	if st := e.d.State(); st.Writer != primary {
		t.Fatalf("writer moved on a cancelled switchover: %+v", st)
	}
	e.out.Reset()
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("rerun: %v\n%s", err, e.out)
	}
	if st := e.d.State(); st.Writer != failover || st.CachePrimary != failover {
		t.Errorf("state after the rerun: %+v", st)
	}
	m := e.d.Mutations()
	if m["us-east-1 rds SwitchoverGlobalCluster"] != 2 || m["us-west-2 ecs UpdateService"] != 1 || m["us-west-2 elasticache FailoverGlobalReplicationGroup"] != 1 {
		t.Errorf("mutations: %v", m)
	}
}

// A service that cannot run tasks gives an error naming the cause, not a
// step timeout: tasks stopping before they run (an image that cannot be
// pulled), or a deleted service (DRAINING, INACTIVE), the latter before
// any UpdateService.
func TestTasksThatCannotStart(t *testing.T) {
	const pull = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/app:1.0: not found"
	t.Run("image cannot be pulled", func(t *testing.T) {
		e := setup(t, true)
		e.d.Set(func(d *fakeaws.Deployment) { d.TaskStartFailure[failover] = pull })
		e.srv.Dark(primary, fakeaws.Drop)
		err := e.runbook(t).Failover(context.Background(), failover)
		if err == nil || strings.Contains(err.Error(), "not finished within") {
			t.Fatalf("want the cause before the step timeout, got %v", err)
		}
		for _, s := range []string{"3 tasks of pilotlight-dev-app in us-west-2 stopped before running", pull, "the tasks cannot pull"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error lacks %q:\n%v", s, err)
			}
		}
		// The calls that read the cause are in the failover's policy.
		doc, _ := e.opt.Config.OperatorPolicy(fakeaws.AccountID, "failover")
		var granted []string
		for _, s := range doc.Statements {
			granted = append(granted, s.Actions...)
		}
		for _, want := range []string{"ListTasks", "DescribeTasks"} {
			if !slices.ContainsFunc(e.srv.Calls(), func(c fakeaws.Call) bool { return c.Action == want && c.Region == failover }) {
				t.Errorf("no ecs:%s call", want)
			}
			if !slices.Contains(granted, "ecs:"+want) {
				t.Errorf("the failover policy does not grant ecs:%s", want)
			}
		}
		// The image fixed, the rerun starts the tasks (the failed count
		// from before does not stop it again).
		e.d.Set(func(d *fakeaws.Deployment) { delete(d.TaskStartFailure, failover) })
		if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
			t.Fatalf("rerun after the fix: %v\n%s", err, e.out)
		}
		if st := e.d.State(); st.Running[failover] != 2 {
			t.Errorf("state after the rerun: %+v", st)
		}
	})
	for _, status := range []string{"INACTIVE", "DRAINING"} {
		t.Run("service "+status, func(t *testing.T) {
			e := setup(t, true)
			e.d.Set(func(d *fakeaws.Deployment) { d.ServiceStatus[failover] = status })
			err := e.runbook(t).Switchover(context.Background(), failover)
			if err == nil || !strings.Contains(err.Error(), "ecs service pilotlight-dev/pilotlight-dev-app in us-west-2 is "+status+": it was deleted") || !strings.Contains(err.Error(), "deploy the pilotlight-dev-us-west-2 stack") {
				t.Fatalf("want the deleted service named, got %v", err)
			}
			if slices.ContainsFunc(e.srv.Calls(), func(c fakeaws.Call) bool { return c.Action == "UpdateService" }) {
				t.Errorf("called UpdateService on a deleted service: %s", fakeaws.Summary(e.srv.Calls()))
			}
		})
	}
}

// The estimated data loss is the target's AuroraGlobalDBRPOLag (not
// AuroraGlobalDBReplicationLag), with the data point's time, under every
// dimension set the metrics may be published with.
func TestDataLossReadsRPOLag(t *testing.T) {
	at := time.Now().Add(-2 * time.Minute).Truncate(time.Second)
	for _, tc := range []struct {
		name string
		set  func(d *fakeaws.Deployment)
	}{
		{"cluster alone", func(d *fakeaws.Deployment) {}},
		{"with SourceRegion", func(d *fakeaws.Deployment) { d.AuroraLagDimensions = "SourceRegion" }},
		{"cache lag from the second node", func(d *fakeaws.Deployment) { d.CacheLagNode = "002" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, true)
			e.d.Set(func(d *fakeaws.Deployment) {
				d.AuroraLagMs[failover] = 20
				d.AuroraRPOLagMs[failover] = 1500
				d.CacheLagSec[failover] = 0.75
				d.MetricsAt = at
				tc.set(d)
			})
			e.srv.Dark(primary, fakeaws.Drop)
			if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
				t.Fatalf("failover: %v\n%s", err, e.out)
			}
			measured := "measured " + at.UTC().Format("15:04:05 UTC")
			want := "estimated data loss: Aurora up to 1.5s (AuroraGlobalDBRPOLag, " + measured
			if !strings.Contains(e.out.String(), want) || !strings.Contains(e.out.String(), "ElastiCache up to 750ms (GlobalDatastoreReplicationLag, "+measured) {
				t.Errorf("output lacks %q and the cache's:\n%s", want, e.out)
			}
		})
	}
}

// promotedOnce checks that the run moved both data stores to failover,
// calling each promotion once (aurora names the Aurora call).
func promotedOnce(t *testing.T, e *env, aurora string) {
	t.Helper()
	checkAnswered(t, e.srv)
	if st := e.d.State(); st.Writer != failover || st.CachePrimary != failover {
		t.Errorf("state: %+v", st)
	}
	m := e.d.Mutations()
	if m[aurora] != 1 || m["us-west-2 elasticache FailoverGlobalReplicationGroup"] != 1 {
		t.Errorf("mutations: %v", m)
	}
}

// A cancellation too quick to be seen (FailoverState pending, then empty,
// the writer unchanged) is reported too, after a second look.
func TestCancellationNotSeenIsReported(t *testing.T) {
	e := setup(t, true)
	e.d.Set(func(d *fakeaws.Deployment) { d.CancelSwitchover, d.Polls = true, 2 })
	err := e.runbook(t).Switchover(context.Background(), failover)
	if err == nil || !strings.Contains(err.Error(), "the switchover of global cluster pilotlight-dev to us-west-2 ended without us-west-2 writing") {
		t.Fatalf("want the cancellation reported, got %v\n%s", err, e.out)
	}
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("rerun: %v\n%s", err, e.out)
	}
}
