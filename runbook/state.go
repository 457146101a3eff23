package runbook

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// Status is the system's state as AWS reports it.
type Status struct {
	// ActiveRegion is the config's activeRegion.
	ActiveRegion string `json:"activeRegion"`
	// GlobalCluster is the Aurora global cluster's id, its status
	// (available, switching-over, failing-over, ...), the region whose
	// cluster writes, and the region a switch in progress goes to.
	GlobalCluster       string `json:"globalCluster"`
	GlobalClusterStatus string `json:"globalClusterStatus"`
	AuroraWriter        string `json:"auroraWriter"`
	AuroraSwitchingTo   string `json:"auroraSwitchingTo,omitempty"`
	// AuroraFailoverState is that operation's FailoverState Status
	// (pending, switching-over, failing-over, cancelling: RDS API
	// Reference, "FailoverState").
	AuroraFailoverState string `json:"auroraFailoverState,omitempty"`
	// CacheGlobal is the Global Datastore's full id, its status and the
	// region of its primary group.
	CacheGlobal       string `json:"cacheGlobal"`
	CacheGlobalStatus string `json:"cacheGlobalStatus"`
	CachePrimary      string `json:"cachePrimary"`
	// Traffic is the traffic switch's state.
	Traffic string `json:"traffic"`
	// Regions is one entry per region read, in the config's order.
	Regions []RegionStatus `json:"regions"`
	// Problems are broken links and lag over the threshold; non-empty makes
	// status exit 2.
	Problems []string `json:"problems"`
}

// RegionStatus is one region's part of Status.
type RegionStatus struct {
	Region string `json:"region"`
	// Error is why the region could not be read (then the rest is unset).
	Error string `json:"error,omitempty"`
	// AuroraCluster, its role (writer or reader), synchronization status
	// (connected, pending-resync) and instance count.
	AuroraCluster   string `json:"auroraCluster"`
	AuroraRole      string `json:"auroraRole"`
	AuroraSync      string `json:"auroraSync"`
	AuroraInstances int    `json:"auroraInstances"`
	// AuroraLagMs is the latest AuroraGlobalDBReplicationLag, in
	// milliseconds, for a secondary; nil when none was reported.
	AuroraLagMs *float64 `json:"auroraLagMs,omitempty"`
	// AuroraRPOLagMs is the latest AuroraGlobalDBRPOLag, in milliseconds,
	// for a secondary: how far it is behind in user transactions, the data
	// an unplanned failover to it loses; AuroraRPOLagAt is when that data
	// point was measured. nil when none was reported.
	AuroraRPOLagMs *float64   `json:"auroraRpoLagMs,omitempty"`
	AuroraRPOLagAt *time.Time `json:"auroraRpoLagAt,omitempty"`
	// CacheGroup, its role (primary or secondary) and member status.
	CacheGroup  string `json:"cacheGroup"`
	CacheRole   string `json:"cacheRole"`
	CacheStatus string `json:"cacheStatus"`
	// CacheLagSec is the latest GlobalDatastoreReplicationLag, in seconds,
	// for a secondary; nil when none was reported.
	CacheLagSec *float64 `json:"cacheLagSec,omitempty"`
	// CacheLagAt is when the CacheLagSec data point was measured.
	CacheLagAt *time.Time `json:"cacheLagAt,omitempty"`
	// NatGateways counts the VPC's available NAT gateways: without one, tasks
	// cannot pull images or reach Secrets Manager and CloudWatch Logs.
	NatGateways int `json:"natGateways"`
	// VpcEndpoints lists the services of the VPC's available endpoints that
	// the app made (standbyEgress: endpoints); with every one of them, tasks
	// start without NAT when the image is in the region's private ECR.
	VpcEndpoints []string `json:"vpcEndpoints"`
	// Switch is the region's traffic switch: ON (its object exists) or OFF;
	// "" without dns. The standby's ON sends requests to the standby.
	Switch string `json:"switch,omitempty"`
	// ServiceDesired and ServiceRunning count ECS tasks; HealthyTargets
	// counts the target group's healthy targets.
	ServiceDesired int `json:"serviceDesired"`
	ServiceRunning int `json:"serviceRunning"`
	HealthyTargets int `json:"healthyTargets"`
	// Buckets are the region's replicated buckets and their replication
	// rules (forward from the primary, reverse back to it).
	Buckets []BucketStatus `json:"buckets"`

	cacheNodes []string // the replication group's cache clusters (nodes)
}

