package network_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/network"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func props(region string, nat bool, change ...func(*network.VpcProps)) (network.VpcProps, func(*testing.T) synthtest.Template) {
	stack, env := synthtest.NewStack(region)
	p := network.VpcProps{
		Env: env, Name: "app-dev", Cidr: "10.20.0.0/16", AzCount: 2, NatGateways: nat,
		FlowLogs: network.FlowLogsProps{
			LogGroup: "/app/dev/vpc-flow-logs", RetentionDays: 30,
			KmsKeyArn: jsii.String("arn:aws:kms:us-east-1:123456789012:key/k"),
			RoleArn:   jsii.String("arn:aws:iam::123456789012:role/flow"),
		},
	}
	for _, f := range change {
		f(&p)
	}
	return p, func(t *testing.T) synthtest.Template {
		t.Helper()
		if _, err := network.NewVpc(stack, "network", p); err != nil {
			t.Fatal(err)
		}
		return synthtest.Synth(t, stack)
	}
}

func TestVpcSubnetsAcrossZones(t *testing.T) {
	p, synth := props("us-east-1", true)
	tpl := synth(t)
	var public, private []string
	zones := map[string]int{}
	for _, s := range tpl.Resources("aws_subnet") {
		if s["map_public_ip_on_launch"] != false {
			t.Errorf("subnet %v maps public IPs on launch", s["cidr_block"])
		}
		zones[s["availability_zone"].(string)]++
		if strings.Contains(s["tags"].(map[string]any)["Name"].(string), "public") {
			public = append(public, s["cidr_block"].(string))
		} else {
			private = append(private, s["cidr_block"].(string))
		}
	}
	sort.Strings(public)
	sort.Strings(private)
	if !slices.Equal(public, []string{"10.20.0.0/20", "10.20.16.0/20"}) || !slices.Equal(private, []string{"10.20.128.0/20", "10.20.144.0/20"}) {
		t.Errorf("public %v private %v", public, private)
	}
	if len(zones) != p.AzCount {
		t.Errorf("subnets in %d distinct zone expressions, want %d: %v", len(zones), p.AzCount, zones)
	}
	for az, n := range zones {
		if !strings.Contains(az, "data.aws_availability_zones") || n != 2 {
			t.Errorf("zone %s has %d subnets, want one public and one private", az, n)
		}
	}
	// element() wraps around: fewer zones than AzCount must stop the plan
	// (TestPlanRefusesMoreZonesThanTheRegionHas plans it).
	for _, z := range tpl.DataSources("aws_availability_zones") {
		lc, _ := z["lifecycle"].(map[string]any)
		post, _ := lc["postcondition"].([]any)
		if len(post) != 1 || post[0].(map[string]any)["condition"] != fmt.Sprintf("${length(self.names) >= %d}", p.AzCount) {
			t.Errorf("the zones data source does not require %d zones: %v", p.AzCount, z["lifecycle"])
		}
	}
	v := tpl.Resource(t, "aws_vpc")
	if v["enable_dns_support"] != true || v["enable_dns_hostnames"] != true {
		t.Error("VPC DNS support and hostnames must be on (interface endpoints and RDS need them)")
	}
	if sg := tpl.Resource(t, "aws_default_security_group"); sg["ingress"] != nil || sg["egress"] != nil {
		t.Errorf("default security group must have no rules: %v", sg)
	}
}

func TestVpcNatPerZoneWhenEnabled(t *testing.T) {
	_, synth := props("us-east-1", true)
	tpl := synth(t)
	if n := len(tpl.Resources("aws_nat_gateway")); n != 2 {
		t.Errorf("%d NAT gateways, want one per AZ", n)
	}
	for _, ip := range tpl.Resources("aws_eip") {
		// aws_eip: domain "vpc" (the vpc argument is deprecated); the docs
		// advise depending on the internet gateway.
		if ip["domain"] != "vpc" || !slices.ContainsFunc(ip["depends_on"].([]any), func(d any) bool { return strings.HasPrefix(d.(string), "aws_internet_gateway.") }) {
			t.Errorf("EIP %v", ip)
		}
	}
	routes := 0
	for _, r := range tpl.Resources("aws_route") {
		if r["nat_gateway_id"] != nil {
			routes++
		}
	}
	if routes != 2 {
		t.Errorf("%d private default routes, want one per AZ", routes)
	}
}

