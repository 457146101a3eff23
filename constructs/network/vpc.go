// Package network provides the VPC each region runs in.
package network

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultsecuritygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/names"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/constructs/policy"
	networkspec "github.com/pilotlight/pilotlight/spec/network"
)

// VpcProps configures a Vpc.
type VpcProps struct {
	Env awsenv.Env
	// Name tags the VPC and prefixes its parts' Name tags.
	Name string
	// Cidr is the VPC's IPv4 range, /16 to /24 (see networkspec.ValidateCidr).
	Cidr string
	// AzCount is how many availability zones to span: networkspec.MinAzCount to
	// networkspec.MaxAzCount.
	AzCount int
	// NatGateways puts a NAT gateway in each AZ so private subnets reach the
	// internet. Off, private subnets have no default route (a standby region
	// that runs no tasks pays no NAT hours).
	NatGateways bool
	// FlowLogs sends every VPC flow (accepted and rejected) to a log group.
	FlowLogs FlowLogsProps
	// Endpoints, when it names services, lets the private subnets reach
	// those AWS services with no NAT gateway.
	Endpoints EndpointsProps
}

// EndpointsProps are the VPC endpoints of a Vpc. Each is tagged
// Name=VPC-endpoint-SERVICE, its service name is built as
// com.amazonaws.REGION.SERVICE (the form the provider documents for AWS
// services), so planning one reads nothing from AWS.
type EndpointsProps struct {
	// Interface services (ecr.api, ecr.dkr, logs, secretsmanager, ...) get an
	// interface endpoint in every private subnet, with private DNS, so the
	// services' usual host names resolve to it, behind a security group that
	// admits HTTPS from the VPC's CIDR only, and a policy that admits only
	// the account's principals.
	Interface []string
	// Gateway services (s3, dynamodb) get a gateway endpoint on every private
	// route table.
	Gateway []string
}

// endpointService matches the service part of com.amazonaws.REGION.SERVICE.
var endpointService = regexp.MustCompile(`^[a-z0-9]+([.-][a-z0-9]+)*$`)

// gatewayServices are the only services AWS offers gateway endpoints for
// (VPC User Guide, "Gateway endpoints").
var gatewayServices = []string{"s3", "dynamodb"}

// FlowLogsProps says where a Vpc's flow logs go.
type FlowLogsProps struct {
	// LogGroup is the destination group's name, RetentionDays and KmsKeyArn its settings.
	LogGroup      string
	RetentionDays int
	KmsKeyArn     *string
	// RoleArn is the role VPC Flow Logs assumes to write to the group
	// (identity.FlowLogsStatements gives its policy).
	RoleArn *string
}

// Vpc is a VPC with a public and a private subnet in each availability zone,
// an internet gateway, optional per-AZ NAT gateways, a default security group
// that allows nothing, and flow logs.
type Vpc struct {
	constructs.Construct
	ID               *string
	Cidr             string
	PublicSubnetIDs  []*string
	PrivateSubnetIDs []*string
	FlowLogGroup     *logs.LogGroup
}

// Validate returns every problem in p at once.
func (p VpcProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if p.Name == "" {
		errs = append(errs, errors.New("Name: required"))
	}
	if err := networkspec.ValidateCidr(p.Cidr); err != nil {
		errs = append(errs, fmt.Errorf("Cidr: %w", err))
	}
	if p.AzCount < networkspec.MinAzCount || p.AzCount > networkspec.MaxAzCount {
		errs = append(errs, fmt.Errorf("AzCount %d: must be %d or %d (an ALB needs subnets in at least two AZs)", p.AzCount, networkspec.MinAzCount, networkspec.MaxAzCount))
	}
	if p.FlowLogs.RoleArn == nil {
		errs = append(errs, errors.New("FlowLogs.RoleArn: required; flow logs are always on"))
	}
	if err := p.flowLogGroup().Validate(); err != nil {
		errs = append(errs, fmt.Errorf("FlowLogs: %w", err))
	}
	seen := map[string]bool{}
	for _, svc := range p.Endpoints.Interface {
		if !endpointService.MatchString(svc) {
			errs = append(errs, fmt.Errorf("Endpoints.Interface %q: not a service name such as ecr.api or logs (the part after com.amazonaws.REGION.)", svc))
		}
		if seen[svc] {
			errs = append(errs, fmt.Errorf("Endpoints.Interface %q: listed twice", svc))
		}
		seen[svc] = true
	}
	for _, svc := range p.Endpoints.Gateway {
		if !slices.Contains(gatewayServices, svc) {
			errs = append(errs, fmt.Errorf("Endpoints.Gateway %q: AWS offers gateway endpoints for %s only; list it under Interface", svc, strings.Join(gatewayServices, " and ")))
		}
		if seen[svc] {
			errs = append(errs, fmt.Errorf("Endpoints %q: listed twice (an interface endpoint with private DNS and a gateway endpoint for one service need DNS options this construct does not set)", svc))
		}
		seen[svc] = true
	}
	return errors.Join(errs...)
}

