package stacks_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/synthtest"
	"github.com/pilotlight/pilotlight/stacks"
)

// alarmConfig: two failover regions, a bucket without reverse replication
// and one without Replication Time Control, three endpoints.
const alarmConfig = `failoverRegions: [us-west-2, us-east-2]
cache:
  replicas: 2
buckets:
  - name: data
  - name: exports
    reverseReplication: false
    replicationTimeControl: false
alarms:
  auroraRpoLagSeconds: 20
  endpoints: [oncall@example.com, "https://hooks.example.com/aws", "arn:aws:sqs:us-east-2:123456789012:alarms"]
`

func synthAll(t *testing.T, yaml string) (map[string]synthtest.Template, config.Config) {
	t.Helper()
	cfg, err := parse(yaml)
	if err != nil {
		t.Fatal(err)
	}
	app := synthtest.NewApp(t)
	if _, err := stacks.New(app, cfg); err != nil {
		t.Fatal(err)
	}
	return synthtest.SynthApp(t, app), cfg
}

// alarmDims returns each alarm's name with its metric name and dimensions
// (of its first metric, or of every metric query).
func alarmDims(tpl synthtest.Template) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, a := range tpl.Resources("aws_cloudwatch_metric_alarm") {
		name := a["alarm_name"].(string)
		if d, ok := a["dimensions"].(map[string]any); ok {
			out[name] = append(out[name], withMetric(d, a["metric_name"]))
		}
		queries, _ := a["metric_query"].([]any)
		for _, q := range queries {
			if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
				out[name] = append(out[name], withMetric(m["dimensions"].(map[string]any), m["metric_name"]))
			}
		}
	}
	return out
}

func withMetric(d map[string]any, metric any) map[string]any {
	out := map[string]any{"metric": metric}
	for k, v := range d {
		out[k] = v
	}
	return out
}

