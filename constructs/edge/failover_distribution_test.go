package edge_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/edge"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func distributionProps(region string) edge.FailoverDistributionProps {
	_, env := synthtest.NewStack(region)
	return edge.FailoverDistributionProps{
		Env: env, Comment: "test",
		Active:              edge.Origin{ID: "us-east-1", DomainName: jsii.String("a.elb.amazonaws.com")},
		Standby:             edge.Origin{ID: "us-west-2", DomainName: jsii.String("b.elb.amazonaws.com")},
		ApiPathPattern:      "/api/*",
		FailoverStatusCodes: []int{500, 502, 503, 504},
		PriceClass:          "PriceClass_100",
	}
}

func synthDistribution(t *testing.T, mutate func(*edge.FailoverDistributionProps)) synthtest.Object {
	t.Helper()
	stack, env := synthtest.NewStack("us-east-1")
	p := distributionProps("us-east-1")
	p.Env = env
	if mutate != nil {
		mutate(&p)
	}
	if _, err := edge.NewFailoverDistribution(stack, "cdn", p); err != nil {
		t.Fatal(err)
	}
	return synthtest.Synth(t, stack).Resource(t, "aws_cloudfront_distribution")
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestOriginGroupFailsOverFromActiveToStandby(t *testing.T) {
	d := synthDistribution(t, nil)
	// cloudfront_distribution origin_group: exactly two members, the first
	// is the primary.
	members := synthtest.Get(d, "origin_group.0.member").([]any)
	if len(members) != 2 || synthtest.Get(members[0], "origin_id") != "us-east-1" || synthtest.Get(members[1], "origin_id") != "us-west-2" {
		t.Errorf("members = %v", members)
	}
	codes := synthtest.Get(d, "origin_group.0.failover_criteria.status_codes").([]any)
	if len(codes) != 4 {
		t.Errorf("status codes = %v", codes)
	}
	def := d["default_cache_behavior"].(map[string]any)
	if def["target_origin_id"] != synthtest.Get(d, "origin_group.0.origin_id") {
		t.Errorf("default behaviour targets %v, want the origin group", def["target_origin_id"])
	}
	// A behaviour that targets an origin group may allow only GET, HEAD
	// (and OPTIONS); CloudFront refuses POST, PUT, PATCH or DELETE there.
	if m := strs(def["allowed_methods"]); slices.ContainsFunc(m, func(x string) bool { return !slices.Contains([]string{"GET", "HEAD", "OPTIONS"}, x) }) {
		t.Errorf("origin group behaviour allows %v", m)
	}
	if def["viewer_protocol_policy"] != "redirect-to-https" || def["cache_policy_id"] == nil || def["forwarded_values"] != nil {
		t.Errorf("default behaviour = %v", def)
	}
	api := synthtest.Get(d, "ordered_cache_behavior.0").(map[string]any)
	if api["path_pattern"] != "/api/*" || api["target_origin_id"] != "us-east-1" || len(strs(api["allowed_methods"])) != 7 {
		t.Errorf("API behaviour = %v", api)
	}
	for _, o := range d["origin"].([]any) {
		if p := synthtest.Get(o, "custom_origin_config.origin_ssl_protocols"); !slices.Equal(strs(p), []string{"TLSv1.2"}) {
			t.Errorf("origin TLS = %v", p)
		}
	}
	if synthtest.Get(d, "restrictions.geo_restriction.restriction_type") != "none" {
		t.Error("restrictions block is required")
	}
	if synthtest.Get(d, "viewer_certificate.cloudfront_default_certificate") != true {
		t.Error("without a certificate the default one is used")
	}
}

func TestCustomDomainUsesModernTLS(t *testing.T) {
	d := synthDistribution(t, func(p *edge.FailoverDistributionProps) {
		p.CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0b7f5f2c-9d6c"
		p.Aliases = []string{"shop.example.com"}
	})
	vc := d["viewer_certificate"].(map[string]any)
	if vc["minimum_protocol_version"] != "TLSv1.2_2021" || vc["ssl_support_method"] != "sni-only" || vc["cloudfront_default_certificate"] != nil {
		t.Errorf("viewer certificate = %v", vc)
	}
	if !slices.Equal(strs(d["aliases"]), []string{"shop.example.com"}) {
		t.Errorf("aliases = %v", d["aliases"])
	}
}

func TestDistributionRefusesBadProps(t *testing.T) {
	p := distributionProps("eu-west-1")
	p.Standby.ID = p.Active.ID
	p.FailoverStatusCodes = []int{501}
	p.PriceClass = "cheap"
	p.CertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/x"
	p.ApiPathPattern = "api"
	err := p.Validate()
	for _, want := range []string{"CloudFront is managed from us-east-1", "two different origin IDs", "501", "PriceClass", "CertificateArn", "ApiPathPattern"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	p = distributionProps("us-east-1")
	p.Aliases = []string{"shop.example.com"}
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "Aliases: need a CertificateArn") {
		t.Errorf("aliases without certificate: %v", err)
	}
}

// CloudFront in front of two regions' load balancers.
func ExampleNewFailoverDistribution() {
	stack, env := synthtest.NewStack("us-east-1")
	dist, err := edge.NewFailoverDistribution(stack, "cdn", edge.FailoverDistributionProps{
		Env:                 env,
		Comment:             "shop-prod",
		Active:              edge.Origin{ID: "eu-west-1", DomainName: jsii.String("shop-prod-1.eu-west-1.elb.amazonaws.com")},
		Standby:             edge.Origin{ID: "eu-central-1", DomainName: jsii.String("shop-prod-2.eu-central-1.elb.amazonaws.com")},
		ApiPathPattern:      "/api/*",
		FailoverStatusCodes: []int{500, 502, 503, 504},
		PriceClass:          "PriceClass_100",
	})
	fmt.Println(dist != nil, err)
	// Output: true <nil>
}

// A certificate and a web ACL made in the same app reach the distribution
// as tokens: taken as they are, where literals are checked.
func TestTokensAreAccepted(t *testing.T) {
	d := synthDistribution(t, func(p *edge.FailoverDistributionProps) {
		p.CertificateArn = *cdktf.Token_AsString(cdktf.Fn_Lower(jsii.String("CERT")), nil)
		p.Aliases = []string{"shop.example.com"}
		p.WebAclArn = *cdktf.Token_AsString(cdktf.Fn_Lower(jsii.String("ACL")), nil)
	})
	if !strings.Contains(synthtest.Get(d, "viewer_certificate.acm_certificate_arn").(string), "lower") || !strings.Contains(d["web_acl_id"].(string), "lower") {
		t.Errorf("tokens not passed through: %v %v", d["viewer_certificate"], d["web_acl_id"])
	}
	p := distributionProps("us-east-1")
	p.CertificateArn, p.Aliases, p.WebAclArn = "arn:aws:acm:eu-west-1:123456789012:certificate/x", []string{"a.example.com"}, "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "CertificateArn") || !strings.Contains(err.Error(), "WebAclArn") {
		t.Errorf("literal ARNs in the wrong region accepted: %v", err)
	}
}
