// Package timing holds the durations a region switch takes: AWS's
// documented figures, each with its source (page and section), the
// assumptions made where AWS gives no figure, the settings the app's
// constructs apply (target group health checks, the ECS service's grace
// period), and the RTO budget built from them for a config (Budget).
//
// It imports the standard library only, so the synth (constructs, stacks,
// config) and the runbook both use it without pulling in jsii or the AWS
// SDK; TestTimingImportsOnlyTheStandardLibrary keeps it so.
package timing

import (
	"fmt"
	"time"
)

// Figure is one duration a budget rests on.
type Figure struct {
	// What the duration measures, in a few words.
	What string
	// Duration is the figure's value.
	Duration time.Duration
	// Source names where the figure comes from: an AWS page and section,
	// the app's construct, or the config key.
	Source string
	// Assumed, when set, says that AWS documents no figure for this and
	// why the value was chosen. Empty: the figure is AWS's or the config's.
	Assumed string
}

// The settings the app's constructs apply; the constructs read them from
// here, so the budget and the synthesized resources cannot disagree.
const (
	// TargetHealthCheckInterval is the load balancer target group's health
	// check interval (constructs/compute, aws_lb_target_group
	// health_check.interval).
	TargetHealthCheckInterval = 15 * time.Second
	// TargetHealthyThreshold and TargetUnhealthyThreshold are the target
	// group's consecutive passes and failures that change a target's
	// status. A newly registered target needs one pass only (see
	// NewTargetHealthy).
	TargetHealthyThreshold   = 2
	TargetUnhealthyThreshold = 3
	// TargetDeregistrationDelay is how long the load balancer lets a
	// deregistering target finish its requests (deregistration_delay).
	TargetDeregistrationDelay = 30 * time.Second
	// ServiceHealthCheckGracePeriod is how long ECS ignores failed target
	// health checks of a task it has just started
	// (health_check_grace_period_seconds): a task whose application takes
	// longer to answer is replaced, not waited for.
	ServiceHealthCheckGracePeriod = 60 * time.Second
)

// fargateStopTimeout is how long ECS waits for a Fargate container to exit
// after SIGTERM before it kills it, when the task definition sets no
// stopTimeout (the app's does not).
const fargateStopTimeout = 30 * time.Second

// ControlPlaneRegion is where the control planes of the global services the
// edge needs (CloudFront, Route 53, IAM) run; the failover scenario has it
// dark.
const ControlPlaneRegion = "us-east-1"

