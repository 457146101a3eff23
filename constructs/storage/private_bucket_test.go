package storage_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"

	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/constructs/storage"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func rule(id string) *s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule {
	return &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
		Id:         jsii.String(id),
		Expiration: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{Days: jsii.Number(30)},
	}
}

func TestKmsVersionedBucket(t *testing.T) {
	stack, env := synthtest.NewStack("eu-west-1")
	b, err := storage.NewPrivateBucket(stack, storage.PrivateBucketProps{Env: env, Name: "shop-data", KmsKeyArn: jsii.String("arn:aws:kms:eu-west-1:1:key/k"), Versioned: true, AccessLogBucket: jsii.String("logs"), Lifecycle: rule("r")})
	if err != nil || b.Versioning == nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	enc := tpl.Resource(t, "aws_s3_bucket_server_side_encryption_configuration")
	if synthtest.Get(enc, "rule.0.apply_server_side_encryption_by_default.sse_algorithm") != "aws:kms" || synthtest.Get(enc, "rule.0.bucket_key_enabled") != true {
		t.Errorf("encryption = %v", enc)
	}
	lc := tpl.Resource(t, "aws_s3_bucket_lifecycle_configuration")
	if d := synthtest.Get(lc, "depends_on.0"); d == nil || !strings.HasPrefix(d.(string), "aws_s3_bucket_versioning.") {
		t.Errorf("lifecycle must depend on versioning: %v", lc["depends_on"])
	}
	if synthtest.Get(lc, "rule.0.filter") == nil || synthtest.Get(lc, "rule.0.abort_incomplete_multipart_upload.days_after_initiation") != float64(7) {
		t.Errorf("lifecycle = %v", lc)
	}
	if tpl.Resource(t, "aws_s3_bucket_logging")["target_bucket"] != "logs" {
		t.Error("access logs not sent")
	}
	if synthtest.Get(tpl.Resource(t, "aws_s3_bucket"), "lifecycle.prevent_destroy") != true {
		t.Error("bucket must have prevent_destroy")
	}
}

func TestLogTargetBucket(t *testing.T) {
	stack, env := synthtest.NewStack("eu-west-1")
	if _, err := storage.NewPrivateBucket(stack, storage.PrivateBucketProps{Env: env, Name: "logs", Lifecycle: rule("r")}); err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	// S3 server access logging delivers only to SSE-S3 buckets.
	if a := synthtest.Get(tpl.Resource(t, "aws_s3_bucket_server_side_encryption_configuration"), "rule.0.apply_server_side_encryption_by_default.sse_algorithm"); a != "AES256" {
		t.Errorf("sse = %v", a)
	}
	if len(tpl.Resources("aws_s3_bucket_versioning"))+len(tpl.Resources("aws_s3_bucket_logging")) != 0 {
		t.Error("unversioned, and it logs nowhere")
	}
	if err := (storage.PrivateBucketProps{Env: env, Name: "x", Lifecycle: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{}}).Validate(); err == nil || !strings.Contains(err.Error(), "Id") {
		t.Errorf("a lifecycle rule without an Id accepted: %v", err)
	}
}

// No Lifecycle means the default rule: abort incomplete uploads only.
func TestDefaultLifecycle(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	if _, err := storage.NewPrivateBucket(stack, storage.PrivateBucketProps{Env: env, Name: "shop-x"}); err != nil {
		t.Fatal(err)
	}
	rule := synthtest.Get(synthtest.Synth(t, stack).Resource(t, "aws_s3_bucket_lifecycle_configuration"), "rule.0")
	if synthtest.Get(rule, "id") != "abort-incomplete-uploads" || synthtest.Get(rule, "abort_incomplete_multipart_upload.days_after_initiation") != 7.0 || synthtest.Get(rule, "expiration") != nil {
		t.Errorf("default rule = %v", rule)
	}
}

