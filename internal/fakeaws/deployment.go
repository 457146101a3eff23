package fakeaws

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/pilotlight/pilotlight/internal/vclock"
	"github.com/pilotlight/pilotlight/names"
	"github.com/pilotlight/pilotlight/timing"
)

// Deployment is the state of a deployed pilotlight system, as the runbook
// commands (status, switchover, failover, failback) read and change it: the
// Aurora global cluster, the ElastiCache Global Datastore, each region's ECS
// service and target group, and the replication-lag metrics. Changes that AWS
// makes asynchronously (a switchover, a datastore failover, tasks starting)
// take Polls describe calls to finish, or, with Durations set, that much
// time on Clock, so callers must wait for them as they would against AWS.
//
// Serve it on a Server with Server.Deploy. Fields may be set before that;
// afterwards use the methods, which lock.
type Deployment struct {
	mu sync.Mutex

	// Prefix is config.Names().Prefix(): the traffic switch's dimension,
	// and the stem the identifiers below default to (built with package
	// names, as the constructs build them) when they are not set.
	Prefix string
	// GlobalCluster is the Aurora global cluster's identifier; ClusterIDs
	// each region's Aurora cluster identifier and CacheGroups each region's
	// ElastiCache replication group id. NewDeploymentFromStates sets them
	// from the applied states.
	GlobalCluster           string
	ClusterIDs, CacheGroups map[string]string
	// NatGatewayNames, when it has a region, lists the Name tags of that
	// region's available NAT gateways (instead of NatGateways of them named
	// as package names names them); VpcEndpointNames, when it has a region,
	// maps each of that region's VpcEndpoints services to its Name tag.
	NatGatewayNames  map[string][]string
	VpcEndpointNames map[string]map[string]string
	// Regions are the app's regions, primary first.
	Regions []string
	// Writer is the region whose Aurora cluster writes.
	Writer string
	// Instances is the number of Aurora instances per region (0 = headless).
	Instances map[string]int
	// Sync is each region's Aurora SynchronizationStatus (default connected).
	Sync map[string]string
	// AuroraLagMs is AuroraGlobalDBReplicationLag and AuroraRPOLagMs
	// AuroraGlobalDBRPOLag per secondary region, in milliseconds.
	AuroraLagMs, AuroraRPOLagMs map[string]float64
	// AuroraLagDimensions is the dimension set the Aurora lag metrics are
	// published under: "" DBClusterIdentifier alone, "SourceRegion"
	// DBClusterIdentifier with SourceRegion (the writer's region) only.
	// The Aurora User Guide ("Amazon CloudWatch dimensions for Aurora")
	// lists both dimensions but not which sets the global metrics use.
	AuroraLagDimensions string
	// MetricsAt is the timestamp of every lag data point (zero: the time
	// of the GetMetricData call); a point outside the call's StartTime and
	// EndTime is not returned.
	MetricsAt time.Time
	// GlobalClusterStatus is the global cluster's Status while no switch
	// is in progress ("" = available); e.g. modifying or upgrading for a
	// change unrelated to a switch.
	GlobalClusterStatus string
	// AuroraStatusWhileOldPrimaryDark is the global cluster's Status after
	// an unplanned failover has made the target the writer, until Recover
	// ("" = available, no FailoverState). "failing-over" also keeps
	// FailoverState (failing-over, toward the new writer). Not documented:
	// the adversarial readings of a status that stays transitional.
	AuroraStatusWhileOldPrimaryDark string
	// UnrelatedStatusRefuses makes AWS refuse a switch while
	// GlobalClusterStatus or CacheGlobalStatus is set
	// (InvalidGlobalClusterStateFault, InvalidGlobalReplicationGroupState:
	// the API references' reading of those faults, against the ElastiCache
	// User Guide's); UnrelatedStatusDescribes, if not 0, is how many
	// describes of the global cluster (or datastore) that status lasts.
	UnrelatedStatusRefuses   bool
	UnrelatedStatusDescribes int
	// CancelSwitchover makes AWS cancel the next switchover: FailoverState
	// pending, then cancelling, then empty with the roles unchanged. AWS
	// documents the state, not when it happens. Reset once used.
	CancelSwitchover bool
	// CacheGlobalID is the Global Datastore's full id (AWS prefixes the
	// suffix the app chose, here with "fake-").
	CacheGlobalID string
	// CachePrimary is the region whose replication group is the primary.
	CachePrimary string
	// CacheLagSec is GlobalDatastoreReplicationLag per secondary region, in
	// seconds, published by the node CacheLagNode ("" = 001: the group's
	// first node; a Multi-AZ failover can move the primary role to 002).
	CacheLagSec  map[string]float64
	CacheLagNode string
	// CacheGlobalStatus is the Global Datastore's status while no failover
	// is in progress ("" = available), e.g. modifying or primary-only.
	CacheGlobalStatus string
	// CacheStatusWhileOldPrimaryDark is the datastore's status after a
	// failover, until Recover ("" = available): not documented.
	CacheStatusWhileOldPrimaryDark string
	// Cluster, Service and TargetGroup are the ECS and ELB names
	// (config.Names()); Desired and Running count tasks per region.
	Cluster, Service, TargetGroup string
	Desired, Running              map[string]int
	// ServiceStatus is each region's ECS service status ("" = ACTIVE):
	// DRAINING or INACTIVE once the service is deleted (ECS API Reference,
	// "DeleteService"; "Service" data type: ACTIVE, DRAINING, INACTIVE).
	ServiceStatus map[string]string
	// TaskStartFailure makes region's tasks stop before they run, each with
	// this stoppedReason (e.g. "CannotPullContainerError: ..."; Amazon ECS
	// Developer Guide, "Amazon ECS stopped task error messages") and
	// stopCode TaskFailedToStart; the service's deployment counts them in
	// failedTasks (ECS API Reference, "Deployment" data type).
	TaskStartFailure map[string]string
	// NatGateways counts each region's available NAT gateways, tagged
	// names.NatGateway(Prefix, N) as the network construct tags them.
	NatGateways map[string]int
	// VpcEndpoints lists each region's available VPC endpoints by service
	// (ecr.api, s3, ...), tagged names.VpcEndpoint(Prefix, SERVICE) as the
	// network construct tags them.
	VpcEndpoints map[string][]string
	// Images lists each region's private ECR images as REPOSITORY:TAG (or
	// REPOSITORY@DIGEST) in the fake account's registry, or as
	// ACCOUNT/REPOSITORY:TAG in account ACCOUNT's.
	Images map[string][]string
	// SwitchBuckets names each region's traffic-switch bucket
	// (config.Names().TrafficSwitchBucket); a region without one serves no
	// switch. SwitchKey is the switch object's key (config.TrafficSwitchKey).
	// SwitchState is each region's switch, SwitchOn while the object exists
	// (SwitchOff when unset): PutObject and DeleteObject set it
	// (traffic_switch.go).
	SwitchBuckets map[string]string
	SwitchKey     string
	SwitchState   map[string]string
	// CacheFailoverRefused makes FailoverGlobalReplicationGroup fail with
	// InvalidGlobalReplicationGroupState (a promotion AWS refuses).
	CacheFailoverRefused bool
	// Polls is how many describe calls an asynchronous change takes (default 3)
	// while Durations is nil.
	Polls int
	// Clock is the time the fake lives in: operations' durations, metric
	// timestamps, stopped tasks' times. Nil: the wall clock. Tests and
	// drills share a *vclock.Virtual with the runbook, so the durations
	// pass without real waiting.
	Clock vclock.Clock
	// Durations, when set, make each asynchronous change take its time on
	// Clock instead of Polls describes.
	Durations *Durations

	replication map[string][]ReplicationRule // "REGION/BUCKET"

	aurora *pending // switchover or failover in progress
	cache  *pending
	// lingering is the finished failover AuroraStatusWhileOldPrimaryDark
	// still shows; cacheLingering, the same for CacheStatusWhileOldPrimaryDark.
	lingering      *pending
	cacheLingering bool
	stopped        map[string][]stoppedTask // tasks that failed to start, by region
	// auroraDescribes and cacheDescribes count describes under an
	// unrelated status (UnrelatedStatusDescribes).
	auroraDescribes, cacheDescribes int
	failedTasks                     map[string]int // the deployment's failedTasks, by region
	// taskChangeAt is when region's desiredCount last changed (Durations).
	taskChangeAt map[string]time.Time
	// switchAt and switchBefore are when region's switch object last
	// changed and what it was before (Durations.TrafficSwitch).
	switchAt     map[string]time.Time
	switchBefore map[string]string
	// Mutations counts each mutating call, by "region service Action".
	mutations map[string]int
}

