// Command one-region is a consumer app of the pilotlight constructs: one
// region, no CloudFront, a service behind a public load balancer, with its
// key, network, logs, bucket and roles wired by typed handles and grants.
//
//	go run ./examples/one-region      # writes cdktf.out/
package main

import (
	"fmt"
	"os"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/constructs/network"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/constructs/storage"
)

func main() {
	app := cdktf.NewApp(nil)
	stack := cdktf.NewTerraformStack(app, jsii.String("shop-dev"))
	if err := build(stack); err != nil {
		fmt.Fprintln(os.Stderr, "one-region:", err)
		os.Exit(1)
	}
	// The pack's findings as values, before anything is written.
	report, err := policypack.CheckStacks(policypack.AwsSolutions(), stack)
	if err == nil {
		err = report.Err()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "one-region:", err)
		os.Exit(1)
	}
	app.Synth()
}

func build(stack cdktf.TerraformStack) error {
	const region = "eu-west-1"
	aws := provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
	env, err := awsenv.New(stack, aws, region)
	if err != nil {
		return err
	}
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{
		Env: env, Alias: "alias/shop-dev", Description: "shop dev", LogGroupPrefix: "/shop/dev/",
	})
	if err != nil {
		return err
	}
	flowLogsRole, err := identity.NewRole(stack, "flow-logs-role", identity.RoleProps{
		Env: env, Name: "shop-dev-flow-logs", AssumedBy: "vpc-flow-logs.amazonaws.com",
	})
	if err != nil {
		return err
	}
	vpc, err := network.NewVpc(stack, "network", network.VpcProps{
		Env: env, Name: "shop-dev", Cidr: "10.40.0.0/16", AzCount: 2, NatGateways: true,
		FlowLogs: network.FlowLogsProps{LogGroup: "/shop/dev/vpc-flow-logs", RetentionDays: 90, KmsKeyArn: key.Arn, RoleArn: flowLogsRole.Arn},
	})
	if err != nil {
		return err
	}
	if _, err := vpc.FlowLogGroup.GrantFlowLogs(flowLogsRole); err != nil {
		return err
	}
	accessLogs, err := logs.NewAccessLogBucket(stack, "access-logs", logs.AccessLogBucketProps{
		Env: env, Name: "shop-dev-access-logs-eu-west-1", SourceBucketPrefix: "shop-dev-", ExpirationDays: 90, LoadBalancerLogPrefix: "alb",
	})
	if err != nil {
		return err
	}
	lb, err := compute.NewLoadBalancer(stack, "load-balancer", compute.LoadBalancerProps{
		Env: env, Name: "shop-dev", TargetGroupName: "shop-dev-app", VpcID: vpc.ID, SubnetIDs: vpc.PublicSubnetIDs,
		TargetPort: 8080, HealthCheckPath: "/healthz",
		// No CloudFront in front: the internet reaches the ALB, for a
		// reason written down where reviewers and the policy pack see it.
		ExcludeCloudFront: true,
		Admit:             []compute.LoadBalancerSource{{Cidr: "0.0.0.0/0", Reason: "public storefront of a one-region app; WAF on the ALB filters it"}},
		AccessLogs:        compute.LoadBalancerAccessLogs{Bucket: accessLogs.ID, Prefix: "alb", DependsOn: []cdktf.ITerraformDependable{accessLogs.Policy}},
	})
	if err != nil {
		return err
	}
	execution, err := identity.NewRole(stack, "execution-role", identity.RoleProps{
		Env: env, Name: "shop-dev-ecs-execution", AssumedBy: "ecs-tasks.amazonaws.com",
	})
	if err != nil {
		return err
	}
	task, err := identity.NewRole(stack, "task-role", identity.RoleProps{
		Env: env, Name: "shop-dev-ecs-task", AssumedBy: "ecs-tasks.amazonaws.com",
	})
	if err != nil {
		return err
	}
	// A PrivateBucket's parts take fixed ids, so it gets a scope of its own.
	uploads, err := storage.NewPrivateBucket(constructs.NewConstruct(stack, jsii.String("uploads")), storage.PrivateBucketProps{
		Env: env, Name: "shop-dev-uploads-eu-west-1", Key: key, Versioned: true, AccessLogBucket: accessLogs.ID,
	})
	if err != nil {
		return err
	}
	if _, err := uploads.GrantReadWrite(task); err != nil {
		return err
	}
	service, err := compute.NewFargateService(stack, "service", compute.FargateServiceProps{
		Env: env, ClusterName: "shop-dev", ServiceName: "shop-dev-app", Family: "shop-dev-app",
		Image: "public.ecr.aws/nginx/nginx:stable", ContainerPort: 8080, Cpu: 256, Memory: 512, DesiredCount: 2,
		// Roles, subnets and key as handles: the execution role is in this
		// stack, so the service grants it read on exactly its secrets.
		ExecutionRole: execution, TaskRole: task, Subnets: vpc.PrivateSubnets(), Key: key,
		LoadBalancer: lb,
		Environment:  map[string]*string{"UPLOADS_BUCKET": uploads.ID},
		// A secret the payments team keeps in this region, by name.
		Secrets:  map[string]string{"PAYMENTS_API_KEY": "shop/dev/payments-api-key"},
		LogGroup: "/shop/dev/app", LogRetentionDays: 90,
	})
	if err != nil {
		return err
	}
	if _, err := service.LogGroup.GrantWrite(execution); err != nil {
		return err
	}
	for name, value := range map[string]*string{"url": lb.DNSName, "service_arn": service.ServiceArn, "load_balancer_arn_suffix": lb.ArnSuffix} {
		cdktf.NewTerraformOutput(stack, jsii.String(name), &cdktf.TerraformOutputConfig{Value: value})
	}
	return nil
}
