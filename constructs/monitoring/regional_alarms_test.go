package monitoring_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/monitoring"
	"github.com/pilotlight/pilotlight/internal/synthtest"
	monitoringspec "github.com/pilotlight/pilotlight/spec/monitoring"
)

func regionProps(env awsenv.Env) monitoring.RegionalAlarmsProps {
	return monitoring.RegionalAlarmsProps{
		Env: env, Name: "app-dev", KmsKeyArn: jsii.String("arn:aws:kms:us-west-2:123456789012:key/k"),
		Endpoints:       []string{"ops@example.com", "arn:aws:sqs:us-west-2:123456789012:alarms"},
		AuroraCluster:   "app-dev-us-west-2",
		CacheNodes:      []string{"app-dev-us-west-2-001", "app-dev-us-west-2-002"},
		ReplicationInto: []monitoring.S3Rule{{Name: "data-to-us-west-2", SourceBucket: "app-dev-data-us-east-1-1", DestinationBucket: "app-dev-data-us-west-2-1", RuleID: "to-us-west-2"}},
		ReplicationFrom: []monitoring.S3Rule{{Name: "data-to-us-east-1", SourceBucket: "app-dev-data-us-west-2-1", DestinationBucket: "app-dev-data-us-east-1-1", RuleID: "to-us-east-1"}},
		LoadBalancer:    monitoring.LoadBalancer{ArnSuffix: "app/app-dev/abc", TargetGroupArnSuffix: "targetgroup/app-dev-app/def"},
		Service:         monitoring.Service{Cluster: "app-dev", Service: "app-dev-app"},
	}
}

func alarmsByName(tpl synthtest.Template) map[string]synthtest.Object {
	out := map[string]synthtest.Object{}
	for _, a := range tpl.Resources("aws_cloudwatch_metric_alarm") {
		out[a["alarm_name"].(string)] = a
	}
	return out
}

// Each alarm watches the documented metric: namespace, name, dimensions and
// a statistic the service lists as valid, in the unit the threshold is in.
func TestRegionalAlarmsWatchTheDocumentedMetrics(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	r, err := monitoring.NewRegionalAlarms(stack, "alarms", regionProps(env))
	if err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	alarms := alarmsByName(tpl)
	type want struct {
		namespace, metric, statistic string
		dimensions                   map[string]any
		threshold                    float64
		missing                      string
	}
	for name, w := range map[string]want{
		// Milliseconds (Aurora User Guide): 5 s is 5000.
		"app-dev-aurora-replication-lag": {"AWS/RDS", "AuroraGlobalDBReplicationLag", "Maximum", map[string]any{"DBClusterIdentifier": "app-dev-us-west-2"}, 5000, "notBreaching"},
		"app-dev-aurora-rpo-lag":         {"AWS/RDS", "AuroraGlobalDBRPOLag", "Maximum", map[string]any{"DBClusterIdentifier": "app-dev-us-west-2"}, 5000, "notBreaching"},
		// ReplicationLatency: seconds, "Valid statistics: Max"; the S3 User
		// Guide asks for missing data to be ignored.
		"app-dev-s3-data-to-us-west-2-latency": {"AWS/S3", "ReplicationLatency", "Maximum", map[string]any{"SourceBucket": "app-dev-data-us-east-1-1", "DestinationBucket": "app-dev-data-us-west-2-1", "RuleId": "to-us-west-2"}, 900, "ignore"},
		"app-dev-s3-data-to-us-east-1-failed":  {"AWS/S3", "OperationsFailedReplication", "Sum", map[string]any{"SourceBucket": "app-dev-data-us-west-2-1", "DestinationBucket": "app-dev-data-us-east-1-1", "RuleId": "to-us-east-1"}, 0, "ignore"},
		"app-dev-alb-target-5xx":               {"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", map[string]any{"LoadBalancer": "app/app-dev/abc"}, 10, "notBreaching"},
		"app-dev-alb-unhealthy-targets":        {"AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", map[string]any{"TargetGroup": "targetgroup/app-dev-app/def", "LoadBalancer": "app/app-dev/abc"}, 0, "notBreaching"},
	} {
		a, ok := alarms[name]
		if !ok {
			t.Errorf("no alarm %s; have %v", name, slices.Sorted(maps.Keys(alarms)))
			continue
		}
		if a["namespace"] != w.namespace || a["metric_name"] != w.metric || a["statistic"] != w.statistic {
			t.Errorf("%s watches %v %v %v, want %s %s %s", name, a["namespace"], a["metric_name"], a["statistic"], w.namespace, w.metric, w.statistic)
		}
		if !maps.Equal(a["dimensions"].(map[string]any), w.dimensions) {
			t.Errorf("%s dimensions = %v, want %v", name, a["dimensions"], w.dimensions)
		}
		if a["threshold"] != w.threshold || a["treat_missing_data"] != w.missing || a["comparison_operator"] != "GreaterThanThreshold" {
			t.Errorf("%s: threshold %v %v, missing data %v; want > %v, %s", name, a["comparison_operator"], a["threshold"], a["treat_missing_data"], w.threshold, w.missing)
		}
		// Standard-resolution metrics: periods are multiples of 60, and
		// period x evaluation periods stays within one day.
		p, n := a["period"].(float64), a["evaluation_periods"].(float64)
		if int(p)%60 != 0 || p*n > 86400 || a["datapoints_to_alarm"].(float64) > n {
			t.Errorf("%s: period %v x %v, %v datapoints to alarm", name, p, n, a["datapoints_to_alarm"])
		}
		topic := "${aws_sns_topic.alarms_topic_" // the topic's reference, hash aside
		if acts := a["alarm_actions"].([]any); len(acts) != 1 || !strings.HasPrefix(acts[0].(string), topic) || len(a["ok_actions"].([]any)) != 1 {
			t.Errorf("%s notifies %v / %v, want the region's topic on ALARM and OK", name, a["alarm_actions"], a["ok_actions"])
		}
	}
	if len(r.Alarms) != len(alarms) {
		t.Errorf("%d alarms specified, %d synthesized", len(r.Alarms), len(alarms))
	}
	// ELB 5xx less its 503s: a standby without tasks answers Route 53's
	// health checks with 503s, which must not page anyone.
	elb := alarms["app-dev-alb-5xx"]
	queries := elb["metric_query"].([]any)
	if len(queries) != 3 || !strings.Contains(fmt.Sprint(queries), "HTTPCode_ELB_5XX_Count") || !strings.Contains(fmt.Sprint(queries), "HTTPCode_ELB_503_Count") || !strings.Contains(fmt.Sprint(queries), "m0 - FILL(m1, 0)") {
		t.Errorf("alb-5xx queries = %v", queries)
	}
}