func (p VpcProps) flowLogGroup() logs.LogGroupProps {
	return logs.LogGroupProps{Env: p.Env, Name: p.FlowLogs.LogGroup, RetentionDays: p.FlowLogs.RetentionDays, KmsKeyArn: p.FlowLogs.KmsKeyArn}
}

// SubnetCidrs splits cidr into azCount public and azCount private subnets,
// each 4 bits longer: public subnets take the first blocks, private ones start
// half way, leaving room for more AZs and tiers.
func SubnetCidrs(cidr string, azCount int) (public, private []string) {
	prefix := netip.MustParsePrefix(cidr)
	bits := prefix.Bits() + 4
	size := uint32(1) << (32 - bits)
	base := prefix.Addr().As4()
	start := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	block := func(i int) string {
		a := start + uint32(i)*size
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)}), bits).String()
	}
	for i := 0; i < azCount; i++ {
		public = append(public, block(i))
		private = append(private, block(8+i))
	}
	return public, private
}

// NewVpc adds the VPC and its parts to scope.
func NewVpc(scope constructs.Construct, id string, props VpcProps) (*Vpc, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("network.Vpc %s: %w", id, err)
	}
	env := props.Env
	c := constructs.NewConstruct(scope, jsii.String(id))
	tag := func(suffix string) *map[string]*string {
		return &map[string]*string{"Name": jsii.String(props.Name + suffix)}
	}

	v := vpc.NewVpc(c, jsii.String("vpc"), &vpc.VpcConfig{
		Provider:           env.Provider,
		CidrBlock:          jsii.String(props.Cidr),
		EnableDnsSupport:   jsii.Bool(true),
		EnableDnsHostnames: jsii.Bool(true),
		Tags:               tag(""),
	})
	// Managing the default security group with no rules removes its
	// allow-all-within-group default, so nothing can use it by accident.
	defaultsecuritygroup.NewDefaultSecurityGroup(c, jsii.String("default-sg"), &defaultsecuritygroup.DefaultSecurityGroupConfig{
		Provider: env.Provider,
		VpcId:    v.Id(),
		Tags:     tag("-default-deny"),
	})
	zones := dataawsavailabilityzones.NewDataAwsAvailabilityZones(c, jsii.String("zones"), &dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{
		Provider: env.Provider,
		State:    jsii.String("available"),
		// Local and Wavelength zones lack services the app needs.
		Filter: []*dataawsavailabilityzones.DataAwsAvailabilityZonesFilter{{
			Name:   jsii.String("opt-in-status"),
			Values: jsii.Strings("opt-in-not-required"),
		}},
		// element() below wraps around: with fewer zones than AzCount two
		// subnets would share a zone and the load balancer's apply would
		// fail, perhaps in the failover region. The plan stops here instead
		// (a data source's postcondition is checked when it is read: the
		// Terraform language's "Custom Conditions").
		Lifecycle: &cdktf.TerraformResourceLifecycle{Postcondition: &[]*cdktf.Postcondition{{
			Condition:    jsii.String(fmt.Sprintf("${length(self.names) >= %d}", props.AzCount)),
			ErrorMessage: jsii.String(fmt.Sprintf("VPC %s spans %d availability zones (its AzCount; azCount in a config file) but this account sees fewer available zones in this region: lower it to the number of zones `aws ec2 describe-availability-zones --filters Name=opt-in-status,Values=opt-in-not-required` lists here.", props.Name, props.AzCount)),
		}}},
	})
	igw := internetgateway.NewInternetGateway(c, jsii.String("igw"), &internetgateway.InternetGatewayConfig{
		Provider: env.Provider,
		VpcId:    v.Id(),
		Tags:     tag(""),
	})
	publicRoutes := routetable.NewRouteTable(c, jsii.String("public-routes"), &routetable.RouteTableConfig{
		Provider: env.Provider,
		VpcId:    v.Id(),
		Tags:     tag("-public"),
	})
	route.NewRoute(c, jsii.String("public-default"), &route.RouteConfig{
		Provider:             env.Provider,
		RouteTableId:         publicRoutes.Id(),
		DestinationCidrBlock: jsii.String("0.0.0.0/0"),
		GatewayId:            igw.Id(),
	})

	out := &Vpc{Construct: c, ID: v.Id(), Cidr: props.Cidr}
	var privateRouteTables []*string
	publicCidrs, privateCidrs := SubnetCidrs(props.Cidr, props.AzCount)
	for i := 0; i < props.AzCount; i++ {
		az := cdktf.Token_AsString(cdktf.Fn_Element(zones.Names(), jsii.Number(i)), nil)
		n := fmt.Sprint(i)
		public := subnet.NewSubnet(c, jsii.String("public-"+n), &subnet.SubnetConfig{
			Provider:            env.Provider,
			VpcId:               v.Id(),
			CidrBlock:           jsii.String(publicCidrs[i]),
			AvailabilityZone:    az,
			MapPublicIpOnLaunch: jsii.Bool(false),
			Tags:                tag("-public-" + n),
		})
		routetableassociation.NewRouteTableAssociation(c, jsii.String("public-"+n+"-routes"), &routetableassociation.RouteTableAssociationConfig{
			Provider:     env.Provider,
			SubnetId:     public.Id(),
			RouteTableId: publicRoutes.Id(),
		})
		private := subnet.NewSubnet(c, jsii.String("private-"+n), &subnet.SubnetConfig{
			Provider:            env.Provider,
			VpcId:               v.Id(),
			CidrBlock:           jsii.String(privateCidrs[i]),
			AvailabilityZone:    az,
			MapPublicIpOnLaunch: jsii.Bool(false),
			Tags:                tag("-private-" + n),
		})
		privateRoutes := routetable.NewRouteTable(c, jsii.String("private-"+n+"-routes-table"), &routetable.RouteTableConfig{
			Provider: env.Provider,
			VpcId:    v.Id(),
			Tags:     tag("-private-" + n),
		})
		routetableassociation.NewRouteTableAssociation(c, jsii.String("private-"+n+"-routes"), &routetableassociation.RouteTableAssociationConfig{
			Provider:     env.Provider,
			SubnetId:     private.Id(),
			RouteTableId: privateRoutes.Id(),
		})
		privateRouteTables = append(privateRouteTables, privateRoutes.Id())
		if props.NatGateways {
			ip := eip.NewEip(c, jsii.String("nat-"+n+"-ip"), &eip.EipConfig{
				Provider: env.Provider,
				Domain:   jsii.String("vpc"),
				Tags:     &map[string]*string{"Name": jsii.String(names.NatGateway(props.Name, i))},
				// The provider docs advise depending on the internet gateway.
				DependsOn: &[]cdktf.ITerraformDependable{igw},
			})
			nat := natgateway.NewNatGateway(c, jsii.String("nat-"+n), &natgateway.NatGatewayConfig{
				Provider:     env.Provider,
				AllocationId: ip.AllocationId(),
				SubnetId:     public.Id(),
				Tags:         &map[string]*string{"Name": jsii.String(names.NatGateway(props.Name, i))},
				DependsOn:    &[]cdktf.ITerraformDependable{igw},
			})
			route.NewRoute(c, jsii.String("private-"+n+"-default"), &route.RouteConfig{
				Provider:             env.Provider,
				RouteTableId:         privateRoutes.Id(),
				DestinationCidrBlock: jsii.String("0.0.0.0/0"),
				NatGatewayId:         nat.Id(),
			})
		}
		out.PublicSubnetIDs = append(out.PublicSubnetIDs, public.Id())
		out.PrivateSubnetIDs = append(out.PrivateSubnetIDs, private.Id())
	}

	newEndpoints(c, props, v.Id(), out.PrivateSubnetIDs, privateRouteTables)

	group, err := logs.NewLogGroup(c, "flow-logs", props.flowLogGroup())
	if err != nil {
		return nil, err
	}
	flowlog.NewFlowLog(c, jsii.String("flow-log"), &flowlog.FlowLogConfig{
		Provider:               env.Provider,
		VpcId:                  v.Id(),
		TrafficType:            jsii.String("ALL"),
		LogDestinationType:     jsii.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             props.FlowLogs.RoleArn,
		MaxAggregationInterval: jsii.Number(60),
		Tags:                   tag("-flow-log"),
	})
	out.FlowLogGroup = group
	return out, nil
}

