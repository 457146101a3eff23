// Package edge provides the CloudFront distribution in front of the regional
// load balancers, which fails over from the active region to a standby on
// the data plane, per request, with no control-plane call.
package edge

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudfrontdistribution"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscloudfrontcachepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawscloudfrontoriginrequestpolicy"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
	edgespec "github.com/pilotlight/pilotlight/spec/edge"
)

// Managed policies, looked up by name so no opaque ids sit in the code.
const (
	CachingDisabledPolicy   = "Managed-CachingDisabled"
	AllViewerExceptHostHead = "Managed-AllViewerExceptHostHeader"
)

// Origin is one region's load balancer as seen by CloudFront.
type Origin struct {
	// ID names the origin in the distribution, such as the region name.
	ID         string
	DomainName *string
	// HTTPS makes CloudFront connect with TLS 1.2 (the origin must serve a
	// certificate for DomainName); otherwise it connects over HTTP.
	HTTPS bool
}

// FailoverDistributionProps configures a FailoverDistribution.
type FailoverDistributionProps struct {
	// Env must be in us-east-1, where CloudFront is managed.
	Env     awsenv.Env
	Comment string
	// Active receives all traffic; Standby serves GET, HEAD and OPTIONS when
	// Active answers one of edgespec.FailoverStatusCodes or cannot be reached.
	Active  Origin
	Standby Origin
	// ApiPathPattern routes every method to Active: origin groups only take
	// GET, HEAD and OPTIONS, so writes cannot go through one.
	ApiPathPattern      string
	FailoverStatusCodes []int
	PriceClass          string
	// CertificateArn (ACM, us-east-1; a literal is checked, a token such as
	// a certificate made in the same app is taken as is) and Aliases give
	// the distribution your domain with TLS 1.2 or newer; without them it
	// uses *.cloudfront.net.
	CertificateArn string
	Aliases        []string
	// LogBucket is the domain name of an S3 bucket for standard access logs,
	// such as logs-bucket.s3.amazonaws.com; empty: no logs.
	LogBucket string
	// WebAclArn is a WAFv2 web ACL (scope CLOUDFRONT; a literal or a token)
	// in front of the distribution; empty: none.
	WebAclArn string
}

// FailoverDistribution is a CloudFront distribution whose default behaviour
// targets an origin group (active, then standby region) and whose API path
// goes to the active region for all methods.
type FailoverDistribution struct {
	constructs.Construct
	ID         *string
	Arn        *string
	DomainName *string
	// HostedZoneID is CloudFront's Route 53 zone, an alias record's target
	// zone.
	HostedZoneID *string
}

// Validate returns every problem in p at once.
func (p FailoverDistributionProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	} else if p.Env.Region != "us-east-1" {
		errs = append(errs, fmt.Errorf("Env: region %s; CloudFront is managed from us-east-1", p.Env.Region))
	}
	if p.Active.ID == "" || p.Standby.ID == "" || p.Active.ID == p.Standby.ID {
		errs = append(errs, errors.New("Active and Standby: need two different origin IDs"))
	}
	if p.Active.DomainName == nil || p.Standby.DomainName == nil {
		errs = append(errs, errors.New("Active and Standby: need a DomainName"))
	}
	if err := edgespec.ValidateApiPathPattern(p.ApiPathPattern); err != nil {
		errs = append(errs, fmt.Errorf("ApiPathPattern: %w", err))
	}
	if err := edgespec.ValidateFailoverStatusCodes(p.FailoverStatusCodes); err != nil {
		errs = append(errs, fmt.Errorf("FailoverStatusCodes: %w", err))
	}
	if err := edgespec.ValidatePriceClass(p.PriceClass); err != nil {
		errs = append(errs, fmt.Errorf("PriceClass: %w", err))
	}
	if p.CertificateArn != "" && !awsenvspec.IsToken(p.CertificateArn) {
		if err := edgespec.ValidateCertificateArn(p.CertificateArn); err != nil {
			errs = append(errs, fmt.Errorf("CertificateArn: %w", err))
		}
	}
	if len(p.Aliases) > 0 && p.CertificateArn == "" {
		errs = append(errs, errors.New("Aliases: need a CertificateArn that covers them"))
	}
	if p.LogBucket != "" {
		if err := edgespec.ValidateLogBucket(p.LogBucket); err != nil {
			errs = append(errs, fmt.Errorf("LogBucket: %w", err))
		}
	}
	if p.WebAclArn != "" && !awsenvspec.IsToken(p.WebAclArn) {
		if err := edgespec.ValidateWebAclArn(p.WebAclArn); err != nil {
			errs = append(errs, fmt.Errorf("WebAclArn: %w", err))
		}
	}
	for _, a := range p.Aliases {
		if err := edgespec.ValidateAlias(a); err != nil {
			errs = append(errs, fmt.Errorf("Aliases: %w", err))
		}
	}
	return errors.Join(errs...)
}

