package monitoring

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchmetricalarm"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	monitoringspec "github.com/pilotlight/pilotlight/spec/monitoring"
)

// RegionalAlarmsProps is what one region watches: its own replication
// endpoints and its web tier. Every metric named here must be published in
// Env's region (metrics.go says where each is).
type RegionalAlarmsProps struct {
	Env awsenv.Env
	// Name starts every alarm's name and names the topic (Name-alarms) and
	// the dashboard (Name-REGION).
	Name string
	// KmsKeyArn encrypts the topic (see AlarmTopicProps).
	KmsKeyArn *string
	// Endpoints are subscribed to the region's topic.
	Endpoints []string
	// Thresholds default to monitoringspec.DefaultThresholds when left zero.
	Thresholds *monitoringspec.Thresholds

	// AuroraCluster is the region's cluster in the global database. A
	// secondary publishes the lag metrics; the primary publishes none, and
	// its alarms stay OK until a switchover makes it a secondary.
	AuroraCluster string
	// AuroraSourceRegions are the regions the cluster may replicate from
	// (every other region of the global database: a switchover moves the
	// primary). The lag alarms read the metric with DBClusterIdentifier
	// alone and with each SourceRegion, and take the largest.
	AuroraSourceRegions []string
	// CacheNodes are the member clusters (nodes) of the region's
	// replication group in the Global Datastore; whichever is the group's
	// primary publishes the lag, so the alarm takes their maximum.
	CacheNodes []string
	// ReplicationInto are the S3 rules whose destination bucket is in this
	// region (ReplicationLatency is published there); ReplicationFrom those
	// whose source bucket is (OperationsFailedReplication).
	ReplicationInto []S3Rule
	ReplicationFrom []S3Rule
	// LoadBalancer and Service are the region's web tier. Every region has
	// the alarms: a standby serves nothing and stays OK, and after a region
	// switch the new active region is already watched.
	LoadBalancer LoadBalancer
	Service      Service
}

// RegionalAlarms is a region's alarm topic, its alarms and its dashboard.
type RegionalAlarms struct {
	constructs.Construct
	Topic     *AlarmTopic
	Dashboard *Dashboard
	// Alarms are the alarms as specified, in the order built.
	Alarms []Alarm
}

// LagMinutes is how long a lag, error or unhealthy reading must hold (one
// data point a minute) before an alarm fires: long enough to ride out a
// write burst or a deployment, short enough to hear within minutes.
const LagMinutes = 5

