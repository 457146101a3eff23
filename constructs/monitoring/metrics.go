package monitoring

// The metrics the pilot light is watched by. Each constructor states the
// documented namespace, name, dimensions, unit and the region the metric is
// published in; the source is the page named.

// Namespaces of the services watched.
const (
	RDSNamespace            = "AWS/RDS"
	ElastiCacheNamespace    = "AWS/ElastiCache"
	S3Namespace             = "AWS/S3"
	ApplicationELBNamespace = "AWS/ApplicationELB"
	ContainerInsights       = "ECS/ContainerInsights"
)

// AuroraReplicationLag is AuroraGlobalDBReplicationLag of cluster: "For an
// Aurora Global Database, the amount of lag when replicating updates from
// the primary AWS Region", in milliseconds, published by a secondary
// cluster in its own region (Aurora User Guide, "Amazon CloudWatch metrics
// for Amazon Aurora", cluster-level metrics; dimension DBClusterIdentifier,
// "Amazon CloudWatch dimensions for Aurora").
//
// With sourceRegion set, the metric is the one also dimensioned by
// SourceRegion ("Amazon CloudWatch dimensions for Aurora" lists it; which
// combinations Aurora publishes the global metrics under is not documented,
// so the alarms read both and take the larger).
func AuroraReplicationLag(cluster, sourceRegion string) Metric {
	return auroraMetric("AuroraGlobalDBReplicationLag", cluster, sourceRegion)
}

func auroraMetric(name, cluster, sourceRegion string) Metric {
	m := Metric{Namespace: RDSNamespace, Name: name, Statistic: "Maximum", Dimensions: []Dimension{{"DBClusterIdentifier", cluster}}}
	if sourceRegion != "" {
		m.Dimensions = append(m.Dimensions, Dimension{"SourceRegion", sourceRegion})
	}
	return m
}

// AuroraRPOLag is AuroraGlobalDBRPOLag of cluster: "the recovery point
// objective (RPO) lag time. This metric measures how far the secondary
// cluster is behind the primary cluster for user transactions", in
// milliseconds: the writes a failover would lose (same pages and
// dimensions as AuroraReplicationLag).
func AuroraRPOLag(cluster, sourceRegion string) Metric {
	return auroraMetric("AuroraGlobalDBRPOLag", cluster, sourceRegion)
}

// CacheReplicationLag is GlobalDatastoreReplicationLag of one node
// (CacheClusterId, a member cluster of the replication group): "the lag
// between the secondary Region's primary node and the primary Region's
// primary node", in seconds. ElastiCache calculates its metrics "at the
// cache node level" (ElastiCache User Guide, "Metrics for Valkey and Redis
// OSS"), so the secondary group's current primary node publishes it, in the
// secondary's region.
func CacheReplicationLag(node string) Metric {
	return Metric{Namespace: ElastiCacheNamespace, Name: "GlobalDatastoreReplicationLag", Statistic: "Maximum",
		Dimensions: []Dimension{{"CacheClusterId", node}}}
}

// S3Rule is one S3 replication rule as its metrics name it (S3 User Guide,
// "Metrics and dimensions", S3 Replication dimensions: SourceBucket,
// DestinationBucket, RuleId).
type S3Rule struct {
	// Name is a short name for alarm names, such as data-to-us-west-2.
	Name              string
	SourceBucket      string
	DestinationBucket string
	RuleID            string
}

func (r S3Rule) dimensions() []Dimension {
	return []Dimension{{"SourceBucket", r.SourceBucket}, {"DestinationBucket", r.DestinationBucket}, {"RuleId", r.RuleID}}
}

// S3ReplicationLatency is ReplicationLatency of rule: "The maximum number of
// seconds by which the replication destination bucket is behind the source
// bucket for a given replication rule"; valid statistic Max; "published in
// the Region of the destination bucket" (S3 User Guide, "Using S3
// Replication metrics"). Published only while the rule has replication
// metrics enabled (on with Replication Time Control, or on their own).
func S3ReplicationLatency(rule S3Rule) Metric {
	return Metric{Namespace: S3Namespace, Name: "ReplicationLatency", Statistic: "Maximum", Dimensions: rule.dimensions()}
}

