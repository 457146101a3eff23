package fakeaws

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecsdk "github.com/aws/aws-sdk-go-v2/service/elasticache"
	rdssdk "github.com/aws/aws-sdk-go-v2/service/rds"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/pilotlight/pilotlight/internal/vclock"
)

// With Durations, each asynchronous change finishes when its time has
// passed on the Deployment's Clock, however many describes are made (more
// than Polls at the start, none in between), and Route 53 answers by a
// switch change only after TrafficSwitch. Every duration passes on a
// virtual clock: the test waits for none of them.
func TestDeploymentDurations(t *testing.T) {
	const west = "us-west-2"
	clock := vclock.NewVirtual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := New()
	defer s.Close()
	d := NewDeployment("app-dev", []string{"us-east-1", west}, "app-dev", "app-dev-app", "app-dev-app", 2)
	d.Clock = clock
	d.Durations = &Durations{AuroraFailover: 60 * time.Second, CacheFailover: 40 * time.Second, TaskStart: 90 * time.Second, TaskStop: 30 * time.Second, TrafficSwitch: 120 * time.Second}
	d.SwitchKey = "standby-takes-over"
	d.SwitchBuckets = map[string]string{"us-east-1": "app-dev-switch-us-east-1-" + AccountID, west: "app-dev-switch-us-west-2-" + AccountID}
	s.Deploy(d)
	ctx := context.Background()
	cfg := aws.Config{Region: west, Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""), RetryMaxAttempts: 1}
	rds := rdssdk.NewFromConfig(cfg, func(o *rdssdk.Options) { o.BaseEndpoint = aws.String(s.URL) })
	ec := ecsdk.NewFromConfig(cfg, func(o *ecsdk.Options) { o.BaseEndpoint = aws.String(s.URL) })
	ecs := ecssdk.NewFromConfig(cfg, func(o *ecssdk.Options) { o.BaseEndpoint = aws.String(s.URL) })
	objects := s3sdk.NewFromConfig(cfg, func(o *s3sdk.Options) { o.BaseEndpoint = aws.String(s.URL); o.UsePathStyle = true })
	wait := func(d time.Duration) {
		t.Helper()
		if err := clock.Sleep(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	describe := func() {
		t.Helper()
		for i := 0; i < 2*d.Polls; i++ { // more describes than Polls change nothing
			if _, err := rds.DescribeGlobalClusters(ctx, &rdssdk.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String("app-dev")}); err != nil {
				t.Fatal(err)
			}
			if _, err := ec.DescribeGlobalReplicationGroups(ctx, &ecsdk.DescribeGlobalReplicationGroupsInput{GlobalReplicationGroupId: aws.String(d.CacheGlobalID)}); err != nil {
				t.Fatal(err)
			}
			if _, err := ecs.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("app-dev"), Services: []string{"app-dev-app"}}); err != nil {
				t.Fatal(err)
			}
		}
	}

	start := clock.Now()
	if _, err := rds.FailoverGlobalCluster(ctx, &rdssdk.FailoverGlobalClusterInput{GlobalClusterIdentifier: aws.String("app-dev"),
		TargetDbClusterIdentifier: aws.String("arn:aws:rds:us-west-2:" + AccountID + ":cluster:app-dev-us-west-2"), AllowDataLoss: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ec.FailoverGlobalReplicationGroup(ctx, &ecsdk.FailoverGlobalReplicationGroupInput{GlobalReplicationGroupId: aws.String(d.CacheGlobalID), PrimaryRegion: aws.String(west), PrimaryReplicationGroupId: aws.String("app-dev-us-west-2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ecs.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("app-dev"), Service: aws.String("app-dev-app"), DesiredCount: aws.Int32(2)}); err != nil {
		t.Fatal(err)
	}

	type at struct {
		after                time.Duration
		writer, cachePrimary string
		running              int
	}
	check := func(want at) {
		t.Helper()
		wait(start.Add(want.after).Sub(clock.Now()))
		describe()
		st := d.State()
		if st.Writer != want.writer || st.CachePrimary != want.cachePrimary || st.Running[west] != want.running {
			t.Errorf("after %s: writer %s, cache primary %s, %d tasks running in %s; want %+v", want.after, st.Writer, st.CachePrimary, st.Running[west], west, want)
		}
	}
	for _, want := range []at{
		{0, "us-east-1", "us-east-1", 0},
		{39 * time.Second, "us-east-1", "us-east-1", 0},
		{40 * time.Second, "us-east-1", west, 0}, // CacheFailover
		{59 * time.Second, "us-east-1", west, 0},
		{60 * time.Second, west, west, 0}, // AuroraFailover
		{89 * time.Second, west, west, 0},
		{90 * time.Second, west, west, 2}, // TaskStart
	} {
		check(want)
	}

	// The switch: S3 sees it at once, Route 53 after TrafficSwitch.
	if _, err := objects.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: aws.String(d.SwitchBuckets[west]), Key: aws.String(d.SwitchKey), ExpectedBucketOwner: aws.String(AccountID)}); err != nil {
		t.Fatal(err)
	}
	if d.State().SwitchState[west] != SwitchOn {
		t.Errorf("S3 does not see the put at once")
	}
	wait(119 * time.Second)
	if got := s.FailoverAnswer(d, "us-east-1", west); got != "active" {
		t.Errorf("Route 53 answers with the %s 119 s after the switch, before TrafficSwitch (120 s) has passed", got)
	}
	wait(time.Second)
	if got := s.FailoverAnswer(d, "us-east-1", west); got != "standby" {
		t.Errorf("Route 53 answers with the %s once TrafficSwitch has passed, want the standby", got)
	}

	// TaskStop: the tasks above a lowered desiredCount stop after it.
	if _, err := ecs.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("app-dev"), Service: aws.String("app-dev-app"), DesiredCount: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	start = clock.Now()
	check(at{29 * time.Second, west, west, 2})
	check(at{30 * time.Second, west, west, 0})

	if m := d.Mutations(); m["us-west-2 rds FailoverGlobalCluster"] != 1 || m["us-west-2 elasticache FailoverGlobalReplicationGroup"] != 1 {
		t.Errorf("mutations: %v", m)
	}
}
