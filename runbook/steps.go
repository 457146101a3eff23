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

// step is one operation of a plan. Every run re-reads state with check
// first, so a step already done is skipped and one in progress is waited
// for, never started twice.
type step struct {
	title  string
	api    string // service:Action that changes state ("" for a manual step)
	region string
	check  func(ctx context.Context) (phase, error)
	do     func(ctx context.Context) error
	// manual is printed instead of calling anything.
	manual string
}

// run executes steps in order, with per-step timeout and progress, and
// ends with each step's measured time.
func (rb *Runbook) run(ctx context.Context, steps []step) error {
	start := rb.opt.Now()
	var took []string
	for i, s := range steps {
		where := "manual"
		if s.api != "" {
			where = s.api + " in " + s.region
		}
		rb.printf("[%d/%d] %s (%s)\n", i+1, len(steps), s.title, where)
		if rb.opt.DryRun {
			if s.manual != "" {
				rb.printf("      %s\n", s.manual)
			}
			continue
		}
		if s.manual != "" {
			rb.printf("      %s\n", s.manual)
			continue
		}
		t0 := rb.opt.Now()
		if err := rb.runStep(ctx, s); err != nil {
			return fmt.Errorf("step %d/%d %s: %w\n  AWS may be part-way; run the same command again to resume from where AWS is", i+1, len(steps), s.title, err)
		}
		d := rb.opt.Now().Sub(t0).Round(time.Second)
		rb.printf("      done in %s (total %s)\n", d, rb.opt.Now().Sub(start).Round(time.Second))
		took = append(took, fmt.Sprintf("  %-8s %s", d, s.title))
		if rb.opt.AfterStep != nil {
			if err := rb.opt.AfterStep(s.title); err != nil {
				return fmt.Errorf("stopped after step %d/%d %s: %w", i+1, len(steps), s.title, err)
			}
		}
	}
	if len(took) > 0 {
		rb.printf("Measured, step by step (total %s):\n%s\n", rb.opt.Now().Sub(start).Round(time.Second), strings.Join(took, "\n"))
	}
	return nil
}

func (rb *Runbook) runStep(parent context.Context, s step) error {
	ctx, cancel := context.WithTimeout(parent, rb.opt.StepTimeout)
	defer cancel()
	err := rb.stepLoop(ctx, s)
	if err != nil && parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("not finished within %s (--step-timeout)", rb.opt.StepTimeout)
	}
	return err
}

func (rb *Runbook) stepLoop(ctx context.Context, s step) error {
	t0 := rb.opt.Now()
	p, err := s.check(ctx)
	if err != nil {
		return err
	}
	switch p {
	case done:
		rb.printf("      already done: skipped\n")
		return nil
	case running:
		rb.printf("      already in progress: waiting\n")
	case todo:
		if err := s.do(ctx); err != nil {
			return err
		}
	}
	for {
		p, err := s.check(ctx)
		if err != nil {
			return err
		}
		if p == done {
			return nil
		}
		rb.printf("      waiting (%s elapsed)\n", rb.opt.Now().Sub(t0).Round(time.Second))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(rb.opt.Poll):
		}
	}
}

