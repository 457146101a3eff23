package cost

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// NoCharge is a resource type that costs nothing standing.
type NoCharge struct {
	// Reason says why, and what (if anything) it bills by use.
	Reason string
	// Global marks a global service's type: its resources are listed under
	// Global, whichever region their provider names.
	Global bool
}

// FreeTypes are the resource types with no standing charge of their own.
// Every type the app synthesizes is either here or has a rule in rules.
var FreeTypes = map[string]NoCharge{
	"aws_iam_role":        {Reason: "free: IAM has no charge", Global: true},
	"aws_iam_role_policy": {Reason: "free: IAM has no charge", Global: true},

	"aws_vpc":                             {Reason: "free: a VPC has no charge of its own (traffic is billed as data transfer)"},
	"aws_subnet":                          {Reason: "free"},
	"aws_route_table":                     {Reason: "free"},
	"aws_route":                           {Reason: "free"},
	"aws_route_table_association":         {Reason: "free"},
	"aws_internet_gateway":                {Reason: "free: no charge for the gateway (traffic is billed as data transfer)"},
	"aws_security_group":                  {Reason: "free"},
	"aws_default_security_group":          {Reason: "free"},
	"aws_vpc_security_group_ingress_rule": {Reason: "free"},
	"aws_vpc_security_group_egress_rule":  {Reason: "free"},
	"aws_db_subnet_group":                 {Reason: "free"},
	"aws_elasticache_subnet_group":        {Reason: "free"},

	"aws_rds_global_cluster": {Reason: "no charge of its own: Aurora bills the member clusters (instances, storage, replicated write I/Os) and the transfer between regions, priced on the clusters"},

	"aws_kms_alias": {Reason: "free: aliases have no charge"},

	"aws_lb_listener":     {Reason: "no charge of its own: traffic is billed on the load balancer's capacity units"},
	"aws_lb_target_group": {Reason: "no charge of its own: traffic is billed on the load balancer's capacity units"},

	"aws_ecs_cluster":         {Reason: "no charge for the cluster; Container Insights bills the metrics and performance log events it publishes while tasks run"},
	"aws_ecs_task_definition": {Reason: "free: a definition runs nothing"},

	"aws_secretsmanager_secret_version": {Reason: "no charge of its own: versions belong to their secret, priced on the secret"},

	"aws_s3_bucket_versioning":                           {Reason: "no charge of its own: old versions are stored, and billed, as the bucket's storage"},
	"aws_s3_bucket_policy":                               {Reason: "free"},
	"aws_s3_bucket_public_access_block":                  {Reason: "free"},
	"aws_s3_bucket_server_side_encryption_configuration": {Reason: "free (the KMS requests it makes are billed per request)"},
	"aws_s3_bucket_ownership_controls":                   {Reason: "free"},
	"aws_s3_bucket_lifecycle_configuration":              {Reason: "no standing charge (transitions are billed per request)"},
	"aws_s3_bucket_logging":                              {Reason: "no charge of its own: the log objects are stored in, and billed to, the log bucket"},

	"aws_sns_topic":              {Reason: "no standing charge: publishes and deliveries are billed per request (alarm notifications: a few a month)"},
	"aws_sns_topic_policy":       {Reason: "free"},
	"aws_sns_topic_subscription": {Reason: "no standing charge: deliveries are billed per request"},

	"aws_acm_certificate":            {Reason: "free: public ACM certificates have no charge"},
	"aws_acm_certificate_validation": {Reason: "free"},

	"aws_route53_record": {Reason: "no standing charge: records are included in their hosted zone; Route 53 bills queries per million (queries for alias records to AWS resources are free)", Global: true},

	"aws_cloudfront_distribution": {Reason: "no standing charge (pay as you go): requests and GB served are the system's traffic, billed with or without a standby", Global: true},
}

// rule prices one resource: its standing lines and usage formulas.
type rule func(a *App, r Resource) ([]Line, []Usage, error)

