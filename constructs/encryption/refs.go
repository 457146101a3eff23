package encryption

import (
	"fmt"
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/jsii-runtime-go"

	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
)

// KeyRef is a customer-managed KMS key that a resource encrypts with: a
// *RegionalKey this app creates, or a key from outside the app
// (ExistingKey).
type KeyRef interface {
	// KeyArn is the key's ARN: a reference to a *RegionalKey's aws_kms_key,
	// or the existing key's ARN as given.
	KeyArn() *string
	// KeyAlias is the key's alias (alias/NAME) when the app knows it, "" for
	// an existing key. Grants that must not refer to the key's stack (IAM
	// policies in a global stack) name the key by it.
	KeyAlias() string
	isKeyRef()
}

// KeyArn is k's ARN (nil for a nil *RegionalKey), so a *RegionalKey is a
// KeyRef.
func (k *RegionalKey) KeyArn() *string {
	if k == nil {
		return nil
	}
	return k.Arn
}

// KeyAlias is k's alias.
func (k *RegionalKey) KeyAlias() string {
	if k == nil {
		return ""
	}
	return k.Alias
}

func (*RegionalKey) isKeyRef() {}

// existingKey is a key this app does not create.
type existingKey struct{ arn string }

func (e existingKey) KeyArn() *string { return jsii.String(e.arn) }
func (existingKey) KeyAlias() string  { return "" }
func (existingKey) isKeyRef()         {}

// ExistingKey is a KMS key this app does not create, by its key ARN,
// arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID (Service Authorization
// Reference, AWS Key Management Service, resource type key). A literal ARN
// is parsed with aws-sdk-go-v2's aws/arn and refused, with what is wrong,
// when it is not a key's (an alias ARN included: the resources that take a
// KeyRef, such as a log group, want the key's ARN); a token is left to
// Terraform. The key's policy must let the services that use it do so
// (for a log group, logs.REGION.amazonaws.com): this library cannot
// change an existing key's policy.
func ExistingKey(arn string) (KeyRef, error) {
	if !awsenvspec.IsToken(arn) {
		if err := checkKeyArn(arn); err != nil {
			return nil, fmt.Errorf("encryption.ExistingKey: %w", err)
		}
	}
	return existingKey{arn: arn}, nil
}

// checkKeyArn says what keeps arn from being a KMS key's ARN.
func checkKeyArn(arn string) error {
	const example = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	a, err := awsarn.Parse(arn)
	if err != nil {
		return fmt.Errorf("%q is not an ARN (%v); give the key's ARN, such as %s", arn, err, example)
	}
	id, isKey := strings.CutPrefix(a.Resource, "key/")
	switch {
	case a.Service == "kms" && strings.HasPrefix(a.Resource, "alias/"):
		return fmt.Errorf("%q is an alias's ARN; give the key's ARN (key/KEY-ID), such as %s", arn, example)
	case a.Service != "kms" || !isKey || id == "" || strings.Contains(id, "/"):
		return fmt.Errorf("%q names %s resource %q, not a KMS key; give the key's ARN, such as %s", arn, a.Service, a.Resource, example)
	case !strings.HasPrefix(a.Partition, "aws"):
		return fmt.Errorf("%q: partition %q is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", arn, a.Partition)
	case a.Region == "":
		return fmt.Errorf("%q has no region; KMS keys are regional", arn)
	case len(a.AccountID) != 12 || strings.Trim(a.AccountID, "0123456789") != "":
		return fmt.Errorf("%q: the account id %q is not 12 digits", arn, a.AccountID)
	}
	return nil
}
