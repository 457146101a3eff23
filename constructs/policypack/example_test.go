package policypack_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policypack"
)

// Check a stack before writing it: findings are values, each with the
// rule, the resource and the fix.
func ExampleCheckStacks() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("example"))
	env, err := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")}), "eu-west-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	kmskey.NewKmsKey(stack, jsii.String("unrotated"), &kmskey.KmsKeyConfig{Provider: env.Provider})
	report, err := policypack.CheckStacks(policypack.AwsSolutions(), stack)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Errors() {
		fmt.Println(f.RuleID)
	}
	// Output: AwsSolutions-KMS5
}