// BucketStatus is one bucket's replication configuration.
type BucketStatus struct {
	Bucket string       `json:"bucket"`
	Rules  []RuleStatus `json:"rules"`
	// Missing lists the rules the config expects that the bucket lacks or
	// has disabled.
	Missing []string `json:"missing,omitempty"`
}

// RuleStatus is one replication rule.
type RuleStatus struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Destination string `json:"destination"`
	// FailedOperations is the sum of OperationsFailedReplication over the
	// last 10 minutes (needs replication metrics, on with Replication Time
	// Control); nil when none was reported.
	FailedOperations *float64 `json:"failedOperations,omitempty"`
}

// trafficManual is the traffic's state without dns: no switch.
const trafficManual = "no switch (dns is not set): CloudFront follows activeRegion on the edge stack's deploy"

// readGlobal reads the Aurora global cluster and the Global Datastore
// through region into st; regions fills the per-region member fields.
func (rb *Runbook) readGlobal(ctx context.Context, via string, st *Status, byRegion map[string]*RegionStatus) error {
	c := rb.in(via)
	gc, err := c.rds.DescribeGlobalClusters(ctx, &rds.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String(rb.names.GlobalDatabase())})
	if err != nil {
		return fmt.Errorf("rds:DescribeGlobalClusters %s in %s: %s (was the %s stack deployed?)", rb.names.GlobalDatabase(), via, oneLine(err), rb.names.RegionalStack(rb.cfg.PrimaryRegion))
	}
	if len(gc.GlobalClusters) != 1 {
		return fmt.Errorf("rds:DescribeGlobalClusters in %s: no global cluster %s (deploy the %s stack first)", via, rb.names.GlobalDatabase(), rb.names.RegionalStack(rb.cfg.PrimaryRegion))
	}
	g := gc.GlobalClusters[0]
	st.GlobalCluster = aws.ToString(g.GlobalClusterIdentifier)
	st.GlobalClusterStatus = aws.ToString(g.Status)
	if g.FailoverState != nil && g.FailoverState.ToDbClusterArn != nil {
		st.AuroraSwitchingTo = arnRegion(aws.ToString(g.FailoverState.ToDbClusterArn))
		st.AuroraFailoverState = string(g.FailoverState.Status)
	}
	for _, m := range g.GlobalClusterMembers {
		region := arnRegion(aws.ToString(m.DBClusterArn))
		if aws.ToBool(m.IsWriter) {
			st.AuroraWriter = region
		}
		if rs := byRegion[region]; rs != nil {
			rs.AuroraRole = map[bool]string{true: "writer", false: "reader"}[aws.ToBool(m.IsWriter)]
			rs.AuroraSync = string(m.SynchronizationStatus)
		}
	}

	rg, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(rb.names.CacheGroup(via))})
	if err != nil {
		return fmt.Errorf("elasticache:DescribeReplicationGroups %s in %s: %s", rb.names.CacheGroup(via), via, oneLine(err))
	}
	if len(rg.ReplicationGroups) != 1 || rg.ReplicationGroups[0].GlobalReplicationGroupInfo == nil {
		return fmt.Errorf("elasticache: %s in %s is not in a Global Datastore (deploy the %s stack)", rb.names.CacheGroup(via), via, rb.names.RegionalStack(via))
	}
	st.CacheGlobal = aws.ToString(rg.ReplicationGroups[0].GlobalReplicationGroupInfo.GlobalReplicationGroupId)
	gg, err := c.ec.DescribeGlobalReplicationGroups(ctx, &elasticache.DescribeGlobalReplicationGroupsInput{GlobalReplicationGroupId: aws.String(st.CacheGlobal), ShowMemberInfo: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("elasticache:DescribeGlobalReplicationGroups %s in %s: %s", st.CacheGlobal, via, oneLine(err))
	}
	if len(gg.GlobalReplicationGroups) != 1 {
		return fmt.Errorf("elasticache: Global Datastore %s not found from %s", st.CacheGlobal, via)
	}
	st.CacheGlobalStatus = aws.ToString(gg.GlobalReplicationGroups[0].Status)
	for _, m := range gg.GlobalReplicationGroups[0].Members {
		region := aws.ToString(m.ReplicationGroupRegion)
		if strings.EqualFold(aws.ToString(m.Role), "primary") {
			st.CachePrimary = region
		}
		if rs := byRegion[region]; rs != nil {
			rs.CacheGroup = aws.ToString(m.ReplicationGroupId)
			rs.CacheRole = strings.ToLower(aws.ToString(m.Role))
			rs.CacheStatus = aws.ToString(m.Status)
		}
	}
	return nil
}

