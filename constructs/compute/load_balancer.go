// Package compute provides the web tier each region runs: an Application
// Load Balancer that only CloudFront can reach, and a Fargate service behind
// it whose desired count is the pilot-light switch.
package compute

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsec2managedprefixlist"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lb"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lblistener"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/lbtargetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
	computespec "github.com/pilotlight/pilotlight/spec/compute"
	"github.com/pilotlight/pilotlight/timing"
)

// CloudFrontOriginFacingPrefixList is the AWS-managed prefix list of the
// addresses CloudFront uses to reach origins.
const CloudFrontOriginFacingPrefixList = "com.amazonaws.global.cloudfront.origin-facing"

// Route53HealthChecksPrefixList is the AWS-managed prefix list of the
// addresses Route 53 health checkers use, named for the region it is read
// in (Route 53 Developer Guide, "IP address ranges of Amazon Route 53
// servers").
func Route53HealthChecksPrefixList(region string) string {
	return "com.amazonaws." + region + ".route53-healthchecks"
}

// LoadBalancerProps configures a LoadBalancer.
type LoadBalancerProps struct {
	Env awsenv.Env
	// Name names the ALB and its security group; TargetGroupName the target group.
	Name            string
	TargetGroupName string
	VpcID           *string
	// SubnetIDs are public subnets in at least two availability zones.
	SubnetIDs []*string
	// TargetPort is the port the containers listen on.
	TargetPort      int
	HealthCheckPath string
	// CertificateArn, an ACM certificate in Env's region (a literal ARN, or
	// a token such as dns.Certificate's Arn), makes the listener HTTPS on 443
	// (TLS 1.2+) so CloudFront reaches the origin encrypted. Nil: the
	// listener is HTTP on 80.
	CertificateArn *string
	// AdmitRoute53HealthCheckers lets Route 53 health checkers reach the
	// listener too (needs CertificateArn: they check over HTTPS). They get a
	// security group of their own: a prefix list counts as its maximum
	// entries against a group's rule quota, and CloudFront's alone takes
	// most of the default 60 (VPC User Guide, managed prefix lists).
	AdmitRoute53HealthCheckers bool
	// Admit lets more sources reach the listener, each with a written
	// reason (in a security group of their own; a 0.0.0.0/0 source carries
	// its reason as the policy pack's suppression). ExcludeCloudFront drops
	// the default CloudFront rule, for an ALB not behind CloudFront.
	Admit             []LoadBalancerSource
	ExcludeCloudFront bool
	// AccessLogs is where the ALB writes its access logs: required.
	AccessLogs LoadBalancerAccessLogs
}

// LoadBalancerSource is one source the listener admits: a CIDR (IPv4 or
// IPv6) or a prefix list id (literal or token), and why.
type LoadBalancerSource struct {
	Cidr         string
	PrefixListID *string
	Reason       string
}

// LoadBalancerAccessLogs is an S3 bucket in the load balancer's region that
// Elastic Load Balancing may write to (SSE-S3, with a policy for the
// region's log delivery principal: logs.AccessLogBucket with a
// LoadBalancerLogPrefix).
type LoadBalancerAccessLogs struct {
	Bucket *string
	Prefix string
	// DependsOn holds the bucket's policy: ELB checks that it can write when
	// access logging is turned on.
	DependsOn []cdktf.ITerraformDependable
}

// TLSPolicy is the HTTPS listener's security policy: TLS 1.3 and 1.2 only.
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// LoadBalancer is an internet-facing ALB whose HTTP listener accepts only
// CloudFront's origin-facing addresses, forwarding to an IP target group.
type LoadBalancer struct {
	constructs.Construct
	Arn     *string
	DNSName *string
	// ArnSuffix is what CloudWatch's LoadBalancer dimension takes.
	ArnSuffix       *string
	SecurityGroupID *string
	TargetGroupArn  *string
	// TargetGroupArnSuffix is what CloudWatch's TargetGroup dimension takes.
	TargetGroupArnSuffix *string
	// Listener must exist before an ECS service registers with the target group.
	Listener cdktf.ITerraformDependable
}

