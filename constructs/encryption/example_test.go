package encryption_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/policy"
)

// A region's key that CloudWatch Logs may use for groups under /shop/prod/,
// with one more statement in its key policy.
func ExampleNewRegionalKey() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("example"))
	env, err := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")}), "eu-west-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{
		Env: env, Alias: "alias/shop-prod", Description: "shop prod data in eu-west-1", LogGroupPrefix: "/shop/prod/",
		Statements: []policy.Statement{{
			Sid: "BackupVaultUses", Principal: map[string][]string{"Service": {"backup.amazonaws.com"}},
			Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: []string{"*"},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(key.Alias, key.Region, key.LogGroupPrefix)
	// Output: alias/shop-prod eu-west-1 /shop/prod/
}
