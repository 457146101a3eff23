package runbook

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// phase is where AWS is for one step.
type phase int

const (
	todo    phase = iota // not started
	running              // started (by this run or an earlier one), not finished
	done                 // finished
)

// step is one operation of a plan, a node of its step graph (graph.go).
// Every run re-reads state with check first, so a step already done is
// skipped and one in progress is waited for, never started twice. check
// decides from the target's own state (its role, the operation AWS
// reports toward it), never from a global status alone: a status changed
// for another reason must not stall a run.
type step struct {
	// id names the step in the graph, the output and the RTO budget
	// (graph.go lists them); after lists the ids it waits for.
	id     string
	after  []string
	title  string
	api    string // service:Action that changes state ("" for a manual step)
	region string
	check  func(ctx context.Context) (phase, error)
	do     func(ctx context.Context) error
	// manual is printed instead of calling anything.
	manual string
	// servesWrites marks a manual step without which the target serves no
	// writes (compute with no way for tasks to start): a run that leaves
	// it ends with *NotServingError.
	servesWrites bool
}

// waitingFor returns s waiting for the steps ids.
func (s step) waitingFor(ids ...string) step {
	s.after = ids
	return s
}

// notNow is a do error meaning AWS refused the call for a state that
// passes (another change in progress): the step waits and calls again.
type notNow struct{ reason string }

func (e *notNow) Error() string { return e.reason }

// stepTimeoutError is a step that did not finish within --step-timeout.
type stepTimeoutError struct{ limit time.Duration }

func (e *stepTimeoutError) Error() string {
	return fmt.Sprintf("not finished within %s (--step-timeout)", e.limit)
}

// runStep runs one step within Options.StepTimeout, read on the run's
// clock. The wall-clock deadline on its context also bounds a call that
// hangs; with a virtual clock it is only a safety net.
func (rb *Runbook) runStep(parent context.Context, s step) error {
	ctx, cancel := context.WithTimeout(parent, rb.opt.StepTimeout)
	defer cancel()
	err := rb.stepLoop(ctx, s, rb.clock.Now().Add(rb.opt.StepTimeout))
	if err != nil && parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &stepTimeoutError{limit: rb.opt.StepTimeout}
	}
	return err
}

// waitingEvery is how often a step that keeps waiting says so: its first
// wait, then once per this much time, so overlapping steps stay readable.
const waitingEvery = time.Minute

func (rb *Runbook) stepLoop(ctx context.Context, s step, deadline time.Time) error {
	t0 := rb.clock.Now()
	called := false
	var said time.Duration = -1 // the elapsed time of the last "waiting" line
	for first := true; ; first = false {
		p, err := s.check(ctx)
		if err != nil {
			return err
		}
		switch {
		case p == done:
			if first {
				rb.note(ctx, "already done: nothing to call")
			}
			return nil
		case p == running && first:
			rb.note(ctx, "already in progress: waiting")
		case p == todo && !called:
			// Not done and nothing in progress toward it: call, whatever
			// else AWS reports. After the call, todo is waited out like
			// running (AWS may show the operation a moment later).
			var nn *notNow
			switch err := s.do(ctx); {
			case errors.As(err, &nn):
				rb.note(ctx, "%s: waiting, then calling again", nn.reason)
			case err != nil:
				return err
			default:
				called = true
			}
		}
		now := rb.clock.Now()
		if !now.Before(deadline) {
			return &stepTimeoutError{limit: rb.opt.StepTimeout}
		}
		if e := now.Sub(t0); said < 0 || e-said >= waitingEvery {
			rb.note(ctx, "waiting (%s elapsed)", e.Round(time.Second))
			said = e
		}
		if err := rb.clock.Sleep(ctx, min(rb.opt.Poll, deadline.Sub(now))); err != nil {
			return err
		}
	}
}