// Each alarm is in the region that publishes its metric, on the resource
// that stack (or, for S3 rules, the stack that holds the rule) creates
// under that name.
func TestAlarmsWatchTheirOwnRegion(t *testing.T) {
	s, cfg := synthAll(t, alarmConfig)
	names := cfg.Names()
	acct := "${data.aws_caller_identity.account.account_id}"
	// bucketName resolves a reference to a bucket, in its own stack or read
	// from another stack's state, to the bucket's name.
	local := regexp.MustCompile(`^\$\{aws_s3_bucket\.([^.]+)\.(id|arn)\}$`)
	remote := regexp.MustCompile(`^\$\{data\.terraform_remote_state\.cross-stack-reference-input-([^.]+)\.outputs\.cross-stack-output-aws_s3_bucket(.+)(id|arn)\}$`)
	bucketName := func(stack string, ref any) string {
		if m := local.FindStringSubmatch(fmt.Sprint(ref)); m != nil {
			return fmt.Sprint(s[stack].Resources("aws_s3_bucket")[m[1]]["bucket"])
		}
		if m := remote.FindStringSubmatch(fmt.Sprint(ref)); m != nil {
			return fmt.Sprint(s[m[1]].Resources("aws_s3_bucket")[m[2]]["bucket"])
		}
		t.Fatalf("cannot resolve bucket reference %v", ref)
		return ""
	}
	rules := map[string]string{} // "source bucket rule id" -> destination bucket, as the replication configurations state them
	for stack, tpl := range s {
		for _, rc := range tpl.Resources("aws_s3_bucket_replication_configuration") {
			for _, r := range rc["rule"].([]any) {
				r := r.(map[string]any)
				rules[bucketName(stack, rc["bucket"])+" "+r["id"].(string)] = bucketName(stack, synthtest.Get(r, "destination.bucket"))
				if synthtest.Get(r, "destination.metrics.status") != "Enabled" {
					t.Errorf("rule %v of %v has no replication metrics: its alarms would see no data", r["id"], rc["bucket"])
				}
			}
		}
	}
	if len(rules) != 6 {
		t.Errorf("want 6 replication rules (2 buckets forward to 2 regions, 1 back from each), got %v", rules)
	}
	for _, region := range cfg.Regions() {
		tpl := s[names.RegionalStack(region)]
		dims := alarmDims(tpl)
		clusterID := tpl.Resource(t, "aws_rds_cluster")["cluster_identifier"]
		for _, alarm := range []string{"aurora-replication-lag", "aurora-rpo-lag"} {
			d := dims[names.Prefix()+"-"+alarm]
			var sources []any
			for _, m := range d {
				if m["DBClusterIdentifier"] != clusterID {
					t.Errorf("%s: %s watches %v, want the stack's own cluster %s", region, alarm, m, clusterID)
				}
				if m["SourceRegion"] != nil {
					sources = append(sources, m["SourceRegion"])
				}
			}
			var others []any
			for _, r := range cfg.Regions() {
				if r != region {
					others = append(others, r)
				}
			}
			if len(d) != len(cfg.Regions()) || !slices.Equal(sources, others) {
				t.Errorf("%s: %s reads source regions %v, want the cluster alone and each of %v", region, alarm, sources, others)
			}
		}
		group := tpl.Resource(t, "aws_elasticache_replication_group")
		var nodes []any
		for _, d := range dims[names.Prefix()+"-cache-replication-lag"] {
			nodes = append(nodes, d["CacheClusterId"])
		}
		want := []any{group["replication_group_id"].(string) + "-001", group["replication_group_id"].(string) + "-002", group["replication_group_id"].(string) + "-003"}
		if !slices.Equal(nodes, want) || group["num_cache_clusters"] != float64(3) {
			t.Errorf("%s: cache lag watches %v, want every node of %v (%v nodes)", region, nodes, group["replication_group_id"], group["num_cache_clusters"])
		}
		for _, alarm := range []string{"alb-5xx", "alb-target-5xx", "alb-unhealthy-targets"} {
			d := dims[names.Prefix()+"-"+alarm]
			want := 1
			if alarm == "alb-5xx" {
				want = 2 // HTTPCode_ELB_5XX_Count less HTTPCode_ELB_503_Count
			}
			if len(d) != want {
				t.Errorf("%s: %s reads %d metrics, want %d", region, alarm, len(d), want)
			}
			for _, m := range d {
				if !strings.HasPrefix(m["LoadBalancer"].(string), "${aws_lb.load-balancer_alb_") || !strings.HasSuffix(m["LoadBalancer"].(string), ".arn_suffix}") {
					t.Errorf("%s: %s dimensions %v, want the stack's own ALB's arn_suffix", region, alarm, d)
				}
			}
		}
		if d := dims[names.Prefix()+"-alb-unhealthy-targets"]; len(d) == 1 && !strings.HasSuffix(fmt.Sprint(d[0]["TargetGroup"]), ".arn_suffix}") {
			t.Errorf("%s: unhealthy targets without the target group's arn_suffix: %v", region, d)
		}
		for _, d := range dims[names.Prefix()+"-ecs-tasks-below-desired"] {
			if d["ClusterName"] != tpl.Resource(t, "aws_ecs_cluster")["name"] || d["ServiceName"] != tpl.Resource(t, "aws_ecs_service")["name"] {
				t.Errorf("%s: ECS alarm %v does not name the stack's cluster and service", region, d)
			}
		}

		// S3: latency where the destination bucket is, failures where the
		// source bucket is; every rule named exists with that destination.
		var latency, failed []string
		for name, d := range dims {
			var list *[]string
			switch {
			case strings.HasSuffix(name, "-latency"):
				list = &latency
			case strings.HasSuffix(name, "-failed"):
				list = &failed
			default:
				continue
			}
			src, dst, id := d[0]["SourceBucket"].(string), d[0]["DestinationBucket"].(string), d[0]["RuleId"].(string)
			*list = append(*list, src+" > "+dst)
			here := strings.Contains(dst, "-"+region+"-")
			if list == &failed {
				here = strings.Contains(src, "-"+region+"-")
			}
			if !here {
				t.Errorf("%s: alarm %s on %s > %s is in the wrong region", region, name, src, dst)
			}
			if got := rules[src+" "+id]; got != dst {
				t.Errorf("%s: alarm %s names rule %s of %s, whose destination is %q, not %s", region, name, id, src, got, dst)
			}
		}
		bucket := func(logical, r string) string { return names.Bucket(logical, r, acct) }
		var wantLatency, wantFailed []string
		for _, f := range cfg.FailoverRegions {
			if region == cfg.PrimaryRegion {
				wantFailed = append(wantFailed, bucket("data", region)+" > "+bucket("data", f), bucket("exports", region)+" > "+bucket("exports", f))
				wantLatency = append(wantLatency, bucket("data", f)+" > "+bucket("data", region))
			} else if region == f {
				wantLatency = append(wantLatency, bucket("data", cfg.PrimaryRegion)+" > "+bucket("data", f), bucket("exports", cfg.PrimaryRegion)+" > "+bucket("exports", f))
				wantFailed = append(wantFailed, bucket("data", f)+" > "+bucket("data", cfg.PrimaryRegion))
			}
		}
		slices.Sort(latency)
		slices.Sort(failed)
		slices.Sort(wantLatency)
		slices.Sort(wantFailed)
		if !slices.Equal(latency, wantLatency) || !slices.Equal(failed, wantFailed) {
			t.Errorf("%s: S3 latency alarms %v, failure alarms %v;\nwant %v and %v", region, latency, failed, wantLatency, wantFailed)
		}

		// One topic per region, under the region's key (from its keys
		// stack), with every endpoint subscribed.
		topic := tpl.Resource(t, "aws_sns_topic")
		if !strings.Contains(fmt.Sprint(topic["kms_master_key_id"]), "cross-stack-reference-input-"+names.KeysStack(region)) {
			t.Errorf("%s: topic key %v, want the region's key from %s", region, topic["kms_master_key_id"], names.KeysStack(region))
		}
		if n := len(tpl.Resources("aws_sns_topic_subscription")); n != 3 {
			t.Errorf("%s: %d subscriptions, want 3", region, n)
		}
		if d := tpl.Resource(t, "aws_cloudwatch_dashboard"); d["dashboard_name"] != names.Prefix()+"-"+region {
			t.Errorf("%s: dashboard %v", region, d["dashboard_name"])
		}
		for _, a := range tpl.Resources("aws_cloudwatch_metric_alarm") {
			if a["alarm_name"] == names.Prefix()+"-aurora-rpo-lag" && a["threshold"] != float64(20000) {
				t.Errorf("%s: alarms.auroraRpoLagSeconds 20 gave threshold %v ms", region, a["threshold"])
			}
		}
		// The key lets this region's alarms publish to the encrypted topic.
		keyPolicy := synthtest.Policy(t, s[names.KeysStack(region)].Resource(t, "aws_kms_key")["policy"])
		if !strings.Contains(fmt.Sprint(keyPolicy), "cloudwatch.amazonaws.com") || !strings.Contains(fmt.Sprint(keyPolicy), "arn:aws:cloudwatch:"+region+":") {
			t.Errorf("%s: key policy does not admit the region's alarms: %v", region, keyPolicy)
		}
	}
}

// The primary's ALB and service alarms are no different from a standby's:
// the switch changes desired counts, not what is watched.
func TestEveryRegionHasTheWebTierAlarms(t *testing.T) {
	p, cfg := build(t, "")
	for _, r := range p.Regions {
		var names []string
		for _, a := range r.Alarms.Alarms {
			names = append(names, strings.TrimPrefix(a.Name, cfg.Names().Prefix()+"-"))
		}
		for _, want := range []string{"alb-target-5xx", "alb-5xx", "alb-unhealthy-targets", "ecs-tasks-below-desired"} {
			if !slices.Contains(names, want) {
				t.Errorf("%s lacks %s: %v", r.Region, want, names)
			}
		}
	}
}
