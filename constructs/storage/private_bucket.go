// Package storage provides the private S3 bucket every bucket in the app
// starts from: encrypted, all public access blocked, owner-enforced, TLS-only
// and with a lifecycle, so no bucket is made without them.
package storage

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlogging"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/policy"
	storagespec "github.com/pilotlight/pilotlight/spec/storage"
)

// PrivateBucketProps configures a PrivateBucket.
type PrivateBucketProps struct {
	Env  awsenv.Env
	Name string
	// Key encrypts objects with a customer-managed key (with S3 Bucket
	// Keys): an *encryption.RegionalKey, whose alias then limits what the
	// bucket's grants allow to that key, or encryption.ExistingKey.
	// KmsKeyArn does the same for a caller holding only the key's ARN (the
	// grants then allow any key of the bucket's region, through S3, for
	// this bucket's objects). Give one; neither uses S3-managed keys, which
	// S3 server access logging needs in its target bucket.
	Key       encryption.KeyRef
	KmsKeyArn *string
	// Versioned turns versioning on (replication needs it at both ends).
	Versioned bool
	// AccessLogBucket receives this bucket's server access logs; nil for
	// the access-log bucket itself.
	AccessLogBucket *string
	// Policy adds statements to the bucket policy, which always refuses
	// requests without TLS 1.2+.
	Policy []policy.Statement
	// Lifecycle is the bucket's lifecycle rule (it needs an Id); it applies
	// to every object and also aborts incomplete multipart uploads after 7
	// days. Nil: a rule that only does the latter.
	Lifecycle *s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule
	// PublicReadKey, if set, is the one object key anyone may read
	// (s3:GetObject on exactly that key, nothing else, for Route 53 health
	// checkers: dns.TrafficSwitch). The public access block then lets that
	// bucket policy apply (BlockPublicPolicy and RestrictPublicBuckets
	// false) and still blocks and ignores public ACLs. It needs S3-managed
	// keys (no Key or KmsKeyArn): S3 refuses anonymous requests for SSE-KMS
	// objects (S3 User Guide, "Using server-side encryption with AWS KMS
	// keys": requests for them must be signed).
	PublicReadKey string
}

// PrivateBucket is the bucket and the resources that protect it.
type PrivateBucket struct {
	Bucket s3bucket.S3Bucket
	Name   string
	// ID is the bucket's name as a reference, so a stack that uses it
	// depends on the stack that creates the bucket.
	ID  *string
	Arn *string
	// Versioning must exist before a replication configuration (nil when
	// the bucket is not versioned).
	Versioning cdktf.ITerraformDependable
	// Policy is the bucket policy, for writers that check it first (ELB
	// access logs).
	Policy cdktf.ITerraformDependable

	env       awsenv.Env
	encrypted bool
	keyAlias  string
}

// GrantRead lets role list the bucket and read its objects (and their
// versions), decrypting through S3 with the bucket's key when it has one:
// identity.BucketStatements with BucketRead, which says the scope, as an
// inline policy in the role's stack (Role.Grant).
func (b *PrivateBucket) GrantRead(role *identity.Role) (*identity.Grant, error) {
	return b.grant(role, identity.BucketRead, "read")
}

// GrantReadWrite lets role list the bucket and read, write and delete its
// objects, encrypting and decrypting through S3 with the bucket's key:
// identity.BucketStatements with BucketReadWrite, the scope the app's task
// role has on the app's buckets.
func (b *PrivateBucket) GrantReadWrite(role *identity.Role) (*identity.Grant, error) {
	return b.grant(role, identity.BucketReadWrite, "read-write")
}

// grant scopes every statement to this bucket by ARNs built from its name
// with the role's account, so the role's stack need not depend on the
// bucket's.
func (b *PrivateBucket) grant(role *identity.Role, access identity.BucketAccess, name string) (*identity.Grant, error) {
	if b == nil || role == nil {
		return nil, errors.New("storage.PrivateBucket grant: the bucket and the role are required")
	}
	statements := identity.BucketStatements(role.Env, access, []identity.RegionBuckets{{
		Region: b.env.Region, Names: []string{b.Name}, Encrypted: b.encrypted, KeyAlias: b.keyAlias,
	}})
	return role.Grant(identity.GrantName("s3", name, b.Name), statements...)
}

// Validate returns every problem in p at once.
func (p PrivateBucketProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if err := storagespec.ValidateBucketName(p.Name); err != nil {
		errs = append(errs, fmt.Errorf("Name: %w", err))
	}
	if p.Key != nil && p.KmsKeyArn != nil {
		errs = append(errs, errors.New("Key and KmsKeyArn: give one"))
	}
	if p.Key != nil && p.Key.KeyArn() == nil {
		errs = append(errs, errors.New("Key: has no ARN; pass a key made by encryption.NewRegionalKey, or encryption.ExistingKey"))
	}
	if p.PublicReadKey != "" {
		if p.Key != nil || p.KmsKeyArn != nil {
			errs = append(errs, errors.New("PublicReadKey: needs S3-managed keys (Key and KmsKeyArn nil); S3 refuses anonymous reads of SSE-KMS objects"))
		}
		if strings.ContainsAny(p.PublicReadKey, "*?") || strings.HasPrefix(p.PublicReadKey, "/") || len(p.PublicReadKey) > 1024 {
			errs = append(errs, fmt.Errorf("PublicReadKey %q: one literal key (no * or ?, no leading /, at most 1024 bytes), so the policy makes exactly one object public", p.PublicReadKey))
		}
	}
	if p.Lifecycle != nil && p.Lifecycle.Id == nil {
		errs = append(errs, errors.New("Lifecycle: the rule needs an Id"))
	}
	return errors.Join(errs...)
}