// auroraStep promotes to's cluster: a switchover, or a failover allowing
// data loss, called in region (see do). It reads the global cluster
// through to and decides from to's own member (IsWriter) and the
// operation AWS reports (FailoverState), never from the global cluster's
// Status: AWS changes that for unrelated reasons too (modifying,
// upgrading), and what it reads while an old primary's region is dark is
// not documented, so it is printed as information only. A switchover AWS
// cancels (FailoverState cancelling) stops the run with the cause; the
// rerun waits for the cancellation to end and calls again.
func (rb *Runbook) auroraStep(to, region string, dataLoss bool) step {
	api := "rds:SwitchoverGlobalCluster"
	title := "Aurora: switch the writer to " + to + " (no data loss)"
	op := "switchover"
	if dataLoss {
		api = "rds:FailoverGlobalCluster"
		title = "Aurora: fail the writer over to " + to + " (allow data loss)"
		op = "failover"
	}
	gid := rb.names.GlobalDatabase()
	var target, writer, status string // ARNs of to's cluster and of the cluster that writes; the global Status
	started, seen := false, false     // this run called; and then saw the operation toward to
	gone := 0                         // reads since, with no operation and to not writing
	return step{id: "aurora", title: title, api: api, region: region,
		check: func(ctx context.Context) (phase, error) {
			gc, err := rb.in(to).rds.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(gid)})
			if err != nil {
				return todo, fmt.Errorf("rds:DescribeGlobalClusters in %s: %s", to, oneLine(err))
			}
			if len(gc.GlobalClusters) != 1 {
				return todo, fmt.Errorf("global cluster %s not found in %s", gid, to)
			}
			g := gc.GlobalClusters[0]
			target, writer = "", ""
			toWrites := false
			for _, m := range g.GlobalClusterMembers {
				if aws.ToBool(m.IsWriter) {
					writer = aws.ToString(m.DBClusterArn)
				}
				if arnRegion(aws.ToString(m.DBClusterArn)) == to {
					target, toWrites = aws.ToString(m.DBClusterArn), aws.ToBool(m.IsWriter)
				}
			}
			if target == "" {
				return todo, fmt.Errorf("no cluster in %s is a member of global cluster %s (deploy the %s stack)", to, gid, rb.names.RegionalStack(to))
			}
			// FailoverState (RDS API Reference, "FailoverState"): empty
			// unless an operation is scheduled or in progress; Status
			// pending, switching-over, failing-over or cancelling.
			opTo, opStatus := "", ""
			if fs := g.FailoverState; fs != nil && aws.ToString(fs.ToDbClusterArn) != "" {
				opTo, opStatus = arnRegion(aws.ToString(fs.ToDbClusterArn)), string(fs.Status)
			}
			status = aws.ToString(g.Status)
			if toWrites {
				if opTo != "" && opTo != to {
					return todo, fmt.Errorf("%s writes, but global cluster %s reports an operation moving the writer to %s (FailoverState %s): another run or person is switching it; check `pilotlight status`", to, gid, opTo, opStatus)
				}
				if status != "available" {
					rb.note(ctx, "%s writes; global cluster %s reads %s (information only)", to, gid, status)
				}
				return done, nil
			}
			switch {
			case opTo == to && opStatus == "cancelling" && started:
				return todo, fmt.Errorf("AWS cancelled the %s of global cluster %s to %s (FailoverState cancelling: the clusters return to their previous roles; %s still writes). Nothing else changed in this step; the RDS events of %s say why. Run the same command again to retry", op, gid, to, arnRegion(writer), gid)
			case opTo == to:
				seen = seen || started
				return running, nil // an earlier run's operation, or a cancellation ending, is waited out
			case opTo != "":
				return todo, fmt.Errorf("global cluster %s is busy moving the writer to %s (FailoverState %s); wait until `pilotlight status` shows it finished, then rerun", gid, opTo, opStatus)
			case started && seen && gone < 2:
				// The order in which AWS clears FailoverState and flips
				// IsWriter is not documented: look again before concluding.
				gone++
				return running, nil
			case started && seen:
				return todo, fmt.Errorf("the %s of global cluster %s to %s ended without %s writing (AWS reports no operation; %s writes): it was cancelled. Run the same command again to retry", op, gid, to, to, arnRegion(writer))
			}
			return todo, nil // not the writer, nothing toward it: call, whatever Status reads
		},
		do: func(ctx context.Context) error {
			var err error
			var in string
			if dataLoss {
				// The target's region: the Aurora User Guide ("Using
				// switchover or failover in an Amazon Aurora global
				// database", "Performing managed failovers", AWS CLI) sends
				// failover-global-cluster to "the AWS Region where the
				// secondary DB cluster that you want to be the new primary
				// ... is running"; the only region an unplanned failover
				// may call.
				in = to
				_, err = rb.in(in).rds.FailoverGlobalCluster(ctx, &rds.FailoverGlobalClusterInput{
					GlobalClusterIdentifier: aws.String(gid), TargetDbClusterIdentifier: aws.String(target), AllowDataLoss: aws.Bool(true)})
			} else {
				// The writer's region. The same page ("Performing
				// switchovers", AWS CLI) sends switchover-global-cluster to
				// "the AWS Region where the primary DB cluster of the
				// Aurora global database is running"; the RDS API
				// Reference (SwitchoverGlobalCluster) names no region and
				// asks for the target as an ARN "so that Aurora can locate
				// the cluster in its AWS Region", which fits a call served
				// outside the target's region. A planned switch has every
				// region up, so the call goes where the guide documents.
				in = arnRegion(writer)
				if in == "" {
					return fmt.Errorf("global cluster %s lists no writer: check `pilotlight status`", gid)
				}
				_, err = rb.in(in).rds.SwitchoverGlobalCluster(ctx, &rds.SwitchoverGlobalClusterInput{
					GlobalClusterIdentifier: aws.String(gid), TargetDbClusterIdentifier: aws.String(target)})
			}
			if err != nil && apiCode(err) == "InvalidGlobalClusterStateFault" && status != "available" && status != "" {
				// A change unrelated to the switch (modifying, upgrading)
				// that AWS would not overlap with it: wait it out.
				return &notNow{reason: fmt.Sprintf("AWS refused the %s while global cluster %s is %s", op, gid, status)}
			}
			if err != nil {
				return fmt.Errorf("%s in %s: %s", api, in, oneLine(err))
			}
			started, seen, gone = true, false, 0
			return nil
		},
	}
}