// Validate returns every problem in p at once.
func (p LoadBalancerProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if err := computespec.ValidateLoadBalancerName(p.Name); err != nil {
		errs = append(errs, fmt.Errorf("Name: %w", err))
	}
	if err := computespec.ValidateLoadBalancerName(p.TargetGroupName); err != nil {
		errs = append(errs, fmt.Errorf("TargetGroupName: %w", err))
	}
	if p.VpcID == nil {
		errs = append(errs, errors.New("VpcID: required"))
	}
	if len(p.SubnetIDs) < 2 {
		errs = append(errs, fmt.Errorf("SubnetIDs: %d given; an ALB needs subnets in at least two availability zones", len(p.SubnetIDs)))
	}
	if err := computespec.ValidatePort(p.TargetPort); err != nil {
		errs = append(errs, fmt.Errorf("TargetPort: %w", err))
	}
	if arn := p.CertificateArn; arn != nil && !awsenvspec.IsToken(*arn) {
		if err := awsenvspec.ValidateCertificateArn(*arn, p.Env.Region); err != nil {
			errs = append(errs, fmt.Errorf("CertificateArn: %w (the load balancer's region)", err))
		}
	}
	if p.AdmitRoute53HealthCheckers && p.CertificateArn == nil {
		errs = append(errs, errors.New("AdmitRoute53HealthCheckers: needs a CertificateArn; health checkers request the listener over HTTPS"))
	}
	for i, a := range p.Admit {
		switch {
		case (a.Cidr == "") == (a.PrefixListID == nil):
			errs = append(errs, fmt.Errorf("Admit[%d]: give a Cidr or a PrefixListID", i))
		case a.Cidr != "":
			if _, _, err := net.ParseCIDR(a.Cidr); err != nil {
				errs = append(errs, fmt.Errorf("Admit[%d].Cidr %q: not a CIDR block such as 203.0.113.0/24", i, a.Cidr))
			}
		}
		if len(strings.TrimSpace(a.Reason)) < 10 {
			errs = append(errs, fmt.Errorf("Admit[%d].Reason: say why this source may reach the load balancer (at least 10 characters)", i))
		}
	}
	if p.ExcludeCloudFront && len(p.Admit) == 0 && !p.AdmitRoute53HealthCheckers {
		errs = append(errs, errors.New("ExcludeCloudFront: nothing would reach the listener; give Admit sources"))
	}
	if err := computespec.ValidateHealthCheckPath(p.HealthCheckPath); err != nil {
		errs = append(errs, fmt.Errorf("HealthCheckPath: %w", err))
	}
	if p.AccessLogs.Bucket == nil || p.AccessLogs.Prefix == "" {
		errs = append(errs, errors.New("AccessLogs: a Bucket and a Prefix are required (see logs.AccessLogBucket)"))
	}
	return errors.Join(errs...)
}

// ruleDescription fits text to a security group rule's description: at
// most 255 of a-z A-Z 0-9 space and ._-:/()#,@[]+=&;{}!$* (EC2 API
// reference, IpRange); anything else becomes a space.
func ruleDescription(text string) string {
	const allowed = "._-:/()#,@[]+=&;{}!$* "
	out := []rune{}
	for _, r := range text {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(allowed, r)) {
			r = ' '
		}
		out = append(out, r)
	}
	if len(out) > 255 {
		out = out[:255]
	}
	return string(out)
}