// Durations are how long the fake's asynchronous changes take, on the
// Deployment's Clock. The fake holds no figure of AWS's: tests and drills
// pass the ones they measure against (the RTO budget's, each with its
// source). A zero duration finishes at the first describe after the call.
type Durations struct {
	// AuroraSwitchover and AuroraFailover run from the
	// SwitchoverGlobalCluster or FailoverGlobalCluster call (for a
	// switchover, from the target being connected: Aurora waits for it to
	// synchronize first) until the target writes and FailoverState is
	// empty.
	AuroraSwitchover, AuroraFailover time.Duration
	// CacheFailover runs from FailoverGlobalReplicationGroup until the
	// target's member is the primary and the datastore available.
	CacheFailover time.Duration
	// TaskStart runs from an UpdateService that raises desiredCount until
	// those tasks run and are healthy targets (image pull, start, the
	// target group's healthy threshold x interval); TaskStop from one that
	// lowers it until the tasks above it have stopped (deregistration
	// delay, stop timeout).
	TaskStart, TaskStop time.Duration
	// TrafficSwitch runs from a put or delete of a region's switch object
	// until Route 53 answers by it (FailoverAnswer): its health checks'
	// interval x failure threshold, then resolvers' TTL. S3 itself sees
	// the change at once (HeadObject: strong consistency).
	TrafficSwitch time.Duration
}

