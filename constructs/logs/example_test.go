package logs_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/logs"
)

// A log group under the region key's prefix, and a role allowed to write
// to it: a name the key does not cover is an error here, not at apply.
func ExampleLogGroup_GrantWrite() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("example"))
	env, err := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")}), "eu-west-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/shop", LogGroupPrefix: "/shop/"})
	if err != nil {
		fmt.Println(err)
		return
	}
	group, err := logs.NewLogGroup(stack, "jobs", logs.LogGroupProps{Env: env, Name: "/shop/jobs", RetentionDays: 30, Key: key})
	if err != nil {
		fmt.Println(err)
		return
	}
	role, err := identity.NewRole(stack, "jobs-role", identity.RoleProps{Env: env, Name: "shop-jobs", AssumedBy: "lambda.amazonaws.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := group.GrantWrite(role); err != nil {
		fmt.Println(err)
		return
	}
	_, err = logs.NewLogGroup(stack, "stray", logs.LogGroupProps{Env: env, Name: "/other/jobs", RetentionDays: 30, Key: key})
	fmt.Println(err != nil)
	// Output: true
}
