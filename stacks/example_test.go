package stacks_test

import (
	"fmt"
	"regexp"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/stacks"
)

// The whole pilot-light app inside your own cdktf app: every stack, in
// deploy order, ready to extend (grant the task role more, add stacks that
// read the regions' outputs).
func ExampleNew() {
	cfg := config.Default()
	cfg.Name, cfg.Environment = "shop", "prod"
	p, err := stacks.New(cdktf.NewApp(nil), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range p.Stacks() {
		fmt.Println(*s.Node().Id())
	}
	// Output:
	// shop-prod-global
	// shop-prod-keys-us-east-1
	// shop-prod-keys-us-west-2
	// shop-prod-us-east-1
	// shop-prod-us-west-2
	// shop-prod-replication
	// shop-prod-edge
}

// A secret of your own for the app's containers: the hook hands it to each
// region's service, and the grant goes to the execution role where the
// app's roles live, the global stack (a regional stack creates no IAM
// resource, so a failover region's stack plans with us-east-1 dark), by
// the secret's name in every region and the regions' keys by their alias.
func ExampleWithServiceHook() {
	cfg := config.Default()
	cfg.Name, cfg.Environment = "shop", "prod"
	const token = "shop/prod/reports-api-token"
	p, err := stacks.New(cdktf.NewApp(nil), cfg, stacks.WithServiceHook(func(region string, props *compute.FargateServiceProps) error {
		props.Secrets["REPORTS_API_TOKEN"] = token
		return nil
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	alias := p.Region(cfg.PrimaryRegion).Key.KeyAlias()
	if _, err := p.Global.ExecutionRole.Grant("reports-api-token", identity.SecretsStatements(p.Global.Env, cfg.Regions(), []string{token}, alias)...); err != nil {
		fmt.Println(err)
		return
	}
	global := *cdktf.Testing_Synth(p.Global.Stack, jsii.Bool(true))
	for _, region := range cfg.Regions() {
		granted := regexp.MustCompile(`arn:aws:secretsmanager:` + region + `:[^:]+:secret:` + regexp.QuoteMeta(token+"-??????"))
		fmt.Println(region, granted.MatchString(global))
	}
	// Output:
	// us-east-1 true
	// us-west-2 true
}
