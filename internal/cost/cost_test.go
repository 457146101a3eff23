package cost_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/internal/cost"
)

// estimate reads and prices the hand-written app in testdata/app.
func estimate(t *testing.T) cost.Estimate {
	t.Helper()
	app, err := cost.ReadApp("testdata/app")
	if err != nil {
		t.Fatal(err)
	}
	e, err := app.Estimate()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// Each priced kind of testdata/app comes out at count × price (× 730 for
// an hourly price), in the region it is billed in.
func TestEstimatePricesEachKindByItsArguments(t *testing.T) {
	e := estimate(t)
	type want struct {
		region, kind, detail string
		count, monthly       float64
	}
	wants := []want{
		// primary (us-east-1)
		{"us-east-1", "Aurora instances", "db.r6g.large", 1, 0.260 * 730},
		{"us-east-1", "ElastiCache nodes", "cache.r7g.large", 2, 2 * 0.219 * 730},
		{"us-east-1", "NAT gateways", "", 1, 0.045 * 730},
		{"us-east-1", "Public IPv4 addresses", "Elastic IP", 1, 0.005 * 730},
		{"us-east-1", "Secrets Manager secrets", "", 1, 0.40},
		// standby (us-west-2)
		{"us-west-2", "Aurora instances", "db.r7g.large", 1, 0.276 * 730},
		// The secondary sets no node type: it is the global group's
		// primary's, found across stacks through the remote state.
		{"us-west-2", "ElastiCache nodes", "cache.r7g.large", 2, 2 * 0.219 * 730},
		// One endpoint in three AZs is billed as three endpoint-hours.
		{"us-west-2", "Interface VPC endpoints", "3 AZs", 3, 3 * 0.01 * 730},
		{"us-west-2", "VPC gateway endpoints", "no charge", 1, 0},
		{"us-west-2", "Application Load Balancers", "internet-facing", 1, 0.0225 * 730},
		{"us-west-2", "Public IPv4 addresses", "load balancer, one per AZ", 2, 2 * 0.005 * 730},
		{"us-west-2", "KMS keys", "rotation on: +$1.00 after each of the first two yearly rotations", 1, 1.00},
		// simple (1) + math over two metrics (2); fast has a 10 s period.
		{"us-west-2", "CloudWatch alarm metrics", "standard resolution", 3, 0.30},
		{"us-west-2", "CloudWatch alarm metrics", "high resolution", 1, 0.30},
		{"us-west-2", "CloudWatch dashboards", "", 1, 3.00},
		// The primary's secret has a replica here.
		{"us-west-2", "Secrets Manager secrets", "replica", 1, 0.40},
		// 2 tasks of 0.5 vCPU and 1 GB.
		{"us-west-2", "Fargate tasks", "vCPU (0.5 vCPU, 1 GB each)", 1, 1 * 0.04048 * 730},
		{"us-west-2", "Fargate tasks", "memory GB (0.5 vCPU, 1 GB each)", 2, 2 * 0.004445 * 730},
		// global (the edge stack's provider is us-east-1, Route 53 is global)
		{cost.Global, "Route 53 health checks", "https", 1, 0.50},
		{cost.Global, "Route 53 health checks", "calculated", 1, 0.50},
		{cost.Global, "Route 53 health checks", "http_str_match", 1, 0.50},
		{cost.Global, "Route 53 health check features", "HTTPS", 1, 1.00},
		{cost.Global, "Route 53 health check features", "fast interval", 1, 1.00},
		{cost.Global, "Route 53 health check features", "string matching", 1, 1.00},
		{cost.Global, "Route 53 health check features", "latency measurement", 1, 1.00},
		{cost.Global, "Route 53 hosted zones", "", 1, 0.50},
	}
	found := map[int]bool{}
	for _, l := range e.Lines {
		matched := false
		for i, w := range wants {
			if l.Region == w.region && l.Kind == w.kind && l.Detail == w.detail {
				matched, found[i] = true, true
				if !near(l.Count, w.count) || !near(l.Monthly, w.monthly) {
					t.Errorf("%s %s %q: %g units, $%.4f a month; want %g units, $%.4f", w.region, w.kind, w.detail, l.Count, l.Monthly, w.count, w.monthly)
				}
			}
		}
		if !matched {
			t.Errorf("unexpected line %s %s %q: %g units, $%.4f (%v)", l.Region, l.Kind, l.Detail, l.Count, l.Monthly, l.Resources)
		}
	}
	for i, w := range wants {
		if !found[i] {
			t.Errorf("no line %s %s %q", w.region, w.kind, w.detail)
		}
	}
	// Features belong to the check that has them: the 10 s interval is
	// the standby's, latency measurement the content check's.
	for _, l := range e.Lines {
		switch l.Detail {
		case "fast interval", "HTTPS":
			if len(l.Resources) != 1 || !strings.HasPrefix(l.Resources[0], "aws_route53_health_check.standby ") {
				t.Errorf("%s priced on %v, want the standby's check only", l.Detail, l.Resources)
			}
		case "latency measurement", "string matching":
			if len(l.Resources) != 1 || !strings.HasPrefix(l.Resources[0], "aws_route53_health_check.content ") {
				t.Errorf("%s priced on %v, want the content check only", l.Detail, l.Resources)
			}
		}
	}
	var sum float64
	for _, w := range wants {
		if w.region == "us-west-2" {
			sum += w.monthly
		}
	}
	if !near(e.Monthly("us-west-2"), sum) {
		t.Errorf("us-west-2 a month: $%.4f, want the sum of its lines $%.4f", e.Monthly("us-west-2"), sum)
	}
}

// Usage-based charges are formulas with their price, billed where they
// are; replication between the regions is marked as such.
func TestEstimateGivesUsageFormulas(t *testing.T) {
	e := estimate(t)
	want := map[string]string{
		"us-west-2/Aurora replicated writes":                       "$0.20 per million write I/Os",
		"us-west-2/Aurora storage":                                 "$0.10 per GB-month",
		"between regions/Aurora Global Database replication":       "$0.02 per GB",
		"between regions/ElastiCache Global Datastore replication": "$0.02 per GB",
		"between regions/S3 replication":                           "$0.035 per GB replicated: $0.02 transfer between regions + $0.015 Replication Time Control",
		"us-east-1/NAT gateways":                                   "$0.045 per GB processed",
		"us-west-2/Interface VPC endpoints":                        "$0.01 per GB processed",
		"us-west-2/S3 storage":                                     "$0.023 per GB-month",
		"us-west-2/VPC flow logs":                                  "$0.50 per GB",
		"us-west-2/Fargate tasks":                                  "$0.02469 per task-hour (0.5 vCPU, 1 GB",
	}
	got := map[string]cost.Usage{}
	for _, u := range e.Usage {
		got[u.Region+"/"+u.Kind] = u
	}
	for key, formula := range want {
		u, ok := got[key]
		if !ok {
			t.Errorf("no usage %s", key)
			continue
		}
		if !strings.Contains(u.Formula, formula) {
			t.Errorf("%s: formula %q, want it to contain %q", key, u.Formula, formula)
		}
		if len(u.Prices) == 0 {
			t.Errorf("%s: names no price", key)
		}
		if u.Link != strings.HasPrefix(key, cost.Between) {
			t.Errorf("%s: Link %v", key, u.Link)
		}
	}
	if s := got["between regions/S3 replication"]; s.From != "us-east-1" {
		t.Errorf("S3 replication sent from %q, want us-east-1 (the source bucket's region)", s.From)
	}
}

// The standby's view leaves the primary region out but keeps the
// replicas the primary keeps in the standby, the global pieces and the
// replication traffic wherever it is billed.
func TestStandbyLeavesOutThePrimaryRegion(t *testing.T) {
	e := estimate(t).Standby("us-east-1")
	for _, l := range e.Lines {
		if l.Region == "us-east-1" {
			t.Errorf("standby keeps the primary's line %s %q", l.Kind, l.Detail)
		}
	}
	if got := e.Regions(); strings.Join(got, ",") != "us-west-2,"+cost.Global {
		t.Errorf("regions %v, want us-west-2 then global", got)
	}
	replica, link, natUsage := false, false, false
	for _, l := range e.Lines {
		replica = replica || (l.Kind == "Secrets Manager secrets" && l.Region == "us-west-2")
	}
	for _, u := range e.Usage {
		link = link || (u.Kind == "S3 replication" && u.From == "us-east-1")
		natUsage = natUsage || u.Kind == "NAT gateways"
	}
	if !replica || !link {
		t.Errorf("standby lost the secret replica (%v) or the replication from the primary (%v)", replica, link)
	}
	if natUsage {
		t.Error("standby keeps the primary's NAT gateway traffic")
	}
	for _, f := range e.Free {
		if _, ok := f.Counts["us-east-1"]; ok {
			t.Errorf("standby keeps the primary's free %s", f.Type)
		}
		if f.Type == "aws_iam_role" && f.Counts[cost.Global] != 1 {
			t.Errorf("IAM roles listed as %v, want 1 under global", f.Counts)
		}
	}
	want := 0.276*730 + 2*0.219*730 + 3*0.01*730 + 0.0225*730 + 2*0.005*730 + 1 + 0.30 + 0.30 + 3 + 0.40 + 0.04048*730 + 2*0.004445*730
	if !near(e.Monthly("us-west-2"), want) {
		t.Errorf("standby us-west-2: $%.4f, want $%.4f", e.Monthly("us-west-2"), want)
	}
	if !near(e.Monthly(cost.Global), 3*0.50+4*1.00+0.50) {
		t.Errorf("standby global: $%.4f, want $6.00", e.Monthly(cost.Global))
	}
}

// A secondary with no instances is headless: storage only, and the
// estimate says so instead of leaving the database out.
func TestHeadlessSecondaryHasNoInstanceHours(t *testing.T) {
	e := priceStack(t, `"aws_rds_cluster": {"secondary": {"engine": "aurora-postgresql", "global_cluster_identifier": "app"}}`)
	if len(e.Lines) != 1 || e.Lines[0].Detail != "none: headless (storage only)" || e.Lines[0].Monthly != 0 {
		t.Fatalf("lines %+v, want one headless line at $0", e.Lines)
	}
	if !slices.Contains(e.Used(), cost.AuroraStorage) {
		t.Errorf("the headless cluster's usage should price its storage; it prices %d others", len(e.Used()))
	}
}

// A resource type the rules do not know fails the estimate, naming the
// resource and the fix; no new kind of resource is silently free.
func TestUnknownResourceTypeFails(t *testing.T) {
	_, err := estimateStack(`"aws_instance": {"bastion": {"instance_type": "t3.micro"}}`)
	if err == nil || !strings.Contains(err.Error(), "aws_instance.bastion") || !strings.Contains(err.Error(), "no price rule for resource type aws_instance") {
		t.Fatalf("err %v, want the unknown type named with its fix", err)
	}
}

// Each rule refuses the arguments it cannot price.
func TestRulesRefuseWhatTheyCannotPrice(t *testing.T) {
	cases := []struct{ name, resources, want string }{
		{"instance class not in the table", `"aws_rds_cluster_instance": {"i": {"engine": "aurora-postgresql", "instance_class": "db.x2g.large"}}`, "no price for instance class db.x2g.large"},
		{"instance class by reference", `"aws_rds_cluster_instance": {"i": {"engine": "aurora-postgresql", "instance_class": "${var.class}"}}`, "a reference the estimate cannot price"},
		{"instance of another engine", `"aws_rds_cluster_instance": {"i": {"engine": "aurora-mysql", "instance_class": "db.r6g.large"}}`, "Aurora PostgreSQL prices only"},
		{"I/O-Optimized cluster", `"aws_rds_cluster": {"c": {"engine": "aurora-postgresql", "storage_type": "aurora-iopt1"}}`, "Aurora Standard prices only"},
		{"node type not in the table", `"aws_elasticache_replication_group": {"g": {"engine": "redis", "node_type": "cache.t4g.micro", "num_cache_clusters": 1}}`, "no price for node type cache.t4g.micro"},
		{"valkey", `"aws_elasticache_replication_group": {"g": {"engine": "valkey", "node_type": "cache.r7g.large", "num_cache_clusters": 1}}`, "Redis OSS node prices only"},
		{"no node count", `"aws_elasticache_replication_group": {"g": {"engine": "redis", "node_type": "cache.r7g.large"}}`, "the node count is unknown"},
		{"secondary whose global group is not in the app", `"aws_elasticache_replication_group": {"g": {"global_replication_group_id": "${data.terraform_remote_state.cross-stack-reference-input-gone.outputs.x}", "num_cache_clusters": 2}}`, "leads to no aws_elasticache_global_replication_group"},
		{"address brought by the user", `"aws_eip": {"ip": {"public_ipv4_pool": "ipv4pool-ec2-012345"}}`, "BYOIP"},
		{"Gateway Load Balancer endpoint", `"aws_vpc_endpoint": {"e": {"vpc_endpoint_type": "GatewayLoadBalancer"}}`, "only Interface and Gateway endpoints are priced"},
		{"interface endpoint in no subnet", `"aws_vpc_endpoint": {"e": {"vpc_endpoint_type": "Interface", "subnet_ids": []}}`, "billed per Availability Zone"},
		{"interface endpoint subnets by reference", `"aws_vpc_endpoint": {"e": {"vpc_endpoint_type": "Interface", "subnet_ids": "${var.subnets}"}}`, "not a list the estimate can count"},
		{"network load balancer", `"aws_lb": {"lb": {"load_balancer_type": "network", "subnets": ["a"]}}`, "only Application Load Balancers are priced"},
		{"internet-facing load balancer in no subnet", `"aws_lb": {"lb": {"internal": false}}`, "public IPv4 address per Availability Zone"},
		{"asymmetric key", `"aws_kms_key": {"k": {"customer_master_key_spec": "RSA_2048"}}`, "only symmetric keys are priced"},
		{"anomaly detection alarm", `"aws_cloudwatch_metric_alarm": {"a": {"metric_query": [{"id": "m0", "metric": {"metric_name": "x", "period": 60}}, {"id": "ad", "expression": "ANOMALY_DETECTION_BAND(m0, 2)"}]}}`, "anomaly detection"},
		{"alarm on no metric", `"aws_cloudwatch_metric_alarm": {"a": {"alarm_name": "x"}}`, "neither metric_name nor metric_query"},
		{"alarm metric with no period", `"aws_cloudwatch_metric_alarm": {"a": {"metric_name": "x"}}`, "its resolution (and price) is unknown"},
		{"flow log to S3", `"aws_flow_log": {"f": {"log_destination_type": "s3"}}`, "only flow logs to CloudWatch Logs are priced"},
		{"health check type unknown", `"aws_route53_health_check": {"h": {"type": "PING"}}`, "not a Route 53 health check type"},
		{"secret replica region by reference", `"aws_secretsmanager_secret": {"s": {"replica": [{"region": "${var.region}"}]}}`, "is not a literal region"},
		{"replication with no rule", `"aws_s3_bucket_replication_configuration": {"r": {"bucket": "b"}}`, "no rule block"},
		{"service on EC2", `"aws_ecs_service": {"s": {"launch_type": "EC2", "desired_count": 1}}`, "only Fargate services are priced"},
		{"service whose task definition is missing", `"aws_ecs_service": {"s": {"launch_type": "FARGATE", "desired_count": 0, "task_definition": "${aws_ecs_task_definition.gone.arn}"}}`, "leads to no aws_ecs_task_definition"},
		{"service on ARM", `"aws_ecs_task_definition": {"t": {"cpu": "256", "memory": "512", "runtime_platform": {"cpu_architecture": "ARM64"}}}, "aws_ecs_service": {"s": {"launch_type": "FARGATE", "desired_count": 1, "task_definition": "${aws_ecs_task_definition.t.arn}"}}`, "only Linux/x86 Fargate is priced"},
		{"task with no task-level size", `"aws_ecs_task_definition": {"t": {}}, "aws_ecs_service": {"s": {"launch_type": "FARGATE", "desired_count": 1, "task_definition": "${aws_ecs_task_definition.t.arn}"}}`, "sets no task-level cpu and memory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := estimateStack(c.resources)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want it to say %q", err, c.want)
			}
		})
	}
}

