package network_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/pilotlight/pilotlight/constructs/network"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func props(region string, nat bool) (network.VpcProps, func(*testing.T) synthtest.Template) {
	stack, env := synthtest.NewStack(region)
	p := network.VpcProps{
		Env: env, Name: "app-dev", Cidr: "10.20.0.0/16", AzCount: 2, NatGateways: nat,
		FlowLogs: network.FlowLogsProps{
			LogGroup: "/app/dev/vpc-flow-logs", RetentionDays: 30,
			KmsKeyArn: jsii.String("arn:aws:kms:us-east-1:123456789012:key/k"),
			RoleArn:   jsii.String("arn:aws:iam::123456789012:role/flow"),
		},
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

func TestValidateCidr(t *testing.T) {
	for _, ok := range []string{"10.0.0.0/16", "172.16.0.0/20", "192.168.10.0/24"} {
		if err := network.ValidateCidr(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"10.0.0.1/16", "10.0.0.0/8", "10.0.0.0/25", "11.0.0.0/16", "fd00::/48", "x"} {
		if err := network.ValidateCidr(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// A Vpc in a stack whose AWS provider is aliased: two AZs, NAT in each.
func ExampleNewVpc() {
	stack, env := synthtest.NewStack("eu-west-1")
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