// Grants name the bucket and its key's S3 encryption context, nothing wider.
func TestBucketGrants(t *testing.T) {
	stack, env := synthtest.NewStack("eu-west-1")
	b, err := storage.NewPrivateBucket(stack, storage.PrivateBucketProps{Env: env, Name: "shop-data", KmsKeyArn: jsii.String("arn:aws:kms:eu-west-1:123456789012:key/k")})
	if err != nil {
		t.Fatal(err)
	}
	roles := constructs.NewConstruct(stack, jsii.String("roles"))
	role, err := identity.NewRole(roles, "app", identity.RoleProps{Env: env, Name: "shop-app", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.GrantRead(role); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GrantReadWrite(role); err != nil {
		t.Fatal(err)
	}
	for _, p := range synthtest.Synth(t, stack).Resources("aws_iam_role_policy") {
		doc := p["policy"].(string)
		for _, want := range []string{`"arn:aws:s3:::shop-data"`, `"arn:aws:s3:::shop-data/*"`, `"kms:ViaService":["s3.eu-west-1.amazonaws.com"]`, `"kms:EncryptionContext:aws:s3:arn"`} {
			if !strings.Contains(doc, want) {
				t.Errorf("%v lacks %s: %s", p["name"], want, doc)
			}
		}
		if strings.Contains(p["name"].(string), "read-write") != strings.Contains(doc, "s3:PutObject") {
			t.Errorf("%v: %s", p["name"], doc)
		}
	}
}

// A name S3 refuses is refused here, before any plan.
func TestBucketNameIsChecked(t *testing.T) {
	stack, env := synthtest.NewStack("eu-west-1")
	_, err := storage.NewPrivateBucket(stack, storage.PrivateBucketProps{Env: env, Name: "UPPER_case"})
	if err == nil || !strings.Contains(err.Error(), "3 to 63 lower-case") {
		t.Errorf("UPPER_case: %v", err)
	}
}

// PublicReadKey makes one literal key readable, and only with S3-managed
// keys: S3 refuses anonymous reads of SSE-KMS objects.
func TestPublicReadKeyIsOneLiteralKeyWithoutKms(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	_, err := storage.NewPrivateBucket(stack, storage.PrivateBucketProps{Env: env, Name: "shop-switch", KmsKeyArn: jsii.String("arn:aws:kms:us-west-2:1:key/k"), PublicReadKey: "on*"})
	for _, want := range []string{"S3-managed keys", "one literal key"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	stack, env = synthtest.NewStack("us-west-2")
	if _, err := storage.NewPrivateBucket(stack, storage.PrivateBucketProps{Env: env, Name: "shop-data"}); err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	if pab := tpl.Resource(t, "aws_s3_bucket_public_access_block"); pab["block_public_policy"] != true || pab["restrict_public_buckets"] != true {
		t.Errorf("without PublicReadKey every public access stays blocked: %v", pab)
	}
	if p := tpl.Resource(t, "aws_s3_bucket_policy"); p["depends_on"] != nil || strings.Contains(p["policy"].(string), `"Effect":"Allow"`) {
		t.Errorf("without PublicReadKey the policy allows nothing: %v", p)
	}
}

// A bucket's grants are identity.BucketStatements, the scope the app's task
// role has on the app's buckets: the same builder, so the two cannot
// drift. A RegionalKey's alias limits the key permission to that key.
func TestBucketGrantsAreTheOneBucketScope(t *testing.T) {
	stack, env := synthtest.NewStack("eu-west-1")
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/shop"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := storage.NewPrivateBucket(constructs.NewConstruct(stack, jsii.String("data")), storage.PrivateBucketProps{Env: env, Name: "shop-data", Key: key})
	if err != nil {
		t.Fatal(err)
	}
	role, err := identity.NewRole(stack, "app", identity.RoleProps{Env: env, Name: "shop-app", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.GrantReadWrite(role); err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	want := policy.Document{Statements: identity.BucketStatements(role.Env, identity.BucketReadWrite,
		[]identity.RegionBuckets{{Region: "eu-west-1", Names: []string{"shop-data"}, Encrypted: true, KeyAlias: "alias/shop"}})}.JSON()
	policies := tpl.Resources("aws_iam_role_policy")
	if len(policies) != 1 {
		t.Fatalf("policies = %v", policies)
	}
	for _, p := range policies {
		// The account is a token in want, a reference in the template.
		got := p["policy"].(string)
		if strings.Count(got, "${data.aws_caller_identity.") != strings.Count(want, "${TfToken[") || !strings.Contains(got, `"kms:ResourceAliases":["alias/shop"]`) {
			t.Errorf("grant:\n got %s\nwant %s", got, want)
		}
		if stripTokens(got) != stripTokens(want) {
			t.Errorf("the grant is not BucketStatements:\n got %s\nwant %s", got, want)
		}
	}
	if sse := tpl.Resource(t, "aws_s3_bucket_server_side_encryption_configuration"); !strings.HasPrefix(fmt.Sprint(synthtest.Get(sse, "rule.0.apply_server_side_encryption_by_default.kms_master_key_id")), "${aws_kms_key.key_") {
		t.Errorf("bucket not encrypted with the key: %v", sse["rule"])
	}
	if err := (storage.PrivateBucketProps{Env: env, Name: "shop-x", Key: key, KmsKeyArn: key.Arn}).Validate(); err == nil || !strings.Contains(err.Error(), "Key and KmsKeyArn: give one") {
		t.Errorf("both keys: %v", err)
	}
}

var tokenOrReference = regexp.MustCompile(`\$\{[^}]*\}`)

// stripTokens replaces tokens and Terraform references alike.
func stripTokens(s string) string { return tokenOrReference.ReplaceAllString(s, "ACCOUNT") }