// cacheStep makes to's replication group the Global Datastore's primary,
// calling only to's endpoint. FailoverGlobalReplicationGroup keeps the
// datastore whole (the old primary rejoins as a secondary, and Terraform
// only sees primary_replication_group_id move, which it ignores). The step
// decides from to's member Role; the datastore's status (modifying,
// primary-only, ...) is information only: the ElastiCache User Guide
// ("Promoting the secondary cluster to primary") allows the promotion
// while other modifications are in progress. If AWS refuses it anyway
// while the datastore is modifying, the step waits and calls again. If AWS
// refuses it otherwise in an unplanned failover, the error names the
// fallback, DisassociateGlobalReplicationGroup, and what it leaves
// Terraform to rebuild; the command does not take that step on its own.
func (rb *Runbook) cacheStep(to string, unplanned bool) step {
	var globalID, status string
	return step{id: "cache", title: "ElastiCache: make " + rb.names.CacheGroup(to) + " the Global Datastore's primary", api: "elasticache:FailoverGlobalReplicationGroup", region: to,
		check: func(ctx context.Context) (phase, error) {
			c := rb.in(to)
			rg, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(rb.names.CacheGroup(to))})
			if err != nil {
				return todo, fmt.Errorf("elasticache:DescribeReplicationGroups in %s: %s", to, oneLine(err))
			}
			if len(rg.ReplicationGroups) != 1 || rg.ReplicationGroups[0].GlobalReplicationGroupInfo == nil {
				return todo, fmt.Errorf("%s in %s is not in a Global Datastore", rb.names.CacheGroup(to), to)
			}
			globalID = aws.ToString(rg.ReplicationGroups[0].GlobalReplicationGroupInfo.GlobalReplicationGroupId)
			gg, err := c.ec.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{GlobalReplicationGroupId: aws.String(globalID), ShowMemberInfo: aws.Bool(true)})
			if err != nil {
				return todo, fmt.Errorf("elasticache:DescribeGlobalReplicationGroups in %s: %s", to, oneLine(err))
			}
			if len(gg.GlobalReplicationGroups) != 1 {
				return todo, fmt.Errorf("Global Datastore %s not found from %s", globalID, to)
			}
			g := gg.GlobalReplicationGroups[0]
			status = aws.ToString(g.Status)
			for _, m := range g.Members {
				if aws.ToString(m.ReplicationGroupRegion) != to {
					continue
				}
				// Role: "primary or secondary" (ElastiCache API Reference,
				// "GlobalReplicationGroupMember"); AWS answers it upper-case.
				if strings.EqualFold(aws.ToString(m.Role), "primary") {
					if status != "available" {
						rb.note(ctx, "%s is the primary; Global Datastore %s reads %s (information only)", rb.names.CacheGroup(to), globalID, status)
					}
					return done, nil
				}
				return todo, nil
			}
			return todo, fmt.Errorf("%s (%s) is not a member of Global Datastore %s (deploy the %s stack)", rb.names.CacheGroup(to), to, globalID, rb.names.RegionalStack(to))
		},
		do: func(ctx context.Context) error {
			_, err := rb.in(to).ec.FailoverGlobalReplicationGroup(ctx, &elasticache.FailoverGlobalReplicationGroupInput{
				GlobalReplicationGroupId: aws.String(globalID), PrimaryRegion: aws.String(to), PrimaryReplicationGroupId: aws.String(rb.names.CacheGroup(to))})
			refused := err != nil && apiCode(err) == "InvalidGlobalReplicationGroupState"
			switch {
			case refused && (status == "modifying" || status == "creating"):
				// "not available or in primary-only state" (API Reference):
				// a change in progress, perhaps an earlier run's promotion.
				return &notNow{reason: fmt.Sprintf("AWS refused the promotion while Global Datastore %s is %s", globalID, status)}
			case refused && unplanned:
				return fmt.Errorf("elasticache:FailoverGlobalReplicationGroup in %s: %s\n  fallback (loses the datastore's link; Terraform must then re-create the global datastore and re-join the old region's group, see docs/replication.md): aws elasticache disassociate-global-replication-group --region %s --global-replication-group-id %s --replication-group-id %s --replication-group-region %s",
					to, oneLine(err), to, globalID, rb.names.CacheGroup(to), to)
			case err != nil:
				return fmt.Errorf("elasticache:FailoverGlobalReplicationGroup in %s: %s", to, oneLine(err))
			}
			return nil
		},
	}
}

