package logs

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"

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
}

// AccessLogBucket is the bucket a region's S3 server access logs go to:
// private, TLS-only, encrypted with S3-managed keys (server access logging
// cannot deliver to a bucket whose default encryption is SSE-KMS), and
// writable only by the S3 logging service for the app's buckets.
type AccessLogBucket struct {
	Name string
	ID   *string
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
	if p.ExpirationDays < 1 {
		errs = append(errs, fmt.Errorf("ExpirationDays %d: at least 1", p.ExpirationDays))
	}
	return errors.Join(errs...)
}

// NewAccessLogBucket adds the bucket to scope.
func NewAccessLogBucket(scope constructs.Construct, id string, props AccessLogBucketProps) (*AccessLogBucket, error) {
	if err := props.Validate(); err != nil {
		return nil, fmt.Errorf("logs.AccessLogBucket %s: %w", id, err)
	}
	env := props.Env
	c := constructs.NewConstruct(scope, jsii.String(id))
	b, err := storage.NewPrivateBucket(c, storage.PrivateBucketProps{
		Env: env, Name: props.Name,
		Policy: []policy.Statement{{
			Sid:       "S3ServerAccessLogs",
			Principal: map[string][]string{"Service": {"logging.s3.amazonaws.com"}},
			Actions:   []string{"s3:PutObject"},
			Resources: []string{env.BucketArn(props.Name) + "/*"},
			Condition: map[string]map[string][]string{
				"StringEquals": {"aws:SourceAccount": {*env.AccountID}},
				"ArnLike":      {"aws:SourceArn": {env.BucketArn(props.SourceBucketPrefix + "*")}},
			},
		}},
		Lifecycle: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
			Id:         jsii.String("expire-access-logs"),
			Expiration: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{Days: jsii.Number(props.ExpirationDays)},
		},
	})
	if err != nil {
		return nil, err
	}
	if err := policypack.Suppress(b.Bucket, "AwsSolutions-S1", "this is the access log bucket: logging it to itself would loop"); err != nil {
		return nil, err
	}
	return &AccessLogBucket{Name: props.Name, ID: b.ID}, nil
}
