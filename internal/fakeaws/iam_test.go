package fakeaws

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	rdssdk "github.com/aws/aws-sdk-go-v2/service/rds"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func mustPolicy(t *testing.T, doc string) *IAMPolicy {
	t.Helper()
	p, err := ParseIAMPolicy(doc)
	if err != nil {
		t.Fatalf("ParseIAMPolicy: %v\n%s", err, doc)
	}
	return p
}

func TestWildcardMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		fold, want bool
	}{
		{"*", "", false, true},
		{"*", "anything", false, true},
		{"rds:Describe*", "rds:DescribeDBClusters", false, true},
		{"rds:Describe*", "rds:describedbclusters", true, true},
		{"rds:Describe*", "rds:describedbclusters", false, false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/k/x", false, true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b", false, false},
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"*-suffix", "fake-app-suffix", false, true},
		{"*-suffix", "fake-app-suffix2", false, false},
		{"a*b*c", "aXbYbZc", false, true},
		{"a*b*c", "aXbYc-", false, false},
		{"", "", false, true},
		{"", "x", false, false},
	} {
		if got := wildcardMatch(c.pattern, c.s, c.fold); got != c.want {
			t.Errorf("wildcardMatch(%q, %q, fold=%v) = %v, want %v", c.pattern, c.s, c.fold, got, c.want)
		}
	}
}