func TestVpcWithoutNat(t *testing.T) {
	_, synth := props("us-west-2", false)
	tpl := synth(t)
	if n := len(tpl.Resources("aws_nat_gateway")) + len(tpl.Resources("aws_eip")); n != 0 {
		t.Errorf("standby VPC has %d NAT parts, want none", n)
	}
	for _, r := range tpl.Resources("aws_route") {
		if r["gateway_id"] == nil {
			t.Errorf("only the public default route may exist without NAT: %v", r)
		}
	}
	// Private subnets keep their own route tables, so enabling NAT later
	// adds routes instead of replacing associations.
	if n := len(tpl.Resources("aws_route_table")); n != 3 {
		t.Errorf("%d route tables, want public + one per private subnet", n)
	}
}

func TestVpcFlowLogs(t *testing.T) {
	_, synth := props("us-east-1", false)
	tpl := synth(t)
	fl := tpl.Resource(t, "aws_flow_log")
	// aws_flow_log to CloudWatch Logs: iam_role_arn is required;
	// max_aggregation_interval is 60 or 600.
	if fl["traffic_type"] != "ALL" || fl["log_destination_type"] != "cloud-watch-logs" || fl["iam_role_arn"] != "arn:aws:iam::123456789012:role/flow" || fl["max_aggregation_interval"] != float64(60) {
		t.Errorf("flow log = %v", fl)
	}
	if !strings.Contains(fl["log_destination"].(string), "aws_cloudwatch_log_group.") {
		t.Errorf("flow log goes to %v, want the construct's log group", fl["log_destination"])
	}
	g := tpl.Resource(t, "aws_cloudwatch_log_group")
	if g["name"] != "/app/dev/vpc-flow-logs" || g["kms_key_id"] == nil || g["retention_in_days"] != float64(30) {
		t.Errorf("flow log group = %v", g)
	}
}