// The documented figures and the assumptions, one each.
var (
	// AuroraFailover is FailoverGlobalCluster with data loss allowed: the
	// secondary's reader becomes the writer.
	AuroraFailover = Figure{
		What:     "Aurora global database failover (FailoverGlobalCluster, allow data loss)",
		Duration: time.Minute,
		Source: "Aurora User Guide, \"Using switchover or failover in an Amazon Aurora global database\": RTO \"can be in the order of minutes\" (no figure); " +
			"\"Using Amazon Aurora Global Database\" (overview): a secondary Region is promoted to take full read-write workloads \"in under a minute\"",
		Assumed: "the overview's \"under a minute\", taken as 1 minute",
	}
	// AuroraSwitchover is SwitchoverGlobalCluster: Aurora first
	// synchronizes the secondaries, then swaps the roles.
	AuroraSwitchover = Figure{
		What:     "Aurora global database switchover (SwitchoverGlobalCluster, no data loss)",
		Duration: time.Minute,
		Source: "Aurora User Guide, \"Using switchover or failover in an Amazon Aurora global database\": the secondaries are synchronized first, then \"your database is unavailable for a short time\" (no figure); " +
			"its replication lag is \"directly proportional to the time it'll take\", and the runbook refuses above --max-lag (5 s)",
		Assumed: "as the failover, 1 minute, with replication lag under 5 s",
	}
	// CachePromotion is FailoverGlobalReplicationGroup.
	CachePromotion = Figure{
		What:     "ElastiCache Global Datastore promotion (FailoverGlobalReplicationGroup)",
		Duration: time.Minute,
		Source: "ElastiCache User Guide, \"Promoting the secondary cluster to primary\": the datastore is modifying and \"unavailable until the promotion is complete\" (no figure); " +
			"AWS Disaster Recovery workshop (disaster-recovery.workshop.aws), \"ElastiCache - Global Datastore\": \"RTO: 1 minute\"",
		Assumed: "the workshop's 1 minute",
	}
	// TaskLaunch is a Fargate task from the scheduler's placement to its
	// container running: capacity, network interface, image pull, start.
	TaskLaunch = Figure{
		What:     "Fargate task launch (capacity, network interface, image pull, container start)",
		Duration: 45 * time.Second,
		Source: "ECS Developer Guide, \"Linux containers on Fargate container image pull behavior\": the pull time is \"directly related\" to the launch time (no figure); " +
			"AWS re:Post, \"How to speed up provisioning of ECS Fargate task\": \"normal for new AWS Fargate tasks to take 30-45 seconds or longer to start\"",
		Assumed: "45 s, the re:Post answer's upper figure, for an image of ordinary size; tasks of one service launch together, so desiredCount does not add",
	}
	// NewTargetHealthy is a new task's target passing its first health
	// check: at most one interval after it registers.
	NewTargetHealthy = Figure{
		What:     fmt.Sprintf("new target healthy: its first passing health check (1 x the target group's %s interval)", TargetHealthCheckInterval),
		Duration: TargetHealthCheckInterval,
		Source: "ECS Developer Guide, \"Optimize load balancer health check parameters for Amazon ECS\": \"For newly registered targets, only a single successful health check is required ... " +
			"The healthy threshold count only applies when a target recovers from an unhealthy state\"; interval from constructs/compute (timing.TargetHealthCheckInterval)",
	}
	// RecordFollowsChildren is the calculated health check following the
	// switch check and the endpoint check it is built from.
	RecordFollowsChildren = Figure{
		What:   "the calculated health check and the failover record follow their children",
		Source: "Route 53 Developer Guide, \"Health checks that monitor other health checks (calculated)\" (no figure)",
		// Duration: one health check interval, set by Budget.
		Assumed: "one health check interval",
	}
	// OperatorAction is a person reading a step the runbook hands over
	// (it prints the command or the config change) and starting it.
	OperatorAction = Figure{
		What:     "an operator reads the step the runbook prints and starts it",
		Duration: 2 * time.Minute,
		Source:   "runbook (a step it hands to a person)",
		Assumed:  "2 minutes for a rehearsed operator (docs/game-day.md measures it)",
	}
	// TerraformApply is `npx cdktf deploy` of a region's stacks reaching
	// the resources a switch needs: refresh, plan, apply.
	TerraformApply = Figure{
		What:     "npx cdktf deploy of the region's keys and regional stacks up to the changed resources (refresh, plan, apply)",
		Duration: 2 * time.Minute,
		Source:   "the app's stacks (AWS documents no figure for Terraform)",
		Assumed:  "2 minutes to refresh the stacks' resources and start the changes",
	}
	// NatGatewayCreation is a new NAT gateway from pending to available.
	NatGatewayCreation = Figure{
		What:     "new NAT gateways become available (pending to available)",
		Duration: 3 * time.Minute,
		Source:   "EC2 API Reference, \"NatGateway\" (state pending: \"being created and is not ready to process traffic\"; available) and VPC User Guide, \"NAT gateways\" (no figure)",
		Assumed:  "3 minutes",
	}
	// AuroraInstanceCreation is a DB instance added to a headless
	// secondary cluster becoming available.
	AuroraInstanceCreation = Figure{
		What:     "an Aurora DB instance added to the headless secondary cluster becomes available",
		Duration: 20 * time.Minute,
		Source: "Aurora User Guide, \"Creating an Amazon Aurora DB cluster\": \"it can take up to 20 minutes before the new DB cluster is available\" " +
			"(no figure for adding an instance to an existing cluster)",
		Assumed: "the guide's 20-minute bound for a new cluster and its instance",
	}
	// CloudFrontPropagation is an updated distribution reaching every edge
	// location (status Deployed).
	CloudFrontPropagation = Figure{
		What:     "the edge stack's CloudFront update propagates (distribution status Deployed)",
		Duration: 5 * time.Minute,
		Source:   "CloudFront Developer Guide, \"Update a distribution\": changes take effect once propagated to the edge locations (no figure)",
		Assumed:  "5 minutes",
	}
	// TaskStop is a task leaving the load balancer and stopping when its
	// service scales in.
	TaskStop = Figure{
		What:     fmt.Sprintf("old tasks drain and stop (%s deregistration delay + %s stop timeout, at most)", TargetDeregistrationDelay, fargateStopTimeout),
		Duration: TargetDeregistrationDelay + fargateStopTimeout,
		Source: "ELB User Guide, \"Deregistration delay\" (constructs/compute sets timing.TargetDeregistrationDelay); " +
			"ECS API Reference, \"ContainerDefinition\" stopTimeout: on Fargate \"the default value of 30 seconds is used\"",
	}
)

// The defaults of the Route 53 failover name (config dns.ttl,
// dns.healthCheckInterval, dns.failureThreshold; constructs/dns): a 60 s
// TTL and Route 53's fast checks, 10 s and 3 results.
const (
	DefaultTTL                 = 60
	DefaultHealthCheckInterval = 10
	DefaultFailureThreshold    = 3
)
