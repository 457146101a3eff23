package compute_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/constructs/network"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func webTier(t *testing.T, desired int) synthtest.Template {
	t.Helper()
	stack, env := synthtest.NewStack("us-west-2")
	lb, svc := build(t, stack, env, desired)
	if lb == nil || svc == nil {
		t.Fatal("constructs not returned")
	}
	return synthtest.Synth(t, stack)
}

func lbProps(env awsenv.Env) compute.LoadBalancerProps {
	return compute.LoadBalancerProps{
		Env: env, Name: "app-dev", TargetGroupName: "app-dev-app", VpcID: jsii.String("vpc-1"),
		SubnetIDs: *jsii.Strings("subnet-a", "subnet-b"), TargetPort: 8080, HealthCheckPath: "/healthz",
		AccessLogs: compute.LoadBalancerAccessLogs{Bucket: jsii.String("app-dev-access-logs"), Prefix: "alb"},
	}
}

// existing are a role, subnets and key from outside the app, by literal
// ARNs and ids.
func existing(t testing.TB) (exec, task identity.RoleRef, subnets network.SubnetsRef, key encryption.KeyRef) {
	t.Helper()
	var errs [4]error
	exec, errs[0] = identity.ExistingRole("arn:aws:iam::123456789012:role/exec")
	task, errs[1] = identity.ExistingRole("arn:aws:iam::123456789012:role/app/task")
	subnets, errs[2] = network.ExistingSubnets("vpc-0123456789abcdef0", "subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2")
	key, errs[3] = encryption.ExistingKey("arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return exec, task, subnets, key
}

func serviceProps(t testing.TB, env awsenv.Env, lb *compute.LoadBalancer, desired int) compute.FargateServiceProps {
	exec, task, subnets, key := existing(t)
	return compute.FargateServiceProps{
		Env: env, ClusterName: "app-dev", ServiceName: "app-dev-app", Family: "app-dev-app",
		Image: "public.ecr.aws/nginx/nginx:stable", ContainerPort: 8080, Cpu: 512, Memory: 2048, DesiredCount: desired,
		ExecutionRole: exec, TaskRole: task, Subnets: subnets, LoadBalancer: lb,
		LogGroup: "/app/dev/app", LogRetentionDays: 30, Key: key,
	}
}

func build(t testing.TB, stack cdktf.TerraformStack, env awsenv.Env, desired int) (*compute.LoadBalancer, *compute.FargateService) {
	lb, err := compute.NewLoadBalancer(stack, "lb", lbProps(env))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := compute.NewFargateService(stack, "svc", serviceProps(t, env, lb, desired))
	if err != nil {
		t.Fatal(err)
	}
	return lb, svc
}

func TestLoadBalancerOnlyCloudFrontReachesIt(t *testing.T) {
	tpl := webTier(t, 2)
	alb := tpl.Resource(t, "aws_lb")
	if alb["internal"] != false || alb["load_balancer_type"] != "application" || alb["drop_invalid_header_fields"] != true {
		t.Errorf("ALB = %v", alb)
	}
	// lb: enable_deletion_protection keeps a plan from deleting it;
	// access_logs needs enabled = true and a bucket in the ALB's region.
	if alb["enable_deletion_protection"] != true || synthtest.Get(alb, "access_logs.enabled") != true ||
		synthtest.Get(alb, "access_logs.bucket") != "app-dev-access-logs" || synthtest.Get(alb, "access_logs.prefix") != "alb" {
		t.Errorf("ALB deletion protection and access logs = %v %v", alb["enable_deletion_protection"], alb["access_logs"])
	}
	list := tpl.DataSources("aws_ec2_managed_prefix_list")
	if len(list) != 1 {
		t.Fatalf("want the CloudFront prefix list looked up once, got %v", list)
	}
	for _, l := range list {
		if l["name"] != compute.CloudFrontOriginFacingPrefixList {
			t.Errorf("prefix list %v", l["name"])
		}
	}
	// The CloudFront prefix list weighs 55 rules of a security group's 60:
	// exactly one rule may reference it, and nothing else may open the ALB.
	var albIngress []synthtest.Object
	for _, r := range tpl.Resources("aws_vpc_security_group_ingress_rule") {
		if strings.Contains(r["security_group_id"].(string), "aws_security_group.lb_") {
			albIngress = append(albIngress, r)
		}
		if r["cidr_ipv4"] == "0.0.0.0/0" || r["cidr_ipv6"] == "::/0" {
			t.Errorf("ingress open to the internet: %v", r)
		}
	}
	if len(albIngress) != 1 || albIngress[0]["prefix_list_id"] == nil || albIngress[0]["from_port"] != float64(80) {
		t.Errorf("ALB ingress = %v, want one rule from the CloudFront prefix list on 80", albIngress)
	}
	tg := tpl.Resource(t, "aws_lb_target_group")
	// Fargate (awsvpc) registers task IPs: target_type must be ip.
	if tg["target_type"] != "ip" || tg["port"] != float64(8080) || synthtest.Get(tg, "health_check.path") != "/healthz" {
		t.Errorf("target group = %v", tg)
	}
	l := tpl.Resource(t, "aws_lb_listener")
	if synthtest.Get(l, "default_action.0.type") != "forward" {
		t.Errorf("listener = %v", l)
	}
}

func TestFargateService(t *testing.T) {
	tpl := webTier(t, 3)
	cluster := tpl.Resource(t, "aws_ecs_cluster")
	if synthtest.Get(cluster, "setting.0.name") != "containerInsights" || synthtest.Get(cluster, "setting.0.value") != "enabled" {
		t.Errorf("Container Insights off: %v", cluster["setting"])
	}
	task := tpl.Resource(t, "aws_ecs_task_definition")
	// Fargate: network_mode awsvpc, task-level cpu and memory, an execution
	// role for awslogs.
	if task["network_mode"] != "awsvpc" || task["cpu"] != "512" || task["memory"] != "2048" || task["execution_role_arn"] == nil || task["task_role_arn"] == nil {
		t.Errorf("task = %v", task)
	}
	if synthtest.Get(task, "requires_compatibilities.0") != "FARGATE" {
		t.Error("task must require FARGATE")
	}
	var containers []map[string]any
	if err := json.Unmarshal([]byte(task["container_definitions"].(string)), &containers); err != nil || len(containers) != 1 {
		t.Fatalf("container definitions: %v %v", err, task["container_definitions"])
	}
	c := containers[0]
	if synthtest.Get(c, "logConfiguration.logDriver") != "awslogs" || synthtest.Get(c, "logConfiguration.options.awslogs-group") != "/app/dev/app" || synthtest.Get(c, "logConfiguration.options.awslogs-region") != "us-west-2" {
		t.Errorf("container logs = %v", c["logConfiguration"])
	}
	if c["environment"] != nil {
		t.Error("no plain environment values: secrets come as task secrets")
	}
	svc := tpl.Resource(t, "aws_ecs_service")
	if svc["desired_count"] != float64(3) || svc["launch_type"] != "FARGATE" || synthtest.Get(svc, "network_configuration.assign_public_ip") != false {
		t.Errorf("service = %v", svc)
	}
	if synthtest.Get(svc, "deployment_circuit_breaker.rollback") != true {
		t.Error("failed deployments must roll back")
	}
	if synthtest.Get(svc, "load_balancer.0.container_name") != compute.ContainerName || synthtest.Get(svc, "load_balancer.0.container_port") != float64(8080) {
		t.Errorf("load balancer = %v", svc["load_balancer"])
	}
	// ecs_service: the target group must be attached to the load balancer
	// before the service registers with it.
	if d := synthtest.Get(svc, "depends_on.0"); d == nil || !strings.HasPrefix(d.(string), "aws_lb_listener.") {
		t.Errorf("service depends_on = %v, want the listener", svc["depends_on"])
	}
	if got := fmt.Sprint(synthtest.Get(svc, "network_configuration.subnets")); got != "[subnet-0aaaaaaaaaaaaaaa1 subnet-0aaaaaaaaaaaaaaa2]" {
		t.Errorf("tasks in %v; want the given private subnets", got)
	}
	// Existing roles: their ARNs as given, and no policy added to them.
	if task["execution_role_arn"] != "arn:aws:iam::123456789012:role/exec" || task["task_role_arn"] != "arn:aws:iam::123456789012:role/app/task" {
		t.Errorf("roles = %v, %v", task["execution_role_arn"], task["task_role_arn"])
	}
	if sg := tpl.Resources("aws_security_group"); len(sg) != 2 {
		t.Errorf("security groups = %v", sg)
	} else {
		for _, g := range sg {
			if strings.HasSuffix(g["name"].(string), "-tasks") && g["vpc_id"] != "vpc-0123456789abcdef0" {
				t.Errorf("tasks' security group in %v", g["vpc_id"])
			}
		}
	}
	egress := tpl.Resources("aws_vpc_security_group_egress_rule")
	if len(egress) != 2 {
		t.Errorf("want ALB-to-tasks and tasks-HTTPS-out egress only, got %d", len(egress))
	}
	for _, e := range egress {
		if e["cidr_ipv4"] == "0.0.0.0/0" && e["from_port"] != float64(443) {
			t.Errorf("egress to the internet beyond HTTPS: %v", e)
		}
	}
}

func TestStandbyRunsNothing(t *testing.T) {
	if got := webTier(t, 0).Resource(t, "aws_ecs_service")["desired_count"]; got != float64(0) {
		t.Errorf("desired_count = %v", got)
	}
}

func TestFargateServiceRefusesBadProps(t *testing.T) {
	err := compute.FargateServiceProps{Cpu: 256, Memory: 8192, ContainerPort: 0, DesiredCount: -1}.Validate()
	for _, want := range []string{"Env", "ClusterName: required", "ContainerPort", "memory 8192 does not go with cpu 256", "DesiredCount -1", "ExecutionRole: required", "TaskRole: required", "Subnets: required", "LoadBalancer: required", "log group"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

// The web tier of one region, wired by handles: the key, the VPC's
// private subnets and the roles are passed as the constructs that made
// them, and the service grants its execution role (a role of this stack)
// read on exactly its secrets. An ALB only CloudFront reaches is in front;
// a standby region passes DesiredCount 0.
func ExampleNewFargateService() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("example"))
	env, err := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-west-2")}), "us-west-2")
	if err != nil {
		fmt.Println(err)
		return
	}
	svc, err := webTierExample(stack, env)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The grant, as Terraform gets it.
	var synthesized struct {
		Resource struct {
			Policies map[string]struct{ Policy string } `json:"aws_iam_role_policy"`
		}
	}
	if err := json.Unmarshal([]byte(*cdktf.Testing_Synth(stack, jsii.Bool(true))), &synthesized); err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range synthesized.Resource.Policies {
		fmt.Println(strings.Contains(p.Policy, `"secretsmanager:GetSecretValue"`) && strings.Contains(p.Policy, "secret:shop/prod/database-??????"))
	}
	fmt.Println(svc.ServiceName, svc.LogGroup.Name, svc.SecretsGrant != nil)
	// Output:
	// true
	// shop-prod-app /shop/prod/app true
}

func webTierExample(stack cdktf.TerraformStack, env awsenv.Env) (*compute.FargateService, error) {
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/shop-prod", LogGroupPrefix: "/shop/prod/"})
	if err != nil {
		return nil, err
	}
	flowLogs, err := identity.NewRole(stack, "flow-logs", identity.RoleProps{Env: env, Name: "shop-prod-flow-logs", AssumedBy: "vpc-flow-logs.amazonaws.com"})
	if err != nil {
		return nil, err
	}
	vpc, err := network.NewVpc(stack, "network", network.VpcProps{
		Env: env, Name: "shop-prod", Cidr: "10.60.0.0/16", AzCount: 2, NatGateways: true,
		FlowLogs: network.FlowLogsProps{LogGroup: "/shop/prod/vpc-flow-logs", RetentionDays: 90, KmsKeyArn: key.Arn, RoleArn: flowLogs.Arn},
	})
	if err != nil {
		return nil, err
	}
	accessLogs, err := logs.NewAccessLogBucket(stack, "access-logs", logs.AccessLogBucketProps{
		Env: env, Name: "shop-prod-access-logs-us-west-2", SourceBucketPrefix: "shop-prod-", ExpirationDays: 90, LoadBalancerLogPrefix: "alb",
	})
	if err != nil {
		return nil, err
	}
	lb, err := compute.NewLoadBalancer(stack, "lb", compute.LoadBalancerProps{
		Env: env, Name: "shop-prod", TargetGroupName: "shop-prod-app", VpcID: vpc.ID, SubnetIDs: vpc.PublicSubnetIDs,
		TargetPort: 8080, HealthCheckPath: "/healthz",
		AccessLogs: compute.LoadBalancerAccessLogs{Bucket: accessLogs.ID, Prefix: "alb", DependsOn: []cdktf.ITerraformDependable{accessLogs.Policy}},
	})
	if err != nil {
		return nil, err
	}
	execution, err := identity.NewRole(stack, "execution", identity.RoleProps{Env: env, Name: "shop-prod-ecs-execution", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		return nil, err
	}
	task, err := identity.NewRole(stack, "task", identity.RoleProps{Env: env, Name: "shop-prod-ecs-task", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		return nil, err
	}
	return compute.NewFargateService(stack, "service", compute.FargateServiceProps{
		Env: env, ClusterName: "shop-prod", ServiceName: "shop-prod-app", Family: "shop-prod-app",
		Image: "public.ecr.aws/nginx/nginx:stable", ContainerPort: 8080, Cpu: 1024, Memory: 2048,
		DesiredCount:  0, // standby: pilot light
		ExecutionRole: execution, TaskRole: task, Subnets: vpc.PrivateSubnets(), Key: key,
		LoadBalancer: lb,
		Secrets:      map[string]string{"DATABASE_PASSWORD": "shop/prod/database"},
		LogGroup:     "/shop/prod/app", LogRetentionDays: 365,
	})
}

func TestLoadBalancerNeedsAccessLogs(t *testing.T) {
	err := compute.LoadBalancerProps{Name: "a", TargetGroupName: "b", TargetPort: 80, HealthCheckPath: "/"}.Validate()
	if err == nil || !strings.Contains(err.Error(), "AccessLogs: a Bucket and a Prefix are required") {
		t.Errorf("no access logs accepted: %v", err)
	}
}

// Access is a prop: more sources with written reasons (the open one
// carrying its reason to the policy pack), or none of CloudFront.
func TestLoadBalancerAdmitsNamedSources(t *testing.T) {
	stack, env := synthtest.NewStack("eu-west-1")
	p := lbProps(env)
	p.ExcludeCloudFront = true
	p.Admit = []compute.LoadBalancerSource{
		{Cidr: "0.0.0.0/0", Reason: "public API of a one-region app, no CDN in front (it's WAF-protected)"},
		{Cidr: "2001:db8::/32", Reason: "office IPv6 range for the admin UI"},
	}
	if _, err := compute.NewLoadBalancer(stack, "lb", p); err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	if len(tpl.DataSources("aws_ec2_managed_prefix_list")) != 0 {
		t.Error("CloudFront's prefix list is still read")
	}
	rules := tpl.Resources("aws_vpc_security_group_ingress_rule")
	if len(rules) != 2 {
		t.Fatalf("rules = %v", rules)
	}
	for _, r := range rules {
		desc := r["description"].(string)
		if strings.Contains(desc, "'") {
			t.Errorf("description %q has a character EC2 refuses", desc)
		}
		if r["cidr_ipv6"] == nil && r["cidr_ipv4"] == nil {
			t.Errorf("rule without a source: %v", r)
		}
	}
	report, err := policypack.CheckStacks(policypack.AwsSolutions(), stack)
	if err != nil {
		t.Fatal(err)
	}
	suppressed := report.Suppressed()
	if len(suppressed) != 1 || suppressed[0].RuleID != "AwsSolutions-EC23" || !strings.Contains(suppressed[0].SuppressionReason, "one-region app") {
		t.Errorf("the open rule's reason does not reach the pack: suppressed %v, errors %v", suppressed, report.Errors())
	}
	bad := lbProps(env)
	bad.ExcludeCloudFront = true
	bad.Admit = []compute.LoadBalancerSource{{Cidr: "10.0.0.0/33", Reason: "x"}, {Reason: "neither a CIDR nor a list"}}
	err = bad.Validate()
	for _, want := range []string{"Admit[0].Cidr", "Admit[0].Reason", "Admit[1]: give a Cidr"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	none := lbProps(env)
	none.ExcludeCloudFront = true
	if err := none.Validate(); err == nil || !strings.Contains(err.Error(), "nothing would reach") {
		t.Errorf("no source at all: %v", err)
	}
}

// The ARN suffixes are the LoadBalancer and TargetGroup dimensions of the
// ALB's CloudWatch metrics (aws_lb and aws_lb_target_group arn_suffix).
func TestLoadBalancerArnSuffixes(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	lb, _ := build(t, stack, env, 0)
	cdktf.NewTerraformOutput(stack, jsii.String("lb_suffix"), &cdktf.TerraformOutputConfig{Value: lb.ArnSuffix})
	cdktf.NewTerraformOutput(stack, jsii.String("tg_suffix"), &cdktf.TerraformOutputConfig{Value: lb.TargetGroupArnSuffix})
	tpl := synthtest.Synth(t, stack)
	lbRef, tgRef := fmt.Sprint(synthtest.Get(tpl, "output.lb_suffix.value")), fmt.Sprint(synthtest.Get(tpl, "output.tg_suffix.value"))
	if !strings.HasPrefix(lbRef, "${aws_lb.") || !strings.HasSuffix(lbRef, ".arn_suffix}") || !strings.HasPrefix(tgRef, "${aws_lb_target_group.") || !strings.HasSuffix(tgRef, ".arn_suffix}") {
		t.Errorf("ArnSuffix = %s, TargetGroupArnSuffix = %s", lbRef, tgRef)
	}
}