// rules price each chargeable resource type by its arguments.
var rules = map[string]rule{
	"aws_rds_cluster_instance":                 auroraInstanceRule,
	"aws_rds_cluster":                          auroraClusterRule,
	"aws_elasticache_replication_group":        cacheGroupRule,
	"aws_elasticache_global_replication_group": cacheGlobalRule,
	"aws_nat_gateway":                          natGatewayRule,
	"aws_eip":                                  eipRule,
	"aws_vpc_endpoint":                         vpcEndpointRule,
	"aws_lb":                                   loadBalancerRule,
	"aws_kms_key":                              kmsKeyRule,
	"aws_cloudwatch_metric_alarm":              alarmRule,
	"aws_cloudwatch_dashboard":                 dashboardRule,
	"aws_cloudwatch_log_group":                 logGroupRule,
	"aws_flow_log":                             flowLogRule,
	"aws_route53_health_check":                 healthCheckRule,
	"aws_route53_zone":                         hostedZoneRule,
	"aws_secretsmanager_secret":                secretRule,
	"aws_s3_bucket":                            bucketRule,
	"aws_s3_bucket_replication_configuration":  replicationRule,
	"aws_ecs_service":                          ecsServiceRule,
}

func str(r Resource, key string) (string, bool) {
	s, ok := r.Args[key].(string)
	return s, ok
}

// literal returns a string argument that is a value, not a reference.
func literal(r Resource, key string) (string, error) {
	s, ok := str(r, key)
	if !ok || s == "" {
		return "", fmt.Errorf("%s is not set", key)
	}
	if strings.Contains(s, "${") {
		return "", fmt.Errorf("%s is %s, a reference the estimate cannot price; set it literally", key, s)
	}
	return s, nil
}

// number reads a numeric argument, given as a number or a decimal string.
func number(r Resource, key string) (float64, bool, error) {
	switch v := r.Args[key].(type) {
	case nil:
		return 0, false, nil
	case float64:
		return v, true, nil
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, true, fmt.Errorf("%s is %q, not a number", key, v)
		}
		return f, true, nil
	default:
		return 0, true, fmt.Errorf("%s is %v, not a number", key, v)
	}
}

