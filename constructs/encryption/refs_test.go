package encryption_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestExistingKey(t *testing.T) {
	arn := "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	k, err := encryption.ExistingKey(arn)
	if err != nil || *k.KeyArn() != arn || k.KeyAlias() != "" {
		t.Fatalf("ExistingKey(%s) = %v, %v", arn, k, err)
	}
	for bad, want := range map[string]string{
		"":                                     "is not an ARN",
		"1234abcd-12ab-34cd-56ef-1234567890ab": "is not an ARN",
		"arn:aws:kms:eu-west-1:123456789012:alias/shop": "an alias's ARN",
		"arn:aws:s3:::bucket":                           `names s3 resource "bucket", not a KMS key`,
		"arn:aws:kms:eu-west-1:123456789012:key/":       "not a KMS key",
		"arn:aws:kms::123456789012:key/k":               "has no region",
		"arn:aws:kms:eu-west-1:12345:key/k":             `the account id "12345"`,
	} {
		if k, err := encryption.ExistingKey(bad); err == nil || k != nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ExistingKey(%q) = %v, %v; want an error with %q", bad, k, err, want)
		}
	}
}

// A RegionalKey is a KeyRef that carries its alias, for grants that name
// the key without a reference to its stack.
func TestRegionalKeyIsAKeyRef(t *testing.T) {
	stack, env := synthtest.NewStack("eu-west-1")
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/shop"})
	if err != nil {
		t.Fatal(err)
	}
	var ref encryption.KeyRef = key
	if ref.KeyArn() != key.Arn || ref.KeyAlias() != "alias/shop" {
		t.Errorf("KeyArn %v, KeyAlias %q", ref.KeyArn(), ref.KeyAlias())
	}
	if tok, err := encryption.ExistingKey(*key.Arn); err != nil || *tok.KeyArn() != *key.Arn {
		t.Errorf("a token: %v", err)
	}
}
