package fakeaws

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	s3sdk "github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// post sends a query-protocol call signed for region and service (only the
// credential scope matters to the fake).
func post(t *testing.T, s *Server, region, service, body string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/"+region+"/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// Deploy keeps the plan handlers' RDS answers (the legacy cluster), and a
// switchover takes Polls describes to finish.
func TestDeploymentKeepsPlanHandlersAndTakesPolls(t *testing.T) {
	s := New()
	defer s.Close()
	d := NewDeployment("app-dev", []string{"us-east-1", "us-west-2"}, "app-dev", "app-dev-app", "app-dev-app", 2)
	s.Deploy(d)
	if out := post(t, s, "us-east-1", "rds", url.Values{"Action": {"DescribeDBClusters"}, "DBClusterIdentifier": {"legacy"}}.Encode()); !strings.Contains(out, "<DBClusterIdentifier>legacy</DBClusterIdentifier>") {
		t.Errorf("plan handler lost: %s", out)
	}
	out := post(t, s, "us-west-2", "rds", url.Values{"Action": {"SwitchoverGlobalCluster"}, "GlobalClusterIdentifier": {"app-dev"}, "TargetDbClusterIdentifier": {"arn:aws:rds:us-west-2:" + AccountID + ":cluster:app-dev-us-west-2"}}.Encode())
	if !strings.Contains(out, "<Status>switching-over</Status>") {
		t.Fatalf("switchover answer: %s", out)
	}
	for i := 1; i <= d.Polls; i++ {
		out := post(t, s, "us-west-2", "rds", url.Values{"Action": {"DescribeGlobalClusters"}, "GlobalClusterIdentifier": {"app-dev"}}.Encode())
		if done := strings.Contains(out, "<Status>available</Status>"); done != (i == d.Polls) {
			t.Errorf("poll %d: available=%v: %s", i, done, out)
		}
	}
	if d.State().Writer != "us-west-2" {
		t.Errorf("writer %s", d.State().Writer)
	}
	if u := s.Unanswered(); len(u) > 0 {
		t.Errorf("unanswered: %s", Summary(u))
	}
}

// The traffic switch's object is put, read and deleted in the region the
// call names only, with a 404 when absent and a 403 for a bucket another
// account would own; DescribeVpcEndpoints honours its tag and state
// filters; ECR answers not-found with the codes ECR uses. Driven by the
// SDK's own clients, as the runbook drives them.
func TestDeploymentSwitchEndpointsAndImages(t *testing.T) {
	s := New()
	defer s.Close()
	d := NewDeployment("app-dev", []string{"us-east-1", "us-west-2"}, "app-dev", "app-dev-app", "app-dev-app", 2)
	d.SwitchKey = "standby-takes-over"
	d.SwitchBuckets = map[string]string{"us-east-1": "app-dev-switch-us-east-1-" + AccountID, "us-west-2": "app-dev-switch-us-west-2-" + AccountID}
	d.VpcEndpoints["us-west-2"] = []string{"ecr.api", "s3"}
	d.Images["us-west-2"] = []string{"app:1.0", "444455556666/shared:2.0"}
	s.Deploy(d)
	ctx := context.Background()
	cfg := aws.Config{Region: "us-west-2", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""), RetryMaxAttempts: 1}

	objects := s3sdk.NewFromConfig(cfg, func(o *s3sdk.Options) { o.BaseEndpoint = aws.String(s.URL); o.UsePathStyle = true })
	bucket, key, owner := aws.String(d.SwitchBuckets["us-west-2"]), aws.String(d.SwitchKey), aws.String(AccountID)
	head := func() error {
		_, err := objects.HeadObject(ctx, &s3sdk.HeadObjectInput{Bucket: bucket, Key: key, ExpectedBucketOwner: owner})
		return err
	}
	var missing *s3types.NotFound
	if err := head(); !errors.As(err, &missing) {
		t.Errorf("HeadObject before any put: %v, want NotFound", err)
	}
	if _, err := objects.PutObject(ctx, &s3sdk.PutObjectInput{Bucket: bucket, Key: key, ExpectedBucketOwner: owner}); err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	if err := head(); err != nil {
		t.Errorf("HeadObject after the put: %v", err)
	}
	if st := d.State().SwitchState; st["us-east-1"] != SwitchOff || st["us-west-2"] != SwitchOn {
		t.Errorf("switch states %v, want only us-west-2 on", st)
	}
	if _, err := objects.HeadObject(ctx, &s3sdk.HeadObjectInput{Bucket: bucket, Key: key, ExpectedBucketOwner: aws.String("210987654321")}); apiErrorCode(err) != "Forbidden" && apiErrorCode(err) != "AccessDenied" {
		t.Errorf("HeadObject expecting another owner: %v, want 403", err)
	}
	if _, err := objects.DeleteObject(ctx, &s3sdk.DeleteObjectInput{Bucket: bucket, Key: key, ExpectedBucketOwner: owner}); err != nil {
		t.Fatalf("DeleteObject: %v", err)
	}
	if err := head(); !errors.As(err, &missing) {
		t.Errorf("HeadObject after the delete: %v, want NotFound", err)
	}

	ec := ec2sdk.NewFromConfig(cfg, func(o *ec2sdk.Options) { o.BaseEndpoint = aws.String(s.URL) })
	out, err := ec.DescribeVpcEndpoints(ctx, &ec2sdk.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:Name"), Values: []string{"app-dev-endpoint-*"}},
		{Name: aws.String("vpc-endpoint-state"), Values: []string{"available"}},
	}})
	if err != nil || len(out.VpcEndpoints) != 2 || aws.ToString(out.VpcEndpoints[1].ServiceName) != "com.amazonaws.us-west-2.s3" || out.VpcEndpoints[1].VpcEndpointType != "Gateway" {
		t.Errorf("DescribeVpcEndpoints: %v %+v", err, out)
	}
	if out, _ := ec.DescribeVpcEndpoints(ctx, &ec2sdk.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{"other-*"}}}}); len(out.VpcEndpoints) != 0 {
		t.Errorf("tag filter ignored: %+v", out.VpcEndpoints)
	}

	registry := ecr.NewFromConfig(cfg, func(o *ecr.Options) { o.BaseEndpoint = aws.String(s.URL) })
	describe := func(repo, tag string) error {
		_, err := registry.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String(repo), ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String(tag)}}})
		return err
	}
	var nf *ecrtypes.ImageNotFoundException
	var rnf *ecrtypes.RepositoryNotFoundException
	if err := describe("app", "1.0"); err != nil {
		t.Errorf("app:1.0: %v", err)
	}
	if err := describe("app", "2.0"); !errors.As(err, &nf) {
		t.Errorf("app:2.0: %v, want ImageNotFoundException", err)
	}
	if err := describe("other", "1.0"); !errors.As(err, &rnf) {
		t.Errorf("other:1.0: %v, want RepositoryNotFoundException", err)
	}
	// An image in another account's registry is found by its registryId,
	// and only there.
	inRegistry := func(account, repo, tag string) error {
		_, err := registry.DescribeImages(ctx, &ecr.DescribeImagesInput{RegistryId: aws.String(account), RepositoryName: aws.String(repo), ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String(tag)}}})
		return err
	}
	if err := inRegistry("444455556666", "shared", "2.0"); err != nil {
		t.Errorf("444455556666/shared:2.0: %v", err)
	}
	if err := describe("shared", "2.0"); !errors.As(err, &rnf) {
		t.Errorf("shared:2.0 in the caller's registry: %v, want RepositoryNotFoundException", err)
	}
	if err := inRegistry("444455556666", "app", "1.0"); !errors.As(err, &rnf) {
		t.Errorf("app:1.0 in 444455556666: %v, want RepositoryNotFoundException", err)
	}
	if u := s.Unanswered(); len(u) > 0 {
		t.Errorf("unanswered: %s", Summary(u))
	}
}