// readRegion reads what only region's endpoints know: its cluster's
// instances, the lag metrics, the service and its targets.
func (rb *Runbook) readRegion(ctx context.Context, rs *RegionStatus) error {
	region := rs.Region
	c := rb.in(region)
	rs.AuroraCluster = rb.cfg.DatabaseCluster(region)
	dc, err := c.rds.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(rs.AuroraCluster)})
	if err != nil {
		if notFound(err) {
			return fmt.Errorf("Aurora cluster %s not found in %s: deploy the %s stack first", rs.AuroraCluster, region, rb.names.RegionalStack(region))
		}
		return fmt.Errorf("rds:DescribeDBClusters %s in %s: %s", rs.AuroraCluster, region, oneLine(err))
	}
	if len(dc.DBClusters) == 1 {
		rs.AuroraInstances = len(dc.DBClusters[0].DBClusterMembers)
	}
	rg, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(rb.names.CacheGroup(region))})
	if err != nil {
		if notFound(err) {
			return fmt.Errorf("ElastiCache group %s not found in %s: deploy the %s stack first", rb.names.CacheGroup(region), region, rb.names.RegionalStack(region))
		}
		return fmt.Errorf("elasticache:DescribeReplicationGroups %s in %s: %s", rb.names.CacheGroup(region), region, oneLine(err))
	}
	if len(rg.ReplicationGroups) == 1 {
		rs.cacheNodes = rg.ReplicationGroups[0].MemberClusters
	}
	if err := rb.readLag(ctx, rs); err != nil {
		return err
	}
	if rs.NatGateways, err = rb.natGateways(ctx, region); err != nil {
		return err
	}
	if rs.VpcEndpoints, err = rb.vpcEndpoints(ctx, region); err != nil {
		return err
	}
	if rb.cfg.DNS.Enabled() {
		if rs.Switch, err = rb.switchState(ctx, region); err != nil {
			return err
		}
	}
	svc, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(rb.names.Cluster()), Services: []string{rb.names.Service()}})
	if err != nil {
		return fmt.Errorf("ecs:DescribeServices %s/%s in %s: %s", rb.names.Cluster(), rb.names.Service(), region, oneLine(err))
	}
	if len(svc.Services) != 1 {
		return fmt.Errorf("ecs: service %s/%s not found in %s (deploy the %s stack)", rb.names.Cluster(), rb.names.Service(), region, rb.names.RegionalStack(region))
	}
	rs.ServiceDesired, rs.ServiceRunning = int(svc.Services[0].DesiredCount), int(svc.Services[0].RunningCount)
	if rs.HealthyTargets, err = rb.healthyTargets(ctx, region); err != nil {
		return err
	}
	return rb.readBuckets(ctx, rs)
}