// NewLoadBalancer adds the ALB, its security group, listener and target
// group to scope.
func NewLoadBalancer(scope constructs.Construct, id string, props LoadBalancerProps) (*LoadBalancer, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("compute.LoadBalancer %s: %w", id, err)
	}
	env := props.Env
	port, protocol := 80, "HTTP"
	if props.CertificateArn != nil {
		port, protocol = 443, "HTTPS"
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	// group is one of the ALB's security groups, named and tagged alike.
	group := func(id, name, description string) securitygroup.SecurityGroup {
		return securitygroup.NewSecurityGroup(c, jsii.String(id), &securitygroup.SecurityGroupConfig{
			Provider:    env.Provider,
			Name:        jsii.String(name),
			Description: jsii.String(description),
			VpcId:       props.VpcID,
			Tags:        &map[string]*string{"Name": jsii.String(name)},
		})
	}
	description := "ALB: " + protocol + " from CloudFront only"
	if props.ExcludeCloudFront {
		description = "ALB: " + protocol + ", sources in the ALB's other groups"
	}
	sg := group("sg", props.Name+"-alb", description)
	if !props.ExcludeCloudFront {
		cloudfront := dataawsec2managedprefixlist.NewDataAwsEc2ManagedPrefixList(c, jsii.String("cloudfront"), &dataawsec2managedprefixlist.DataAwsEc2ManagedPrefixListConfig{
			Provider: env.Provider,
			Name:     jsii.String(CloudFrontOriginFacingPrefixList),
		})
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String("from-cloudfront"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			Provider:        env.Provider,
			SecurityGroupId: sg.Id(),
			Description:     jsii.String(protocol + " from CloudFront origin-facing addresses"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(port),
			ToPort:          jsii.Number(port),
			PrefixListId:    cloudfront.Id(),
		})
	}
	groups := []*string{sg.Id()}
	if props.AdmitRoute53HealthCheckers {
		checkers := group("health-checkers", props.Name+"-alb-health-checkers", "ALB: HTTPS from Route 53 health checkers only")
		list := dataawsec2managedprefixlist.NewDataAwsEc2ManagedPrefixList(c, jsii.String("route53-health-checkers"), &dataawsec2managedprefixlist.DataAwsEc2ManagedPrefixListConfig{
			Provider: env.Provider,
			Name:     jsii.String(Route53HealthChecksPrefixList(env.Region)),
		})
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String("from-route53-health-checkers"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			Provider:        env.Provider,
			SecurityGroupId: checkers.Id(),
			Description:     jsii.String("HTTPS from Route 53 health checkers"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        jsii.Number(port),
			ToPort:          jsii.Number(port),
			PrefixListId:    list.Id(),
		})
		groups = append(groups, checkers.Id())
	}
	if len(props.Admit) > 0 {
		admitted := group("admitted", props.Name+"-alb-admitted", "ALB: "+protocol+" from the sources LoadBalancerProps.Admit names")
		for i, a := range props.Admit {
			rule := &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
				Provider:        env.Provider,
				SecurityGroupId: admitted.Id(),
				Description:     jsii.String(ruleDescription(a.Reason)),
				IpProtocol:      jsii.String("tcp"),
				FromPort:        jsii.Number(port),
				ToPort:          jsii.Number(port),
				PrefixListId:    a.PrefixListID,
			}
			if strings.Contains(a.Cidr, ":") {
				rule.CidrIpv6 = jsii.String(a.Cidr)
			} else if a.Cidr != "" {
				rule.CidrIpv4 = jsii.String(a.Cidr)
			}
			r := vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String(fmt.Sprintf("admit-%d", i)), rule)
			if a.Cidr == "0.0.0.0/0" || a.Cidr == "::/0" {
				if err := policypack.Suppress(r, "AwsSolutions-EC23", a.Reason); err != nil {
					return nil, err
				}
			}
		}
		groups = append(groups, admitted.Id())
	}
	var deps *[]cdktf.ITerraformDependable
	if len(props.AccessLogs.DependsOn) > 0 {
		deps = &props.AccessLogs.DependsOn
	}
	alb := lb.NewLb(c, jsii.String("alb"), &lb.LbConfig{
		DependsOn:               deps,
		Provider:                env.Provider,
		Name:                    jsii.String(props.Name),
		Internal:                jsii.Bool(false),
		LoadBalancerType:        jsii.String("application"),
		SecurityGroups:          &groups,
		Subnets:                 &props.SubnetIDs,
		DropInvalidHeaderFields: jsii.Bool(true),
		EnableHttp2:             jsii.Bool(true),
		IdleTimeout:             jsii.Number(60),
		DesyncMitigationMode:    jsii.String("strictest"),
		// The region's entry point: a plan must not delete it by mistake
		// (turn this off first to delete it on purpose).
		EnableDeletionProtection: jsii.Bool(true),
		AccessLogs: &lb.LbAccessLogs{
			Enabled: jsii.Bool(true),
			Bucket:  props.AccessLogs.Bucket,
			Prefix:  jsii.String(props.AccessLogs.Prefix),
		},
	})
	tg := lbtargetgroup.NewLbTargetGroup(c, jsii.String("targets"), &lbtargetgroup.LbTargetGroupConfig{
		Provider: env.Provider,
		Name:     jsii.String(props.TargetGroupName),
		// Fargate tasks use awsvpc networking, which registers task IPs.
		TargetType:          jsii.String("ip"),
		Protocol:            jsii.String("HTTP"),
		Port:                jsii.Number(props.TargetPort),
		VpcId:               props.VpcID,
		DeregistrationDelay: jsii.String(fmt.Sprint(int(timing.TargetDeregistrationDelay.Seconds()))),
		// Interval and thresholds from package timing, whose RTO budget
		// counts them.
		HealthCheck: &lbtargetgroup.LbTargetGroupHealthCheck{
			Enabled:            jsii.Bool(true),
			Path:               jsii.String(props.HealthCheckPath),
			Matcher:            jsii.String("200-399"),
			Interval:           jsii.Number(timing.TargetHealthCheckInterval.Seconds()),
			HealthyThreshold:   jsii.Number(timing.TargetHealthyThreshold),
			UnhealthyThreshold: jsii.Number(timing.TargetUnhealthyThreshold),
		},
	})
	listenerConfig := &lblistener.LbListenerConfig{
		Provider:        env.Provider,
		LoadBalancerArn: alb.Arn(),
		Port:            jsii.Number(port),
		Protocol:        jsii.String(protocol),
		DefaultAction: []*lblistener.LbListenerDefaultAction{{
			Type:           jsii.String("forward"),
			TargetGroupArn: tg.Arn(),
		}},
	}
	if props.CertificateArn != nil {
		listenerConfig.CertificateArn = props.CertificateArn
		listenerConfig.SslPolicy = jsii.String(TLSPolicy)
	}
	listener := lblistener.NewLbListener(c, jsii.String(strings.ToLower(protocol)), listenerConfig)
	return &LoadBalancer{Construct: c, Arn: alb.Arn(), DNSName: alb.DnsName(), ArnSuffix: alb.ArnSuffix(), SecurityGroupID: sg.Id(), TargetGroupArn: tg.Arn(), TargetGroupArnSuffix: tg.ArnSuffix(), Listener: listener}, nil
}
