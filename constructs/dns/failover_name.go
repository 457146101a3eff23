package dns

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53healthcheck"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	dnsspec "github.com/pilotlight/pilotlight/spec/dns"
)

// Endpoint is one region's load balancer as DNS names it.
type Endpoint struct {
	Region string
	// Domain is the region's own name in the zone (such as
	// us-east-1.origin.example.com): FailoverName points it at Target, and
	// Route 53 health checkers request https://Domain/HealthCheckPath.
	Domain string
	// Target is the load balancer's DNS name (a token from its stack).
	Target *string
}

// FailoverNameProps configures a FailoverName. Zero values take the
// defaults noted.
type FailoverNameProps struct {
	// Env is the Route 53 provider's (Route 53 is managed from us-east-1).
	Env awsenv.Env
	// ZoneID is the public hosted zone's id (literal or token); ZoneName its
	// domain, which Name and every endpoint's Domain must be inside.
	ZoneID   *string
	ZoneName string
	// Name is the failover name, such as origin.example.com.
	Name string
	// TTL of every record, in seconds. Default 60.
	TTL int
	// HealthCheckInterval (10 or 30 s, default 10) and FailureThreshold (1 to
	// 10, default 3) set how soon Route 53 declares an endpoint unhealthy.
	HealthCheckInterval int
	FailureThreshold    int
	// HealthCheckPath is requested over HTTPS on port 443. Default "/".
	HealthCheckPath string
	// Active gets the PRIMARY record and Standby the SECONDARY; Others (a
	// second failover region) get only their regional names.
	Active  Endpoint
	Standby Endpoint
	Others  []Endpoint
	// Switch is the standby region's TrafficSwitch: while its object exists
	// the PRIMARY record is unhealthy and Route 53 answers with the SECONDARY.
	Switch *TrafficSwitch
}

// FailoverName is a Route 53 failover name in front of two regions: a
// PRIMARY record for the active region, healthy while its endpoint answers
// and the standby's switch object is absent, and a SECONDARY record for the standby,
// healthy while its endpoint answers. Route 53 answers on its data plane,
// so the name moves with no control-plane call.
type FailoverName struct {
	constructs.Construct
	// Fqdn is the failover name.
	Fqdn *string
	// HealthCheckIDs: "switch" (inverted), "active" (switch and endpoint
	// together),
	// and one per region for its endpoint.
	HealthCheckIDs map[string]*string
	// TTL, HealthCheckInterval and FailureThreshold as applied (defaults
	// filled in), for RTO arithmetic.
	TTL, HealthCheckInterval, FailureThreshold int
}

func (p FailoverNameProps) withDefaults() FailoverNameProps {
	if p.TTL == 0 {
		p.TTL = dnsspec.DefaultTTL
	}
	if p.HealthCheckInterval == 0 {
		p.HealthCheckInterval = dnsspec.DefaultHealthCheckInterval
	}
	if p.FailureThreshold == 0 {
		p.FailureThreshold = dnsspec.DefaultFailureThreshold
	}
	if p.HealthCheckPath == "" {
		p.HealthCheckPath = "/"
	}
	return p
}

// Validate returns every problem in p (defaults applied) at once.
func (p FailoverNameProps) Validate() error {
	p = p.withDefaults()
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if err := zoneIDProp(p.ZoneID); err != nil {
		errs = append(errs, err)
	}
	if err := dnsspec.ValidateDomainName(p.ZoneName); err != nil {
		errs = append(errs, fmt.Errorf("ZoneName: %w", err))
	}
	if err := dnsspec.ValidateHealthCheckPath(p.HealthCheckPath); err != nil {
		errs = append(errs, fmt.Errorf("HealthCheckPath: %w", err))
	}
	names := map[string]string{"Name": p.Name}
	regions := map[string]bool{}
	for i, e := range append([]Endpoint{p.Active, p.Standby}, p.Others...) {
		field := fmt.Sprintf("Others[%d]", i-2)
		switch i {
		case 0:
			field = "Active"
		case 1:
			field = "Standby"
		}
		if e.Region == "" || regions[e.Region] {
			errs = append(errs, fmt.Errorf("%s.Region: %q; every endpoint needs its own region", field, e.Region))
		}
		regions[e.Region] = true
		if e.Target == nil {
			errs = append(errs, fmt.Errorf("%s.Target: the load balancer's DNS name is required", field))
		}
		names[field+".Domain"] = e.Domain
	}
	seen := map[string]string{}
	for field, name := range names {
		if err := dnsspec.ValidateDomainName(name); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		} else if err := dnsspec.ValidateNameInZone(name, p.ZoneName); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
		if other, ok := seen[name]; ok {
			errs = append(errs, fmt.Errorf("%s and %s: both %q; each needs its own name", other, field, name))
		}
		seen[name] = field
	}
	if err := dnsspec.ValidateTTL(p.TTL); err != nil {
		errs = append(errs, fmt.Errorf("TTL: %w", err))
	}
	if err := dnsspec.ValidateHealthCheck(p.HealthCheckInterval, p.FailureThreshold); err != nil {
		errs = append(errs, fmt.Errorf("HealthCheckInterval/FailureThreshold: %w", err))
	}
	if p.Switch == nil {
		errs = append(errs, errors.New("Switch: the standby region's TrafficSwitch is required"))
	} else if p.Switch.Region != p.Standby.Region {
		errs = append(errs, fmt.Errorf("Switch: in %s, but it must live in the standby region %s, so flipping it needs only the region traffic moves to", p.Switch.Region, p.Standby.Region))
	}
	return errors.Join(errs...)
}