// S3FailedOperations is OperationsFailedReplication of rule: "The number of
// operations that failed replication for a given replication rule"; valid
// statistic Sum for the total; "published in the Region of the source
// bucket" (same page).
func S3FailedOperations(rule S3Rule) Metric {
	return Metric{Namespace: S3Namespace, Name: "OperationsFailedReplication", Statistic: "Sum", Dimensions: rule.dimensions()}
}

// LoadBalancer identifies an Application Load Balancer and its target group
// by ARN suffix (aws_lb and aws_lb_target_group arn_suffix), the values of
// the LoadBalancer and TargetGroup dimensions (ELB User Guide, "CloudWatch
// metrics for your Application Load Balancer").
type LoadBalancer struct {
	ArnSuffix            string
	TargetGroupArnSuffix string
}

// TargetErrors is HTTPCode_Target_5XX_Count: 5xx responses the targets
// returned, summed per period (same page; dimension LoadBalancer).
func TargetErrors(lb LoadBalancer) Metric {
	return Metric{Namespace: ApplicationELBNamespace, Name: "HTTPCode_Target_5XX_Count", Statistic: "Sum",
		Dimensions: []Dimension{{"LoadBalancer", lb.ArnSuffix}}}
}

// LoadBalancerErrors is HTTPCode_ELB_5XX_Count: 5xx responses the load
// balancer itself returned (no healthy target: 503; a target that failed
// the connection: 502; a timeout: 504), summed per period (same page).
func LoadBalancerErrors(lb LoadBalancer) Metric {
	return Metric{Namespace: ApplicationELBNamespace, Name: "HTTPCode_ELB_5XX_Count", Statistic: "Sum",
		Dimensions: []Dimension{{"LoadBalancer", lb.ArnSuffix}}}
}

// LoadBalancerUnavailable is HTTPCode_ELB_503_Count: the 503s the load
// balancer returned because no target was registered or healthy, summed
// per period (same page).
func LoadBalancerUnavailable(lb LoadBalancer) Metric {
	return Metric{Namespace: ApplicationELBNamespace, Name: "HTTPCode_ELB_503_Count", Statistic: "Sum",
		Dimensions: []Dimension{{"LoadBalancer", lb.ArnSuffix}}}
}

// UnhealthyTargets is UnHealthyHostCount of the target group: targets that
// fail health checks (same page; dimensions TargetGroup, LoadBalancer).
func UnhealthyTargets(lb LoadBalancer) Metric {
	return Metric{Namespace: ApplicationELBNamespace, Name: "UnHealthyHostCount", Statistic: "Maximum",
		Dimensions: []Dimension{{"TargetGroup", lb.TargetGroupArnSuffix}, {"LoadBalancer", lb.ArnSuffix}}}
}

// Service identifies an ECS service, as Container Insights names it.
type Service struct {
	Cluster string
	Service string
	// LogGroup is the CloudWatch Logs group its containers write to; the
	// alarms' descriptions name it as where to look (optional).
	LogGroup string
}

func (s Service) dimensions() []Dimension {
	return []Dimension{{"ClusterName", s.Cluster}, {"ServiceName", s.Service}}
}

// RunningTasks is RunningTaskCount: "The number of tasks currently in the
// RUNNING state"; DesiredTasks is DesiredTaskCount: "The desired number of
// tasks for an Amazon ECS service". Both in ECS/ContainerInsights with
// dimensions ServiceName, ClusterName, published only for clusters with
// Container Insights on (CloudWatch User Guide, "Amazon ECS Container
// Insights metrics").
func RunningTasks(s Service) Metric {
	return Metric{Namespace: ContainerInsights, Name: "RunningTaskCount", Statistic: "Minimum", Dimensions: s.dimensions()}
}

// DesiredTasks is DesiredTaskCount (see RunningTasks).
func DesiredTasks(s Service) Metric {
	return Metric{Namespace: ContainerInsights, Name: "DesiredTaskCount", Statistic: "Maximum", Dimensions: s.dimensions()}
}
