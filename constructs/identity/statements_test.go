package identity_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/policy"
)

// bucketEnv is an Env with a literal account, for statements compared as
// JSON.
func bucketEnv() awsenv.Env {
	return awsenv.Env{Region: "eu-west-1", Partition: "aws", AccountID: jsii.String("123456789012")}
}

func TestBucketStatementsScope(t *testing.T) {
	env := bucketEnv()
	rw := identity.BucketStatements(env, identity.BucketReadWrite, []identity.RegionBuckets{
		{Region: "eu-west-1", Names: []string{"a-eu"}, Encrypted: true, KeyAlias: "alias/shop"},
		{Region: "eu-central-1", Names: []string{"a-fra"}, Encrypted: true, KeyAlias: "alias/shop"},
	})
	want := `[{"Sid":"ListBuckets","Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":["arn:aws:s3:::a-eu","arn:aws:s3:::a-fra"]},` +
		`{"Sid":"ReadWriteObjects","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","s3:GetObjectVersion"],"Resource":["arn:aws:s3:::a-eu/*","arn:aws:s3:::a-fra/*"]},` +
		`{"Sid":"UseBucketKeys","Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":["arn:aws:kms:eu-west-1:123456789012:key/*","arn:aws:kms:eu-central-1:123456789012:key/*"],` +
		`"Condition":{"ForAnyValue:StringEquals":{"kms:ResourceAliases":["alias/shop"]},"StringEquals":{"kms:ViaService":["s3.eu-west-1.amazonaws.com","s3.eu-central-1.amazonaws.com"]},` +
		`"StringLike":{"kms:EncryptionContext:aws:s3:arn":["arn:aws:s3:::a-eu","arn:aws:s3:::a-eu/*","arn:aws:s3:::a-fra","arn:aws:s3:::a-fra/*"]}}}]`
	if got := statementsJSON(t, rw); got != want {
		t.Errorf("read-write:\n got %s\nwant %s", got, want)
	}
	read := statementsJSON(t, identity.BucketStatements(env, identity.BucketRead, []identity.RegionBuckets{{Region: "eu-west-1", Names: []string{"b"}, Encrypted: true}}))
	if strings.Contains(read, "PutObject") || strings.Contains(read, "DeleteObject") || strings.Contains(read, "GenerateDataKey") || !strings.Contains(read, `"Sid":"ReadObjects"`) || strings.Contains(read, "ResourceAliases") {
		t.Errorf("read (no alias known): %s", read)
	}
	if plain := statementsJSON(t, identity.BucketStatements(env, identity.BucketRead, []identity.RegionBuckets{{Region: "eu-west-1", Names: []string{"b"}}})); strings.Contains(plain, "kms:") {
		t.Errorf("S3-managed keys need no KMS permission: %s", plain)
	}
	// Keys of two aliases: one statement each, so neither alias covers the
	// other's buckets.
	two := identity.BucketStatements(env, identity.BucketRead, []identity.RegionBuckets{
		{Region: "eu-west-1", Names: []string{"x"}, Encrypted: true, KeyAlias: "alias/x"},
		{Region: "eu-west-1", Names: []string{"y"}, Encrypted: true, KeyAlias: "alias/y"},
	})
	if len(two) != 4 || two[2].Sid != "UseBucketKeys" || two[3].Sid != "UseBucketKeys2" ||
		fmt.Sprint(two[3].Condition["StringLike"]) != "map[kms:EncryptionContext:aws:s3:arn:[arn:aws:s3:::y arn:aws:s3:::y/*]]" {
		t.Errorf("two aliases: %+v", two)
	}
	if got := identity.BucketStatements(env, identity.BucketRead, nil); got != nil {
		t.Errorf("no buckets: %v", got)
	}
}

func statementsJSON(t *testing.T, s []policy.Statement) string {
	t.Helper()
	var doc struct{ Statement json.RawMessage }
	if err := json.Unmarshal([]byte(policy.Document{Statements: s}.JSON()), &doc); err != nil {
		t.Fatal(err)
	}
	return string(doc.Statement)
}

func TestTaskSecretsStatements(t *testing.T) {
	env := bucketEnv()
	got := statementsJSON(t, identity.TaskSecretsStatements(env, []string{
		"shop/db",
		"arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop/api-AbCdEf:token:AWSCURRENT:",
	}, "arn:aws:kms:eu-west-1:123456789012:key/k"))
	want := `[{"Sid":"ReadTaskSecrets","Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-??????","arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop/api-AbCdEf"]},` +
		`{"Sid":"DecryptTaskSecrets","Effect":"Allow","Action":["kms:Decrypt"],"Resource":["arn:aws:kms:eu-west-1:123456789012:key/k"],"Condition":{"StringEquals":{"kms:ViaService":["secretsmanager.eu-west-1.amazonaws.com","secretsmanager.eu-central-1.amazonaws.com"]}}}]`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	if got := identity.TaskSecretsStatements(env, []string{"shop/db"}, ""); len(got) != 1 {
		t.Errorf("no customer-managed key: %+v", got)
	}
}