// NewFailoverName adds the health checks and records to scope.
func NewFailoverName(scope constructs.Construct, id string, props FailoverNameProps) (*FailoverName, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("dns.FailoverName %s: %w", id, err)
	}
	p := props.withDefaults()
	c := constructs.NewConstruct(scope, jsii.String(id))
	ttl := jsii.Number(p.TTL)
	tags := func(name string) *map[string]*string {
		return &map[string]*string{"Name": jsii.String(name)}
	}
	replaceFirst := &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)}
	checks := map[string]*string{}
	for _, e := range append([]Endpoint{p.Active, p.Standby}, p.Others...) {
		route53record.NewRoute53Record(c, jsii.String(e.Region), &route53record.Route53RecordConfig{
			Provider: p.Env.Provider,
			ZoneId:   p.ZoneID,
			Name:     jsii.String(e.Domain),
			Type:     jsii.String("CNAME"),
			Ttl:      ttl,
			Records:  &[]*string{e.Target},
		})
		if e.Region == p.Active.Region || e.Region == p.Standby.Region {
			hc := route53healthcheck.NewRoute53HealthCheck(c, jsii.String(e.Region+"-endpoint"), &route53healthcheck.Route53HealthCheckConfig{
				Provider:         p.Env.Provider,
				Type:             jsii.String("HTTPS"),
				Fqdn:             jsii.String(e.Domain),
				Port:             jsii.Number(443),
				ResourcePath:     jsii.String(p.HealthCheckPath),
				RequestInterval:  jsii.Number(p.HealthCheckInterval),
				FailureThreshold: jsii.Number(p.FailureThreshold),
				// The ALB's listener picks its certificate by SNI.
				EnableSni: jsii.Bool(true),
				Tags:      tags(e.Domain),
				// request_interval cannot change in place, and Route 53
				// refuses to delete a check a record still uses: the new one
				// must exist and be referenced before the old one goes.
				Lifecycle: replaceFirst,
			})
			checks[e.Region] = hc.Id()
		}
	}
	// The switch: an HTTPS check on the standby's switch object, inverted.
	// Present (200), the check is healthy and so, inverted, unhealthy: the
	// PRIMARY record's calculated check fails and Route 53 answers with the
	// SECONDARY. Absent (S3 answers 403 or 404), or the standby region or
	// its S3 dark (no answer), the check is unhealthy and so, inverted,
	// healthy: the PRIMARY answers while its endpoint does. Route 53
	// Developer Guide: "How Amazon Route 53 determines whether a health
	// check is healthy" (2xx or 3xx within the time limits is healthy),
	// "Inverting health checks".
	sw := route53healthcheck.NewRoute53HealthCheck(c, jsii.String("switch"), &route53healthcheck.Route53HealthCheckConfig{
		Provider:         p.Env.Provider,
		Type:             jsii.String("HTTPS"),
		Fqdn:             p.Switch.Domain,
		Port:             jsii.Number(443),
		ResourcePath:     jsii.String(p.Switch.ResourcePath),
		RequestInterval:  jsii.Number(p.HealthCheckInterval),
		FailureThreshold: jsii.Number(p.FailureThreshold),
		// S3 serves every bucket's virtual-hosted name on shared addresses
		// and picks the bucket by Host; SNI gets its certificate.
		EnableSni:         jsii.Bool(true),
		InvertHealthcheck: jsii.Bool(true),
		Tags:              tags(p.Name + " switch in " + p.Switch.Region),
		Lifecycle:         replaceFirst,
	})
	checks["switch"] = sw.Id()
	active := route53healthcheck.NewRoute53HealthCheck(c, jsii.String("active"), &route53healthcheck.Route53HealthCheckConfig{
		Provider:             p.Env.Provider,
		Type:                 jsii.String("CALCULATED"),
		ChildHealthchecks:    &[]*string{sw.Id(), checks[p.Active.Region]},
		ChildHealthThreshold: jsii.Number(2),
		Tags:                 tags(p.Name + " active " + p.Active.Region),
		Lifecycle:            replaceFirst,
	})
	checks["active"] = active.Id()
	for _, r := range []struct {
		role  string
		e     Endpoint
		check *string
	}{{"PRIMARY", p.Active, active.Id()}, {"SECONDARY", p.Standby, checks[p.Standby.Region]}} {
		route53record.NewRoute53Record(c, jsii.String(r.role), &route53record.Route53RecordConfig{
			Provider: p.Env.Provider,
			ZoneId:   p.ZoneID,
			Name:     jsii.String(p.Name),
			Type:     jsii.String("CNAME"),
			Ttl:      ttl,
			Records:  &[]*string{r.e.Target},
			// Named by role, not region, so a region switch updates both
			// records in place instead of replacing them (a replacement could
			// briefly hold two records with one identifier).
			SetIdentifier:         jsii.String(strings.ToLower(r.role)),
			FailoverRoutingPolicy: &route53record.Route53RecordFailoverRoutingPolicy{Type: jsii.String(r.role)},
			HealthCheckId:         r.check,
		})
	}
	return &FailoverName{Construct: c, Fqdn: jsii.String(p.Name), HealthCheckIDs: checks, TTL: p.TTL, HealthCheckInterval: p.HealthCheckInterval, FailureThreshold: p.FailureThreshold}, nil
}
