package storage_test

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/storage"
)

// A private, versioned bucket encrypted with the region's key (in a scope
// of its own: its parts take fixed ids) that an application role may read
// and write: the objects, the bucket for listing, and the key only through
// S3, for this bucket, by its alias (identity.BucketStatements).
func ExampleNewPrivateBucket() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("example"))
	env, err := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")}), "eu-west-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/shop-prod"})
	if err != nil {
		fmt.Println(err)
		return
	}
	bucket, err := storage.NewPrivateBucket(constructs.NewConstruct(stack, jsii.String("uploads")), storage.PrivateBucketProps{
		Env: env, Name: "shop-prod-uploads-eu-west-1", Key: key, Versioned: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	role, err := identity.NewRole(stack, "app", identity.RoleProps{Env: env, Name: "shop-prod-app", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	grant, err := bucket.GrantReadWrite(role)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bucket.Name, grant.Policy != nil)
	// Output: shop-prod-uploads-eu-west-1 true
}
