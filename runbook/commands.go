package runbook

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/spec/identity"
)

// Status reads every region and prints a table (or JSON with asJSON). It
// returns ExitUnhealthy when a replication link is broken, lag is over
// Options.MaxLag, or a region does not answer; an error when no region
// answers.
func (rb *Runbook) Status(ctx context.Context, asJSON bool) (int, error) {
	st, err := rb.ReadStatus(ctx)
	if err != nil {
		return ExitFailed, err
	}
	if asJSON {
		enc := json.NewEncoder(rb.opt.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(st); err != nil {
			return ExitFailed, err
		}
	} else {
		rb.printStatus(st)
	}
	if activeRegionDisagrees(st) {
		return ExitActiveRegion, nil
	}
	if len(st.Problems) > 0 {
		return ExitUnhealthy, nil
	}
	return ExitOK, nil
}

func (rb *Runbook) printStatus(st *Status) {
	rb.printf("activeRegion (config): %s\n", st.ActiveRegion)
	sw := ""
	if st.AuroraSwitchingTo != "" {
		sw = fmt.Sprintf(", switching to %s (FailoverState %s)", st.AuroraSwitchingTo, st.AuroraFailoverState)
	}
	rb.printf("Aurora global cluster %s: %s, writer in %s%s\n", st.GlobalCluster, st.GlobalClusterStatus, st.AuroraWriter, sw)
	rb.printf("ElastiCache Global Datastore %s: %s, primary in %s\n", st.CacheGlobal, st.CacheGlobalStatus, st.CachePrimary)
	rb.printf("Traffic switch: %s\n\n", st.Traffic)
	tw := tabwriter.NewWriter(rb.opt.Out, 0, 0, 2, ' ', 0)
	const columns = "REGION\tAURORA\tSYNC\tINSTANCES\tLAG\tRPO LAG\tCACHE\tMEMBER\tLAG\tNAT\tENDPOINTS\tTASKS\tHEALTHY\tSWITCH"
	fmt.Fprintln(tw, columns)
	for _, rs := range st.Regions {
		if rs.Error != "" {
			// A row with every cell keeps tabwriter's columns aligned
			// across it; the error, often long, is listed under PROBLEMS.
			fmt.Fprintf(tw, "%s\tunreachable%s\n", rs.Region, strings.Repeat("\t-", strings.Count(columns, "\t")-1))
			continue
		}
		endpoints := "-"
		if len(rs.VpcEndpoints) > 0 {
			endpoints = fmt.Sprintf("%d/%d", len(endpointServices())-len(missingEndpoints(rs.VpcEndpoints)), len(endpointServices()))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d/%d\t%d\t%s\n", rs.Region, dash(rs.AuroraRole), dash(rs.AuroraSync), rs.AuroraInstances,
			lag(rs.AuroraLagMs, 1), lag(rs.AuroraRPOLagMs, 1), dash(rs.CacheRole), dash(rs.CacheStatus), lag(rs.CacheLagSec, 1000), rs.NatGateways, endpoints, rs.ServiceRunning, rs.ServiceDesired, rs.HealthyTargets, dash(rs.Switch))
	}
	tw.Flush()
	rb.printf("\n")
	tw = tabwriter.NewWriter(rb.opt.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "S3 BUCKET\tREGION\tRULE\tSTATUS\tTO\tFAILED (10 min)")
	for _, rs := range st.Regions {
		for _, b := range rs.Buckets {
			for _, r := range b.Rules {
				failed := "-"
				if r.FailedOperations != nil {
					failed = fmt.Sprintf("%.0f", *r.FailedOperations)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Bucket, rs.Region, r.ID, r.Status, r.Destination, failed)
			}
			for _, m := range b.Missing {
				fmt.Fprintf(tw, "%s\t%s\t%s\tmissing\t-\t-\n", b.Bucket, rs.Region, m)
			}
		}
	}
	tw.Flush()
	if len(st.Problems) == 0 {
		rb.printf("\nOK: every replication link connected, lag under %s\n", rb.opt.MaxLag)
		return
	}
	rb.printf("\nPROBLEMS:\n")
	for _, p := range st.Problems {
		rb.printf("  %s\n", p)
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// lag formats a lag value given in units of ms milliseconds.
func lag(v *float64, ms float64) string {
	if v == nil {
		return "-"
	}
	return msDur(*v * ms).String()
}

// Switchover is the planned switch to region to, with no data loss:
// preflight, then scale to's service up, Aurora SwitchoverGlobalCluster,
// ElastiCache FailoverGlobalReplicationGroup, the traffic step, scale the
// other regions down, and the config change and deploys that make
// Terraform agree. Errors: *InputError (nothing changed), *RefusedError
// (preflight; nothing changed), or a step's error (rerun to resume).
func (rb *Runbook) Switchover(ctx context.Context, to string) error {
	return rb.planned(ctx, "switchover", to, false)
}

// Failback is Switchover back to the old primary to after an unplanned
// failover, once to is reachable and replication toward it is rebuilt:
// Aurora re-adds the old primary's cluster as a secondary and resyncs it
// (SynchronizationStatus connected), and its ElastiCache group is a
// secondary member again (associated). It refuses, with the fix, until
// both hold.
func (rb *Runbook) Failback(ctx context.Context, to string) error {
	return rb.planned(ctx, "failback", to, true)
}

func (rb *Runbook) planned(ctx context.Context, command, to string, failback bool) error {
	if err := rb.checkTarget(to); err != nil {
		return err
	}
	others := rb.others(to)
	// writer is the region whose Aurora cluster writes, where
	// SwitchoverGlobalCluster is sent (auroraStep); a dry run predicts it
	// from the config.
	//
	// The graph: compute, aurora and cache start together. No call of one
	// is refused for another in progress: the refusals AWS documents are
	// each about the resource's own state (SwitchoverGlobalCluster,
	// InvalidGlobalClusterStateFault: one operation on the global cluster
	// at a time, which auroraStep waits out; FailoverGlobalReplicationGroup,
	// InvalidGlobalReplicationGroupState: "The Global datastore is not
	// available or in primary-only state"; UpdateService,
	// ServiceNotActiveException), none about another service's operation.
	// traffic waits for all three: requests must reach to only once to
	// accepts writes (the demoted Aurora primary is "a secondary
	// (read-only) cluster", RDS API Reference, SwitchoverGlobalCluster; a
	// Global Datastore's "secondary cluster only accepts read requests",
	// ElastiCache User Guide, "Replication across AWS Regions using global
	// datastores", Overview) and its tasks are healthy. Each old region's
	// scale-down waits for traffic: scaling down first would leave
	// requests still routed there with no task to serve them.
	plan := func(writer string) []step {
		steps := []step{rb.auroraStep(to, writer, false), rb.cacheStep(to, false), rb.scaleStep(to, rb.cfg.Service.DesiredCount),
			rb.trafficStep(to, false).waitingFor("aurora", "cache", "compute")}
		for _, r := range others {
			if rb.opt.ScaleDownOld {
				steps = append(steps, rb.scaleStep(r, 0).waitingFor("traffic"))
			} else {
				steps = append(steps, step{id: scaleID(r, 0), after: []string{"traffic"}, title: fmt.Sprintf("ECS: scale %s in %s to 0 tasks", rb.names.Service(), r),
					manual: fmt.Sprintf("Left running until traffic has moved: deploying %s after the edge stack (below) scales it to 0; or rerun with --scale-down-old once traffic no longer reaches %s.", rb.names.RegionalStack(r), r)})
			}
		}
		return steps
	}
	if rb.opt.DryRun {
		writer := rb.cfg.ActiveRegion
		if writer == to {
			writer = others[0] // a failback: the region failed over to writes
		}
		steps := plan(writer)
		rb.printf("%s --to %s (dry run: nothing is called or changed)\n", command, to)
		rb.printf("preflight: read every region (%s in %s)%s\n", strings.Join(rb.readAPIs(), ", "), strings.Join(rb.cfg.Regions(), ", "), rb.imageAPI(to))
		if err := rb.run(ctx, steps); err != nil {
			return err
		}
		rb.nextSteps(to, others, false)
		return nil
	}
	unlock, err := rb.lock(command)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := rb.ReadStatus(ctx)
	if err != nil {
		return err
	}
	byRegion := map[string]RegionStatus{}
	for _, rs := range st.Regions {
		if rs.Error != "" {
			return &RefusedError{Reason: fmt.Sprintf("%s does not answer: %s", rs.Region, rs.Error),
				Fix: fmt.Sprintf("a planned %s needs every region; if %s is down, run: pilotlight failover --to %s", command, rs.Region, to)}
		}
		byRegion[rs.Region] = rs
	}
	if err := rb.preflight(st, byRegion, to, failback); err != nil {
		return err
	}
	if err := rb.checkImage(ctx, to, egress(byRegion[to])); err != nil {
		return err
	}
	if rb.allDone(st, byRegion, to) {
		rb.printf("%s --to %s: nothing to do: %s already writes Aurora, leads the Global Datastore and runs the service\n", command, to, to)
		rb.nextSteps(to, others, false)
		return nil
	}
	if err := rb.confirm(fmt.Sprintf("move the writable data and the service from %s to %s", st.AuroraWriter, to), to); err != nil {
		return err
	}
	rb.printf("%s --to %s\n", command, to)
	if err := rb.run(ctx, plan(st.AuroraWriter)); err != nil {
		return err
	}
	rb.nextSteps(to, others, false)
	rb.printf("%s finished in %s (measured: the critical path above)\n", command, rb.Timeline().Total.Round(time.Second))
	return nil
}

// preflight refuses a planned switch that could lose data or not start.
func (rb *Runbook) preflight(st *Status, byRegion map[string]RegionStatus, to string, failback bool) error {
	t := byRegion[to]
	if st.AuroraWriter != to && st.AuroraSwitchingTo != to {
		if t.AuroraInstances == 0 {
			return rb.headless(to)
		}
		if failback && t.AuroraSync != "connected" {
			return &RefusedError{Reason: fmt.Sprintf("Aurora has not rebuilt replication to %s yet: %s is %s in global cluster %s", to, t.AuroraCluster, dash(t.AuroraSync), st.GlobalCluster),
				Fix: fmt.Sprintf("wait until `pilotlight status` shows %s connected (Aurora re-adds and resyncs the old primary on its own after a failover); if it is not a member at all, deploy %s to re-create it as a secondary", to, rb.names.RegionalStack(to))}
		}
		// The global Status alone refuses nothing: AWS changes it for
		// unrelated reasons too (modifying, upgrading). An operation
		// moving the writer elsewhere (FailoverState) does.
		if st.AuroraSwitchingTo != "" && st.AuroraSwitchingTo != to {
			return &RefusedError{Reason: fmt.Sprintf("Aurora global cluster %s is moving its writer to %s (%s)", st.GlobalCluster, st.AuroraSwitchingTo, st.GlobalClusterStatus), Fix: "wait until `pilotlight status` shows it finished, then rerun"}
		}
		if t.AuroraSync != "connected" {
			return &RefusedError{Reason: fmt.Sprintf("Aurora cluster %s in %s is %s, not connected", t.AuroraCluster, to, dash(t.AuroraSync)), Fix: "wait until `pilotlight status` shows it connected, then rerun"}
		}
		if t.AuroraLagMs == nil || msDur(*t.AuroraLagMs) > rb.opt.MaxLag {
			return &RefusedError{Reason: fmt.Sprintf("Aurora replication lag to %s is %s, over the %s threshold", to, lag(t.AuroraLagMs, 1), rb.opt.MaxLag),
				Fix: "wait for the lag to drain (`pilotlight status`), or raise --max-lag; if the primary region is failing, use `pilotlight failover --to " + to + "`"}
		}
	}
	if st.CachePrimary != to {
		if t.CacheStatus != "associated" {
			fix := "wait until `pilotlight status` shows it associated, then rerun"
			if failback {
				fix = fmt.Sprintf("if %s stays out of the datastore, deploy %s to rejoin it as a secondary, then rerun", rb.names.CacheGroup(to), rb.names.RegionalStack(to))
			}
			return &RefusedError{Reason: fmt.Sprintf("ElastiCache group %s in %s is %s, not an associated secondary", rb.names.CacheGroup(to), to, dash(t.CacheStatus)), Fix: fix}
		}
		if t.CacheLagSec == nil || msDur(*t.CacheLagSec*1000) > rb.opt.MaxLag {
			return &RefusedError{Reason: fmt.Sprintf("ElastiCache replication lag to %s is %s, over the %s threshold", to, lag(t.CacheLagSec, 1000), rb.opt.MaxLag),
				Fix: "wait for the lag to drain (`pilotlight status`), or raise --max-lag"}
		}
	}
	if egress(t) == egressNone && t.ServiceRunning < rb.cfg.Service.DesiredCount {
		return rb.noEgress(to, t)
	}
	return nil
}

func (rb *Runbook) headless(to string) error {
	id := rb.cfg.DatabaseCluster(to)
	return &RefusedError{Reason: fmt.Sprintf("Aurora cluster %s in %s has no instance to promote (a headless secondary: database.secondaryInstances is 0)", id, to),
		Fix: fmt.Sprintf("set database.secondaryInstances: 1 and deploy: %s; or now: aws rds create-db-instance --region %s --db-cluster-identifier %s --db-instance-identifier %s-0 --engine aurora-postgresql --db-instance-class %s, wait until it is available, then rerun",
			rb.deploy(rb.names.RegionalStack(to)), to, id, id, rb.cfg.Database.InstanceClass)}
}

func (rb *Runbook) noEgress(to string, t RegionStatus) error {
	endpoints := "no VPC endpoints"
	if len(t.VpcEndpoints) > 0 {
		endpoints = "VPC endpoints without " + strings.Join(missingEndpoints(t.VpcEndpoints), ", ")
	}
	return &RefusedError{Reason: fmt.Sprintf("%s has no available NAT gateway (%s*) and %s (%s*), so tasks there could not pull the image or read their secrets", to, rb.names.NatGatewayPrefix(), endpoints, rb.names.VpcEndpointPrefix()),
		Fix: fmt.Sprintf("set activeRegion: %s in %s and run %s (creates the NAT gateways and starts the service there), then rerun; or choose network.standbyEgress: nat or endpoints ahead of the next switch", to, rb.configName(), rb.deploy(rb.names.KeysStack(to), rb.names.RegionalStack(to)))}
}

// readAPIs are the calls status and every preflight make in each region
// read, as IAM names them.
func (rb *Runbook) readAPIs() []string {
	apis := []string{"rds:DescribeGlobalClusters", "rds:DescribeDBClusters", "ec2:DescribeNatGateways", "ec2:DescribeVpcEndpoints", "elasticache:DescribeReplicationGroups", "elasticache:DescribeGlobalReplicationGroups", "cloudwatch:GetMetricData", "ecs:DescribeServices", "elasticloadbalancing:DescribeTargetGroups/DescribeTargetHealth"}
	if len(rb.cfg.Buckets) > 0 {
		apis = append(apis, "s3:GetReplicationConfiguration")
	}
	if rb.cfg.DNS.Enabled() {
		apis = append(apis, "s3:HeadObject")
	}
	return apis
}

// imageAPI names the image check a preflight makes in to, if any.
func (rb *Runbook) imageAPI(to string) string {
	if _, from, repo, ok := identity.EcrRepository(rb.cfg.ImageIn(to)); ok && from == to {
		return fmt.Sprintf("; check that %s can pull %s (ecr:DescribeImages %s in %s)", to, rb.cfg.ImageIn(to), repo, to)
	}
	return ""
}

// allDone reports whether a planned switch to to has nothing left to do.
func (rb *Runbook) allDone(st *Status, byRegion map[string]RegionStatus, to string) bool {
	// The targets' own roles decide; the global statuses are information.
	if st.AuroraWriter != to || st.CachePrimary != to || !rb.trafficDone(st, to, false) {
		return false
	}
	for r, rs := range byRegion {
		want := 0
		switch {
		case r == to:
			want = rb.cfg.Service.DesiredCount
		case !rb.opt.ScaleDownOld:
			continue // left to the deploys
		}
		if rs.ServiceDesired != want || rs.ServiceRunning != want {
			return false
		}
	}
	return true
}

func (rb *Runbook) others(to string) []string {
	var out []string
	for _, r := range rb.cfg.Regions() {
		if r != to {
			out = append(out, r)
		}
	}
	return out
}

// Failover is the unplanned switch to region to while the primary region
// is unreachable: every call goes to to's endpoints only. Aurora
// FailoverGlobalCluster with data loss allowed, ElastiCache
// FailoverGlobalReplicationGroup sent to to, then to's service, the traffic
// step, and the deploys of to's stacks only. The last replication lag to
// reported is printed as the estimated data loss.
func (rb *Runbook) Failover(ctx context.Context, to string) error {
	if err := rb.checkTarget(to); err != nil {
		return err
	}
	// Compute: the service can start only where tasks reach the image,
	// Secrets Manager and CloudWatch Logs (NAT, or the VPC endpoints with
	// the image in the region's private ECR). A dry run predicts it from the
	// config; a real run reads the NAT gateways and endpoints.
	//
	// The graph: aurora, cache and compute start together (no call of one
	// is refused for another in progress; see planned), and traffic waits
	// for all three, for the reasons planned gives. When compute is manual
	// (the deploy that creates NAT gateways), traffic still runs once it
	// is reached: the switch it sets sends requests to to only once
	// Route 53's health check of to's endpoint is healthy, that is once
	// the deploy's tasks are ("How Amazon Route 53 chooses records when
	// health checking is configured": a failover record answers while
	// healthy; with both unhealthy Route 53 answers the primary, the dark
	// region, as before the switch; the fake's FailoverAnswer). Set now,
	// it needs no rerun: a rerun after the config change (activeRegion: to)
	// would no longer set it.
	failoverSteps := func(way string) []step {
		steps := []step{rb.auroraStep(to, to, true), rb.cacheStep(to, true)}
		if rb.canPull(to, way) {
			steps = append(steps, rb.scaleStep(to, rb.cfg.Service.DesiredCount))
		} else {
			// checkImage has refused an image the endpoints cannot serve, so
			// here to has neither NAT nor the full set of endpoints.
			steps = append(steps, step{id: "compute", title: "Compute: give " + to + " NAT gateways and start its service", servesWrites: true,
				manual: fmt.Sprintf("%s has no NAT gateway, so its tasks cannot start: %s", to, rb.natDeploy(to))})
		}
		return append(steps, rb.trafficStep(to, true).waitingFor("aurora", "cache", "compute"))
	}
	if rb.opt.DryRun {
		predicted := egressNone
		switch {
		case rb.cfg.ActiveRegion == to || rb.cfg.Network.StandbyEgress == config.EgressNat:
			predicted = egressNat
		case rb.cfg.Network.StandbyEgress == config.EgressEndpoints:
			predicted = egressEndpoints
		}
		steps := failoverSteps(predicted)
		rb.printf("failover --to %s (dry run: nothing is called or changed; every call goes to %s only)\n", to, to)
		if to == rb.cfg.ActiveRegion {
			// Not refused: after a failover the config may still name the
			// old region, and a real run reads where Aurora writes and skips
			// what is done. A dry run reads nothing, so it says so.
			rb.printf("note: %s is already activeRegion in %s: if Aurora writes there, a real run finds every step done and skips it; to move to another region, give that region\n", to, rb.configName())
		}
		rb.printf("preflight: read %s only (%s)%s; record the last AuroraGlobalDBRPOLag and GlobalDatastoreReplicationLag, with their times, as the estimated data loss\n", to, strings.Join(rb.readAPIs(), ", "), rb.imageAPI(to))
		if err := rb.run(ctx, steps); err != nil {
			return err
		}
		rb.nextSteps(to, rb.others(to), true)
		return nil
	}
	unlock, err := rb.lock("failover")
	if err != nil {
		return err
	}
	defer unlock()
	st, err := rb.ReadStatus(ctx, to)
	if err != nil {
		return fmt.Errorf("cannot read %s, the failover target: %w", to, err)
	}
	t := st.Regions[0]
	if t.Error != "" {
		return fmt.Errorf("cannot read %s, the failover target: %s", to, t.Error)
	}
	if st.AuroraWriter == to && st.CachePrimary == to && t.ServiceRunning >= rb.cfg.Service.DesiredCount && rb.trafficDone(st, to, true) {
		rb.printf("failover --to %s: nothing to do: %s already writes Aurora, leads the Global Datastore and runs the service\n", to, to)
		rb.nextSteps(to, rb.others(to), true)
		return nil
	}
	if st.AuroraWriter != to && st.AuroraSwitchingTo != to && t.AuroraInstances == 0 {
		return rb.headless(to)
	}
	loss := "none: " + to + " already wrote"
	if st.AuroraWriter != to {
		loss = rb.dataLoss(t)
	}
	if err := rb.checkImage(ctx, to, egress(t)); err != nil {
		return err
	}
	rb.printf("failover --to %s: estimated data loss: %s\n", to, loss)
	if err := rb.confirm(fmt.Sprintf("promote %s with possible data loss; the old primary region is not contacted", to), to); err != nil {
		return err
	}
	way := egress(t)
	if t.ServiceRunning >= rb.cfg.Service.DesiredCount {
		way = egressNat // running already: scaling is a no-op that checks health
	}
	steps := failoverSteps(way)
	if err := rb.run(ctx, steps); err != nil {
		return err
	}
	rb.nextSteps(to, rb.others(to), true)
	total := rb.Timeline().Total.Round(time.Second)
	for _, s := range steps {
		if s.manual != "" && s.servesWrites {
			// The last line says it, and the exit status (ExitNotServing).
			left := &NotServingError{To: to, Left: fmt.Sprintf("step %s: %s; then check with: %s", s.id, rb.natDeploy(to), rb.withConfig("pilotlight failover --to "+to+" --yes"))}
			rb.printf("failover incomplete after %s: writes are not served yet: %s runs %d of %d tasks and has no NAT gateway. Left: %s\n", total, to, t.ServiceRunning, rb.cfg.Service.DesiredCount, left.Left)
			return left
		}
	}
	rb.printf("failover finished in %s (measured RTO: the critical path above); estimated data loss: %s\n", total, loss)
	return nil
}

// natDeploy is what gives to NAT gateways and starts its service: the
// config change and the deploy, as the operator must run them.
func (rb *Runbook) natDeploy(to string) string {
	return fmt.Sprintf("set activeRegion: %s in %s and run %s (it creates the NAT gateways and scales the service to %d; its plan needs nothing from the other regions)",
		to, rb.configName(), rb.deploy(rb.names.KeysStack(to), rb.names.RegionalStack(to)), rb.cfg.Service.DesiredCount)
}

// dataLoss is the estimated data loss of failing over to t's region: for
// Aurora the latest AuroraGlobalDBRPOLag t reported, "how far the
// secondary cluster is behind the primary cluster for user transactions"
// (Aurora User Guide, "Amazon CloudWatch metrics for Amazon Aurora"; the
// guide's failover checklist reads the same metric), not
// AuroraGlobalDBReplicationLag, which counts system transactions too; for
// the cache, the latest GlobalDatastoreReplicationLag. Each says when it
// was measured: the data point's timestamp, before the primary went dark.
func (rb *Runbook) dataLoss(t RegionStatus) string {
	at := func(ts *time.Time) string {
		if ts == nil {
			return ""
		}
		return fmt.Sprintf(", measured %s, %s before this estimate", ts.UTC().Format("15:04:05 UTC"), rb.clock.Now().Sub(*ts).Round(time.Second))
	}
	aurora := fmt.Sprintf("Aurora up to %s (AuroraGlobalDBRPOLag%s)", lag(t.AuroraRPOLagMs, 1), at(t.AuroraRPOLagAt))
	if t.AuroraRPOLagMs == nil {
		aurora = fmt.Sprintf("Aurora unknown (%s reported no AuroraGlobalDBRPOLag in the last 10 minutes; AuroraGlobalDBReplicationLag read %s)", t.Region, lag(t.AuroraLagMs, 1))
	}
	return fmt.Sprintf("%s, ElastiCache up to %s (GlobalDatastoreReplicationLag%s)", aurora, lag(t.CacheLagSec, 1000), at(t.CacheLagAt))
}

// nextSteps prints the config change and the deploys, in order, that make
// Terraform agree with what was done.
func (rb *Runbook) nextSteps(to string, others []string, unplanned bool) {
	rb.printf("\nNow make Terraform agree (in this order; no later plan undoes a step above):\n")
	n := 1
	if rb.cfg.ActiveRegion != to {
		rb.printf("  %d. in %s set: activeRegion: %s   (now %s)\n", n, rb.configName(), to, rb.cfg.ActiveRegion)
	} else {
		rb.printf("  %d. %s already sets activeRegion: %s\n", n, rb.configName(), to)
	}
	n++
	rb.printf("  %d. %s\n", n, rb.deploy(rb.names.KeysStack(to), rb.names.RegionalStack(to)))
	n++
	edge := rb.names.EdgeStack()
	if unplanned {
		if rb.cfg.DNS.Enabled() && to == rb.cfg.StandbyRegion() {
			rb.printf("  %d. %s   (needs the CloudFront and Route 53 control planes in us-east-1; until then the switch already sends every request to %s)\n", n, rb.deploy(edge), to)
		} else {
			rb.printf("  %d. %s   (needs CloudFront's control plane in us-east-1; CloudFront already fails reads over per request, writes wait for this deploy)\n", n, rb.deploy(edge))
		}
		n++
		n = rb.resetSwitch(n, to)
		var stacks []string
		for _, r := range others {
			stacks = append(stacks, rb.names.RegionalStack(r))
		}
		when := fmt.Sprintf("once %s is back", strings.Join(others, ", "))
		if len(others) > 1 {
			when = fmt.Sprintf("once %s (the region that failed) is back, and %s as it answers", rb.cfg.ActiveRegion, strings.Join(slices.DeleteFunc(slices.Clone(others), func(r string) bool { return r == rb.cfg.ActiveRegion }), ", "))
		}
		rb.printf("  %d. %s: %s (scales the services there to 0), then %s when you want it back\n", n, when, rb.deploy(stacks...), rb.withConfig("pilotlight failback --to "+rb.cfg.PrimaryRegion))
		return
	}
	rb.printf("  %d. %s\n", n, rb.deploy(edge))
	n++
	n = rb.resetSwitch(n, to)
	for _, r := range others {
		rb.printf("  %d. %s\n", n, rb.deploy(rb.names.RegionalStack(r)))
		n++
	}
	rb.printf("  Aurora's replication_source_identifier, the datastore's primary_replication_group_id and engine versions are in ignore_changes, so these deploys keep the new roles.\n")
}

// resetSwitch prints, as step n, the reset of the switch that the traffic
// step set in to, and returns the next step's number. After the edge deploy
// to is the active region, whose switch gates nothing (the active region's
// record follows the standby's switch); left ON, it would hold
// requests away from the other region the day to is the standby again.
// Before that deploy it is what keeps requests in to, so it comes after.
func (rb *Runbook) resetSwitch(n int, to string) int {
	if !rb.cfg.DNS.Enabled() || to != rb.cfg.StandbyRegion() {
		return n
	}
	rb.printf("  %d. after that deploy, reset the switch in %s (it then gates nothing; left ON it would send requests away from the next active region): %s\n", n, to, rb.switchCommand(to, false))
	return n + 1
}

// configName names the config for the operator: the file
// PILOTLIGHT_CONFIG named, or, when it was unset, how to make one.
func (rb *Runbook) configName() string {
	if rb.opt.ConfigFile != "" {
		return rb.opt.ConfigFile
	}
	return "FILE (a new YAML config file: " + config.EnvVar + " is unset, so this run used the built-in defaults)"
}

// withConfig is cmd as the operator must run it: with PILOTLIGHT_CONFIG
// naming the run's config file (FILE when there was none, see configName).
// deploy is the command that deploys stacks, and only them, with the config
// this run read. cdktf deploy refuses a list of stacks that leaves out one
// they depend on ("The following dependencies are not included in the
// stacks to run ... add the --ignore-missing-stack-dependencies flag",
// cdktf-cli 0.20 deploy): a failover region's stacks depend on the global
// and primary stacks, which are dark or must not be touched, so every
// deploy the runbook prints takes the flag.
func (rb *Runbook) deploy(stacks ...string) string {
	return rb.withConfig("npx cdktf deploy " + strings.Join(stacks, " ") + " " + IgnoreMissingDependencies)
}

// IgnoreMissingDependencies is the cdktf deploy flag that lets a deploy
// name some stacks without the stacks they depend on.
const IgnoreMissingDependencies = "--ignore-missing-stack-dependencies"

func (rb *Runbook) withConfig(cmd string) string {
	file := rb.opt.ConfigFile
	if file == "" {
		file = "FILE"
	}
	return config.EnvVar + "=" + shellQuote(file) + " " + cmd
}

// shellQuote quotes s for a POSIX shell unless it needs none.
func shellQuote(s string) string {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_./-+:@%", c)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}