type pending struct {
	to, from string    // target region, and the region it takes over from
	due      time.Time // with Durations: when it finishes
	left     int       // describe calls until done (without Durations)
	seen     int       // describe calls so far
	dataLoss bool
	cancel   bool // AWS cancels it
}

// NewDeployment is a healthy, converged deployment of prefix over regions
// (primary first): Aurora writes in the primary with one instance per region,
// the datastore's primary is the primary region's group, the service runs
// desired tasks in the primary and none elsewhere, only the primary has NAT
// gateways (two), and lag is 20 ms (Aurora)
// and 0.5 s (ElastiCache).
func NewDeployment(prefix string, regions []string, cluster, service, targetGroup string, desired int) *Deployment {
	d := &Deployment{
		Prefix: prefix, Regions: regions, Writer: regions[0],
		Instances: map[string]int{}, Sync: map[string]string{}, AuroraLagMs: map[string]float64{}, AuroraRPOLagMs: map[string]float64{},
		CacheGlobalID: "fake-" + prefix, CachePrimary: regions[0], CacheLagSec: map[string]float64{},
		Cluster: cluster, Service: service, TargetGroup: targetGroup,
		Desired: map[string]int{}, Running: map[string]int{}, NatGateways: map[string]int{}, Polls: 3,
		VpcEndpoints: map[string][]string{}, Images: map[string][]string{}, SwitchState: map[string]string{}, SwitchBuckets: map[string]string{},
		ServiceStatus: map[string]string{}, TaskStartFailure: map[string]string{},
		mutations: map[string]int{},
	}
	for i, r := range regions {
		d.Instances[r] = 1
		d.Sync[r] = "connected"
		if i > 0 {
			d.AuroraLagMs[r] = 20
			d.AuroraRPOLagMs[r] = 20
			d.CacheLagSec[r] = 0.5
		}
	}
	d.Desired[regions[0]], d.Running[regions[0]] = desired, desired
	d.NatGateways[regions[0]] = 2
	return d
}

