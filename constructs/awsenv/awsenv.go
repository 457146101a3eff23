// Package awsenv says where a construct's resources go: which AWS provider,
// region, partition and account. Every construct in this library takes an Env
// so that it works in stacks whose provider has an alias (the app's do) and
// can build its own ARNs without reading another stack.
package awsenv

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscalleridentity"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
)

// Env is the provider, region, partition and account that resources are
// created with.
type Env struct {
	// Provider is set on every resource and data source, so an aliased
	// provider works.
	Provider cdktf.TerraformProvider
	// Region is the provider's region, known at synth time.
	Region string
	// Partition is aws, aws-cn or aws-us-gov, derived from Region.
	Partition string
	// AccountID is the deploying account, read at plan time through STS in
	// Region (not a global endpoint).
	AccountID *string
}

// New returns the Env of provider in region, adding one aws_caller_identity
// data source to scope for the account id (named account, account-2, ...
// when scope already has one). It returns an error, before adding
// anything, when scope or provider is nil or region is empty.
func New(scope constructs.Construct, provider cdktf.TerraformProvider, region string) (Env, error) {
	var errs []error
	if scope == nil {
		errs = append(errs, errors.New("scope: required (the stack the Env's resources go in)"))
	}
	if provider == nil {
		errs = append(errs, errors.New("provider: required (an AWS provider in region)"))
	}
	if region == "" {
		errs = append(errs, errors.New("region: required"))
	}
	if len(errs) > 0 {
		return Env{}, fmt.Errorf("awsenv.New: %w", errors.Join(errs...))
	}
	id := "account"
	for i := 2; scope.Node().TryFindChild(jsii.String(id)) != nil; i++ {
		id = fmt.Sprintf("account-%d", i)
	}
	caller := dataawscalleridentity.NewDataAwsCallerIdentity(scope, jsii.String(id), &dataawscalleridentity.DataAwsCallerIdentityConfig{
		Provider: provider,
	})
	return Env{Provider: provider, Region: region, Partition: awsenvspec.PartitionOf(region), AccountID: caller.AccountId()}, nil
}

// ClaimID returns an error when scope is nil or already holds a construct
// named id. The constructs library panics on a duplicate id; every
// constructor here calls ClaimID first and returns that error instead.
func ClaimID(scope constructs.Construct, id string) error {
	if scope == nil {
		return errors.New("scope: required")
	}
	if id == "" {
		return errors.New("id: required")
	}
	if scope.Node().TryFindChild(jsii.String(id)) != nil {
		return fmt.Errorf("id %q: %s already holds a construct with this id; give each construct its own id", id, *scope.Node().Path())
	}
	return nil
}

// Arn builds an ARN in this Env's partition, region and account. Pass
// region "" for services whose ARNs have no region (IAM).
func (e Env) Arn(service, region, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", e.Partition, service, region, *e.AccountID, resource)
}

// BucketArn is the ARN of the S3 bucket name (bucket ARNs have no region
// or account).
func (e Env) BucketArn(name string) string {
	return fmt.Sprintf("arn:%s:s3:::%s", e.Partition, name)
}

// ServicePrincipal returns the regional service principal of service, such as
// logs.us-west-2.amazonaws.com.
func (e Env) ServicePrincipal(service string) string {
	return fmt.Sprintf("%s.%s.amazonaws.com", service, e.Region)
}
