package monitoring

import (
	"errors"
	"fmt"
	"strconv"
)

// Thresholds are the limits a region's alarms fire at. DefaultThresholds
// holds the values the documented figures justify.
type Thresholds struct {
	// AuroraReplicationLagSeconds and AuroraRPOLagSeconds: sustained
	// AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag above this, in
	// seconds, for LagMinutes.
	AuroraReplicationLagSeconds float64
	AuroraRPOLagSeconds         float64
	// CacheReplicationLagSeconds: GlobalDatastoreReplicationLag, seconds.
	CacheReplicationLagSeconds float64
	// S3ReplicationLatencySeconds: ReplicationLatency of a rule, seconds.
	S3ReplicationLatencySeconds float64
	// S3FailedOperations: more OperationsFailedReplication than this in 5
	// minutes (0: any failed operation).
	S3FailedOperations float64
	// LoadBalancer5xxPerMinute: HTTPCode_Target_5XX_Count or
	// HTTPCode_ELB_5XX_Count above this per minute, for LagMinutes.
	LoadBalancer5xxPerMinute float64
	// UnhealthyTargets: UnHealthyHostCount above this (0: any unhealthy
	// target), for LagMinutes.
	UnhealthyTargets float64
	// TasksBelowDesiredMinutes: the service runs fewer tasks than desired
	// for this many consecutive minutes.
	TasksBelowDesiredMinutes int
}

// DefaultThresholds are the app's defaults and the figures behind them:
//   - Aurora: a global database replicates "with latency typically under a
//     second" (Aurora User Guide, "Using Amazon Aurora global databases");
//     5 s held for 5 minutes is five times that, and the region-switch
//     runbook refuses a switchover above the same 5 s (--max-lag).
//   - ElastiCache: a Global Datastore replicates in typically under a second
//     (ElastiCache User Guide, "Replication across AWS Regions using global
//     datastores"); same reasoning, 5 s.
//   - S3: Replication Time Control replicates "99.99 percent of new objects
//     within 15 minutes" (S3 User Guide, "Meeting compliance requirements
//     with S3 Replication Time Control"): 900 s is the SLA itself; any
//     failed operation leaves an object that only Batch Replication copies.
//   - ALB: no service figure exists; 10 errors a minute for 5 minutes is a
//     starting point to tune per system (docs/monitoring.md). Any unhealthy target, and
//     fewer tasks than desired for 5 minutes (a replaced Fargate task is
//     normally back within that), mean the active region runs degraded.
func DefaultThresholds() Thresholds {
	return Thresholds{
		AuroraReplicationLagSeconds: 5,
		AuroraRPOLagSeconds:         5,
		CacheReplicationLagSeconds:  5,
		S3ReplicationLatencySeconds: 900,
		S3FailedOperations:          0,
		LoadBalancer5xxPerMinute:    10,
		UnhealthyTargets:            0,
		TasksBelowDesiredMinutes:    5,
	}
}

// Range is the inclusive range a threshold may take, and why.
type Range struct {
	Min, Max float64
	Why      string
}

// Check returns an error naming the range when v is outside it.
func (r Range) Check(v float64) error {
	if v < r.Min || v > r.Max {
		num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
		return fmt.Errorf("%s is out of range: use %s to %s (%s)", num(v), num(r.Min), num(r.Max), r.Why)
	}
	return nil
}

// The ranges each threshold is checked against.
var (
	// LagRange: below 1 s an Aurora or ElastiCache alarm fires on normal
	// operation (typical lag is under a second); above an hour the standby
	// is stale long before anyone hears of it.
	LagRange = Range{Min: 1, Max: 3600, Why: "typical lag is under 1 s; more than an hour leaves the standby stale unnoticed"}
	// S3LatencyRange: S3 publishes ReplicationLatency per minute; more than
	// a day is beyond the alarm's one-day evaluation limit's purpose.
	S3LatencyRange = Range{Min: 60, Max: 86400, Why: "ReplicationLatency is published per minute; RTC's SLA is 900 s"}
	// CountRange bounds count thresholds (failed operations, 5xx, targets).
	CountRange = Range{Min: 0, Max: 1e6, Why: "a count per period"}
	// RateRange bounds LoadBalancer5xxPerMinute: 0 would alarm on the first
	// 5xx, which CloudFront's origin failover already absorbs.
	RateRange = Range{Min: 1, Max: 1e6, Why: "errors per minute; CloudFront retries single failures on the standby"}
	// MinutesRange bounds TasksBelowDesiredMinutes: 1 minute to 1 day.
	MinutesRange = Range{Min: 1, Max: 1440, Why: "consecutive 1-minute periods, at most one day"}
)

// Validate returns every threshold out of range at once.
func (t Thresholds) Validate() error {
	var errs []error
	for _, c := range []struct {
		name string
		v    float64
		r    Range
	}{
		{"AuroraReplicationLagSeconds", t.AuroraReplicationLagSeconds, LagRange},
		{"AuroraRPOLagSeconds", t.AuroraRPOLagSeconds, LagRange},
		{"CacheReplicationLagSeconds", t.CacheReplicationLagSeconds, LagRange},
		{"S3ReplicationLatencySeconds", t.S3ReplicationLatencySeconds, S3LatencyRange},
		{"S3FailedOperations", t.S3FailedOperations, CountRange},
		{"LoadBalancer5xxPerMinute", t.LoadBalancer5xxPerMinute, RateRange},
		{"UnhealthyTargets", t.UnhealthyTargets, CountRange},
		{"TasksBelowDesiredMinutes", float64(t.TasksBelowDesiredMinutes), MinutesRange},
	} {
		if err := c.r.Check(c.v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}
