// Package encryption provides the customer-managed KMS key that each region's
// resources encrypt with.
package encryption

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policy"
)

// RegionalKeyProps configures a RegionalKey.
type RegionalKeyProps struct {
	Env awsenv.Env
	// Alias is the key's alias, such as alias/pilotlight-dev.
	Alias       string
	Description string
	// DeletionWindowDays is how long a deleted key can still be recovered
	// (7 to 30). Default 30: a region's data is unreadable without its key.
	DeletionWindowDays int
	// LogGroupPrefix lets CloudWatch Logs in this region encrypt log groups
	// whose names start with it (such as /pilotlight/dev/). Empty: no grant.
	LogGroupPrefix string
	// Statements are added to the key policy, after the account's and
	// CloudWatch Logs' (give each a Sid; a Principal is required in a key
	// policy).
	Statements []policy.Statement
}

// RegionalKey is a customer-managed, symmetric KMS key with yearly automatic
// rotation, an alias, and a key policy that keeps the account in control and
// lets only the named services use it.
type RegionalKey struct {
	constructs.Construct
	// Arn and KeyID identify the key; Alias is its alias name.
	Arn   *string
	KeyID *string
	Alias string
	// Region is the key's region; LogGroupPrefix the log group names
	// CloudWatch Logs may encrypt with it (empty: none).
	Region         string
	LogGroupPrefix string
}

var aliasPattern = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]{1,250}$`)

// Validate returns every problem in p at once.
func (p RegionalKeyProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil || p.Env.AccountID == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if !aliasPattern.MatchString(p.Alias) || strings.HasPrefix(p.Alias, "alias/aws") {
		errs = append(errs, fmt.Errorf("Alias %q: must be alias/ followed by 1 to 250 of a-z A-Z 0-9 / _ -, and must not start with alias/aws", p.Alias))
	}
	if p.DeletionWindowDays != 0 && (p.DeletionWindowDays < 7 || p.DeletionWindowDays > 30) {
		errs = append(errs, fmt.Errorf("DeletionWindowDays %d: must be 7 to 30", p.DeletionWindowDays))
	}
	return errors.Join(errs...)
}

// NewRegionalKey adds the key and its alias to scope.
func NewRegionalKey(scope constructs.Construct, id string, props RegionalKeyProps) (*RegionalKey, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("encryption.RegionalKey %s: %w", id, err)
	}
	if props.DeletionWindowDays == 0 {
		props.DeletionWindowDays = 30
	}
	env := props.Env
	statements := []policy.Statement{{
		// Without this statement the key becomes unmanageable; IAM policies
		// then decide who in the account may use it.
		Sid:       "AccountAdministers",
		Principal: map[string][]string{"AWS": {env.Arn("iam", "", "root")}},
		Actions:   []string{"kms:*"},
		Resources: []string{"*"},
	}}
	if props.LogGroupPrefix != "" {
		statements = append(statements, policy.Statement{
			Sid:       "CloudWatchLogsEncrypts",
			Principal: map[string][]string{"Service": {env.ServicePrincipal("logs")}},
			Actions:   []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			Resources: []string{"*"},
			Condition: map[string]map[string][]string{"ArnLike": {
				"kms:EncryptionContext:aws:logs:arn": {env.Arn("logs", env.Region, "log-group:"+props.LogGroupPrefix+"*")},
			}},
		})
	}
	doc := policy.Document{Statements: append(statements, props.Statements...)}
	if err := doc.Validate(); err != nil {
		return nil, fmt.Errorf("encryption.RegionalKey %s: key policy: %w", id, err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	key := kmskey.NewKmsKey(c, jsii.String("key"), &kmskey.KmsKeyConfig{
		Provider:             env.Provider,
		Description:          jsii.String(props.Description),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(props.DeletionWindowDays),
		Policy:               jsii.String(doc.JSON()),
		// Everything the region stores is encrypted with this key: losing it
		// loses the data, so no plan may destroy it.
		Lifecycle: &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})
	kmsalias.NewKmsAlias(c, jsii.String("alias"), &kmsalias.KmsAliasConfig{
		Provider:    env.Provider,
		Name:        jsii.String(props.Alias),
		TargetKeyId: key.KeyId(),
	})
	return &RegionalKey{Construct: c, Arn: key.Arn(), KeyID: key.KeyId(), Alias: props.Alias, Region: env.Region, LogGroupPrefix: props.LogGroupPrefix}, nil
}
