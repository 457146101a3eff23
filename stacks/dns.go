package stacks

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsroute53zone"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/dns"
	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
)

// hostedZoneID is the dns block's zone: the id given, or a lookup by name
// (a Route 53 control-plane read, so only the global and edge stacks call it).
func hostedZoneID(stack cdktf.TerraformStack, env awsenv.Env, d config.DNS) *string {
	if d.ZoneId != "" {
		return jsii.String(d.ZoneId)
	}
	zone := dataawsroute53zone.NewDataAwsRoute53Zone(stack, jsii.String("zone"), &dataawsroute53zone.DataAwsRoute53ZoneConfig{
		Provider:    env.Provider,
		Name:        jsii.String(d.ZoneName),
		PrivateZone: jsii.Bool(false),
	})
	return zone.ZoneId()
}

// originCertificates creates, in the global stack, an ACM certificate in
// each region whose origin has none configured, covering the region's
// origin name and the failover name, validated in the zone. The global
// stack is deployed before the regions, whose load balancers use them.
func originCertificates(stack cdktf.TerraformStack, name string, env awsenv.Env, app config.Config) (map[string]*dns.Certificate, error) {
	certs := map[string]*dns.Certificate{}
	if !app.DNS.Enabled() {
		return certs, nil
	}
	var zone *string
	for _, region := range app.Regions() {
		o := app.Edge.Origins[region]
		if o.CertificateArn != "" {
			continue
		}
		if zone == nil {
			zone = hostedZoneID(stack, env, app.DNS)
		}
		p := newProvider(stack, "aws-"+region, "certificates-"+region, region, name, Global, app)
		regional := awsenv.Env{Provider: p, Region: region, Partition: awsenvspec.PartitionOf(region), AccountID: env.AccountID}
		cert, err := dns.NewCertificate(stack, "certificate-"+region, dns.CertificateProps{
			Env: regional, ZoneEnv: env, ZoneID: zone, ZoneName: app.DNS.ZoneName,
			DomainName: app.DNS.Name, SubjectAlternativeNames: []string{o.Domain},
		})
		if err != nil {
			return nil, err
		}
		certs[region] = cert
	}
	return certs, nil
}
