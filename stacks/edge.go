package stacks

import (
	"fmt"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/dns"
	"github.com/pilotlight/pilotlight/constructs/edge"
)

// EdgeStackConfig is what the EdgeStack is built from.
type EdgeStackConfig struct {
	App config.Config
	// Regions supply the origins; their load balancers' names reach this
	// stack as remote state.
	Regions []*RegionalStack
}

// EdgeStack is the CloudFront distribution in front of the regions. It is
// deployed last, after the regions whose load balancers it fronts.
type EdgeStack struct {
	// Stack is the cdktf stack; Name its name in cdktf.out.
	Stack        cdktf.TerraformStack
	Name         string
	Distribution *edge.FailoverDistribution
	// FailoverName, with dns set, is the Route 53 name CloudFront reaches
	// the active region by.
	FailoverName *dns.FailoverName
}

// NewEdgeStack adds the edge stack to scope.
func NewEdgeStack(scope constructs.Construct, cfg EdgeStackConfig) (*EdgeStack, error) {
	app := cfg.App
	names := app.Names()
	name := names.EdgeStack()
	if err := app.Validate(); err != nil {
		return nil, err
	}
	for _, r := range []string{app.ActiveRegion, app.StandbyRegion()} {
		if !slices.ContainsFunc(cfg.Regions, func(s *RegionalStack) bool { return s != nil && s.Region == r && s.LoadBalancer != nil }) {
			return nil, fmt.Errorf("stack %s: needs the regional stack of %s (NewRegionalStack), whose load balancer is an origin", name, r)
		}
	}
	stack, env, err := newStack(scope, name, app, GlobalRegion, Global)
	if err != nil {
		return nil, err
	}
	origin := func(region string) edge.Origin {
		for _, r := range cfg.Regions {
			if r.Region == region {
				if o, ok := app.Edge.Origins[region]; ok {
					return edge.Origin{ID: region, DomainName: jsii.String(o.Domain), HTTPS: true}
				}
				return edge.Origin{ID: region, DomainName: r.LoadBalancer.DNSName}
			}
		}
		return edge.Origin{ID: region}
	}
	active, standby := origin(app.ActiveRegion), origin(app.StandbyRegion())
	var failover *dns.FailoverName
	var zoneID *string
	if app.DNS.Enabled() {
		zoneID = hostedZoneID(stack, env, app.DNS)
		var err error
		if failover, err = newFailoverName(stack, env, app, zoneID, cfg.Regions); err != nil {
			return nil, fmt.Errorf("stack %s: %w", name, err)
		}
		// Writes, and the origin group's first try, go to the failover name:
		// Route 53 moves it, so a switch needs no CloudFront change.
		active = edge.Origin{ID: app.DNS.Name, DomainName: failover.Fqdn, HTTPS: true}
	}
	dist, err := edge.NewFailoverDistribution(stack, "cdn", edge.FailoverDistributionProps{
		Env:                 env,
		Comment:             fmt.Sprintf("%s: %s active, %s standby", names.Prefix(), app.ActiveRegion, app.StandbyRegion()),
		Active:              active,
		Standby:             standby,
		ApiPathPattern:      app.Edge.ApiPathPattern,
		FailoverStatusCodes: app.Edge.FailoverStatusCodes,
		PriceClass:          app.Edge.PriceClass,
		CertificateArn:      app.Edge.CertificateArn,
		Aliases:             app.Edge.Aliases,
		LogBucket:           app.Edge.LogBucket,
		WebAclArn:           app.Edge.WebAclArn,
	})
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", name, err)
	}
	// With dns, the aliases in its zone get their records here; any other
	// alias is the user's to point at the distribution (docs/traffic.md).
	if app.DNS.Enabled() {
		var inZone []string
		for _, a := range app.Edge.Aliases {
			if dns.InZone(a, app.DNS.ZoneName) {
				inZone = append(inZone, a)
			}
		}
		if len(inZone) > 0 {
			if _, err := dns.NewAliasRecords(stack, "aliases", dns.AliasRecordsProps{
				Env: env, ZoneID: zoneID, ZoneName: app.DNS.ZoneName, Names: inZone,
				TargetDomainName: dist.DomainName, TargetZoneID: dist.HostedZoneID,
			}); err != nil {
				return nil, fmt.Errorf("stack %s: %w", name, err)
			}
		}
	}
	cdktf.NewTerraformOutput(stack, jsii.String("url"), &cdktf.TerraformOutputConfig{
		Value:       "https://" + *dist.DomainName,
		Description: jsii.String("The system's address; CloudFront fails over between regions behind it"),
	})
	return &EdgeStack{Stack: stack, Name: name, Distribution: dist, FailoverName: failover}, nil
}

// newFailoverName adds the Route 53 failover name in front of the active
// and standby regions' load balancers, switched by the standby's switch object.
func newFailoverName(stack cdktf.TerraformStack, env awsenv.Env, app config.Config, zoneID *string, regions []*RegionalStack) (*dns.FailoverName, error) {
	props := dns.FailoverNameProps{
		Env:                 env,
		ZoneID:              zoneID,
		ZoneName:            app.DNS.ZoneName,
		Name:                app.DNS.Name,
		TTL:                 app.DNS.TTL,
		HealthCheckInterval: app.DNS.HealthCheckInterval,
		FailureThreshold:    app.DNS.FailureThreshold,
		HealthCheckPath:     app.Service.HealthCheckPath,
	}
	for _, r := range regions {
		e := dns.Endpoint{Region: r.Region, Domain: app.Edge.Origins[r.Region].Domain, Target: r.LoadBalancer.DNSName}
		switch r.Region {
		case app.ActiveRegion:
			props.Active = e
		case app.StandbyRegion():
			props.Standby = e
			props.Switch = r.TrafficSwitch
		default:
			props.Others = append(props.Others, e)
		}
	}
	return dns.NewFailoverName(stack, "failover-name", props)
}