// NewPrivateBucket adds the bucket and its protections directly to scope
// (their ids: bucket, versioning, encryption, access-logs, public-access,
// ownership, policy, lifecycle).
func NewPrivateBucket(scope constructs.Construct, props PrivateBucketProps) (*PrivateBucket, error) {
	// The ids are fixed (existing state has these addresses), so a scope
	// holds one PrivateBucket: give each its own constructs.NewConstruct.
	claims := []error{awsenv.ClaimID(scope, "bucket")}
	if scope != nil {
		for _, id := range []string{"versioning", "encryption", "access-logs", "public-access", "ownership", "policy", "lifecycle"} {
			claims = append(claims, awsenv.ClaimID(scope, id))
		}
	}
	if err := errors.Join(append(claims, props.Validate())...); err != nil {
		return nil, fmt.Errorf("storage.PrivateBucket %s: %w", props.Name, err)
	}
	p := props.Env.Provider
	b := s3bucket.NewS3Bucket(scope, jsii.String("bucket"), &s3bucket.S3BucketConfig{
		Provider:     p,
		Bucket:       jsii.String(props.Name),
		ForceDestroy: jsii.Bool(false),
		Lifecycle:    &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})
	keyArn := props.KmsKeyArn
	out := &PrivateBucket{Bucket: b, Name: props.Name, ID: b.Id(), Arn: b.Arn(), env: props.Env, encrypted: keyArn != nil}
	if props.Key != nil {
		keyArn = props.Key.KeyArn()
		out.encrypted, out.keyAlias = true, props.Key.KeyAlias()
	}
	var lifecycleDeps []cdktf.ITerraformDependable
	if props.Versioned {
		v := s3bucketversioning.NewS3BucketVersioningA(scope, jsii.String("versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
			Provider:                p,
			Bucket:                  b.Id(),
			VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{Status: jsii.String("Enabled")},
		})
		out.Versioning = v
		// The provider docs: with versioning, the lifecycle depends on it.
		lifecycleDeps = append(lifecycleDeps, v)
	}
	sse := &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{
		ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
			SseAlgorithm: jsii.String("AES256"),
		},
	}
	if keyArn != nil {
		sse.ApplyServerSideEncryptionByDefault.SseAlgorithm = jsii.String("aws:kms")
		sse.ApplyServerSideEncryptionByDefault.KmsMasterKeyId = keyArn
		// Bucket keys cut KMS requests; KMS conditions then see the bucket
		// ARN as encryption context.
		sse.BucketKeyEnabled = jsii.Bool(true)
	}
	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(scope, jsii.String("encryption"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Provider: p,
		Bucket:   b.Id(),
		Rule:     []*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{sse},
	})
	if props.AccessLogBucket != nil {
		s3bucketlogging.NewS3BucketLoggingA(scope, jsii.String("access-logs"), &s3bucketlogging.S3BucketLoggingAConfig{
			Provider:     p,
			Bucket:       b.Id(),
			TargetBucket: props.AccessLogBucket,
			TargetPrefix: jsii.String(props.Name + "/"),
		})
	}
	pab := s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(scope, jsii.String("public-access"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Provider:              p,
		Bucket:                b.Id(),
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(props.PublicReadKey == ""),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(props.PublicReadKey == ""),
	})
	s3bucketownershipcontrols.NewS3BucketOwnershipControls(scope, jsii.String("ownership"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Provider: p,
		Bucket:   b.Id(),
		Rule:     &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{ObjectOwnership: jsii.String("BucketOwnerEnforced")},
	})
	doc := policy.Document{Statements: append(policy.DenyInsecureTransport(props.Env.BucketArn(props.Name)), props.Policy...)}
	pc := &s3bucketpolicy.S3BucketPolicyConfig{
		Provider: p,
		Bucket:   b.Id(),
		Policy:   jsii.String(doc.JSON()),
	}
	if props.PublicReadKey != "" {
		doc.Statements = append(doc.Statements, policy.Statement{Sid: "PublicReadOfOneKey", Principal: map[string][]string{"AWS": {"*"}},
			Actions: []string{"s3:GetObject"}, Resources: []string{props.Env.BucketArn(props.Name) + "/" + props.PublicReadKey}})
		pc.Policy = jsii.String(doc.JSON())
		// S3 refuses a public bucket policy while the public access block
		// says BlockPublicPolicy (S3 User Guide, "Blocking public access to
		// your Amazon S3 storage"): the block must be changed first.
		pc.DependsOn = &[]cdktf.ITerraformDependable{pab}
	}
	out.Policy = s3bucketpolicy.NewS3BucketPolicy(scope, jsii.String("policy"), pc)
	rule := s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{Id: jsii.String("abort-incomplete-uploads")}
	if props.Lifecycle != nil {
		rule = *props.Lifecycle
	}
	rule.Status = jsii.String("Enabled")
	rule.Filter = &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{}
	rule.AbortIncompleteMultipartUpload = &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{DaysAfterInitiation: jsii.Number(7)}
	cfg := &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Provider: p,
		Bucket:   b.Id(),
		Rule:     []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{&rule},
	}
	if len(lifecycleDeps) > 0 {
		cfg.DependsOn = &lifecycleDeps
	}
	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(scope, jsii.String("lifecycle"), cfg)
	return out, nil
}