// FailoverState goes pending, then switching-over (or cancelling when AWS
// cancels), then empty (RDS API Reference, "FailoverState"); a cancelled
// switchover leaves the writer where it was, and the next one goes
// through. A switchover to a target not connected stays pending.
func TestDeploymentFailoverStateMachine(t *testing.T) {
	s := New()
	defer s.Close()
	d := NewDeployment("app-dev", []string{"us-east-1", "us-west-2"}, "app-dev", "app-dev-app", "app-dev-app", 2)
	d.CancelSwitchover = true
	d.Sync["us-west-2"] = "pending-resync"
	s.Deploy(d)
	target := "arn:aws:rds:us-west-2:" + AccountID + ":cluster:app-dev-us-west-2"
	switchover := url.Values{"Action": {"SwitchoverGlobalCluster"}, "GlobalClusterIdentifier": {"app-dev"}, "TargetDbClusterIdentifier": {target}}.Encode()
	describe := url.Values{"Action": {"DescribeGlobalClusters"}, "GlobalClusterIdentifier": {"app-dev"}}.Encode()
	state := func() string {
		out := post(t, s, "us-east-1", "rds", describe)
		if i := strings.Index(out, "<FailoverState><Status>"); i >= 0 {
			rest := out[i+len("<FailoverState><Status>"):]
			return rest[:strings.Index(rest, "<")]
		}
		return ""
	}
	if out := post(t, s, "us-east-1", "rds", switchover); !strings.Contains(out, "<FailoverState><Status>pending</Status>") {
		t.Fatalf("switchover answer: %s", out)
	}
	for i := 0; i < 5; i++ {
		if got := state(); got != "pending" {
			t.Fatalf("not connected, describe %d: FailoverState %q, want pending", i, got)
		}
	}
	d.Set(func(d *Deployment) { d.Sync["us-west-2"] = "connected" })
	var seen []string
	for got := state(); got != ""; got = state() {
		seen = append(seen, got)
	}
	if strings.Join(seen, " ") != "cancelling cancelling" || d.State().Writer != "us-east-1" { // pending seen above
		t.Errorf("cancelled switchover: FailoverState %v, writer %s", seen, d.State().Writer)
	}
	post(t, s, "us-east-1", "rds", switchover)
	seen = nil
	for got := state(); got != ""; got = state() {
		seen = append(seen, got)
	}
	if strings.Join(seen, " ") != "pending switching-over" || d.State().Writer != "us-west-2" {
		t.Errorf("switchover: FailoverState %v, writer %s", seen, d.State().Writer)
	}
}

func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