// NewFailoverDistribution adds the distribution to scope.
func NewFailoverDistribution(scope constructs.Construct, id string, props FailoverDistributionProps) (*FailoverDistribution, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("edge.FailoverDistribution %s: %w", id, err)
	}
	env := props.Env
	c := constructs.NewConstruct(scope, jsii.String(id))
	noCache := dataawscloudfrontcachepolicy.NewDataAwsCloudfrontCachePolicy(c, jsii.String("caching-disabled"), &dataawscloudfrontcachepolicy.DataAwsCloudfrontCachePolicyConfig{
		Provider: env.Provider,
		Name:     jsii.String(CachingDisabledPolicy),
	})
	// The ALB is reached by its own name, so the viewer's Host header must
	// not be forwarded.
	forward := dataawscloudfrontoriginrequestpolicy.NewDataAwsCloudfrontOriginRequestPolicy(c, jsii.String("all-viewer-except-host"), &dataawscloudfrontoriginrequestpolicy.DataAwsCloudfrontOriginRequestPolicyConfig{
		Provider: env.Provider,
		Name:     jsii.String(AllViewerExceptHostHead),
	})

	origin := func(o Origin) *cloudfrontdistribution.CloudfrontDistributionOrigin {
		policy := "http-only"
		if o.HTTPS {
			policy = "https-only"
		}
		return &cloudfrontdistribution.CloudfrontDistributionOrigin{
			OriginId:   jsii.String(o.ID),
			DomainName: o.DomainName,
			CustomOriginConfig: &cloudfrontdistribution.CloudfrontDistributionOriginCustomOriginConfig{
				HttpPort:  jsii.Number(80),
				HttpsPort: jsii.Number(443),
				// Without a certificate of its own the ALB listens on HTTP;
				// its security group admits CloudFront alone either way.
				OriginProtocolPolicy:   jsii.String(policy),
				OriginSslProtocols:     jsii.Strings("TLSv1.2"),
				OriginReadTimeout:      jsii.Number(30),
				OriginKeepaliveTimeout: jsii.Number(5),
			},
		}
	}
	groupID := "failover"
	var codes []*float64
	for _, code := range props.FailoverStatusCodes {
		codes = append(codes, jsii.Number(code))
	}
	certificate := &cloudfrontdistribution.CloudfrontDistributionViewerCertificate{CloudfrontDefaultCertificate: jsii.Bool(true)}
	if props.CertificateArn != "" {
		certificate = &cloudfrontdistribution.CloudfrontDistributionViewerCertificate{
			AcmCertificateArn:      jsii.String(props.CertificateArn),
			SslSupportMethod:       jsii.String("sni-only"),
			MinimumProtocolVersion: jsii.String("TLSv1.2_2021"),
		}
	}
	var logging *cloudfrontdistribution.CloudfrontDistributionLoggingConfig
	if props.LogBucket != "" {
		logging = &cloudfrontdistribution.CloudfrontDistributionLoggingConfig{Bucket: jsii.String(props.LogBucket), Prefix: jsii.String("cloudfront/"), IncludeCookies: jsii.Bool(false)}
	}
	readMethods := jsii.Strings("GET", "HEAD", "OPTIONS")
	cached := jsii.Strings("GET", "HEAD")
	dist := cloudfrontdistribution.NewCloudfrontDistribution(c, jsii.String("distribution"), &cloudfrontdistribution.CloudfrontDistributionConfig{
		Provider:      env.Provider,
		Enabled:       jsii.Bool(true),
		Comment:       jsii.String(props.Comment),
		HttpVersion:   jsii.String("http2and3"),
		IsIpv6Enabled: jsii.Bool(true),
		PriceClass:    jsii.String(props.PriceClass),
		Aliases:       jsii.Strings(props.Aliases...),
		Origin:        []*cloudfrontdistribution.CloudfrontDistributionOrigin{origin(props.Active), origin(props.Standby)},
		OriginGroup: []*cloudfrontdistribution.CloudfrontDistributionOriginGroup{{
			OriginId: jsii.String(groupID),
			FailoverCriteria: &cloudfrontdistribution.CloudfrontDistributionOriginGroupFailoverCriteria{
				StatusCodes: &codes,
			},
			Member: []*cloudfrontdistribution.CloudfrontDistributionOriginGroupMember{
				{OriginId: jsii.String(props.Active.ID)},
				{OriginId: jsii.String(props.Standby.ID)},
			},
		}},
		DefaultCacheBehavior: &cloudfrontdistribution.CloudfrontDistributionDefaultCacheBehavior{
			TargetOriginId:        jsii.String(groupID),
			ViewerProtocolPolicy:  jsii.String("redirect-to-https"),
			AllowedMethods:        readMethods,
			CachedMethods:         cached,
			CachePolicyId:         noCache.Id(),
			OriginRequestPolicyId: forward.Id(),
			Compress:              jsii.Bool(true),
		},
		OrderedCacheBehavior: []*cloudfrontdistribution.CloudfrontDistributionOrderedCacheBehavior{{
			PathPattern:           jsii.String(props.ApiPathPattern),
			TargetOriginId:        jsii.String(props.Active.ID),
			ViewerProtocolPolicy:  jsii.String("https-only"),
			AllowedMethods:        jsii.Strings("GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"),
			CachedMethods:         cached,
			CachePolicyId:         noCache.Id(),
			OriginRequestPolicyId: forward.Id(),
			Compress:              jsii.Bool(true),
		}},
		Restrictions: &cloudfrontdistribution.CloudfrontDistributionRestrictions{
			GeoRestriction: &cloudfrontdistribution.CloudfrontDistributionRestrictionsGeoRestriction{
				RestrictionType: jsii.String("none"),
			},
		},
		ViewerCertificate: certificate,
		LoggingConfig:     logging,
		WebAclId:          optional(props.WebAclArn),
	})
	return &FailoverDistribution{Construct: c, ID: dist.Id(), Arn: dist.Arn(), DomainName: dist.DomainName(), HostedZoneID: dist.HostedZoneId()}, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}
