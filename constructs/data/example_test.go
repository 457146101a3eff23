package data_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/data"
)

// The data tier of a system in eu-west-1 with a pilot light in eu-central-1.
// Each Site is a stack of your app with its own aliased provider; Links is a
// third stack in the primary region that you deploy after the failover one.
func ExampleNewReplicatedData() {
	app := cdktf.NewApp(nil)
	site := func(name, region string) data.Site {
		stack := cdktf.NewTerraformStack(app, jsii.String(name))
		// awsenv.New fails only on a nil stack or provider, or no region.
		env, _ := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)}), region)
		return data.Site{Scope: stack, Env: env,
			KmsKeyArn: jsii.String("arn:aws:kms:" + region + ":123456789012:key/example"),
			VpcID:     jsii.String("vpc-0example"),
			SubnetIDs: []*string{jsii.String("subnet-a"), jsii.String("subnet-b")}, AccessLogBucket: jsii.String("shop-prod-access-logs-" + region)}
	}
	d, err := data.NewReplicatedData(data.ReplicatedDataProps{
		Prefix:             "shop-prod",
		Primary:            site("shop-prod-eu-west-1", "eu-west-1"),
		Failovers:          []data.Site{site("shop-prod-eu-central-1", "eu-central-1")},
		Links:              site("shop-prod-replication", "eu-west-1"),
		ReplicationRoleArn: jsii.String("arn:aws:iam::123456789012:role/shop-prod-s3-replication"),
		DatabaseSecretName: "shop/prod/database/master",
		CacheSecretName:    "shop/prod/cache/auth-token",
		// Zero fields take the documented defaults (data.Default*).
		Database: data.DatabaseProps{SecondaryInstances: 1, DatabaseName: "shop", MasterUsername: "shop_admin"},
		Buckets: []data.BucketProps{{Name: "assets", NoncurrentVersionDays: 90, ReplicationTimeControl: true, ReverseReplication: true,
			BucketNames: map[string]string{"eu-west-1": "shop-prod-assets-euw1", "eu-central-1": "shop-prod-assets-euc1"}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	standby := d.Regions["eu-central-1"]
	fmt.Println(standby.Buckets["assets"], standby.Secrets()["DATABASE_PASSWORD"])
	// Output: shop-prod-assets-euc1 shop/prod/database/master
}
