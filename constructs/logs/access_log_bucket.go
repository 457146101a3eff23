package logs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/constructs/storage"
)

// AccessLogBucketProps configures an AccessLogBucket.
type AccessLogBucketProps struct {
	Env  awsenv.Env
	Name string
	// SourceBucketPrefix limits delivery to buckets whose names start with
	// it (the app's own), in Env's account.
	SourceBucketPrefix string
	// ExpirationDays is how long access logs are kept.
	ExpirationDays int
	// LoadBalancerLogPrefix, if set, also lets Elastic Load Balancing
	// deliver access logs of Env's account under this prefix (with the
	// principal Env's region needs, see ElbLogDeliveryPrincipal).
	LoadBalancerLogPrefix string
}

// AccessLogBucket is the bucket a region's S3 server access logs and load
// balancer access logs go to: private, TLS-only, versioned, encrypted with
// S3-managed keys (neither S3 server access logging nor ELB access logging
// delivers to a bucket whose default encryption is SSE-KMS), and writable
// only by the S3 logging service for the app's buckets and by ELB log
// delivery under its prefix.
type AccessLogBucket struct {
	Name string
	ID   *string
	// Policy must exist before a load balancer logs here: ELB checks that it
	// can write when access logging is turned on.
	Policy cdktf.ITerraformDependable
}

// Validate returns every problem in p at once.
func (p AccessLogBucketProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil || p.Env.AccountID == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if p.Name == "" || p.SourceBucketPrefix == "" {
		errs = append(errs, errors.New("Name and SourceBucketPrefix: required"))
	}
	if strings.HasPrefix(p.LoadBalancerLogPrefix, "/") || strings.HasSuffix(p.LoadBalancerLogPrefix, "/") || strings.Contains(p.LoadBalancerLogPrefix, "AWSLogs") {
		errs = append(errs, fmt.Errorf("LoadBalancerLogPrefix %q: must not start or end with / or contain AWSLogs", p.LoadBalancerLogPrefix))
	}
	if p.ExpirationDays < 1 {
		errs = append(errs, fmt.Errorf("ExpirationDays %d: at least 1", p.ExpirationDays))
	}
	return errors.Join(errs...)
}

// NewAccessLogBucket adds the bucket to scope.
func NewAccessLogBucket(scope constructs.Construct, id string, props AccessLogBucketProps) (*AccessLogBucket, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("logs.AccessLogBucket %s: %w", id, err)
	}
	env := props.Env
	c := constructs.NewConstruct(scope, jsii.String(id))
	statements := []policy.Statement{{
		Sid:       "S3ServerAccessLogs",
		Principal: map[string][]string{"Service": {"logging.s3.amazonaws.com"}},
		Actions:   []string{"s3:PutObject"},
		Resources: []string{env.BucketArn(props.Name) + "/*"},
		Condition: map[string]map[string][]string{
			"StringEquals": {"aws:SourceAccount": {*env.AccountID}},
			"ArnLike":      {"aws:SourceArn": {env.BucketArn(props.SourceBucketPrefix + "*")}},
		},
	}}
	if props.LoadBalancerLogPrefix != "" {
		statements = append(statements, policy.Statement{
			Sid:       "LoadBalancerAccessLogs",
			Principal: ElbLogDeliveryPrincipal(env),
			Actions:   []string{"s3:PutObject"},
			Resources: []string{fmt.Sprintf("%s/%s/AWSLogs/%s/*", env.BucketArn(props.Name), props.LoadBalancerLogPrefix, *env.AccountID)},
		})
	}
	b, err := storage.NewPrivateBucket(c, storage.PrivateBucketProps{
		Env: env, Name: props.Name,
		Versioned: true,
		Policy:    statements,
		Lifecycle: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
			Id:         jsii.String("expire-access-logs"),
			Expiration: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{Days: jsii.Number(props.ExpirationDays)},
			// Versioned: an expired log becomes a noncurrent version, kept
			// a week longer in case it was removed by mistake.
			NoncurrentVersionExpiration: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{NoncurrentDays: jsii.Number(7)},
		},
	})
	if err != nil {
		return nil, err
	}
	if err := policypack.Suppress(b.Bucket, "AwsSolutions-S1", "this is the access log bucket: logging it to itself would loop"); err != nil {
		return nil, err
	}
	return &AccessLogBucket{Name: props.Name, ID: b.ID, Policy: b.Policy}, nil
}
