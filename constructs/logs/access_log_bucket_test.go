package logs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func accessLogs(t *testing.T, region string) synthtest.Template {
	t.Helper()
	stack, env := synthtest.NewStack(region)
	b, err := logs.NewAccessLogBucket(stack, "access-logs", logs.AccessLogBucketProps{
		Env: env, Name: "app-dev-access-logs-" + region, SourceBucketPrefix: "app-dev-", ExpirationDays: 90, LoadBalancerLogPrefix: "alb",
	})
	if err != nil || b.Policy == nil {
		t.Fatal(err)
	}
	return synthtest.Synth(t, stack)
}

// ELB access logs: a region opened before August 2022 delivers as its
// regional ELB account; a newer region as the log delivery service
// (Elastic Load Balancing User Guide, "Enable access logs", step 2).
func TestLoadBalancerLogDeliveryPrincipal(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1":     `"AWS":["arn:aws:iam::127311923021:root"]`,
		"us-west-2":     `"AWS":["arn:aws:iam::797873946194:root"]`,
		"us-gov-west-1": `"AWS":["arn:aws-us-gov:iam::048591011584:root"]`,
		"il-central-1":  `"Service":["logdelivery.elasticloadbalancing.amazonaws.com"]`,
		"eu-central-2":  `"Service":["logdelivery.elasticloadbalancing.amazonaws.com"]`,
	} {
		tpl := accessLogs(t, region)
		policy := tpl.Resource(t, "aws_s3_bucket_policy")["policy"].(string)
		doc := synthtest.Policy(t, policy)
		var elb map[string]any
		for _, st := range doc["Statement"].([]any) {
			if st.(map[string]any)["Sid"] == "LoadBalancerAccessLogs" {
				elb = st.(map[string]any)
			}
		}
		if elb == nil || !strings.Contains(strings.ReplaceAll(policy, " ", ""), want) {
			t.Errorf("%s: want principal %s in %s", region, want, policy)
			continue
		}
		// Only under the prefix and this account's AWSLogs folder.
		res := fmt.Sprint(synthtest.Get(elb, "Resource.0"))
		if !strings.HasSuffix(res, ":::app-dev-access-logs-"+region+"/alb/AWSLogs/${data.aws_caller_identity.account.account_id}/*") {
			t.Errorf("%s: ELB may write %s", region, res)
		}
	}
}

// The access-log bucket is versioned, SSE-S3 (the only encryption ELB and S3
// server access logging deliver to), and expires old versions too.
func TestAccessLogBucketIsVersioned(t *testing.T) {
	tpl := accessLogs(t, "us-west-2")
	if v := tpl.Resource(t, "aws_s3_bucket_versioning"); synthtest.Get(v, "versioning_configuration.status") != "Enabled" {
		t.Errorf("versioning = %v", v)
	}
	if a := synthtest.Get(tpl.Resource(t, "aws_s3_bucket_server_side_encryption_configuration"), "rule.0.apply_server_side_encryption_by_default.sse_algorithm"); a != "AES256" {
		t.Errorf("sse = %v", a)
	}
	lc := tpl.Resource(t, "aws_s3_bucket_lifecycle_configuration")
	if synthtest.Get(lc, "rule.0.expiration.days") != float64(90) || synthtest.Get(lc, "rule.0.noncurrent_version_expiration.noncurrent_days") != float64(7) {
		t.Errorf("lifecycle = %v", lc)
	}
	if err := (logs.AccessLogBucketProps{LoadBalancerLogPrefix: "alb/"}).Validate(); err == nil || !strings.Contains(err.Error(), "LoadBalancerLogPrefix") {
		t.Errorf("prefix with a trailing / accepted: %v", err)
	}
}