// accountID reads the caller's account once, through region (STS is
// regional; GetCallerIdentity needs no permission).
func (rb *Runbook) accountID(ctx context.Context, region string) (string, error) {
	rb.mu.Lock()
	acct := rb.account
	rb.mu.Unlock()
	if acct != "" {
		return acct, nil
	}
	out, err := rb.in(region).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("sts:GetCallerIdentity in %s: %s", region, oneLine(err))
	}
	rb.mu.Lock()
	rb.account = aws.ToString(out.Account)
	rb.mu.Unlock()
	return aws.ToString(out.Account), nil
}

// expectedRules are the replication rules region's copy of a bucket has
// when deployed: to every failover region from the primary, and back to
// the primary from a failover region when reverse replication is on.
func (rb *Runbook) expectedRules(region string, reverse bool) []string {
	if region == rb.cfg.PrimaryRegion {
		var out []string
		for _, f := range rb.cfg.FailoverRegions {
			out = append(out, "to-"+f)
		}
		return out
	}
	if reverse {
		return []string{"to-" + rb.cfg.PrimaryRegion}
	}
	return nil
}

// readBuckets reads each replicated bucket's replication rules in region,
// and their failed-replication metrics.
func (rb *Runbook) readBuckets(ctx context.Context, rs *RegionStatus) error {
	if len(rb.cfg.Buckets) == 0 {
		return nil
	}
	acct, err := rb.accountID(ctx, rs.Region)
	if err != nil {
		return err
	}
	c := rb.in(rs.Region)
	var queries []cwtypes.MetricDataQuery
	type ref struct{ b, r int }
	refs := map[string]ref{}
	for _, b := range rb.cfg.Buckets {
		bs := BucketStatus{Bucket: rb.names.Bucket(b.Name, rs.Region, acct)}
		out, err := c.s3.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String(bs.Bucket)})
		if err != nil && apiCode(err) != "ReplicationConfigurationNotFoundError" {
			return fmt.Errorf("s3:GetBucketReplication %s in %s: %s", bs.Bucket, rs.Region, oneLine(err))
		}
		enabled := map[string]bool{}
		if err == nil && out.ReplicationConfiguration != nil {
			for _, r := range out.ReplicationConfiguration.Rules {
				rule := RuleStatus{ID: aws.ToString(r.ID), Status: string(r.Status)}
				if r.Destination != nil {
					rule.Destination = strings.TrimPrefix(aws.ToString(r.Destination.Bucket), "arn:aws:s3:::")
				}
				enabled[rule.ID] = r.Status == "Enabled"
				id := fmt.Sprintf("f%d", len(queries))
				refs[id] = ref{len(rs.Buckets), len(bs.Rules)}
				queries = append(queries, cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{
					Metric: &cwtypes.Metric{Namespace: aws.String("AWS/S3"), MetricName: aws.String("OperationsFailedReplication"), Dimensions: []cwtypes.Dimension{
						{Name: aws.String("SourceBucket"), Value: aws.String(bs.Bucket)},
						{Name: aws.String("DestinationBucket"), Value: aws.String(rule.Destination)},
						{Name: aws.String("RuleId"), Value: aws.String(rule.ID)},
					}},
					Period: aws.Int32(600), Stat: aws.String("Sum"),
				}})
				bs.Rules = append(bs.Rules, rule)
			}
		}
		for _, want := range rb.expectedRules(rs.Region, b.ReverseReplication == nil || *b.ReverseReplication) {
			if !enabled[want] {
				bs.Missing = append(bs.Missing, want)
			}
		}
		rs.Buckets = append(rs.Buckets, bs)
	}
	if len(queries) == 0 {
		return nil
	}
	now := rb.clock.Now()
	out, err := c.cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(now.Add(-10 * time.Minute)), EndTime: aws.Time(now), MetricDataQueries: queries, ScanBy: cwtypes.ScanByTimestampDescending})
	if err != nil {
		return fmt.Errorf("monitoring:GetMetricData (S3 failed replication) in %s: %s", rs.Region, oneLine(err))
	}
	for _, r := range out.MetricDataResults {
		if ref, ok := refs[aws.ToString(r.Id)]; ok && len(r.Values) > 0 {
			v := r.Values[0]
			rs.Buckets[ref.b].Rules[ref.r].FailedOperations = &v
		}
	}
	return nil
}