// The evaluation rules the operator policy relies on, each with a case
// that passes and one that fails.
func TestIAMPolicyEvaluate(t *testing.T) {
	cluster := "arn:aws:rds:us-west-2:123456789012:cluster:app-us-west-2"
	global := "arn:aws:rds::123456789012:global-cluster:app"
	west := map[string][]string{"aws:RequestedRegion": {"us-west-2"}}
	not := map[string][]string{"test:not": {"true"}} // turns on the NotAction statement
	p := mustPolicy(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"Failover","Effect":"Allow","Action":["rds:FailoverGlobalCluster"],"Resource":["`+global+`","arn:aws:rds:*:123456789012:cluster:app-*"]},
		{"Sid":"Read","Effect":"Allow","Action":"rds:Describe*","Resource":"*"},
		{"Sid":"Metrics","Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":["Pilotlight/TrafficSwitch","Other"]}}},
		{"Sid":"WestOnly","Effect":"Allow","Action":"ecs:UpdateService","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-west-2"},"ArnLike":{"ecs:cluster":"arn:aws:ecs:*:123456789012:cluster/app"}}},
		{"Sid":"NoDelete","Effect":"Deny","Action":"rds:Delete*","Resource":"*"},
		{"Sid":"AllowDelete","Effect":"Allow","Action":"rds:DeleteDBCluster","Resource":"*"},
		{"Sid":"AllButIAM","Effect":"Allow","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:s3:::secret*","Condition":{"Bool":{"test:not":"true"}}}
	]}`)
	for _, c := range []struct {
		name   string
		req    IAMRequest
		want   bool
		denied string // the resource named on a denial
		deny   string // the explicit Deny statement, if one decided
	}{
		{"every resource allowed", IAMRequest{Action: "rds:FailoverGlobalCluster", Resources: []string{global, cluster}, Context: west}, true, "", ""},
		{"one resource not allowed", IAMRequest{Action: "rds:FailoverGlobalCluster", Resources: []string{global, "arn:aws:rds:us-west-2:123456789012:cluster:other"}, Context: west}, false, "arn:aws:rds:us-west-2:123456789012:cluster:other", ""},
		{"action names ignore case", IAMRequest{Action: "RDS:describedbclusters", Resources: []string{cluster}}, true, "", ""},
		{"resource ARNs keep case", IAMRequest{Action: "rds:FailoverGlobalCluster", Resources: []string{strings.ToUpper(global)}}, false, strings.ToUpper(global), ""},
		{"condition value among several", IAMRequest{Action: "cloudwatch:PutMetricData", Resources: []string{"*"}, Context: map[string][]string{"cloudwatch:namespace": {"Other"}}}, true, "", ""},
		{"condition value not listed", IAMRequest{Action: "cloudwatch:PutMetricData", Resources: []string{"*"}, Context: map[string][]string{"cloudwatch:namespace": {"AWS/EC2"}}}, false, "*", ""},
		{"condition key absent", IAMRequest{Action: "cloudwatch:PutMetricData", Resources: []string{"*"}}, false, "*", ""},
		{"every operator must hold", IAMRequest{Action: "ecs:UpdateService", Resources: []string{"*"}, Context: map[string][]string{"aws:RequestedRegion": {"us-west-2"}, "ecs:cluster": {"arn:aws:ecs:us-west-2:123456789012:cluster/app"}}}, true, "", ""},
		{"wrong region", IAMRequest{Action: "ecs:UpdateService", Resources: []string{"*"}, Context: map[string][]string{"aws:RequestedRegion": {"us-east-1"}, "ecs:cluster": {"arn:aws:ecs:us-east-1:123456789012:cluster/app"}}}, false, "*", ""},
		{"ArnLike on the wrong cluster", IAMRequest{Action: "ecs:UpdateService", Resources: []string{"*"}, Context: map[string][]string{"aws:RequestedRegion": {"us-west-2"}, "ecs:cluster": {"arn:aws:ecs:us-west-2:123456789012:cluster/app2"}}}, false, "*", ""},
		{"explicit deny wins over allow", IAMRequest{Action: "rds:DeleteDBCluster", Resources: []string{cluster}}, false, cluster, "NoDelete"},
		{"NotAction covers other services", IAMRequest{Action: "s3:GetObject", Resources: []string{"arn:aws:s3:::data/k"}, Context: not}, true, "", ""},
		{"NotAction excludes", IAMRequest{Action: "iam:CreateUser", Resources: []string{"*"}, Context: not}, false, "*", ""},
		{"NotResource excludes", IAMRequest{Action: "s3:GetObject", Resources: []string{"arn:aws:s3:::secrets/k"}, Context: not}, false, "arn:aws:s3:::secrets/k", ""},
	} {
		d := p.Evaluate(c.req)
		if d.Allowed != c.want || d.Resource != c.denied || d.ExplicitDeny != c.deny {
			t.Errorf("%s: Evaluate(%+v) = %+v, want allowed=%v resource=%q deny=%q", c.name, c.req, d, c.want, c.denied, c.deny)
		}
	}
}

func TestConditionOperators(t *testing.T) {
	eval := func(cond string, ctx map[string][]string) bool {
		p := mustPolicy(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"x:Y","Resource":"*","Condition":`+cond+`}}`)
		return p.Evaluate(IAMRequest{Action: "x:Y", Resources: []string{"*"}, Context: ctx}).Allowed
	}
	k := func(v ...string) map[string][]string { return map[string][]string{"k": v} }
	for _, c := range []struct {
		cond string
		ctx  map[string][]string
		want bool
	}{
		{`{"StringEquals":{"k":"a"}}`, k("a"), true},
		{`{"StringEquals":{"k":"a"}}`, k("A"), false},
		{`{"StringEqualsIgnoreCase":{"k":"a"}}`, k("A"), true},
		{`{"StringNotEquals":{"k":"a"}}`, k("b"), true},
		{`{"StringNotEquals":{"k":"a"}}`, k("a"), false},
		{`{"StringNotEquals":{"k":"a"}}`, nil, true}, // negated: an absent key matches
		{`{"StringNotEqualsIgnoreCase":{"k":"a"}}`, k("A"), false},
		{`{"StringLike":{"k":"pre*"}}`, k("prefix"), true},
		{`{"StringLike":{"k":"pre*"}}`, k("xpre"), false},
		{`{"StringNotLike":{"k":"pre*"}}`, k("xpre"), true},
		{`{"StringLike":{"k":"pre*"}}`, nil, false},
		{`{"StringLikeIfExists":{"k":"pre*"}}`, nil, true},
		{`{"StringLikeIfExists":{"k":"pre*"}}`, k("no"), false},
		{`{"ArnLike":{"k":"arn:aws:ecs:*:1:cluster/app"}}`, k("arn:aws:ecs:us-west-2:1:cluster/app"), true},
		{`{"ArnLike":{"k":"arn:aws:ecs:*:1:cluster/app"}}`, k("arn:aws:ecs:us-west-2:1:cluster/app/x"), false},
		{`{"ArnLike":{"k":"arn:aws:ecs:*"}}`, k("arn:aws:ecs:us-west-2:1:cluster/app"), false}, // six parts each
		{`{"ArnEquals":{"k":"arn:aws:ecs:us-west-2:1:cluster/app"}}`, k("arn:aws:ecs:us-west-2:1:cluster/app"), true},
		{`{"ArnNotLike":{"k":"arn:aws:ecs:*:1:cluster/app"}}`, k("arn:aws:ecs:us-west-2:1:cluster/other"), true},
		{`{"Bool":{"k":"true"}}`, k("true"), true},
		{`{"Bool":{"k":true}}`, k("false"), false},
		{`{"Null":{"k":"true"}}`, nil, true},
		{`{"Null":{"k":"true"}}`, k("v"), false},
		{`{"Null":{"k":false}}`, k("v"), true},
		{`{"StringEquals":{"k":"a","j":"b"}}`, map[string][]string{"k": {"a"}, "j": {"b"}}, true},
		{`{"StringEquals":{"k":"a","j":"b"}}`, map[string][]string{"k": {"a"}, "j": {"c"}}, false},
		{`{"StringEquals":{"k":"a"},"StringLike":{"j":"b*"}}`, map[string][]string{"k": {"a"}, "j": {"c"}}, false},
	} {
		if got := eval(c.cond, c.ctx); got != c.want {
			t.Errorf("%s with %v: allowed=%v, want %v", c.cond, c.ctx, got, c.want)
		}
	}
}

