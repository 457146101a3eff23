package dns

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificate"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/acmcertificatevalidation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53record"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	dnsspec "github.com/pilotlight/pilotlight/spec/dns"
)

// CertificateProps configures a Certificate.
type CertificateProps struct {
	// Env is where the certificate is issued: the region of the load
	// balancer that will use it.
	Env awsenv.Env
	// ZoneEnv is the Route 53 provider's, for the validation records.
	ZoneEnv awsenv.Env
	// ZoneID is the public hosted zone (literal or token) that every name is
	// in; ZoneName its domain.
	ZoneID   *string
	ZoneName string
	// DomainName and SubjectAlternativeNames are the names the certificate
	// covers (no wildcards).
	DomainName              string
	SubjectAlternativeNames []string
}

// Certificate is an ACM certificate validated through DNS records in a
// Route 53 zone. Arn is only known once ACM has issued it, so a listener
// that uses it waits for validation.
type Certificate struct {
	constructs.Construct
	// Arn is the issued certificate's ARN.
	Arn *string
	// Region is where it was issued.
	Region string
}

// Validate returns every problem in p at once.
func (p CertificateProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil || p.ZoneEnv.Provider == nil {
		errs = append(errs, errors.New("Env and ZoneEnv: set both with awsenv.New (the certificate's region, and Route 53's)"))
	}
	if err := zoneIDProp(p.ZoneID); err != nil {
		errs = append(errs, err)
	}
	if len(p.DomainName) > dnsspec.MaxCommonName {
		errs = append(errs, fmt.Errorf("DomainName %q: %d characters; ACM takes at most %d for the first name, the certificate's common name (RFC 5280); put the longer name in SubjectAlternativeNames", p.DomainName, len(p.DomainName), dnsspec.MaxCommonName))
	}
	for i, name := range append([]string{p.DomainName}, p.SubjectAlternativeNames...) {
		field := "DomainName"
		if i > 0 {
			field = fmt.Sprintf("SubjectAlternativeNames[%d]", i-1)
		}
		if err := dnsspec.ValidateDomainName(name); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		} else if name != p.ZoneName {
			if err := dnsspec.ValidateNameInZone(name, p.ZoneName); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", field, err))
			}
		}
	}
	return errors.Join(errs...)
}

// NewCertificate adds the certificate, its validation records and the
// wait for its issue to scope.
func NewCertificate(scope constructs.Construct, id string, props CertificateProps) (*Certificate, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("dns.Certificate %s: %w", id, err)
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	cert := acmcertificate.NewAcmCertificate(c, jsii.String("certificate"), &acmcertificate.AcmCertificateConfig{
		Provider:                props.Env.Provider,
		DomainName:              jsii.String(props.DomainName),
		SubjectAlternativeNames: jsii.Strings(props.SubjectAlternativeNames...),
		ValidationMethod:        jsii.String("DNS"),
		KeyAlgorithm:            jsii.String("RSA_2048"),
		// A listener holds the certificate: the replacement must exist
		// before the old one is deleted (provider docs, aws_acm_certificate).
		Lifecycle: &cdktf.TerraformResourceLifecycle{CreateBeforeDestroy: jsii.Bool(true)},
	})
	// One record per name, keyed by the name (known at plan) rather than
	// by iterating domain_validation_options: that set holds values only
	// known after the certificate exists, and Terraform cannot plan a
	// for_each whose keys come from it.
	var fqdns []*string
	for i, name := range append([]string{props.DomainName}, props.SubjectAlternativeNames...) {
		option := func(attr string) *string {
			return jsii.String(fmt.Sprintf("${{ for o in %s.domain_validation_options : o.domain_name => o }[%q].%s}", *cert.Fqn(), name, attr))
		}
		record := route53record.NewRoute53Record(c, jsii.String(fmt.Sprintf("validation-%d", i)), &route53record.Route53RecordConfig{
			Provider: props.ZoneEnv.Provider,
			ZoneId:   props.ZoneID,
			Name:     option("resource_record_name"),
			Type:     option("resource_record_type"),
			Records:  &[]*string{option("resource_record_value")},
			Ttl:      jsii.Number(60),
			// ACM asks for the same record for a name in every region's
			// certificate; each certificate's resource may write it.
			AllowOverwrite: jsii.Bool(true),
		})
		fqdns = append(fqdns, record.Fqdn())
	}
	validation := acmcertificatevalidation.NewAcmCertificateValidation(c, jsii.String("validation-wait"), &acmcertificatevalidation.AcmCertificateValidationConfig{
		Provider:              props.Env.Provider,
		CertificateArn:        cert.Arn(),
		ValidationRecordFqdns: &fqdns,
	})
	return &Certificate{Construct: c, Arn: validation.CertificateArn(), Region: props.Env.Region}, nil
}
