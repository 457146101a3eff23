package dns

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
)

// AliasRecordsProps configures AliasRecords.
type AliasRecordsProps struct {
	// Env is the Route 53 provider's.
	Env awsenv.Env
	// ZoneID is the public hosted zone (literal or token); ZoneName its
	// domain, which every name must be in.
	ZoneID   *string
	ZoneName string
	// Names are the record names, such as shop.example.com or
	// *.example.com.
	Names []string
	// TargetDomainName and TargetZoneID are the alias target's: for a
	// CloudFront distribution its domain_name and hosted_zone_id.
	TargetDomainName, TargetZoneID *string
}

// Validate returns every problem in p at once.
func (p AliasRecordsProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if p.ZoneID == nil || p.ZoneName == "" {
		errs = append(errs, errors.New("ZoneID and ZoneName: required"))
	}
	if p.TargetDomainName == nil || p.TargetZoneID == nil {
		errs = append(errs, errors.New("TargetDomainName and TargetZoneID: required"))
	}
	for _, n := range p.Names {
		if !InZone(n, p.ZoneName) {
			errs = append(errs, fmt.Errorf("Names: %q is not in the zone %s", n, p.ZoneName))
		}
	}
	return errors.Join(errs...)
}

// InZone reports whether name is zone itself or a name under it.
func InZone(name, zone string) bool {
	name, zone = strings.TrimSuffix(strings.ToLower(name), "."), strings.TrimSuffix(strings.ToLower(zone), ".")
	return zone != "" && (name == zone || strings.HasSuffix(name, "."+zone))
}

// AliasRecords is an A and an AAAA alias record per name, pointing at the
// target. Route 53 answers alias queries to a CloudFront distribution at no
// charge and follows the distribution's addresses (Route 53 Developer
// Guide, "Choosing between alias and non-alias records"). Target health is
// not evaluated: Route 53 does not allow it for a CloudFront target
// (API Reference, AliasTarget, EvaluateTargetHealth).
type AliasRecords struct {
	constructs.Construct
	// Records are the A and AAAA records, two per name in order.
	Records []route53record.Route53Record
}

// NewAliasRecords adds the records, or returns the props' problems.
func NewAliasRecords(scope constructs.Construct, id string, p AliasRecordsProps) (*AliasRecords, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	out := &AliasRecords{Construct: c}
	for i, name := range p.Names {
		// IPv6 too: the distribution has it on (edge.FailoverDistribution).
		for _, typ := range []string{"A", "AAAA"} {
			out.Records = append(out.Records, route53record.NewRoute53Record(c, jsii.String(fmt.Sprintf("%d-%s", i, typ)), &route53record.Route53RecordConfig{
				Provider: p.Env.Provider,
				ZoneId:   p.ZoneID,
				Name:     jsii.String(name),
				Type:     jsii.String(typ),
				Alias: &route53record.Route53RecordAlias{
					Name:                 p.TargetDomainName,
					ZoneId:               p.TargetZoneID,
					EvaluateTargetHealth: jsii.Bool(false),
				},
			}))
		}
	}
	return out, nil
}