// natGateways counts region's available NAT gateways of the app's VPC.
func (rb *Runbook) natGateways(ctx context.Context, region string) (int, error) {
	out, err := rb.in(region).ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []ec2types.Filter{
		{Name: aws.String("tag:Name"), Values: []string{rb.names.NatGatewayPrefix() + "*"}},
		{Name: aws.String("state"), Values: []string{"available"}},
	}})
	if err != nil {
		return 0, fmt.Errorf("ec2:DescribeNatGateways in %s: %s", region, oneLine(err))
	}
	return len(out.NatGateways), nil
}

func (rb *Runbook) healthyTargets(ctx context.Context, region string) (int, error) {
	c := rb.in(region)
	tg, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{rb.names.TargetGroup()}})
	if err != nil {
		return 0, fmt.Errorf("elasticloadbalancing:DescribeTargetGroups %s in %s: %s", rb.names.TargetGroup(), region, oneLine(err))
	}
	if len(tg.TargetGroups) != 1 {
		return 0, fmt.Errorf("elasticloadbalancing: target group %s not found in %s", rb.names.TargetGroup(), region)
	}
	th, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tg.TargetGroups[0].TargetGroupArn})
	if err != nil {
		return 0, fmt.Errorf("elasticloadbalancing:DescribeTargetHealth %s in %s: %s", rb.names.TargetGroup(), region, oneLine(err))
	}
	n := 0
	for _, d := range th.TargetHealthDescriptions {
		if d.TargetHealth != nil && d.TargetHealth.State == "healthy" {
			n++
		}
	}
	return n, nil
}

// readLag reads the latest replication-lag data points a secondary's
// region publishes (the last 10 minutes, 1-minute maximum):
// AuroraGlobalDBReplicationLag, AuroraGlobalDBRPOLag (milliseconds) and
// GlobalDatastoreReplicationLag (seconds). Each metric is
// asked for under every dimension set it may be published with (Aurora:
// the cluster, alone or with its source region; ElastiCache: each node of
// the group, whose primary reports it), and the largest value reported
// counts.
func (rb *Runbook) readLag(ctx context.Context, rs *RegionStatus) error {
	now := rb.clock.Now()
	metric := func(id, ns, name string, dims ...string) cwtypes.MetricDataQuery {
		var d []cwtypes.Dimension
		for i := 0; i+1 < len(dims); i += 2 {
			d = append(d, cwtypes.Dimension{Name: aws.String(dims[i]), Value: aws.String(dims[i+1])})
		}
		return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String(ns), MetricName: aws.String(name), Dimensions: d},
			Period: aws.Int32(60), Stat: aws.String("Maximum"),
		}}
	}
	var queries []cwtypes.MetricDataQuery
	for _, m := range []struct{ id, name string }{{"aurora", "AuroraGlobalDBReplicationLag"}, {"rpo", "AuroraGlobalDBRPOLag"}} {
		queries = append(queries, metric(m.id+"0", "AWS/RDS", m.name, "DBClusterIdentifier", rs.AuroraCluster))
		for i, r := range rb.cfg.Regions() {
			if r != rs.Region {
				queries = append(queries, metric(fmt.Sprintf("%s%d", m.id, i+1), "AWS/RDS", m.name, "DBClusterIdentifier", rs.AuroraCluster, "SourceRegion", r))
			}
		}
	}
	for i, node := range rs.cacheNodes {
		queries = append(queries, metric(fmt.Sprintf("cache%d", i), "AWS/ElastiCache", "GlobalDatastoreReplicationLag", "CacheClusterId", node))
	}
	out, err := rb.in(rs.Region).cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(now.Add(-10 * time.Minute)), EndTime: aws.Time(now),
		ScanBy: cwtypes.ScanByTimestampDescending, MetricDataQueries: queries,
	})
	if err != nil {
		return fmt.Errorf("monitoring:GetMetricData (replication lag) in %s: %s", rs.Region, oneLine(err))
	}
	for _, r := range out.MetricDataResults {
		if len(r.Values) == 0 {
			continue
		}
		v := r.Values[0]
		var ts *time.Time
		if len(r.Timestamps) > 0 {
			ts = &r.Timestamps[0] // ScanByTimestampDescending: the latest first
		}
		switch id := aws.ToString(r.Id); {
		case strings.HasPrefix(id, "aurora") && (rs.AuroraLagMs == nil || v > *rs.AuroraLagMs):
			rs.AuroraLagMs = &v
		case strings.HasPrefix(id, "rpo") && (rs.AuroraRPOLagMs == nil || v > *rs.AuroraRPOLagMs):
			rs.AuroraRPOLagMs, rs.AuroraRPOLagAt = &v, ts
		case strings.HasPrefix(id, "cache") && (rs.CacheLagSec == nil || v > *rs.CacheLagSec):
			rs.CacheLagSec, rs.CacheLagAt = &v, ts
		}
	}
	return nil
}