var alarmPrefix = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,150}$`)

// withDefaults returns p with its defaults applied: the one place they are.
func (p RegionalAlarmsProps) withDefaults() RegionalAlarmsProps {
	if p.Thresholds == nil {
		t := monitoringspec.DefaultThresholds()
		p.Thresholds = &t
	}
	return p
}

// Validate returns every problem in p at once, the alarms' own included.
func (p RegionalAlarmsProps) Validate() error {
	p = p.withDefaults()
	var errs []error
	if p.Env.Provider == nil || p.Env.AccountID == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if !alarmPrefix.MatchString(p.Name) {
		errs = append(errs, fmt.Errorf("Name %q: lower-case letters, digits and -, at most 151", p.Name))
	}
	for i, e := range p.Endpoints {
		if _, err := monitoringspec.ValidateEndpoint(e); err != nil {
			errs = append(errs, fmt.Errorf("Endpoints[%d]: %w", i, err))
		}
	}
	if err := p.Thresholds.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("Thresholds: %w", err))
	}
	if p.LoadBalancer.ArnSuffix == "" || p.LoadBalancer.TargetGroupArnSuffix == "" {
		errs = append(errs, errors.New("LoadBalancer: ArnSuffix and TargetGroupArnSuffix are required"))
	}
	if p.Service.Cluster == "" || p.Service.Service == "" {
		errs = append(errs, errors.New("Service: Cluster and Service are required"))
	}
	if len(p.CacheNodes) > MaxMetricQueries-1 {
		errs = append(errs, fmt.Errorf("CacheNodes: %d; one alarm combines at most %d", len(p.CacheNodes), MaxMetricQueries-1))
	}
	if p.Name != "" {
		for _, a := range p.alarms() {
			if err := a.Validate(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// alarms specifies every alarm of the region; p has its defaults.
func (p RegionalAlarmsProps) alarms() []Alarm {
	t := *p.Thresholds
	sustained := func(a Alarm) Alarm {
		a.PeriodSeconds, a.EvaluationPeriods, a.DatapointsToAlarm = StandardPeriod, LagMinutes, LagMinutes
		a.Comparison = GreaterThanThreshold
		return a
	}
	var out []Alarm
	if p.AuroraCluster != "" {
		lag := func(metric func(cluster, source string) Metric) (metrics []Metric, expression string) {
			metrics = []Metric{metric(p.AuroraCluster, "")}
			for _, r := range p.AuroraSourceRegions {
				metrics = append(metrics, metric(p.AuroraCluster, r))
			}
			if len(metrics) > 1 {
				expression = maxOf(len(metrics))
			}
			return metrics, expression
		}
		replication, replicationExpr := lag(AuroraReplicationLag)
		rpo, rpoExpr := lag(AuroraRPOLag)
		// Missing data is normal: only a secondary publishes the lag.
		out = append(out,
			sustained(Alarm{
				Name:        p.Name + "-aurora-replication-lag",
				Description: fmt.Sprintf("Aurora global database: %s in %s lags the primary region by more than %v s (AuroraGlobalDBReplicationLag, maximum per minute, %d minutes). What to do: pilotlight status shows each region's lag and sync state; read the global cluster's events (aws rds describe-events --source-type db-cluster --region %s). Until the lag is under --max-lag again, switchover refuses, and a failover would lose the writes the RPO lag shows.", p.AuroraCluster, p.Env.Region, t.AuroraReplicationLagSeconds, LagMinutes, p.Env.Region),
				Metrics:     replication, Expression: replicationExpr, Label: "AuroraGlobalDBReplicationLag (ms)",
				// The metric is in milliseconds; the threshold is set in seconds.
				Threshold: t.AuroraReplicationLagSeconds * 1000, TreatMissingData: MissingIsNotBreaching,
			}),
			sustained(Alarm{
				Name:        p.Name + "-aurora-rpo-lag",
				Description: fmt.Sprintf("Aurora global database: committed transactions reach %s in %s more than %v s late (AuroraGlobalDBRPOLag, maximum per minute, %d minutes): the data an unplanned failover would lose. What to do: as for aurora-replication-lag; if the primary region is failing, this is what a failover loses now (pilotlight failover prints it before it acts).", p.AuroraCluster, p.Env.Region, t.AuroraRPOLagSeconds, LagMinutes),
				Metrics:     rpo, Expression: rpoExpr, Label: "AuroraGlobalDBRPOLag (ms)",
				Threshold: t.AuroraRPOLagSeconds * 1000, TreatMissingData: MissingIsNotBreaching,
			}))
	}
	if len(p.CacheNodes) > 0 {
		a := Alarm{
			Name:        p.Name + "-cache-replication-lag",
			Description: fmt.Sprintf("ElastiCache Global Datastore: the group in %s lags the primary region by more than %v s (GlobalDatastoreReplicationLag, maximum over its nodes per minute, %d minutes). What to do: pilotlight status shows the lag and the member's state; read the group's events (aws elasticache describe-events --source-type replication-group --region %s). Until it is under --max-lag again, switchover refuses, and a failover would lose the cache writes of that window.", p.Env.Region, t.CacheReplicationLagSeconds, LagMinutes, p.Env.Region),
			Threshold:   t.CacheReplicationLagSeconds, TreatMissingData: MissingIsNotBreaching,
		}
		for _, n := range p.CacheNodes {
			a.Metrics = append(a.Metrics, CacheReplicationLag(n))
		}
		if len(a.Metrics) > 1 {
			// Only the group's current primary node publishes the lag, and
			// Multi-AZ failover can move that role: take the largest.
			a.Expression, a.Label = maxOf(len(a.Metrics)), "GlobalDatastoreReplicationLag (max over nodes)"
		}
		out = append(out, sustained(a))
	}
	for _, r := range p.ReplicationInto {
		out = append(out, sustained(Alarm{
			Name:        fmt.Sprintf("%s-s3-%s-latency", p.Name, r.Name),
			Description: fmt.Sprintf("S3 replication %s -> %s (rule %s) is more than %v s behind (ReplicationLatency, maximum per minute, %d minutes); Replication Time Control promises 15 minutes. What to do: objects still arrive, late, and a failover now would find the newest missing in the copy; pilotlight status shows the rule, and a source object's x-amz-replication-status (aws s3api head-object) says PENDING until it is copied.", r.SourceBucket, r.DestinationBucket, r.RuleID, t.S3ReplicationLatencySeconds, LagMinutes),
			Metrics:     []Metric{S3ReplicationLatency(r)},
			// The S3 User Guide: set missing data to "ignore (maintain the
			// alarm state)" for replication metrics.
			Threshold: t.S3ReplicationLatencySeconds, TreatMissingData: MissingIsIgnored,
		}))
	}
	for _, r := range p.ReplicationFrom {
		out = append(out, Alarm{
			Name:          fmt.Sprintf("%s-s3-%s-failed", p.Name, r.Name),
			Description:   fmt.Sprintf("S3 replication %s -> %s (rule %s): more than %v operations failed in 5 minutes (OperationsFailedReplication, sum). S3 does not retry a failed object. What to do: fix the cause first (S3 fails an object for missing replication role, KMS or bucket permissions), then copy the objects whose replication status is FAILED with S3 Batch Replication, or upload them again.", r.SourceBucket, r.DestinationBucket, r.RuleID, t.S3FailedOperations),
			Metrics:       []Metric{S3FailedOperations(r)},
			PeriodSeconds: 5 * StandardPeriod, EvaluationPeriods: 1, DatapointsToAlarm: 1,
			Comparison: GreaterThanThreshold, Threshold: t.S3FailedOperations, TreatMissingData: MissingIsIgnored,
		})
	}
	// A region that serves no requests publishes no 5xx counts and, with
	// no registered targets, no target health: OK, not breaching.
	out = append(out,
		sustained(Alarm{
			Name:        p.Name + "-alb-target-5xx",
			Description: fmt.Sprintf("The application in %s returned more than %v 5xx responses a minute for %d minutes (HTTPCode_Target_5XX_Count, sum). What to do: read the service's container logs%s in %s; a recent deploy, the database or the cache are the first suspects.", p.Env.Region, t.LoadBalancer5xxPerMinute, LagMinutes, p.Service.logs(), p.Env.Region),
			Metrics:     []Metric{TargetErrors(p.LoadBalancer)},
			Threshold:   t.LoadBalancer5xxPerMinute, TreatMissingData: MissingIsNotBreaching,
		}),
		// Without the 503s (no registered or healthy target): a standby has
		// no tasks and answers every Route 53 health check with one, dozens
		// a minute; in the active region the unhealthy-targets and
		// tasks-below-desired alarms cover that case.
		sustained(Alarm{
			Name:        p.Name + "-alb-5xx",
			Description: fmt.Sprintf("The load balancer in %s returned more than %v 5xx responses a minute other than 503 for %d minutes (HTTPCode_ELB_5XX_Count - HTTPCode_ELB_503_Count, sums): targets failing connections (502) or timing out (504). What to do: check the targets (aws elbv2 describe-target-health --region %s) and the tasks' logs%s; 504s mean the application did not answer within the load balancer's idle timeout.", p.Env.Region, t.LoadBalancer5xxPerMinute, LagMinutes, p.Env.Region, p.Service.logs()),
			Metrics:     []Metric{LoadBalancerErrors(p.LoadBalancer), LoadBalancerUnavailable(p.LoadBalancer)},
			// FILL: a minute with 502s and no 503 must not drop the point.
			Expression: queryID(0) + " - FILL(" + queryID(1) + ", 0)", Label: "ELB 5xx other than 503",
			Threshold: t.LoadBalancer5xxPerMinute, TreatMissingData: MissingIsNotBreaching,
		}),
		sustained(Alarm{
			Name:        p.Name + "-alb-unhealthy-targets",
			Description: fmt.Sprintf("More than %v targets in %s failed health checks for %d minutes (UnHealthyHostCount, maximum). What to do: aws elbv2 describe-target-health --region %s gives each target's reason; the tasks' logs%s say why the health check path fails.", t.UnhealthyTargets, p.Env.Region, LagMinutes, p.Env.Region, p.Service.logs()),
			Metrics:     []Metric{UnhealthyTargets(p.LoadBalancer)},
			Threshold:   t.UnhealthyTargets, TreatMissingData: MissingIsNotBreaching,
		}),
		Alarm{
			Name:        p.Name + "-ecs-tasks-below-desired",
			Description: fmt.Sprintf("The ECS service %s in %s ran fewer tasks than desired for %d minutes (Container Insights DesiredTaskCount - RunningTaskCount). A standby desires 0 and stays OK. What to do: the service's events say why tasks stop or do not start (aws ecs describe-services --cluster %s --services %s --region %s): an image that cannot be pulled, a secret that cannot be read, or no way out of the VPC (a standby region without NAT gateways: its regional deploy creates them).", p.Service.Service, p.Env.Region, t.TasksBelowDesiredMinutes, p.Service.Cluster, p.Service.Service, p.Env.Region),
			Metrics:     []Metric{DesiredTasks(p.Service), RunningTasks(p.Service)},
			Expression:  queryID(0) + " - " + queryID(1), Label: "tasks below desired",
			PeriodSeconds: StandardPeriod, EvaluationPeriods: t.TasksBelowDesiredMinutes, DatapointsToAlarm: t.TasksBelowDesiredMinutes,
			Comparison: GreaterThanOrEqualToThreshold, Threshold: 1, TreatMissingData: MissingIsNotBreaching,
		})
	return out
}

// logs names the service's log group for a description, if known.
func (s Service) logs() string {
	if s.LogGroup == "" {
		return ""
	}
	return " (log group " + s.LogGroup + ")"
}

// maxOf is the metric-math expression for the largest of n metrics' values
// at each period: MAX over an array of metric ids ("Metric math syntax and
// functions", CloudWatch User Guide).
func maxOf(n int) string {
	expr := "MAX(["
	for i := 0; i < n; i++ {
		if i > 0 {
			expr += ", "
		}
		expr += queryID(i)
	}
	return expr + "])"
}

// NewRegionalAlarms adds the region's topic, alarms and dashboard to scope.
func NewRegionalAlarms(scope constructs.Construct, id string, props RegionalAlarmsProps) (*RegionalAlarms, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("monitoring.RegionalAlarms %s: %w", id, err)
	}
	props = props.withDefaults()
	env := props.Env
	c := constructs.NewConstruct(scope, jsii.String(id))
	topic, err := NewAlarmTopic(c, "topic", AlarmTopicProps{Env: env, Name: props.Name + "-alarms", KmsKeyArn: props.KmsKeyArn, Endpoints: props.Endpoints})
	if err != nil {
		return nil, fmt.Errorf("monitoring.RegionalAlarms %s: %w", id, err)
	}
	alarms := props.alarms()
	actions := &[]*string{topic.Arn}
	for _, a := range alarms {
		cfg := &cloudwatchmetricalarm.CloudwatchMetricAlarmConfig{
			Provider:           env.Provider,
			AlarmName:          jsii.String(a.Name),
			AlarmDescription:   jsii.String(a.Description),
			ComparisonOperator: jsii.String(a.Comparison),
			Threshold:          jsii.Number(a.Threshold),
			EvaluationPeriods:  jsii.Number(a.EvaluationPeriods),
			DatapointsToAlarm:  jsii.Number(a.DatapointsToAlarm),
			TreatMissingData:   jsii.String(a.TreatMissingData),
			// Notified both ways, so a page is followed by its all-clear.
			AlarmActions: actions,
			OkActions:    actions,
		}
		if a.Expression == "" {
			m := a.Metrics[0]
			cfg.Namespace, cfg.MetricName, cfg.Statistic = jsii.String(m.Namespace), jsii.String(m.Name), jsii.String(m.Statistic)
			cfg.Period = jsii.Number(a.PeriodSeconds)
			cfg.Dimensions = dimensionMap(m)
		} else {
			// With metric_query the alarm sets no metric, period or
			// statistic of its own (aws_cloudwatch_metric_alarm).
			var queries []*cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQuery
			for i, m := range a.Metrics {
				queries = append(queries, &cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQuery{
					Id:         jsii.String(queryID(i)),
					ReturnData: jsii.Bool(false),
					Metric: &cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQueryMetric{
						Namespace: jsii.String(m.Namespace), MetricName: jsii.String(m.Name),
						Stat: jsii.String(m.Statistic), Period: jsii.Number(a.PeriodSeconds),
						Dimensions: dimensionMap(m),
					},
				})
			}
			queries = append(queries, &cloudwatchmetricalarm.CloudwatchMetricAlarmMetricQuery{
				Id: jsii.String("e"), Expression: jsii.String(a.Expression), Label: jsii.String(a.Label), ReturnData: jsii.Bool(true),
			})
			cfg.MetricQuery = queries
		}
		cloudwatchmetricalarm.NewCloudwatchMetricAlarm(c, jsii.String(a.Name[len(props.Name)+1:]), cfg)
	}
	dashboard, err := NewDashboard(c, "dashboard", DashboardProps{Env: env, Name: props.Name + "-" + env.Region, Alarms: alarms})
	if err != nil {
		return nil, fmt.Errorf("monitoring.RegionalAlarms %s: %w", id, err)
	}
	return &RegionalAlarms{Construct: c, Topic: topic, Dashboard: dashboard, Alarms: alarms}, nil
}

func dimensionMap(m Metric) *map[string]*string {
	out := map[string]*string{}
	for _, d := range m.Dimensions {
		out[d.Name] = jsii.String(d.Value)
	}
	return &out
}
