package logs

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/constructs/policypack"
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
	env, p := props.Env, props.Env.Provider
	c := constructs.NewConstruct(scope, jsii.String(id))
	b := s3bucket.NewS3Bucket(c, jsii.String("bucket"), &s3bucket.S3BucketConfig{
		Provider:  p,
		Bucket:    jsii.String(props.Name),
		Lifecycle: &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})
	if err := policypack.Suppress(b, "AwsSolutions-S1", "this is the access log bucket: logging it to itself would loop"); err != nil {
		return nil, err
	}
	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(c, jsii.String("encryption"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Provider: p,
		Bucket:   b.Id(),
		Rule: []*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
			ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
				SseAlgorithm: jsii.String("AES256"),
			},
		}},
	})
	s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(c, jsii.String("public-access"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Provider:              p,
		Bucket:                b.Id(),
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
	})
	s3bucketownershipcontrols.NewS3BucketOwnershipControls(c, jsii.String("ownership"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Provider: p,
		Bucket:   b.Id(),
		Rule:     &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{ObjectOwnership: jsii.String("BucketOwnerEnforced")},
	})
	arn := fmt.Sprintf("arn:%s:s3:::%s", env.Partition, props.Name)
	doc := policy.Document{Statements: append(policy.DenyInsecureTransport(arn), policy.Statement{
		Sid:       "S3ServerAccessLogs",
		Principal: map[string][]string{"Service": {"logging.s3.amazonaws.com"}},
		Actions:   []string{"s3:PutObject"},
		Resources: []string{arn + "/*"},
		Condition: map[string]map[string][]string{
			"StringEquals": {"aws:SourceAccount": {*env.AccountID}},
			"ArnLike":      {"aws:SourceArn": {fmt.Sprintf("arn:%s:s3:::%s*", env.Partition, props.SourceBucketPrefix)}},
		},
	})}
	s3bucketpolicy.NewS3BucketPolicy(c, jsii.String("policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Provider: p,
		Bucket:   b.Id(),
		Policy:   jsii.String(doc.JSON()),
	})
	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(c, jsii.String("lifecycle"), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Provider: p,
		Bucket:   b.Id(),
		Rule: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{{
			Id:                             jsii.String("expire-access-logs"),
			Status:                         jsii.String("Enabled"),
			Filter:                         &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{},
			Expiration:                     &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{Days: jsii.Number(props.ExpirationDays)},
			AbortIncompleteMultipartUpload: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{DaysAfterInitiation: jsii.Number(7)},
		}},
	})
	return &AccessLogBucket{Name: props.Name, ID: b.Id()}, nil
}