// A document the evaluator would misjudge is refused, naming what.
func TestParseIAMPolicyRefusesWhatItCannotJudge(t *testing.T) {
	for doc, want := range map[string]string{
		`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`:                                                    "2012-10-17",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}`:          "policy variables",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"k":"v"}}}]}`: "ForAnyValue:StringEquals",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"k":"v"}}}]}`:             "DateLessThan",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`:                                    "Principal",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}`:                                                    "Effect",
		`{"Version":"2012-10-17","Statement":[{"Sid":"Both","Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}]}`:                    "Both",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}`:                                                                   "Resource",
		`{"Version":"2012-10-17","Statement":[]}`: "no statements",
	} {
		if _, err := ParseIAMPolicy(doc); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseIAMPolicy(%s) = %v, want an error naming %q", doc, err, want)
		}
	}
}

// apiCode is the error code an SDK client read from the fake's answer,
// and the HTTP status.
func apiCode(t *testing.T, err error) (string, string, int) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return ae.ErrorCode(), ae.ErrorMessage(), status
}

// A refused call reaches each SDK client as the error AWS sends for its
// protocol, naming the action and resource; an allowed one goes through;
// an unmapped one fails and is logged as unanswered.
func TestEnforcePolicyAnswersAccessDeniedPerProtocol(t *testing.T) {
	s := New()
	defer s.Close()
	d := NewDeployment("app-dev", []string{"us-east-1", "us-west-2"}, "app-dev", "app-dev-app", "app-dev-app", 2)
	s.Deploy(d)
	err := s.EnforcePolicy(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"rds:DescribeGlobalClusters","Resource":"arn:aws:rds::` + AccountID + `:global-cluster:app-dev"},
		{"Effect":"Allow","Action":"cloudwatch:GetMetricData","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	cfg := aws.Config{Region: "us-west-2", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""), RetryMaxAttempts: 1}
	ctx := context.Background()
	endpoint := func(o **string) { *o = aws.String(s.URL) }
	rdsc := rdssdk.NewFromConfig(cfg, func(o *rdssdk.Options) { endpoint(&o.BaseEndpoint) })
	if _, err := rdsc.DescribeGlobalClusters(ctx, &rdssdk.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String("app-dev")}); err != nil {
		t.Errorf("allowed call refused: %v", err)
	}
	if _, err := stssdk.NewFromConfig(cfg, func(o *stssdk.Options) { endpoint(&o.BaseEndpoint) }).GetCallerIdentity(ctx, &stssdk.GetCallerIdentityInput{}); err != nil {
		t.Errorf("GetCallerIdentity needs no permission, got %v", err)
	}
	metrics := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(time.Now().Add(-time.Hour)), EndTime: aws.Time(time.Now()),
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("m"), MetricStat: &cwtypes.MetricStat{Metric: &cwtypes.Metric{Namespace: aws.String("AWS/RDS"), MetricName: aws.String("AuroraGlobalDBRPOLag")}, Period: aws.Int32(60), Stat: aws.String("Maximum")}}}}
	eastCfg := cfg
	eastCfg.Region = "us-east-1"
	if _, err := cloudwatch.NewFromConfig(eastCfg, func(o *cloudwatch.Options) { endpoint(&o.BaseEndpoint) }).GetMetricData(ctx, metrics); err != nil {
		t.Errorf("GetMetricData in the allowed region refused: %v", err)
	}
	cw := cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) { endpoint(&o.BaseEndpoint) })

	for _, c := range []struct {
		name, action, resource, code string
		status                       int
		call                         func() error
	}{
		{"query (RDS)", "rds:FailoverGlobalCluster", "arn:aws:rds::" + AccountID + ":global-cluster:app-dev", "AccessDenied", 403, func() error {
			_, err := rdsc.FailoverGlobalCluster(ctx, &rdssdk.FailoverGlobalClusterInput{GlobalClusterIdentifier: aws.String("app-dev"), TargetDbClusterIdentifier: aws.String("arn:aws:rds:us-west-2:" + AccountID + ":cluster:app-dev-us-west-2"), AllowDataLoss: aws.Bool(true)})
			return err
		}},
		{"query (ElastiCache)", "elasticache:FailoverGlobalReplicationGroup", "arn:aws:elasticache::" + AccountID + ":globalreplicationgroup:fake-app-dev", "AccessDenied", 403, func() error {
			_, err := elasticache.NewFromConfig(cfg, func(o *elasticache.Options) { endpoint(&o.BaseEndpoint) }).FailoverGlobalReplicationGroup(ctx, &elasticache.FailoverGlobalReplicationGroupInput{GlobalReplicationGroupId: aws.String("fake-app-dev"), PrimaryRegion: aws.String("us-west-2"), PrimaryReplicationGroupId: aws.String("app-dev-us-west-2")})
			return err
		}},
		{"EC2", "ec2:DescribeNatGateways", "", "UnauthorizedOperation", 403, func() error {
			_, err := ec2sdk.NewFromConfig(cfg, func(o *ec2sdk.Options) { endpoint(&o.BaseEndpoint) }).DescribeNatGateways(ctx, &ec2sdk.DescribeNatGatewaysInput{})
			return err
		}},
		{"JSON 1.1 (ECS)", "ecs:UpdateService", "arn:aws:ecs:us-west-2:" + AccountID + ":service/app-dev/app-dev-app", "AccessDeniedException", 400, func() error {
			_, err := ecs.NewFromConfig(cfg, func(o *ecs.Options) { endpoint(&o.BaseEndpoint) }).UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("app-dev"), Service: aws.String("app-dev-app"), DesiredCount: aws.Int32(2)})
			return err
		}},
		{"REST-XML (S3)", "s3:PutObject", "arn:aws:s3:::switch-bucket/standby", "AccessDenied", 403, func() error {
			_, err := s3sdk.NewFromConfig(cfg, func(o *s3sdk.Options) { endpoint(&o.BaseEndpoint); o.UsePathStyle = true }).PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("switch-bucket"), Key: aws.String("standby"), Body: strings.NewReader("x")})
			return err
		}},
		{"Smithy RPC v2 CBOR (CloudWatch), condition not met", "cloudwatch:GetMetricData", "", "AccessDenied", 400, func() error {
			_, err := cw.GetMetricData(ctx, metrics)
			return err
		}},
	} {
		err := c.call()
		if err == nil {
			t.Errorf("%s: %s went through", c.name, c.action)
			continue
		}
		code, msg, status := apiCode(t, err)
		want := "is not authorized to perform: " + c.action
		if c.resource != "" {
			want += " on resource: " + c.resource
		}
		if code != c.code || status != c.status || !strings.Contains(msg, want) || !strings.Contains(msg, "because no identity-based policy allows the "+c.action+" action") {
			t.Errorf("%s: got code %q, HTTP %d, message %q; want code %q, HTTP %d, message with %q", c.name, code, status, msg, c.code, c.status, want)
		}
	}
	if st := d.State(); st.Writer != "us-east-1" || st.CachePrimary != "us-east-1" || st.Desired["us-west-2"] != 0 {
		t.Errorf("a refused call changed the deployment: %+v", st)
	}
	var denied int
	for _, call := range s.Calls() {
		if call.Denied {
			denied++
		}
	}
	if denied != 6 {
		t.Errorf("calls logged as denied: %d, want 6: %s", denied, Summary(s.Calls()))
	}

	// A call with no IAM mapping fails loudly instead of passing unchecked.
	if out := post(t, s, "us-west-2", "rds", url.Values{"Action": {"DeleteGlobalCluster"}, "GlobalClusterIdentifier": {"app-dev"}}.Encode()); !strings.Contains(out, "no IAM mapping for rds DeleteGlobalCluster") {
		t.Errorf("unmapped call answered: %s", out)
	}
	if u := s.Unanswered(); len(u) != 1 || u[0].Action != "DeleteGlobalCluster" {
		t.Errorf("unmapped call not logged as unanswered: %v", u)
	}

	// An explicit Deny names itself; EnforcePolicy("") stops checking.
	if err := s.EnforcePolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoFailover","Effect":"Deny","Action":"rds:Failover*","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	_, err = rdsc.FailoverGlobalCluster(ctx, &rdssdk.FailoverGlobalClusterInput{GlobalClusterIdentifier: aws.String("app-dev"), TargetDbClusterIdentifier: aws.String("arn:aws:rds:us-west-2:" + AccountID + ":cluster:app-dev-us-west-2"), AllowDataLoss: aws.Bool(true)})
	if code, msg, _ := apiCode(t, err); code != "AccessDenied" || !strings.Contains(msg, "with an explicit deny") {
		t.Errorf("explicit deny: %s %s", code, msg)
	}
	if err := s.EnforcePolicy(""); err != nil {
		t.Fatal(err)
	}
	if _, err := ecs.NewFromConfig(cfg, func(o *ecs.Options) { endpoint(&o.BaseEndpoint) }).UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("app-dev"), Service: aws.String("app-dev-app"), DesiredCount: aws.Int32(2)}); err != nil {
		t.Errorf("with no policy enforced: %v", err)
	}
	if err := s.EnforcePolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::${aws:username}"}]}`); err == nil {
		t.Error("a policy the evaluator cannot judge was enforced")
	}
}

