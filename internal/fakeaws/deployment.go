package fakeaws

import (
	"fmt"
	"sort"
	"sync"
)

// Deployment is the state of a deployed pilotlight system, as the runbook
// commands (status, switchover, failover, failback) read and change it: the
// Aurora global cluster, the ElastiCache Global Datastore, each region's ECS
// service and target group, and the replication-lag metrics. Changes that AWS
// makes asynchronously (a switchover, a datastore failover, tasks starting)
// take Polls describe calls to finish, so callers must wait for them as they
// would against AWS.
//
// Serve it on a Server with Server.Deploy. Fields may be set before that;
// afterwards use the methods, which lock.
type Deployment struct {
	mu sync.Mutex

	// Prefix is config.Names().Prefix(): the global cluster's id and the
	// stem of every regional identifier (Prefix-REGION).
	Prefix string
	// Regions are the app's regions, primary first.
	Regions []string
	// Writer is the region whose Aurora cluster writes.
	Writer string
	// Instances is the number of Aurora instances per region (0 = headless).
	Instances map[string]int
	// Sync is each region's Aurora SynchronizationStatus (default connected).
	Sync map[string]string
	// AuroraLagMs is AuroraGlobalDBReplicationLag per secondary region, in
	// milliseconds.
	AuroraLagMs map[string]float64
	// CacheGlobalID is the Global Datastore's full id (AWS prefixes the
	// suffix the app chose, here with "fake-").
	CacheGlobalID string
	// CachePrimary is the region whose replication group is the primary.
	CachePrimary string
	// CacheLagSec is GlobalDatastoreReplicationLag per secondary region, in
	// seconds.
	CacheLagSec map[string]float64
	// Cluster, Service and TargetGroup are the ECS and ELB names
	// (config.Names()); Desired and Running count tasks per region.
	Cluster, Service, TargetGroup string
	Desired, Running              map[string]int
	// NatGateways counts each region's available NAT gateways, tagged
	// Name=Cluster-nat-N as the network construct tags them.
	NatGateways map[string]int
	// VpcEndpoints lists each region's available VPC endpoints by service
	// (ecr.api, s3, ...), tagged Name=Prefix-endpoint-SERVICE as the
	// network construct tags them.
	VpcEndpoints map[string][]string
	// Images lists each region's private ECR images as REPOSITORY:TAG (or
	// REPOSITORY@DIGEST), in the fake account's registry.
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
	// Polls is how many describe calls an asynchronous change takes (default 3).
	Polls int

	replication map[string][]ReplicationRule // "REGION/BUCKET"

	aurora *pending // switchover or failover in progress
	cache  *pending
	// Mutations counts each mutating call, by "region service Action".
	mutations map[string]int
}

type pending struct {
	to       string // target region
	left     int    // describe calls until done
	dataLoss bool
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
		Instances: map[string]int{}, Sync: map[string]string{}, AuroraLagMs: map[string]float64{},
		CacheGlobalID: "fake-" + prefix, CachePrimary: regions[0], CacheLagSec: map[string]float64{},
		Cluster: cluster, Service: service, TargetGroup: targetGroup,
		Desired: map[string]int{}, Running: map[string]int{}, NatGateways: map[string]int{}, Polls: 3,
		VpcEndpoints: map[string][]string{}, Images: map[string][]string{}, SwitchState: map[string]string{}, SwitchBuckets: map[string]string{},
		mutations: map[string]int{},
	}
	for i, r := range regions {
		d.Instances[r] = 1
		d.Sync[r] = "connected"
		if i > 0 {
			d.AuroraLagMs[r] = 20
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
		return ec2(r)
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
	d.CacheLagSec[region] = 0.5
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

func (d *Deployment) clusterID(region string) string { return d.Prefix + "-" + region }

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