// Deploy serves d's state for the rds, ec2 (NAT gateways, VPC endpoints),
// s3 (replication configurations, the traffic switch's object), ecr
// (images), elasticache, ecs, elasticloadbalancing and monitoring
// (CloudWatch metrics) services. The plan handlers' RDS, EC2 and S3 answers stay:
// calls d does not know fall through to them.
func (s *Server) Deploy(d *Deployment) {
	if d.mutations == nil {
		d.mutations = map[string]int{}
	}
	if d.Polls == 0 {
		d.Polls = 3
	}
	for _, m := range []*map[string]float64{&d.AuroraLagMs, &d.AuroraRPOLagMs, &d.CacheLagSec} {
		if *m == nil {
			*m = map[string]float64{}
		}
	}
	s.Handle("rds", func(r *Request) *Response {
		if resp := d.rds(r); resp != nil {
			return resp
		}
		return rds(r)
	})
	s.Handle("ec2", func(r *Request) *Response {
		if resp := d.ec2(r); resp != nil {
			return resp
		}
		return ec2(r, s.availabilityZones())
	})
	s.Handle("s3", func(r *Request) *Response {
		if resp := d.s3(r); resp != nil {
			return resp
		}
		if resp := d.switchObject(r); resp != nil {
			return resp
		}
		return s.s3.handle(r)
	})
	s.Handle("ecr", d.ecr)
	s.Handle("elasticache", d.elasticache)
	s.Handle("ecs", d.ecs)
	s.Handle("elasticloadbalancing", d.elbv2)
	s.Handle("monitoring", d.cloudwatch)
}

// Mutations returns how many times each mutating call was made, keyed
// "REGION SERVICE Action".
func (d *Deployment) Mutations() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]int{}
	for k, v := range d.mutations {
		out[k] = v
	}
	return out
}

// Snapshot is a copy of d's observable state, for assertions.
type Snapshot struct {
	Writer, CachePrimary string
	Desired, Running     map[string]int
	Sync                 map[string]string
	// SwitchState is each region's traffic switch, SwitchOn or SwitchOff.
	SwitchState map[string]string
}