// newEndpoints adds props.Endpoints to the VPC vpcID.
func newEndpoints(c constructs.Construct, props VpcProps, vpcID *string, subnets, routeTables []*string) {
	e, env := props.Endpoints, props.Env
	if len(e.Interface) == 0 && len(e.Gateway) == 0 {
		return
	}
	serviceName := func(svc string) *string {
		return jsii.String(fmt.Sprintf("com.amazonaws.%s.%s", env.Region, svc))
	}
	for _, svc := range e.Gateway {
		// No policy: the default (full access) is what lets ECR's image layers
		// through, which clients fetch from an AWS-owned bucket with URLs ECR
		// signs; the app's own S3 access is limited by its role.
		vpcendpoint.NewVpcEndpoint(c, jsii.String("endpoint-"+svc), &vpcendpoint.VpcEndpointConfig{
			Provider:        env.Provider,
			VpcId:           vpcID,
			ServiceName:     serviceName(svc),
			VpcEndpointType: jsii.String("Gateway"),
			// On the endpoint itself, not through
			// aws_vpc_endpoint_route_table_association: the provider docs
			// say not to use both for one endpoint.
			RouteTableIds: &routeTables,
			Tags:          &map[string]*string{"Name": jsii.String(names.VpcEndpoint(props.Name, svc))},
		})
	}
	if len(e.Interface) == 0 {
		return
	}
	name := props.Name + "-endpoints"
	sg := securitygroup.NewSecurityGroup(c, jsii.String("endpoints-sg"), &securitygroup.SecurityGroupConfig{
		Provider:    env.Provider,
		Name:        jsii.String(name),
		Description: jsii.String("VPC interface endpoints: HTTPS from the VPC only"),
		VpcId:       vpcID,
		Tags:        &map[string]*string{"Name": jsii.String(name)},
	})
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String("endpoints-https-in"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		Provider:        env.Provider,
		SecurityGroupId: sg.Id(),
		Description:     jsii.String("HTTPS from the VPC to the AWS service endpoints"),
		IpProtocol:      jsii.String("tcp"),
		FromPort:        jsii.Number(443),
		ToPort:          jsii.Number(443),
		CidrIpv4:        jsii.String(props.Cidr),
	})
	// Only the account's principals may use the endpoints: credentials of
	// another account cannot carry data out through them.
	doc := policy.Document{Statements: []policy.Statement{{
		Sid:            "AccountPrincipalsOnly",
		Principal:      map[string][]string{"AWS": {"*"}},
		Actions:        []string{"*"},
		Resources:      []string{"*"},
		Condition:      map[string]map[string][]string{"StringEquals": {"aws:PrincipalAccount": {*env.AccountID}}},
		WildcardReason: "an endpoint policy limits who may use the endpoint; the roles' own policies limit what they may do",
	}}}
	for _, svc := range e.Interface {
		vpcendpoint.NewVpcEndpoint(c, jsii.String("endpoint-"+svc), &vpcendpoint.VpcEndpointConfig{
			Provider:        env.Provider,
			VpcId:           vpcID,
			ServiceName:     serviceName(svc),
			VpcEndpointType: jsii.String("Interface"),
			// The provider defaults private_dns_enabled to false; without it
			// the service's usual host name does not resolve to the endpoint.
			PrivateDnsEnabled: jsii.Bool(true),
			// An interface endpoint cannot work without subnets; one per AZ.
			SubnetIds: &subnets,
			// Without one, the VPC's default security group is used, which
			// here admits nothing.
			SecurityGroupIds: &[]*string{sg.Id()},
			Policy:           jsii.String(doc.JSON()),
			Tags:             &map[string]*string{"Name": jsii.String(names.VpcEndpoint(props.Name, svc))},
		})
	}
}