// ReadStatus reads the system's state from regions (all the app's when
// empty); the global views are read through the first of them that
// answers. A region that does not answer gets its Error and a problem.
func (rb *Runbook) ReadStatus(ctx context.Context, regions ...string) (*Status, error) {
	if len(regions) == 0 {
		regions = rb.cfg.Regions()
	}
	st := &Status{ActiveRegion: rb.cfg.ActiveRegion, Traffic: trafficManual, Problems: []string{}}
	byRegion := map[string]*RegionStatus{}
	for _, r := range regions {
		st.Regions = append(st.Regions, RegionStatus{Region: r})
	}
	for i := range st.Regions {
		byRegion[st.Regions[i].Region] = &st.Regions[i]
	}
	// Every region is read at once, each within Options.RegionTimeout: a region
	// whose endpoints accept connections and never answer (a regional
	// outage can look like that) costs that long, not its calls' attempts
	// one after another, and does not hold up the regions that answer.
	errs := make([]error, len(st.Regions))
	var wg sync.WaitGroup
	for i := range st.Regions {
		wg.Add(1)
		go func(rs *RegionStatus) {
			defer wg.Done()
			rctx, cancel := context.WithTimeout(ctx, rb.opt.RegionTimeout)
			defer cancel()
			err := rb.readRegion(rctx, rs)
			if err != nil && ctx.Err() == nil && errors.Is(rctx.Err(), context.DeadlineExceeded) {
				err = fmt.Errorf("no answer from %s within %s: %w", rs.Region, rb.opt.RegionTimeout, err)
			}
			errs[i] = err
		}(&st.Regions[i])
	}
	wg.Wait()
	var globalErr, firstErr error
	read := false
	for i := range st.Regions {
		rs := &st.Regions[i]
		if err := errs[i]; err != nil {
			if firstErr == nil {
				firstErr = err
			}
			rs.Error = err.Error()
			st.Problems = append(st.Problems, fmt.Sprintf("%s: unreachable or not deployed: %s", rs.Region, err))
			continue
		}
		if !read {
			if globalErr = rb.readGlobal(ctx, rs.Region, st, byRegion); globalErr == nil {
				read = true
			}
		}
	}
	if !read {
		if globalErr != nil {
			return st, globalErr
		}
		return st, fmt.Errorf("no region could be read (%s); first: %w", strings.Join(regions, ", "), firstErr)
	}
	st.Traffic = rb.traffic(byRegion)
	st.Problems = append(st.Problems, rb.problems(st)...)
	return st, nil
}