// A provider whose region is not a literal cannot place its resources.
func TestProviderWithoutLiteralRegionFails(t *testing.T) {
	_, err := cost.ParseStacks(map[string][]byte{"s": []byte(`{"provider": {"aws": [{"region": "${var.region}"}]}, "resource": {"aws_vpc": {"v": {}}}}`)})
	if err == nil || !strings.Contains(err.Error(), "names no literal region") {
		t.Fatalf("err %v", err)
	}
}

// Every price says what it is for, which AWS page it belongs to, where it
// was read and how far that can be trusted.
func TestEveryPriceNamesItsSource(t *testing.T) {
	prices := cost.Table()
	for _, p := range cost.AuroraInstanceHour {
		prices = append(prices, p)
	}
	for _, p := range cost.CacheNodeHour {
		prices = append(prices, p)
	}
	bases := map[cost.Basis]bool{cost.BasisAWS: true, cost.BasisTranscript: true, cost.BasisThirdParty: true, cost.BasisEstimate: true}
	units := map[string]bool{"hour": true, "month": true, "GB": true, "GB-month": true, "million requests": true}
	for _, p := range prices {
		if p.USD <= 0 || !units[p.Unit] || p.What == "" || !strings.HasPrefix(p.Page, "https://aws.amazon.com/") || p.Seen == "" || !bases[p.Basis] {
			t.Errorf("price %+v lacks a figure, unit, name, AWS page, source or basis", p)
		}
		if p.Basis != cost.BasisEstimate && strings.HasPrefix(p.Seen, "not found") {
			t.Errorf("%s: read nowhere, so its basis must be %q, not %q", p.What, cost.BasisEstimate, p.Basis)
		}
	}
}

func TestMoneyFormats(t *testing.T) {
	for v, want := range map[float64]string{0.0225: "$0.0225", 1: "$1.00", 0.5: "$0.50", 0.26: "$0.26"} {
		if got := cost.Money(v); got != want {
			t.Errorf("Money(%v) = %s, want %s", v, got, want)
		}
	}
	for v, want := range map[float64]string{0: "$0.00", 539.474: "$539.47", 1490.186: "$1,490.19", 1234567.891: "$1,234,567.89"} {
		if got := cost.Dollars(v); got != want {
			t.Errorf("Dollars(%v) = %s, want %s", v, got, want)
		}
	}
}

// estimateStack prices one us-west-2 stack holding resources (the JSON
// members of its "resource" object).
func estimateStack(resources string) (cost.Estimate, error) {
	app, err := cost.ParseStacks(map[string][]byte{
		"s": []byte(`{"provider": {"aws": [{"region": "us-west-2"}]}, "resource": {` + resources + `}}`),
	})
	if err != nil {
		return cost.Estimate{}, err
	}
	return app.Estimate()
}

func priceStack(t *testing.T, resources string) cost.Estimate {
	t.Helper()
	e, err := estimateStack(resources)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
