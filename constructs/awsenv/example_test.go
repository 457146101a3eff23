package awsenv_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
)

// An Env for a stack whose provider has an alias: every construct takes
// one, and builds ARNs in its partition and account.
func ExampleNew() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("shop-prod-eu-west-1"))
	p := provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1"), Alias: jsii.String("primary")})
	env, err := awsenv.New(stack, p, "eu-west-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(env.Partition, env.ServicePrincipal("logs"), env.BucketArn("shop-data"))
	_, err = awsenv.New(nil, nil, "")
	fmt.Println(err != nil)
	// Output:
	// aws logs.eu-west-1.amazonaws.com arn:aws:s3:::shop-data
	// true
}
