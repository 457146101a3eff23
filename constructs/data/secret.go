package data

import (
	"maps"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssecretsmanagerrandompassword"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretversion"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policypack"
)

// generatedSecret is a Secrets Manager secret in the primary region holding
// a password that Secrets Manager generates, replicated to the failover
// regions so their tasks can read it while the primary region is down.
type generatedSecret struct {
	Name string
	Arn  *string
	// Value is the generated password, for the resource it protects. It is
	// a reference: the synthesized JSON never holds the password itself.
	Value *string
}

// newGeneratedSecret generates the password with GetRandomPassword (an AWS
// API, so no extra Terraform provider) once: the data source is read on every
// plan, so the secret's value and the protected resource's password ignore
// later changes; Secrets Manager (or a rotation) owns it from then on.
//
// Each replica is encrypted with its region's customer-managed key
// (replicaKeys, by region), which must exist before this secret: the app
// keeps each region's key in a keys stack deployed before the primary's.
// rotationGap says why the secret has no automatic rotation (policy pack
// rule AwsSolutions-SMG4).
func newGeneratedSecret(scope constructs.Construct, id string, env awsenv.Env, name, description string, kmsKeyArn *string, replicaKeys map[string]*string, punctuation bool, rotationGap string) (*generatedSecret, error) {
	c := constructs.NewConstruct(scope, jsii.String(id))
	random := dataawssecretsmanagerrandompassword.NewDataAwsSecretsmanagerRandomPassword(c, jsii.String("random"), &dataawssecretsmanagerrandompassword.DataAwsSecretsmanagerRandomPasswordConfig{
		Provider:       env.Provider,
		PasswordLength: jsii.Number(40),
		// Characters Aurora and ElastiCache refuse in passwords and tokens.
		ExcludeCharacters:       jsii.String(`@"/\'` + "` "),
		ExcludePunctuation:      jsii.Bool(!punctuation),
		RequireEachIncludedType: jsii.Bool(true),
	})
	var replicas []*secretsmanagersecret.SecretsmanagerSecretReplica
	for _, r := range slices.Sorted(maps.Keys(replicaKeys)) {
		replicas = append(replicas, &secretsmanagersecret.SecretsmanagerSecretReplica{Region: jsii.String(r), KmsKeyId: replicaKeys[r]})
	}
	secret := secretsmanagersecret.NewSecretsmanagerSecret(c, jsii.String("secret"), &secretsmanagersecret.SecretsmanagerSecretConfig{
		Provider:             env.Provider,
		Name:                 jsii.String(name),
		Description:          jsii.String(description),
		KmsKeyId:             kmsKeyArn,
		RecoveryWindowInDays: jsii.Number(30),
		Replica:              replicas,
		Lifecycle:            &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})
	if err := policypack.Suppress(secret, "AwsSolutions-SMG4", rotationGap); err != nil {
		return nil, err
	}
	secretsmanagersecretversion.NewSecretsmanagerSecretVersion(c, jsii.String("value"), &secretsmanagersecretversion.SecretsmanagerSecretVersionConfig{
		Provider:     env.Provider,
		SecretId:     secret.Id(),
		SecretString: random.RandomPassword(),
		Lifecycle:    &cdktf.TerraformResourceLifecycle{IgnoreChanges: &[]*string{jsii.String("secret_string")}},
	})
	return &generatedSecret{Name: name, Arn: secret.Arn(), Value: random.RandomPassword()}, nil
}