func TestVpcRefusesBadProps(t *testing.T) {
	p, _ := props("us-east-1", false)
	p.Cidr, p.AzCount, p.FlowLogs.RoleArn, p.FlowLogs.RetentionDays = "10.0.0.0/8", 1, nil, 2
	err := p.Validate()
	for _, want := range []string{"Cidr", "AzCount 1", "FlowLogs.RoleArn", "RetentionDays"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

// A Vpc in a stack whose AWS provider is aliased: two AZs, NAT in each.
func ExampleNewVpc() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("example"))
	env, err := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-west-1")}), "eu-west-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	vpc, err := network.NewVpc(stack, "network", network.VpcProps{
		Env:         env,
		Name:        "shop-prod",
		Cidr:        "10.30.0.0/16",
		AzCount:     2,
		NatGateways: true,
		FlowLogs: network.FlowLogsProps{
			LogGroup:      "/shop/prod/vpc-flow-logs",
			RetentionDays: 365,
			KmsKeyArn:     jsii.String("arn:aws:kms:eu-west-1:123456789012:key/example"),
			RoleArn:       jsii.String("arn:aws:iam::123456789012:role/shop-prod-vpc-flow-logs"),
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(vpc.PublicSubnetIDs), "public and", len(vpc.PrivateSubnetIDs), "private subnets")
	fmt.Println(network.SubnetCidrs("10.30.0.0/16", 2))
	// Output:
	// 2 public and 2 private subnets
	// [10.30.0.0/20 10.30.16.0/20] [10.30.128.0/20 10.30.144.0/20]
}

// VPC endpoints, checked against what the provider's aws_vpc_endpoint page
// documents: vpc_endpoint_type defaults to Gateway, so interface endpoints
// must say Interface; private_dns_enabled defaults to false; an interface
// endpoint cannot work without subnets; with no security group it gets the
// VPC's default one (which admits nothing here); route tables go on the
// endpoint (not also in aws_vpc_endpoint_route_table_association, which
// would fight it); AWS service names are com.amazonaws.REGION.SERVICE.
func TestVpcEndpoints(t *testing.T) {
	p, synth := props("us-west-2", false, func(p *network.VpcProps) {
		p.Endpoints = network.EndpointsProps{Interface: []string{"ecr.api", "ecr.dkr", "logs", "secretsmanager"}, Gateway: []string{"s3"}}
	})
	tpl := synth(t)
	endpoints := tpl.Resources("aws_vpc_endpoint")
	if len(endpoints) != 5 {
		t.Fatalf("%d endpoints, want 4 interface and 1 gateway", len(endpoints))
	}
	if n := len(tpl.Resources("aws_vpc_endpoint_route_table_association")) + len(tpl.Resources("aws_vpc_endpoint_subnet_association")); n != 0 {
		t.Errorf("%d separate endpoint associations; the provider docs say not to mix them with the endpoint's own lists", n)
	}
	sg := tpl.Resource(t, "aws_security_group")
	for _, e := range endpoints {
		svc := strings.TrimPrefix(e["service_name"].(string), "com.amazonaws.us-west-2.")
		if svc == e["service_name"] {
			t.Errorf("service name %v is not com.amazonaws.us-west-2.SERVICE", e["service_name"])
		}
		if name := e["tags"].(map[string]any)["Name"]; name != "app-dev-endpoint-"+svc {
			t.Errorf("%s endpoint is tagged %v, want app-dev-endpoint-%s (the runbook finds it by that tag)", svc, name, svc)
		}
		if !strings.Contains(fmt.Sprint(e["vpc_id"]), "aws_vpc.") {
			t.Errorf("%s endpoint in VPC %v", svc, e["vpc_id"])
		}
		switch svc {
		case "s3":
			if e["vpc_endpoint_type"] != "Gateway" || len(e["route_table_ids"].([]any)) != 2 || e["subnet_ids"] != nil || e["private_dns_enabled"] != nil {
				t.Errorf("s3 gateway endpoint must sit on both private route tables and nothing else: %v", e)
			}
			for _, rt := range e["route_table_ids"].([]any) {
				if !strings.Contains(rt.(string), "private") {
					t.Errorf("s3 gateway endpoint on %v, want private route tables only", rt)
				}
			}
		default:
			if e["vpc_endpoint_type"] != "Interface" || e["private_dns_enabled"] != true {
				t.Errorf("%s: want an Interface endpoint with private DNS: %v", svc, e)
			}
			subnets := e["subnet_ids"].([]any)
			if len(subnets) != p.AzCount || !strings.Contains(subnets[0].(string), "private") {
				t.Errorf("%s endpoint in subnets %v, want each private subnet", svc, subnets)
			}
			if groups := e["security_group_ids"].([]any); len(groups) != 1 || !strings.Contains(groups[0].(string), "aws_security_group.") {
				t.Errorf("%s endpoint security groups %v, want the endpoints' own", svc, groups)
			}
			pol := e["policy"].(string)
			if !strings.Contains(pol, `"aws:PrincipalAccount"`) || !strings.Contains(pol, "aws_caller_identity") {
				t.Errorf("%s endpoint policy does not limit it to the account's principals: %s", svc, pol)
			}
		}
	}
	if sg["ingress"] != nil || sg["egress"] != nil {
		t.Errorf("endpoint security group has inline rules: %v", sg)
	}
	in := tpl.Resource(t, "aws_vpc_security_group_ingress_rule")
	if in["cidr_ipv4"] != p.Cidr || in["from_port"] != float64(443) || in["to_port"] != float64(443) || in["ip_protocol"] != "tcp" {
		t.Errorf("endpoint ingress = %v, want HTTPS from the VPC CIDR %s only", in, p.Cidr)
	}
	if n := len(tpl.Resources("aws_vpc_security_group_egress_rule")); n != 0 {
		t.Errorf("endpoint security group has %d egress rules; an endpoint only answers", n)
	}
}

func TestVpcWithoutEndpoints(t *testing.T) {
	_, synth := props("us-west-2", false)
	tpl := synth(t)
	if n := len(tpl.Resources("aws_vpc_endpoint")) + len(tpl.Resources("aws_security_group")); n != 0 {
		t.Errorf("a VPC without Endpoints has %d endpoint parts", n)
	}
}

func TestVpcRefusesBadEndpoints(t *testing.T) {
	p, _ := props("us-east-1", false)
	p.Endpoints = network.EndpointsProps{Interface: []string{"ecr.api", "ecr.api", "com.amazonaws.us-east-1.logs!"}, Gateway: []string{"logs"}}
	err := p.Validate()
	for _, want := range []string{`"ecr.api": listed twice`, "not a service name", `Gateway "logs": AWS offers gateway endpoints for s3 and dynamodb only`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}
