package dns_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/dns"
)

// A failover name for a system active in us-east-1 with a pilot light in
// us-west-2: the switch lives in the standby's stack, the name in a stack
// that manages Route 53 (deployed after the regions). Point CloudFront's
// origin (or any client) at name.Fqdn.
func ExampleNewFailoverName() {
	app := cdktf.NewApp(nil)
	standby := cdktf.NewTerraformStack(app, jsii.String("shop-prod-us-west-2"))
	standbyEnv, err := awsenv.New(standby, provider.NewAwsProvider(standby, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-west-2")}), "us-west-2")
	if err != nil {
		fmt.Println(err)
		return
	}
	sw, err := dns.NewTrafficSwitch(standby, "traffic-switch", dns.TrafficSwitchProps{
		Env: standbyEnv, BucketName: "shop-prod-switch-us-west-2-123456789012", Key: "standby-takes-over",
		AccessLogBucket: jsii.String("shop-prod-access-logs-us-west-2-123456789012"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	edge := cdktf.NewTerraformStack(app, jsii.String("shop-prod-edge"))
	env, err := awsenv.New(edge, provider.NewAwsProvider(edge, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-east-1")}), "us-east-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	name, err := dns.NewFailoverName(edge, "origin", dns.FailoverNameProps{
		Env: env, ZoneID: jsii.String("Z0123456789ABCDEFGHIJ"), ZoneName: "example.com", Name: "origin.example.com",
		HealthCheckPath: "/healthz",
		Active:          dns.Endpoint{Region: "us-east-1", Domain: "us-east-1.origin.example.com", Target: jsii.String("shop-prod-1.us-east-1.elb.amazonaws.com")},
		Standby:         dns.Endpoint{Region: "us-west-2", Domain: "us-west-2.origin.example.com", Target: jsii.String("shop-prod-2.us-west-2.elb.amazonaws.com")},
		Switch:          sw,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(*name.Fqdn, name.TTL, name.HealthCheckInterval, name.FailureThreshold)
	// Output: origin.example.com 60 10 3
}