// State returns d's state now.
func (d *Deployment) State() Snapshot {
	d.mu.Lock()
	defer d.mu.Unlock()
	cp := func(m map[string]int) map[string]int {
		out := map[string]int{}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	sync := map[string]string{}
	for k, v := range d.Sync {
		sync[k] = v
	}
	sw := map[string]string{}
	for _, r := range d.Regions {
		sw[r] = d.switchState(r)
	}
	return Snapshot{Writer: d.Writer, CachePrimary: d.CachePrimary, Desired: cp(d.Desired), Running: cp(d.Running), Sync: sync, SwitchState: sw}
}

// Recover is the old primary region coming back after an unplanned
// failover: Aurora re-adds its cluster as a secondary and resynchronizes it
// (as AWS does after FailoverGlobalCluster with data loss allowed).
func (d *Deployment) Recover(region string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.Sync[region] = "connected"
	d.AuroraLagMs[region] = 20
	d.AuroraRPOLagMs[region] = 20
	d.CacheLagSec[region] = 0.5
	d.lingering, d.cacheLingering = nil, false
}

// Set changes d under its lock, for a test's setup.
func (d *Deployment) Set(f func(d *Deployment)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(d)
}

func (d *Deployment) mutated(r *Request) {
	d.mutations[fmt.Sprintf("%s %s %s", r.Region, r.Service, r.Action)]++
}

func (d *Deployment) sortedRegions() []string {
	out := append([]string(nil), d.Regions...)
	sort.Strings(out)
	return out
}

// globalCluster is the Aurora global cluster's identifier.
func (d *Deployment) globalCluster() string {
	if d.GlobalCluster != "" {
		return d.GlobalCluster
	}
	return names.GlobalDatabase(d.Prefix)
}

// clusterID is region's Aurora cluster identifier.
func (d *Deployment) clusterID(region string) string {
	if id := d.ClusterIDs[region]; id != "" {
		return id
	}
	return names.RegionalData(d.Prefix, region)
}

// cacheGroup is region's ElastiCache replication group id.
func (d *Deployment) cacheGroup(region string) string {
	if id := d.CacheGroups[region]; id != "" {
		return id
	}
	return names.RegionalData(d.Prefix, region)
}

// natGatewayNames are the Name tags of region's available NAT gateways.
func (d *Deployment) natGatewayNames(region string) []string {
	if tags, ok := d.NatGatewayNames[region]; ok {
		return tags
	}
	var out []string
	for i := 0; i < d.NatGateways[region]; i++ {
		out = append(out, names.NatGateway(d.Prefix, i))
	}
	return out
}

// vpcEndpointName is the Name tag of region's endpoint for service.
func (d *Deployment) vpcEndpointName(region, service string) string {
	if tags, ok := d.VpcEndpointNames[region]; ok {
		return tags[service]
	}
	return names.VpcEndpoint(d.Prefix, service)
}

func (d *Deployment) clusterArn(region string) string {
	return fmt.Sprintf("arn:aws:rds:%s:%s:cluster:%s", region, AccountID, d.clusterID(region))
}

// regionOfCluster returns the region of a cluster named by id or ARN.
func (d *Deployment) regionOfCluster(idOrArn string) string {
	for _, r := range d.Regions {
		if idOrArn == d.clusterID(r) || idOrArn == d.clusterArn(r) {
			return r
		}
	}
	return ""
}

// unrelatedStatusPasses ends an unrelated status after
// UnrelatedStatusDescribes describes.
func (d *Deployment) unrelatedStatusPasses(status *string, n *int) {
	if *status == "" || d.UnrelatedStatusDescribes == 0 {
		return
	}
	if *n++; *n >= d.UnrelatedStatusDescribes {
		*status, *n = "", 0
	}
}

// now is the time on d's Clock.
func (d *Deployment) now() time.Time {
	if d.Clock == nil {
		return time.Now()
	}
	return d.Clock.Now()
}

// start makes p finish after polls describes, or after dur on d's Clock
// with Durations set.
func (d *Deployment) start(p *pending, dur time.Duration) *pending {
	p.left = d.Polls
	p.due = d.now().Add(dur)
	return p
}

// finished moves p one describe on and reports whether it is done.
func (d *Deployment) finished(p *pending) bool {
	if d.Durations != nil {
		return !d.now().Before(p.due)
	}
	p.left--
	return p.left <= 0
}

// Settle makes every change in progress finish at the polls-th describe
// call from now (tests that time a run out mid-change and then resume it).
func (d *Deployment) Settle(polls int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range []*pending{d.aurora, d.cache} {
		if p != nil {
			p.left = polls
		}
	}
}

// DurationsOf is the fake's durations for the budget b's steps (package
// timing: AWS's documented figures and the config's own values), so a run
// against the fake takes, on a virtual clock, what the budget says AWS
// takes. TrafficSwitch is the traffic step's Route 53 part (health checks
// and TTL), which the runbook does not wait for: its traffic step ends when
// S3 shows the switch.
func DurationsOf(b timing.Budget) Durations {
	var d Durations
	for _, name := range []string{"switchover", "failover"} {
		sc, ok := b.Scenario(name)
		if !ok {
			continue
		}
		for _, st := range sc.Steps {
			switch {
			case st.ID == timing.StepAurora && name == "switchover":
				d.AuroraSwitchover = st.Duration
			case st.ID == timing.StepAurora:
				d.AuroraFailover = st.Duration
			case st.ID == timing.StepCache:
				d.CacheFailover = st.Duration
			case st.ID == timing.StepCompute && !st.Manual:
				d.TaskStart = st.Duration
			case st.ID == timing.StepTraffic && !st.Manual:
				d.TrafficSwitch = st.Duration
			case st.ID == timing.StepScaleDown:
				d.TaskStop = st.Duration
			}
		}
	}
	return d
}
