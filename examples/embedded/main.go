// Command embedded is a bigger app that embeds the whole pilotlight app
// (stacks.New) and adds a stack of its own: a reports bucket in the primary
// region that the app's containers may read and write, granted to the
// pilot light's task role; and a secret of its own for the containers,
// granted to the execution role in the global stack, where the roles live.
//
//	go run ./examples/embedded      # writes cdktf.out/
package main

import (
	"fmt"
	"os"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/constructs/storage"
	"github.com/pilotlight/pilotlight/stacks"
)

func main() {
	app := cdktf.NewApp(nil)
	all, err := build(app)
	if err == nil {
		var report policypack.Report
		if report, err = policypack.CheckStacks(policypack.AwsSolutions(), all...); err == nil {
			err = report.Err()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "embedded:", err)
		os.Exit(1)
	}
	app.Synth()
}

func build(app cdktf.App) ([]cdktf.TerraformStack, error) {
	cfg := config.Default()
	cfg.Name, cfg.Environment = "shop", "prod"
	// The reports bucket's name and a token for the reports API (a
	// secret the host app keeps, replicated to every region under the same
	// name) reach the containers through a hook on each region's service.
	reportsBucket := "shop-prod-reports-" + cfg.PrimaryRegion
	const reportsToken = "shop/prod/reports-api-token"
	p, err := stacks.New(app, cfg, stacks.WithServiceHook(func(region string, props *compute.FargateServiceProps) error {
		props.Environment["REPORTS_BUCKET"] = jsii.String(reportsBucket)
		props.Secrets["REPORTS_API_TOKEN"] = reportsToken
		return nil
	}))
	if err != nil {
		return nil, err
	}
	// The execution role is the global stack's, so the regional services
	// cannot grant it (a regional stack creates no IAM resource): grant it
	// here, in the role's stack, by name in every region, with the regions'
	// keys found by their alias.
	primary := p.Region(cfg.PrimaryRegion)
	if _, err := p.Global.ExecutionRole.Grant("reports-api-token",
		identity.SecretsStatements(p.Global.Env, cfg.Regions(), []string{reportsToken}, primary.Key.KeyAlias())...); err != nil {
		return nil, err
	}
	// The host app's own stack, in the primary region.
	reports := cdktf.NewTerraformStack(app, jsii.String("shop-prod-reports"))
	aws := provider.NewAwsProvider(reports, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(cfg.PrimaryRegion)})
	env, err := awsenv.New(reports, aws, cfg.PrimaryRegion)
	if err != nil {
		return nil, err
	}
	bucket, err := storage.NewPrivateBucket(constructs.NewConstruct(reports, jsii.String("reports")), storage.PrivateBucketProps{
		Env: env, Name: reportsBucket, Key: primary.Key, Versioned: true,
		AccessLogBucket: primary.AccessLogs.ID,
	})
	if err != nil {
		return nil, err
	}
	// The grant lands in the global stack beside the role, scoped by the
	// bucket's name, so the global stack still deploys first.
	if _, err := bucket.GrantReadWrite(p.Global.TaskRole); err != nil {
		return nil, err
	}
	return append(p.Stacks(), reports), nil
}
