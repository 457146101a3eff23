// Package stacks composes the constructs library into the pilotlight app: a
// GlobalStack (IAM), one RegionalStack per region, and an EdgeStack
// (CloudFront). New builds all of them from a config.Config.
package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
)

// GlobalRegion is where the global services' control planes (IAM,
// CloudFront) are managed from.
const GlobalRegion = "us-east-1"

// RegionRole is what a region is to the app; it is also the alias of the
// region stack's AWS provider.
type RegionRole string

// The roles a stack's provider can have.
const (
	Primary  RegionRole = "primary"
	Failover RegionRole = "failover"
	Global   RegionRole = "global"
)

// newStack creates a stack with one aliased AWS provider in region, the
// app's default tags, and the configured backend. It returns an error,
// never a panic: a nil scope, an invalid config (a *config.Problems), a
// region that is not the app's (GlobalRegion aside), or a stack name
// scope already holds. Each exported stack constructor calls it before it
// builds anything, so a refused stack leaves scope as it was.
func newStack(scope constructs.Construct, name string, cfg config.Config, region string, role RegionRole) (cdktf.TerraformStack, awsenv.Env, error) {
	if scope == nil {
		return nil, awsenv.Env{}, fmt.Errorf("stack %s: scope is nil; pass the cdktf.App", name)
	}
	if err := cfg.Validate(); err != nil {
		return nil, awsenv.Env{}, err
	}
	if region != GlobalRegion && !slices.Contains(cfg.Regions(), region) {
		return nil, awsenv.Env{}, fmt.Errorf("stack %s: region %q is none of the app's regions (%s)", name, region, strings.Join(cfg.Regions(), ", "))
	}
	if scope.Node().TryFindChild(jsii.String(name)) != nil {
		return nil, awsenv.Env{}, fmt.Errorf("stack %s: scope already holds a construct named %s; add each stack once per app", name, name)
	}
	stack := cdktf.NewTerraformStack(scope, jsii.String(name))
	p := newProvider(stack, "aws", string(role), region, name, role, cfg)
	// S3 native state locking (use_lockfile) needs Terraform 1.10.
	stack.AddOverride(jsii.String("terraform.required_version"), jsii.String(">= 1.10.0"))
	useBackend(stack, name, cfg.Backend)
	env, err := awsenv.New(stack, p, region)
	if err != nil {
		return nil, awsenv.Env{}, fmt.Errorf("stack %s: %w", name, err)
	}
	return stack, env, nil
}

// newProvider adds an AWS provider in region to the stack named name, with
// the app's default tags and bounded retries.
func newProvider(stack cdktf.TerraformStack, id, alias, region, name string, role RegionRole, cfg config.Config) provider.AwsProvider {
	tags := map[string]*string{
		"Project":                          jsii.String(cfg.Name),
		"Environment":                      jsii.String(cfg.Environment),
		"ManagedBy":                        jsii.String("pilotlight"),
		config.ReservedTagPrefix + "role":  jsii.String(string(role)),
		config.ReservedTagPrefix + "stack": jsii.String(name),
	}
	// The user's value wins over the app's informational tags (a
	// cost-allocation or compliance Project tag is theirs to set); the
	// pilotlight: keys are the app's own, and config refuses them.
	for k, v := range cfg.Tags {
		tags[k] = jsii.String(v)
	}
	return provider.NewAwsProvider(stack, jsii.String(id), &provider.AwsProviderConfig{
		Region:      jsii.String(region),
		Alias:       jsii.String(alias),
		DefaultTags: &[]*provider.AwsProviderDefaultTags{{Tags: &tags}},
		// Bounded, so a plan or apply that reaches a dark region fails fast
		// instead of backing off for many minutes.
		MaxRetries: jsii.Number(cfg.Provider.MaxRetries),
	})
}

// useBackend points the stack's state at the configured backend. With s3,
// every stack's state sits in one bucket in a region outside the app's
// regions (config validation insists), so each stack, and each
// terraform_remote_state read of it, works while any one app region is down.
func useBackend(stack cdktf.TerraformStack, name string, b config.Backend) {
	switch b.Type {
	case config.BackendS3:
		backend := cdktf.NewS3Backend(stack, &cdktf.S3BackendConfig{
			Bucket:        jsii.String(b.Bucket),
			Key:           jsii.String(b.KeyPrefix + "/" + name + ".tfstate"),
			Region:        jsii.String(b.Region),
			Encrypt:       jsii.Bool(true),
			KmsKeyId:      optional(b.KmsKeyId),
			DynamodbTable: optional(b.DynamodbTable),
		})
		if b.UseLockfile != nil && *b.UseLockfile {
			// cdktf 0.20 predates S3 native locking (Terraform 1.10+).
			backend.AddOverride(jsii.String("use_lockfile"), true)
		}
	default:
		cdktf.NewLocalBackend(stack, &cdktf.LocalBackendConfig{
			// Relative to each stack's working directory (cdktf.out/stacks/NAME),
			// so state sits in the project root and the path is the same
			// from every stack, as remote state reads need.
			Path: jsii.String("../../../terraform." + name + ".tfstate"),
		})
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}