// traffic says where the switch sends requests, from the standby's switch.
func (rb *Runbook) traffic(byRegion map[string]*RegionStatus) string {
	if !rb.cfg.DNS.Enabled() {
		return trafficManual
	}
	standby := rb.cfg.StandbyRegion()
	rs := byRegion[standby]
	if rs == nil || rs.Error != "" {
		return fmt.Sprintf("switch %s in %s (the standby) not read", rb.switchURL(standby), standby)
	}
	to := rb.cfg.ActiveRegion
	if rs.Switch == switchOn {
		to = standby
	}
	return fmt.Sprintf("switch %s in %s (the standby) is %s: requests go to %s", rb.switchURL(standby), standby, rs.Switch, to)
}

// problems lists broken links and lag over the threshold.
func (rb *Runbook) problems(st *Status) []string {
	var out []string
	if rs := rb.regionIn(st, rb.cfg.ActiveRegion); rb.cfg.DNS.Enabled() && rs != nil && rs.Switch == switchOn {
		// It gates nothing while its region is active, but the day this
		// region is the standby again it would hold requests away from the
		// active one.
		out = append(out, fmt.Sprintf("traffic: the switch in %s (activeRegion) is still ON from the switch to it; once the edge stack %s is deployed with activeRegion: %s (until then it is what keeps requests there), reset it: %s", rs.Region, rb.names.EdgeStack(), rs.Region, rb.switchCommand(rs.Region, false)))
	}
	if st.GlobalClusterStatus != "available" {
		out = append(out, fmt.Sprintf("aurora: global cluster %s is %s", st.GlobalCluster, st.GlobalClusterStatus))
	}
	if st.CacheGlobalStatus != "available" {
		out = append(out, fmt.Sprintf("elasticache: Global Datastore %s is %s", st.CacheGlobal, st.CacheGlobalStatus))
	}
	switch {
	case auroraSwitching(st):
		out = append(out, fmt.Sprintf("config: Aurora is switching from %s to %s: deploy no regional stack until it is done and activeRegion (now %s) names the writer", st.AuroraWriter, st.AuroraSwitchingTo, st.ActiveRegion))
	case activeRegionDisagrees(st):
		out = append(out, fmt.Sprintf("config: activeRegion is %s but Aurora writes in %s: set activeRegion: %s before any deploy, or a deploy moves the service back", st.ActiveRegion, st.AuroraWriter, st.AuroraWriter))
	}
	max := rb.opt.MaxLag
	for _, rs := range st.Regions {
		if rs.Error != "" {
			continue
		}
		if rs.AuroraRole == "" {
			out = append(out, fmt.Sprintf("aurora: %s (%s) is not a member of global cluster %s", rs.AuroraCluster, rs.Region, st.GlobalCluster))
		} else if rs.AuroraRole == "reader" {
			if rs.AuroraSync != "" && rs.AuroraSync != "connected" {
				out = append(out, fmt.Sprintf("aurora: %s (%s) replication link is %s", rs.AuroraCluster, rs.Region, rs.AuroraSync))
			}
			switch {
			case rs.AuroraLagMs == nil:
				out = append(out, fmt.Sprintf("aurora: %s (%s) reported no replication lag in the last 10 minutes", rs.AuroraCluster, rs.Region))
			case time.Duration(*rs.AuroraLagMs*float64(time.Millisecond)) > max:
				out = append(out, fmt.Sprintf("aurora: %s (%s) lags %s, over the %s threshold", rs.AuroraCluster, rs.Region, msDur(*rs.AuroraLagMs), max))
			}
		}
		for _, b := range rs.Buckets {
			for _, m := range b.Missing {
				out = append(out, fmt.Sprintf("s3: %s (%s) has no enabled replication rule %s (deploy %s)", b.Bucket, rs.Region, m, rb.ruleStack(rs.Region)))
			}
			for _, r := range b.Rules {
				if r.FailedOperations != nil && *r.FailedOperations > 0 {
					out = append(out, fmt.Sprintf("s3: %s (%s) rule %s failed %.0f replication operations in the last 10 minutes (S3 Batch Replication re-copies them)", b.Bucket, rs.Region, r.ID, *r.FailedOperations))
				}
			}
		}
		// The active region serves: fewer running tasks or healthy targets
		// than the config asks for there is an outage of its own, whatever
		// the replication links say (a failover that left compute to a
		// deploy shows here until that deploy has run).
		if want := rb.cfg.Service.DesiredCount; rs.Region == st.ActiveRegion && (rs.ServiceRunning < want || rs.HealthyTargets < want) {
			out = append(out, fmt.Sprintf("ecs: the active region %s runs %d of %d tasks, %d healthy targets (desired %d in ECS); deploy %s if the service was never scaled up there",
				rs.Region, rs.ServiceRunning, want, rs.HealthyTargets, rs.ServiceDesired, rb.names.RegionalStack(rs.Region)))
		}
		if rs.CacheRole == "" {
			out = append(out, fmt.Sprintf("elasticache: %s (%s) is not a member of %s", rb.names.CacheGroup(rs.Region), rs.Region, st.CacheGlobal))
		} else if rs.CacheRole == "secondary" {
			if rs.CacheStatus != "associated" {
				out = append(out, fmt.Sprintf("elasticache: %s (%s) member is %s", rs.CacheGroup, rs.Region, rs.CacheStatus))
			}
			switch {
			case rs.CacheLagSec == nil:
				out = append(out, fmt.Sprintf("elasticache: %s (%s) reported no replication lag in the last 10 minutes", rs.CacheGroup, rs.Region))
			case time.Duration(*rs.CacheLagSec*float64(time.Second)) > max:
				out = append(out, fmt.Sprintf("elasticache: %s (%s) lags %s, over the %s threshold", rs.CacheGroup, rs.Region, msDur(*rs.CacheLagSec*1000), max))
			}
		}
	}
	return out
}