// Alarms that combine metrics use the metric_query shape the provider
// documents: no metric, period or statistic on the alarm; exactly one query
// returns data; each metric query carries its own period and stat.
func TestMetricMathAlarms(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	if _, err := monitoring.NewRegionalAlarms(stack, "alarms", regionProps(env)); err != nil {
		t.Fatal(err)
	}
	alarms := alarmsByName(synthtest.Synth(t, stack))
	for name, want := range map[string]struct {
		expression string
		metrics    []string
		threshold  float64
		comparison string
	}{
		"app-dev-cache-replication-lag":   {"MAX([m0, m1])", []string{"GlobalDatastoreReplicationLag", "GlobalDatastoreReplicationLag"}, 5, "GreaterThanThreshold"},
		"app-dev-ecs-tasks-below-desired": {"m0 - m1", []string{"DesiredTaskCount", "RunningTaskCount"}, 1, "GreaterThanOrEqualToThreshold"},
	} {
		a := alarms[name]
		if a == nil {
			t.Errorf("no alarm %s", name)
			continue
		}
		for _, k := range []string{"metric_name", "namespace", "period", "statistic"} {
			if _, set := a[k]; set {
				t.Errorf("%s sets %s beside metric_query", name, k)
			}
		}
		var returned []string
		var metrics []string
		for _, q := range a["metric_query"].([]any) {
			q := q.(map[string]any)
			if q["return_data"] == true {
				returned = append(returned, q["id"].(string))
				if q["expression"] != want.expression {
					t.Errorf("%s expression = %v, want %s", name, q["expression"], want.expression)
				}
				continue
			}
			m := q["metric"].(map[string]any)
			metrics = append(metrics, m["metric_name"].(string))
			if m["period"] != float64(60) || m["stat"] == nil {
				t.Errorf("%s query %v: period %v stat %v", name, q["id"], m["period"], m["stat"])
			}
		}
		if len(returned) != 1 || !slices.Equal(metrics, want.metrics) || a["threshold"] != want.threshold || a["comparison_operator"] != want.comparison {
			t.Errorf("%s: returns %v, metrics %v, %v %v", name, returned, metrics, a["comparison_operator"], a["threshold"])
		}
	}
	ecs := alarms["app-dev-ecs-tasks-below-desired"]
	for _, q := range ecs["metric_query"].([]any) {
		if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
			if m["namespace"] != "ECS/ContainerInsights" || !maps.Equal(m["dimensions"].(map[string]any), map[string]any{"ClusterName": "app-dev", "ServiceName": "app-dev-app"}) {
				t.Errorf("ECS metric %v", m)
			}
		}
	}
	cache := alarms["app-dev-cache-replication-lag"]
	for i, q := range cache["metric_query"].([]any) {
		if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
			want := map[string]any{"CacheClusterId": []string{"app-dev-us-west-2-001", "app-dev-us-west-2-002"}[i]}
			if m["namespace"] != "AWS/ElastiCache" || !maps.Equal(m["dimensions"].(map[string]any), want) {
				t.Errorf("cache metric %v, want dimensions %v", m, want)
			}
		}
	}
}

