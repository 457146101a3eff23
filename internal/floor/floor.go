// Package floor is the baseline the synth benchmark compares the app with:
// the smallest app that loads the same AWS provider bindings and makes one
// S3 bucket per region, each in its own stack.
package floor

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// New adds one stack per region to app, each with a provider and a bucket.
func New(app constructs.Construct, regions []string) {
	for _, region := range regions {
		stack := cdktf.NewTerraformStack(app, jsii.String("floor-"+region))
		p := provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
		s3bucket.NewS3Bucket(stack, jsii.String("bucket"), &s3bucket.S3BucketConfig{
			Provider:     p,
			BucketPrefix: jsii.String("floor-" + region + "-"),
		})
	}
}