// activeRegionDisagrees reports whether a deploy with the config would
// undo where the data is: Aurora writes outside activeRegion, or a switch
// is in progress (status exits ExitActiveRegion).
func activeRegionDisagrees(st *Status) bool {
	return auroraSwitching(st) || (st.AuroraWriter != "" && st.AuroraWriter != st.ActiveRegion)
}

// auroraSwitching reports a switchover or failover still moving the writer.
// A FailoverState that names the writer itself is a finished failover's,
// which AWS may go on reporting while the old primary's region is dark (the
// reading TestFailoverWhileOldPrimaryDark covers); it does not stop the deploy
// of the new active region that the failover's next steps ask for.
func auroraSwitching(st *Status) bool {
	return st.AuroraSwitchingTo != "" && st.AuroraSwitchingTo != st.AuroraWriter
}

func (rb *Runbook) regionIn(st *Status, region string) *RegionStatus {
	for i := range st.Regions {
		if st.Regions[i].Region == region && st.Regions[i].Error == "" {
			return &st.Regions[i]
		}
	}
	return nil
}

func msDur(ms float64) time.Duration {
	return time.Duration(ms * float64(time.Millisecond)).Round(time.Millisecond)
}

// ruleStack is the stack that holds region's replication rules: the
// replication stack for the primary's (forward) rules, the region's own
// stack for the reverse ones.
func (rb *Runbook) ruleStack(region string) string {
	if region == rb.cfg.PrimaryRegion {
		return rb.names.ReplicationStack()
	}
	return rb.names.RegionalStack(region)
}

// notFound reports whether err is an AWS "not found" error (a resource
// that was never deployed).
func notFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && strings.Contains(ae.ErrorCode(), "NotFound")
}

// apiCode is err's AWS error code, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// arnRegion is the region field of an ARN ("" when s is not one).
func arnRegion(s string) string {
	a, err := awsarn.Parse(s)
	if err != nil {
		return ""
	}
	return a.Region
}