// Which dimension combinations Aurora publishes its global metrics under is
// not documented beyond the dimension list, so the lag alarms read the
// cluster alone and with each possible SourceRegion, and take the largest.
func TestAuroraLagReadsEverySourceRegion(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	p := regionProps(env)
	p.AuroraSourceRegions = []string{"us-east-1", "us-east-2"}
	if _, err := monitoring.NewRegionalAlarms(stack, "alarms", p); err != nil {
		t.Fatal(err)
	}
	alarms := alarmsByName(synthtest.Synth(t, stack))
	for name, metric := range map[string]string{"app-dev-aurora-replication-lag": "AuroraGlobalDBReplicationLag", "app-dev-aurora-rpo-lag": "AuroraGlobalDBRPOLag"} {
		a := alarms[name]
		var dims []map[string]any
		var expression any
		for _, q := range a["metric_query"].([]any) {
			q := q.(map[string]any)
			if m, ok := q["metric"].(map[string]any); ok {
				if m["metric_name"] != metric || m["namespace"] != "AWS/RDS" || m["stat"] != "Maximum" {
					t.Errorf("%s reads %v", name, m)
				}
				dims = append(dims, m["dimensions"].(map[string]any))
			} else {
				expression = q["expression"]
			}
		}
		want := []map[string]any{
			{"DBClusterIdentifier": "app-dev-us-west-2"},
			{"DBClusterIdentifier": "app-dev-us-west-2", "SourceRegion": "us-east-1"},
			{"DBClusterIdentifier": "app-dev-us-west-2", "SourceRegion": "us-east-2"},
		}
		if len(dims) != 3 || expression != "MAX([m0, m1, m2])" || a["threshold"] != float64(5000) {
			t.Fatalf("%s: dimensions %v, expression %v, threshold %v", name, dims, expression, a["threshold"])
		}
		for i := range want {
			if !maps.Equal(dims[i], want[i]) {
				t.Errorf("%s metric %d dimensions %v, want %v", name, i, dims[i], want[i])
			}
		}
	}
}

// A region without a secondary cluster, cache group or replication rules
// (not the app's case, but a valid use) gets the web-tier alarms only.
func TestRegionalAlarmsWebTierOnly(t *testing.T) {
	stack, env := synthtest.NewStack("eu-west-1")
	p := regionProps(env)
	p.AuroraCluster, p.CacheNodes, p.ReplicationInto, p.ReplicationFrom = "", nil, nil, nil
	r, err := monitoring.NewRegionalAlarms(stack, "alarms", p)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range r.Alarms {
		names = append(names, a.Name)
	}
	want := []string{"app-dev-alb-target-5xx", "app-dev-alb-5xx", "app-dev-alb-unhealthy-targets", "app-dev-ecs-tasks-below-desired"}
	if !slices.Equal(names, want) {
		t.Errorf("alarms = %v, want %v", names, want)
	}
}

func TestRegionalAlarmsRefuseBadProps(t *testing.T) {
	_, env := synthtest.NewStack("us-west-2")
	p := regionProps(env)
	p.Name = "Bad Name"
	p.Thresholds = &monitoringspec.Thresholds{AuroraReplicationLagSeconds: 0}
	p.Endpoints = []string{"http://example.com"}
	p.LoadBalancer = monitoring.LoadBalancer{}
	err := p.Validate()
	for _, want := range []string{"Name \"Bad Name\"", "AuroraReplicationLagSeconds: 0 is out of range", "LoadBalancer: ArnSuffix", "TasksBelowDesiredMinutes", "Endpoints[0]: \"http://example.com\""} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

// The dashboard graphs every alarm's metrics with the alarm's statistic
// and period, in the region it is in.
func TestDashboardGraphsTheAlarmMetrics(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	r, err := monitoring.NewRegionalAlarms(stack, "alarms", regionProps(env))
	if err != nil {
		t.Fatal(err)
	}
	d := synthtest.Synth(t, stack).Resource(t, "aws_cloudwatch_dashboard")
	if d["dashboard_name"] != "app-dev-us-west-2" {
		t.Errorf("dashboard_name = %v", d["dashboard_name"])
	}
	var body struct {
		Widgets []struct {
			Type       string
			X, Y       int
			Width      int
			Properties struct {
				Title   string
				Region  string
				Period  int
				Metrics [][]any
			}
		}
	}
	if err := json.Unmarshal([]byte(d["dashboard_body"].(string)), &body); err != nil {
		t.Fatalf("dashboard_body: %v", err)
	}
	if len(body.Widgets) != len(r.Alarms) {
		t.Fatalf("%d widgets for %d alarms", len(body.Widgets), len(r.Alarms))
	}
	for i, w := range body.Widgets {
		a := r.Alarms[i]
		p := w.Properties
		if w.Type != "metric" || p.Title != a.Name || p.Region != "us-west-2" || p.Period != a.PeriodSeconds || w.X+w.Width > 24 {
			t.Errorf("widget %d = %+v", i, w)
		}
		for j, m := range a.Metrics {
			row := p.Metrics[j]
			if row[0] != m.Namespace || row[1] != m.Name || row[len(row)-1].(map[string]any)["stat"] != m.Statistic {
				t.Errorf("widget %s row %d = %v, want %s %s %s", a.Name, j, row, m.Namespace, m.Name, m.Statistic)
			}
		}
		if a.Expression != "" && len(p.Metrics) != len(a.Metrics)+1 {
			t.Errorf("widget %s lacks the expression row", a.Name)
		}
	}
}