func boolean(r Resource, key string) bool {
	switch v := r.Args[key].(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

// list reads a list argument; a reference standing for a whole list cannot
// be counted and is an error.
func list(r Resource, key string) ([]any, error) {
	switch v := r.Args[key].(type) {
	case []any:
		return v, nil
	case nil:
		return nil, nil
	default:
		return nil, fmt.Errorf("%s is %v, not a list the estimate can count", key, v)
	}
}

// blocks reads a nested block, given as an object or a list of objects.
func blocks(v any) []map[string]any {
	switch b := v.(type) {
	case map[string]any:
		return []map[string]any{b}
	case []any:
		var out []map[string]any
		for _, x := range b {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func auroraInstanceRule(_ *App, r Resource) ([]Line, []Usage, error) {
	if e, _ := str(r, "engine"); e != "aurora-postgresql" {
		return nil, nil, fmt.Errorf("engine %q: the price table holds Aurora PostgreSQL prices only", e)
	}
	class, err := literal(r, "instance_class")
	if err != nil {
		return nil, nil, err
	}
	p, ok := AuroraInstanceHour[class]
	if !ok {
		return nil, nil, fmt.Errorf("no price for instance class %s in AuroraInstanceHour (internal/cost/prices.go); add it from %s", class, pageAurora)
	}
	return []Line{newLine(r, r.Region, "Aurora instances", class, 1, p)}, nil, nil
}

func auroraClusterRule(a *App, r Resource) ([]Line, []Usage, error) {
	if e, _ := str(r, "engine"); e != "aurora-postgresql" {
		return nil, nil, fmt.Errorf("engine %q: the price table holds Aurora PostgreSQL prices only", e)
	}
	if st, _ := str(r, "storage_type"); st != "" && st != "aurora" {
		return nil, nil, fmt.Errorf("storage_type %q: the price table holds Aurora Standard prices only", st)
	}
	instances := 0
	for _, other := range a.Resources {
		if other.Stack != r.Stack || other.Type != "aws_rds_cluster_instance" {
			continue
		}
		ref, _ := str(other, "cluster_identifier")
		if c, ok := a.Resolve(other.Stack, ref); ok && c.Type == r.Type && c.Name == r.Name {
			instances++
		}
	}
	var lines []Line
	if instances == 0 {
		// A headless secondary: storage only, no instance hours.
		lines = append(lines, Line{Region: r.Region, Kind: "Aurora instances", Detail: "none: headless (storage only)", Resources: []string{r.Address()}})
	}
	usage := []Usage{
		{Region: r.Region, Kind: "Aurora storage", Prices: []Price{AuroraStorage},
			Formula: fmt.Sprintf("%s per GB-month of the database's size: each region keeps a full copy", Money(AuroraStorage.USD))},
		{Region: r.Region, Kind: "Aurora backups", Prices: []Price{AuroraBackup},
			Formula: fmt.Sprintf("%s per GB-month of backups beyond the cluster's size (retention %v days)", Money(AuroraBackup.USD), r.Args["backup_retention_period"])},
	}
	if g, _ := str(r, "global_cluster_identifier"); g != "" {
		usage = append(usage,
			Usage{Region: r.Region, Kind: "Aurora replicated writes", Prices: []Price{AuroraReplicatedWriteIO},
				Formula: fmt.Sprintf("%s per million write I/Os replicated into this region while its cluster is a secondary (about the writer's write I/Os)", Money(AuroraReplicatedWriteIO.USD))},
			Usage{Region: Between, Kind: "Aurora Global Database replication", Prices: []Price{InterRegionGB}, Link: true,
				Formula: fmt.Sprintf("%s per GB of changes sent from the writer's region to each secondary region", Money(InterRegionGB.USD))})
	}
	return lines, usage, nil
}

// cacheNodeType finds a replication group's node type: its own, or for a
// Global Datastore secondary, the global group's (or its primary group's).
func cacheNodeType(a *App, r Resource) (string, error) {
	if t, ok := str(r, "node_type"); ok && t != "" {
		return literal(r, "node_type")
	}
	ref, ok := str(r, "global_replication_group_id")
	if !ok {
		return "", fmt.Errorf("node_type is not set and the group joins no Global Datastore")
	}
	g, ok := a.Resolve(r.Stack, ref)
	if !ok || g.Type != "aws_elasticache_global_replication_group" {
		return "", fmt.Errorf("node_type is not set and global_replication_group_id %s leads to no aws_elasticache_global_replication_group in the app", ref)
	}
	if t, ok := str(*g, "cache_node_type"); ok && t != "" {
		return literal(*g, "cache_node_type")
	}
	pref, _ := str(*g, "primary_replication_group_id")
	p, ok := a.Resolve(g.Stack, pref)
	if !ok || p.Type != r.Type {
		return "", fmt.Errorf("node_type is not set, and neither the global group %s nor its primary group names one", g.Address())
	}
	return literal(*p, "node_type")
}

func cacheGroupRule(a *App, r Resource) ([]Line, []Usage, error) {
	if e, ok := str(r, "engine"); ok && e != "redis" {
		return nil, nil, fmt.Errorf("engine %q: the price table holds Redis OSS node prices only", e)
	}
	nodeType, err := cacheNodeType(a, r)
	if err != nil {
		return nil, nil, err
	}
	p, ok := CacheNodeHour[nodeType]
	if !ok {
		return nil, nil, fmt.Errorf("no price for node type %s in CacheNodeHour (internal/cost/prices.go); add it from %s", nodeType, pageElastiCache)
	}
	nodes, set, err := number(r, "num_cache_clusters")
	if err != nil {
		return nil, nil, err
	}
	if !set {
		groups, gset, err := number(r, "num_node_groups")
		if err != nil {
			return nil, nil, err
		}
		replicas, _, err := number(r, "replicas_per_node_group")
		if err != nil {
			return nil, nil, err
		}
		if !gset {
			return nil, nil, fmt.Errorf("neither num_cache_clusters nor num_node_groups is set: the node count is unknown")
		}
		nodes = groups * (replicas + 1)
	}
	if nodes < 1 {
		return nil, nil, fmt.Errorf("%v nodes: a replication group has at least one", nodes)
	}
	return []Line{newLine(r, r.Region, "ElastiCache nodes", nodeType, nodes, p)}, nil, nil
}

func cacheGlobalRule(_ *App, r Resource) ([]Line, []Usage, error) {
	return nil, []Usage{{Region: Between, Kind: "ElastiCache Global Datastore replication", Prices: []Price{InterRegionGB}, Link: true,
		Formula: fmt.Sprintf("%s per GB of cache writes sent from the primary region to each secondary region (the global datastore itself has no charge)", Money(InterRegionGB.USD))}}, nil
}

func natGatewayRule(_ *App, r Resource) ([]Line, []Usage, error) {
	return []Line{newLine(r, r.Region, "NAT gateways", "", 1, NATGatewayHour)},
		[]Usage{{Region: r.Region, Kind: "NAT gateways", Prices: []Price{NATGatewayGB},
			Formula: fmt.Sprintf("%s per GB processed, both directions (image pulls, logs, secrets, calls out)", Money(NATGatewayGB.USD))}}, nil
}

func eipRule(_ *App, r Resource) ([]Line, []Usage, error) {
	if pool, _ := str(r, "public_ipv4_pool"); pool != "" && pool != "amazon" {
		return nil, nil, fmt.Errorf("public_ipv4_pool %q: addresses you bring (BYOIP) are not priced by the table", pool)
	}
	return []Line{newLine(r, r.Region, "Public IPv4 addresses", "Elastic IP", 1, PublicIPv4Hour)}, nil, nil
}

func vpcEndpointRule(_ *App, r Resource) ([]Line, []Usage, error) {
	typ, _ := str(r, "vpc_endpoint_type")
	switch typ {
	case "Gateway":
		return []Line{{Region: r.Region, Kind: "VPC gateway endpoints", Detail: "no charge", Count: 1, Resources: []string{r.Address()}}}, nil, nil
	case "Interface":
	default:
		return nil, nil, fmt.Errorf("vpc_endpoint_type %q: only Interface and Gateway endpoints are priced", typ)
	}
	subnets, err := list(r, "subnet_ids")
	if err != nil {
		return nil, nil, err
	}
	if len(subnets) == 0 {
		return nil, nil, fmt.Errorf("subnet_ids is empty: an interface endpoint is billed per Availability Zone it is in, so its cost is unknown")
	}
	azs := float64(len(subnets))
	return []Line{newLine(r, r.Region, "Interface VPC endpoints", fmt.Sprintf("%d AZs", len(subnets)), azs, InterfaceEndpointHour)},
		[]Usage{{Region: r.Region, Kind: "Interface VPC endpoints", Prices: []Price{InterfaceEndpointGB},
			Formula: fmt.Sprintf("%s per GB processed (the first PB a month)", Money(InterfaceEndpointGB.USD))}}, nil
}

func loadBalancerRule(_ *App, r Resource) ([]Line, []Usage, error) {
	if t, ok := str(r, "load_balancer_type"); ok && t != "application" {
		return nil, nil, fmt.Errorf("load_balancer_type %q: only Application Load Balancers are priced", t)
	}
	if boolean(r, "internal") {
		return []Line{newLine(r, r.Region, "Application Load Balancers", "internal", 1, ALBHour)}, albUsage(r), nil
	}
	// Internet-facing: a public IPv4 address in each subnet's AZ.
	subnets, err := list(r, "subnets")
	if err != nil {
		return nil, nil, err
	}
	if len(subnets) == 0 {
		if subnets, err = list(r, "subnet_mapping"); err != nil {
			return nil, nil, err
		}
	}
	if len(subnets) == 0 {
		return nil, nil, fmt.Errorf("internet-facing with no subnets: it holds a public IPv4 address per Availability Zone, so their count is unknown")
	}
	lines := []Line{
		newLine(r, r.Region, "Application Load Balancers", "internet-facing", 1, ALBHour),
		newLine(r, r.Region, "Public IPv4 addresses", "load balancer, one per AZ", float64(len(subnets)), PublicIPv4Hour),
	}
	return lines, albUsage(r), nil
}

func albUsage(r Resource) []Usage {
	return []Usage{{Region: r.Region, Kind: "Application Load Balancers", Prices: []Price{ALBLCUHour},
		Formula: fmt.Sprintf("%s per LCU-hour; an LCU is 25 new connections a second, 3,000 active a minute, 1 GB an hour or 1,000 rule evaluations a second, whichever is most (a standby serving only health checks uses a small fraction of one)", Money(ALBLCUHour.USD))}}
}

func kmsKeyRule(_ *App, r Resource) ([]Line, []Usage, error) {
	if spec, _ := str(r, "customer_master_key_spec"); spec != "" && spec != "SYMMETRIC_DEFAULT" {
		return nil, nil, fmt.Errorf("customer_master_key_spec %q: only symmetric keys are priced", spec)
	}
	detail := "rotation off"
	if boolean(r, "enable_key_rotation") {
		detail = fmt.Sprintf("rotation on: +%s after each of the first two yearly rotations", Money(KMSKeyMonth.USD))
	}
	return []Line{newLine(r, r.Region, "KMS keys", detail, 1, KMSKeyMonth)}, nil, nil
}

func alarmRule(_ *App, r Resource) ([]Line, []Usage, error) {
	type metric struct{ period float64 }
	var metrics []metric
	queries := blocks(r.Args["metric_query"])
	if len(queries) == 0 {
		if _, ok := str(r, "metric_name"); !ok {
			return nil, nil, fmt.Errorf("neither metric_name nor metric_query is set")
		}
		period, _, err := number(r, "period")
		if err != nil {
			return nil, nil, err
		}
		metrics = append(metrics, metric{period})
	}
	for _, q := range queries {
		if e, ok := q["expression"].(string); ok {
			up := strings.ToUpper(e)
			if strings.Contains(up, "ANOMALY_DETECTION_BAND") || strings.Contains(up, "SELECT ") {
				return nil, nil, fmt.Errorf("metric_query %v uses %q: anomaly detection and Metrics Insights alarms are not priced by the table", q["id"], e)
			}
			continue
		}
		m := blocks(q["metric"])
		if len(m) == 0 {
			return nil, nil, fmt.Errorf("metric_query %v has neither a metric nor an expression", q["id"])
		}
		p, _ := m[0]["period"].(float64)
		metrics = append(metrics, metric{p})
	}
	if len(metrics) == 0 {
		return nil, nil, fmt.Errorf("metric_query reads no metric")
	}
	// Billed per metric the alarm reads: a metric-math alarm over n
	// metrics is n alarm metrics.
	var standard, high float64
	for _, m := range metrics {
		if m.period <= 0 {
			return nil, nil, fmt.Errorf("a metric has no period: its resolution (and price) is unknown")
		}
		if m.period < 60 {
			high++
		} else {
			standard++
		}
	}
	var lines []Line
	if standard > 0 {
		lines = append(lines, newLine(r, r.Region, "CloudWatch alarm metrics", "standard resolution", standard, AlarmMetricStandard))
	}
	if high > 0 {
		lines = append(lines, newLine(r, r.Region, "CloudWatch alarm metrics", "high resolution", high, AlarmMetricHighRes))
	}
	return lines, nil, nil
}

func dashboardRule(_ *App, r Resource) ([]Line, []Usage, error) {
	return []Line{newLine(r, r.Region, "CloudWatch dashboards", "", 1, DashboardMonth)}, nil, nil
}

func logGroupRule(_ *App, r Resource) ([]Line, []Usage, error) {
	return nil, []Usage{{Region: r.Region, Kind: "CloudWatch Logs", Prices: []Price{LogsIngestGB},
		Formula: fmt.Sprintf("%s per GB ingested (a standby's tasks write none), plus archived storage per GB-month for the retention", Money(LogsIngestGB.USD))}}, nil
}

func flowLogRule(_ *App, r Resource) ([]Line, []Usage, error) {
	if d, _ := str(r, "log_destination_type"); d != "cloud-watch-logs" {
		return nil, nil, fmt.Errorf("log_destination_type %q: only flow logs to CloudWatch Logs are priced", d)
	}
	return nil, []Usage{{Region: r.Region, Kind: "VPC flow logs", Prices: []Price{LogsIngestGB},
		Formula: fmt.Sprintf("%s per GB of flow records delivered to CloudWatch Logs (vended logs, first tier); a standby's records are mostly health checks", Money(LogsIngestGB.USD))}}, nil
}

func healthCheckRule(_ *App, r Resource) ([]Line, []Usage, error) {
	typ, err := literal(r, "type")
	if err != nil {
		return nil, nil, err
	}
	var features []string
	switch typ {
	case "CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL":
	case "HTTP", "HTTPS", "TCP", "HTTP_STR_MATCH", "HTTPS_STR_MATCH":
		if strings.HasPrefix(typ, "HTTPS") {
			features = append(features, "HTTPS")
		}
		if strings.HasSuffix(typ, "_STR_MATCH") {
			features = append(features, "string matching")
		}
		interval, _, err := number(r, "request_interval")
		if err != nil {
			return nil, nil, err
		}
		if interval == 10 {
			features = append(features, "fast interval")
		}
		if boolean(r, "measure_latency") {
			features = append(features, "latency measurement")
		}
	default:
		return nil, nil, fmt.Errorf("type %q is not a Route 53 health check type the table prices", typ)
	}
	lines := []Line{newLine(r, Global, "Route 53 health checks", strings.ToLower(typ), 1, HealthCheckAWS)}
	for _, f := range features {
		lines = append(lines, newLine(r, Global, "Route 53 health check features", f, 1, HealthCheckFeatureAWS))
	}
	return lines, nil, nil
}

func hostedZoneRule(_ *App, r Resource) ([]Line, []Usage, error) {
	return []Line{newLine(r, Global, "Route 53 hosted zones", "", 1, HostedZoneMonth)},
		[]Usage{{Region: Global, Kind: "Route 53 queries", Formula: "queries are billed per million (alias queries to AWS resources are free); not in the table"}}, nil
}

func secretRule(_ *App, r Resource) ([]Line, []Usage, error) {
	lines := []Line{newLine(r, r.Region, "Secrets Manager secrets", "", 1, SecretMonth)}
	for _, rep := range blocks(r.Args["replica"]) {
		region, ok := rep["region"].(string)
		if !ok || region == "" || strings.Contains(region, "${") {
			return nil, nil, fmt.Errorf("replica region %v is not a literal region", rep["region"])
		}
		lines = append(lines, newLine(r, region, "Secrets Manager secrets", "replica", 1, SecretMonth))
	}
	return lines, nil, nil
}

func bucketRule(_ *App, r Resource) ([]Line, []Usage, error) {
	return nil, []Usage{{Region: r.Region, Kind: "S3 storage", Prices: []Price{S3StandardGBMonth},
		Formula: fmt.Sprintf("%s per GB-month stored (S3 Standard): the replicas of the other region's objects, their old versions, and logs", Money(S3StandardGBMonth.USD))}}, nil
}

func replicationRule(_ *App, r Resource) ([]Line, []Usage, error) {
	rules := blocks(r.Args["rule"])
	if len(rules) == 0 {
		return nil, nil, fmt.Errorf("no rule block")
	}
	var usage []Usage
	for _, rl := range rules {
		if s, _ := rl["status"].(string); s != "Enabled" {
			continue
		}
		rtc := false
		for _, d := range blocks(rl["destination"]) {
			for _, t := range blocks(d["replication_time"]) {
				rtc = rtc || t["status"] == "Enabled"
			}
		}
		u := Usage{Region: Between, Kind: "S3 replication", Link: true, From: r.Region, Prices: []Price{InterRegionGB}}
		if rtc {
			u.Prices = append(u.Prices, S3RTCGB)
			u.Formula = fmt.Sprintf("%s per GB replicated: %s transfer between regions + %s Replication Time Control; plus a PUT request per object in the destination (not in the table)",
				Money(InterRegionGB.USD+S3RTCGB.USD), Money(InterRegionGB.USD), Money(S3RTCGB.USD))
		} else {
			u.Formula = fmt.Sprintf("%s per GB replicated (transfer between regions; Replication Time Control off); plus a PUT request per object in the destination (not in the table)", Money(InterRegionGB.USD))
		}
		usage = append(usage, u)
	}
	return nil, usage, nil
}

func ecsServiceRule(a *App, r Resource) ([]Line, []Usage, error) {
	if lt, _ := str(r, "launch_type"); lt != "FARGATE" {
		return nil, nil, fmt.Errorf("launch_type %q: only Fargate services are priced", lt)
	}
	desired, _, err := number(r, "desired_count")
	if err != nil {
		return nil, nil, err
	}
	ref, _ := str(r, "task_definition")
	td, ok := a.Resolve(r.Stack, ref)
	if !ok || td.Type != "aws_ecs_task_definition" {
		return nil, nil, fmt.Errorf("task_definition %q leads to no aws_ecs_task_definition in the app", ref)
	}
	for _, p := range blocks(td.Args["runtime_platform"]) {
		if arch, _ := p["cpu_architecture"].(string); arch != "" && arch != "X86_64" {
			return nil, nil, fmt.Errorf("task definition %s runs on %s: only Linux/x86 Fargate is priced", td.Address(), arch)
		}
		if os, _ := p["operating_system_family"].(string); os != "" && os != "LINUX" {
			return nil, nil, fmt.Errorf("task definition %s runs on %s: only Linux/x86 Fargate is priced", td.Address(), os)
		}
	}
	cpu, cset, err := number(*td, "cpu")
	if err != nil {
		return nil, nil, err
	}
	mem, mset, err := number(*td, "memory")
	if err != nil {
		return nil, nil, err
	}
	if !cset || !mset {
		return nil, nil, fmt.Errorf("task definition %s sets no task-level cpu and memory, which Fargate bills", td.Address())
	}
	vcpu, gb := cpu/1024, mem/1024
	task := fmt.Sprintf("%g vCPU, %g GB", vcpu, gb)
	perTask := vcpu*FargateVCPUHour.USD + gb*FargateGBHour.USD
	usage := []Usage{{Region: r.Region, Kind: "Fargate tasks", Prices: []Price{FargateVCPUHour, FargateGBHour},
		Formula: fmt.Sprintf("%s per task-hour (%s: %g × %s + %g × %s) for each task running; a switch scales this region's service to the active desired count",
			Money(roundTo(perTask, 5)), task, vcpu, Money(FargateVCPUHour.USD), gb, Money(FargateGBHour.USD))}}
	if desired == 0 {
		return nil, usage, nil
	}
	return []Line{
		newLine(r, r.Region, "Fargate tasks", "vCPU ("+task+" each)", desired*vcpu, FargateVCPUHour),
		newLine(r, r.Region, "Fargate tasks", "memory GB ("+task+" each)", desired*gb, FargateGBHour),
	}, usage, nil
}

func roundTo(f float64, digits int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', digits, 64), 64)
	return v
}

// RuleTypes lists the resource types the rules price, sorted.
func RuleTypes() []string {
	out := make([]string, 0, len(rules))
	for t := range rules {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