// scaleStep sets region's service to n tasks and waits until n run (and,
// for n > 0, n targets are healthy).
func (rb *Runbook) scaleStep(region string, n int) step {
	title := fmt.Sprintf("ECS: scale %s in %s to %d tasks and wait for %d healthy targets", rb.names.Service(), region, n, n)
	if n == 0 {
		title = fmt.Sprintf("ECS: scale %s in %s to 0 tasks", rb.names.Service(), region)
	}
	baseFailed := -1 // the deployment's failedTasks when this run first looked
	return step{id: scaleID(region, n), title: title, api: "ecs:UpdateService", region: region,
		check: func(ctx context.Context) (phase, error) {
			svc, err := rb.in(region).ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(rb.names.Cluster()), Services: []string{rb.names.Service()}})
			if err != nil {
				return todo, fmt.Errorf("ecs:DescribeServices in %s: %s", region, oneLine(err))
			}
			if len(svc.Services) != 1 {
				return todo, fmt.Errorf("ecs service %s/%s not found in %s (deploy the %s stack)", rb.names.Cluster(), rb.names.Service(), region, rb.names.RegionalStack(region))
			}
			s := svc.Services[0]
			if st := aws.ToString(s.Status); st != "" && st != "ACTIVE" {
				// ECS API Reference, "DeleteService": a deleted service goes
				// DRAINING while its tasks stop, then INACTIVE; neither runs
				// tasks again (UpdateService: ServiceNotActiveException).
				return todo, fmt.Errorf("ecs service %s/%s in %s is %s: it was deleted and runs no tasks; deploy the %s stack to re-create it, then rerun", rb.names.Cluster(), rb.names.Service(), region, st, rb.names.RegionalStack(region))
			}
			if baseFailed < 0 {
				baseFailed = failedTasks(s) // a rerun after a fix counts afresh
			}
			if int(s.DesiredCount) != n {
				return todo, nil
			}
			if int(s.RunningCount) != n {
				if int(s.RunningCount) < n {
					if failed := failedTasks(s); failed-baseFailed >= failedStartsLimit {
						return todo, rb.tasksCannotStart(ctx, region, failed-baseFailed)
					}
				}
				return running, nil
			}
			if n > 0 {
				healthy, err := rb.healthyTargets(ctx, region)
				if err != nil {
					return todo, err
				}
				if healthy < n {
					return running, nil
				}
			}
			return done, nil
		},
		do: func(ctx context.Context) error {
			_, err := rb.in(region).ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(rb.names.Cluster()), Service: aws.String(rb.names.Service()), DesiredCount: aws.Int32(int32(n))})
			if err != nil {
				return fmt.Errorf("ecs:UpdateService in %s: %s", region, oneLine(err))
			}
			return nil
		},
	}
}

// scaleID is the id of the step that scales region's service to n: compute
// for the scale-up of the target, scale-down-REGION for a scale-down.
func scaleID(region string, n int) string {
	if n == 0 {
		return "scale-down-" + region
	}
	return "compute"
}

// failedStartsLimit is how many tasks in a row may stop before they run
// before a scale step gives up: ECS keeps retrying (with a growing delay)
// for ever, so without a limit only the step timeout would stop it. Three
// tells a lasting cause (an image that cannot be pulled) from a passing one.
const failedStartsLimit = 3