// Every mapping reads the request it maps: the ARNs and keys each builds
// from the SDK's real requests.
func TestIAMRequestOfSDKCalls(t *testing.T) {
	s := New()
	defer s.Close()
	d := NewDeployment("app-dev", []string{"us-east-1", "us-west-2"}, "app-dev", "app-dev-app", "app-dev-app", 2)
	s.Deploy(d)
	if err := s.EnforcePolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	cfg := aws.Config{Region: "us-west-2", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""), RetryMaxAttempts: 1}
	ctx := context.Background()
	rdsc := rdssdk.NewFromConfig(cfg, func(o *rdssdk.Options) { o.BaseEndpoint = aws.String(s.URL) })
	_, _ = rdsc.DescribeDBClusters(ctx, &rdssdk.DescribeDBClustersInput{DBClusterIdentifier: aws.String("app-dev-us-west-2")})
	_, _ = ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = aws.String(s.URL) }).DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("app-dev"), Services: []string{"app-dev-app"}})
	ecsc := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = aws.String(s.URL) })
	_, _ = ecsc.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("app-dev"), ServiceName: aws.String("app-dev-app")})
	_, _ = ecsc.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("app-dev"), Tasks: []string{"t1", "arn:aws:ecs:us-west-2:123456789012:task/app-dev/t2"}})
	s3c := s3sdk.NewFromConfig(cfg, func(o *s3sdk.Options) { o.BaseEndpoint = aws.String(s.URL); o.UsePathStyle = true })
	_, _ = s3c.GetBucketReplication(ctx, &s3sdk.GetBucketReplicationInput{Bucket: aws.String("data")})
	_, _ = s3c.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String("switch"), Key: aws.String("dir/standby"), Body: strings.NewReader("1")})
	_, _ = s3c.GetObject(ctx, &s3sdk.GetObjectInput{Bucket: aws.String("switch"), Key: aws.String("dir/standby")})
	_, _ = s3c.HeadObject(ctx, &s3sdk.HeadObjectInput{Bucket: aws.String("switch"), Key: aws.String("dir/standby")})
	_, _ = s3c.DeleteObject(ctx, &s3sdk.DeleteObjectInput{Bucket: aws.String("switch"), Key: aws.String("dir/standby")})
	want := []string{
		"rds:DescribeDBClusters [arn:aws:rds:us-west-2:123456789012:cluster:app-dev-us-west-2] map[aws:RequestedRegion:[us-west-2]]",
		"ecs:DescribeServices [arn:aws:ecs:us-west-2:123456789012:service/app-dev/app-dev-app] map[aws:RequestedRegion:[us-west-2] ecs:cluster:[arn:aws:ecs:us-west-2:123456789012:cluster/app-dev]]",
		"ecs:ListTasks [*] map[aws:RequestedRegion:[us-west-2] ecs:cluster:[arn:aws:ecs:us-west-2:123456789012:cluster/app-dev]]",
		"ecs:DescribeTasks [arn:aws:ecs:us-west-2:123456789012:task/app-dev/t1 arn:aws:ecs:us-west-2:123456789012:task/app-dev/t2] map[aws:RequestedRegion:[us-west-2] ecs:cluster:[arn:aws:ecs:us-west-2:123456789012:cluster/app-dev]]",
		"s3:GetReplicationConfiguration [arn:aws:s3:::data] map[aws:RequestedRegion:[us-west-2]]",
		"s3:PutObject [arn:aws:s3:::switch/dir/standby] map[aws:RequestedRegion:[us-west-2]]",
		"s3:GetObject [arn:aws:s3:::switch/dir/standby] map[aws:RequestedRegion:[us-west-2]]",
		"s3:ListBucket [arn:aws:s3:::switch] map[aws:RequestedRegion:[us-west-2]]",
		"s3:GetObject [arn:aws:s3:::switch/dir/standby] map[aws:RequestedRegion:[us-west-2]]",
		"s3:ListBucket [arn:aws:s3:::switch] map[aws:RequestedRegion:[us-west-2]]",
		"s3:DeleteObject [arn:aws:s3:::switch/dir/standby] map[aws:RequestedRegion:[us-west-2]]",
	}
	var got []string
	for _, a := range s.Authorizations() {
		got = append(got, fmt.Sprintf("%s %v %v", a.Action, a.Resources, a.Context)) // fmt sorts map keys
	}
	if u := s.Unanswered(); len(u) > 0 {
		t.Errorf("calls with no IAM mapping: %s", Summary(u))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("authorized requests:\n got %q\nwant %q", got, want)
	}
}