// auroraStep promotes to's cluster: a switchover, or a failover allowing
// data loss; it reads the global cluster through to.
func (rb *Runbook) auroraStep(to string, dataLoss bool) step {
	api := "rds:SwitchoverGlobalCluster"
	title := "Aurora: switch the writer to " + to + " (no data loss)"
	if dataLoss {
		api = "rds:FailoverGlobalCluster"
		title = "Aurora: fail the writer over to " + to + " (allow data loss)"
	}
	var target string // the target cluster's ARN, as the global cluster lists it
	return step{title: title, api: api, region: to,
		check: func(ctx context.Context) (phase, error) {
			gc, err := rb.in(to).rds.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(rb.names.GlobalDatabase())})
			if err != nil {
				return todo, fmt.Errorf("rds:DescribeGlobalClusters in %s: %s", to, oneLine(err))
			}
			if len(gc.GlobalClusters) != 1 {
				return todo, fmt.Errorf("global cluster %s not found in %s", rb.names.GlobalDatabase(), to)
			}
			g := gc.GlobalClusters[0]
			if g.FailoverState != nil && aws.ToString(g.FailoverState.ToDbClusterArn) != "" {
				return running, nil
			}
			target = ""
			for _, m := range g.GlobalClusterMembers {
				if arnRegion(aws.ToString(m.DBClusterArn)) != to {
					continue
				}
				target = aws.ToString(m.DBClusterArn)
				if aws.ToBool(m.IsWriter) && aws.ToString(g.Status) == "available" {
					return done, nil
				}
			}
			if target == "" {
				return todo, fmt.Errorf("no cluster in %s is a member of global cluster %s (deploy the %s stack)", to, rb.names.GlobalDatabase(), rb.names.RegionalStack(to))
			}
			if aws.ToString(g.Status) != "available" {
				return running, nil
			}
			return todo, nil
		},
		do: func(ctx context.Context) error {
			var err error
			if dataLoss {
				_, err = rb.in(to).rds.FailoverGlobalCluster(ctx, &rds.FailoverGlobalClusterInput{
					GlobalClusterIdentifier: aws.String(rb.names.GlobalDatabase()), TargetDbClusterIdentifier: aws.String(target), AllowDataLoss: aws.Bool(true)})
			} else {
				_, err = rb.in(to).rds.SwitchoverGlobalCluster(ctx, &rds.SwitchoverGlobalClusterInput{
					GlobalClusterIdentifier: aws.String(rb.names.GlobalDatabase()), TargetDbClusterIdentifier: aws.String(target)})
			}
			if err != nil {
				return fmt.Errorf("%s in %s: %s", api, to, oneLine(err))
			}
			return nil
		},
	}
}

// cacheStep makes to's replication group the Global Datastore's primary,
// calling only to's endpoint. FailoverGlobalReplicationGroup keeps the
// datastore whole (the old primary rejoins as a secondary, and Terraform
// only sees primary_replication_group_id move, which it ignores). If AWS
// refuses it in an unplanned failover, the error names the fallback,
// DisassociateGlobalReplicationGroup, and what it leaves Terraform to
// rebuild; the command does not take that step on its own.
func (rb *Runbook) cacheStep(to string, unplanned bool) step {
	var globalID string
	return step{title: "ElastiCache: make " + rb.names.CacheGroup(to) + " the Global Datastore's primary", api: "elasticache:FailoverGlobalReplicationGroup", region: to,
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
			if aws.ToString(g.Status) != "available" {
				return running, nil
			}
			for _, m := range g.Members {
				if aws.ToString(m.ReplicationGroupRegion) == to && strings.EqualFold(aws.ToString(m.Role), "primary") {
					return done, nil
				}
			}
			return todo, nil
		},
		do: func(ctx context.Context) error {
			_, err := rb.in(to).ec.FailoverGlobalReplicationGroup(ctx, &elasticache.FailoverGlobalReplicationGroupInput{
				GlobalReplicationGroupId: aws.String(globalID), PrimaryRegion: aws.String(to), PrimaryReplicationGroupId: aws.String(rb.names.CacheGroup(to))})
			if err != nil && unplanned && apiCode(err) == "InvalidGlobalReplicationGroupState" {
				return fmt.Errorf("elasticache:FailoverGlobalReplicationGroup in %s: %s\n  fallback (loses the datastore's link; Terraform must then re-create the global datastore and re-join the old region's group, see README \"Runbook\"): aws elasticache disassociate-global-replication-group --region %s --global-replication-group-id %s --replication-group-id %s --replication-group-region %s",
					to, oneLine(err), to, globalID, rb.names.CacheGroup(to), to)
			}
			if err != nil {
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
	return step{title: title, api: "ecs:UpdateService", region: region,
		check: func(ctx context.Context) (phase, error) {
			svc, err := rb.in(region).ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(rb.names.Cluster()), Services: []string{rb.names.Service()}})
			if err != nil {
				return todo, fmt.Errorf("ecs:DescribeServices in %s: %s", region, oneLine(err))
			}
			if len(svc.Services) != 1 {
				return todo, fmt.Errorf("ecs service %s/%s not found in %s (deploy the %s stack)", rb.names.Cluster(), rb.names.Service(), region, rb.names.RegionalStack(region))
			}
			s := svc.Services[0]
			if int(s.DesiredCount) != n {
				return todo, nil
			}
			if int(s.RunningCount) != n {
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
			fmt.Fprintf(f, "%d %s %s\n", os.Getpid(), command, rb.opt.Now().UTC().Format(time.RFC3339))
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