// failedTasks is the service's primary deployment's failedTasks (ECS API
// Reference, "Deployment" data type: tasks in a row the scheduler could
// not launch or that did not reach RUNNING; reset once one runs).
func failedTasks(svc ecstypes.Service) int {
	for _, d := range svc.Deployments {
		if aws.ToString(d.Status) == "PRIMARY" {
			return int(d.FailedTasks)
		}
	}
	return 0
}

// tasksCannotStart is the error of a scale step whose service counted
// failedStartsLimit more failed tasks during this run: it names the
// latest such task's stoppedReason (ListTasks, DescribeTasks: "Task" data
// type, stopCode TaskFailedToStart) and the likely fix.
func (rb *Runbook) tasksCannotStart(ctx context.Context, region string, failed int) error {
	c := rb.in(region).ecs
	reason := "ECS no longer lists the stopped tasks (it keeps them about an hour); see the service's events"
	list, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(rb.names.Cluster()), ServiceName: aws.String(rb.names.Service()), DesiredStatus: ecstypes.DesiredStatusStopped})
	if err != nil {
		return fmt.Errorf("ecs:ListTasks in %s (after %d tasks failed to start): %s", region, failed, oneLine(err))
	}
	if arns := list.TaskArns; len(arns) > 0 {
		if len(arns) > 100 {
			arns = arns[:100] // DescribeTasks takes up to 100
		}
		tasks, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(rb.names.Cluster()), Tasks: arns})
		if err != nil {
			return fmt.Errorf("ecs:DescribeTasks in %s (after %d tasks failed to start): %s", region, failed, oneLine(err))
		}
		var latest *ecstypes.Task
		for i, t := range tasks.Tasks {
			if t.StopCode == ecstypes.TaskStopCodeTaskFailedToStart && (latest == nil || aws.ToTime(t.StoppedAt).After(aws.ToTime(latest.StoppedAt))) {
				latest = &tasks.Tasks[i]
			}
		}
		if latest != nil {
			reason = fmt.Sprintf("the latest stopped with %q", aws.ToString(latest.StoppedReason))
		}
	}
	fix := "fix the cause, then rerun"
	switch {
	case strings.Contains(reason, "CannotPullContainerError"):
		fix = fmt.Sprintf("the tasks cannot pull %s: check that the image and tag exist and that %s reaches the registry (an available NAT gateway, or the VPC endpoints with the image in %s's private ECR), then rerun", rb.cfg.ImageIn(region), region, region)
	case strings.Contains(reason, "ResourceInitializationError"):
		fix = fmt.Sprintf("the tasks cannot reach Secrets Manager or CloudWatch Logs from %s (NAT gateway or VPC endpoints), then rerun", region)
	}
	return fmt.Errorf("ecs: %d tasks of %s in %s stopped before running (the deployment's failedTasks): %s. %s", failed, rb.names.Service(), region, reason, fix)
}

// confirm asks the operator to type the target region, unless --yes.
func (rb *Runbook) confirm(action, to string) error {
	if rb.opt.Yes || rb.opt.DryRun {
		return nil
	}
	rb.printf("This will %s. Type the target region (%s) to go on: ", action, to)
	line, _ := bufio.NewReader(rb.opt.In).ReadString('\n')
	if strings.TrimSpace(line) != to {
		return inputErr("not confirmed: nothing changed (type %s, or pass --yes)", to)
	}
	return nil
}

// lock takes the lock file against a concurrent run for this app; the
// returned func releases it. A lock left by a process that no longer runs
// is taken over.
func (rb *Runbook) lock(command string) (func(), error) {
	path := filepath.Join(rb.opt.LockDir, "pilotlight-"+rb.names.Prefix()+".lock")
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintf(f, "%d %s %s\n", os.Getpid(), command, rb.clock.Now().UTC().Format(time.RFC3339))
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, inputErr("lock %s: %v", path, err)
		}
		b, _ := os.ReadFile(path)
		fields := strings.Fields(string(b))
		if len(fields) > 0 {
			if pid, perr := strconv.Atoi(fields[0]); perr == nil && pid != os.Getpid() && !alive(pid) {
				os.Remove(path) // stale: its process is gone
				continue
			}
		}
		return nil, inputErr("another run holds %s (%s); wait for it, or delete the file if no run is active", path, strings.TrimSpace(string(b)))
	}
	return nil, inputErr("lock %s: could not take it", path)
}

func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}
