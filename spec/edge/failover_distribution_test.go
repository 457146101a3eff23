package edge_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/spec/edge"
)

// Each check takes what CloudFront takes and refuses the rest with the
// reason.
func TestValidators(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string // "" when the value is valid
	}{
		{"certificate", edge.ValidateCertificateArn("arn:aws:acm:us-east-1:123456789012:certificate/abc"), ""},
		{"regional certificate", edge.ValidateCertificateArn("arn:aws:acm:eu-west-1:123456789012:certificate/abc"), "from us-east-1 only"},
		{"web ACL", edge.ValidateWebAclArn("arn:aws:wafv2:us-east-1:123456789012:global/webacl/app/abc"), ""},
		{"regional web ACL", edge.ValidateWebAclArn("arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/app/abc"), "scope CLOUDFRONT"},
		{"alias", edge.ValidateAlias("shop.example.com"), ""},
		{"wildcard alias", edge.ValidateAlias("*.example.com"), ""},
		{"alias with a dot", edge.ValidateAlias("shop.example.com."), "no trailing dot"},
		{"price class", edge.ValidatePriceClass("PriceClass_100"), ""},
		{"price class", edge.ValidatePriceClass("PriceClass_50"), "PriceClass_100, PriceClass_200, PriceClass_All"},
		{"api path", edge.ValidateApiPathPattern("/api/*"), ""},
		{"api path", edge.ValidateApiPathPattern("api/*"), "must start with /"},
		{"log bucket", edge.ValidateLogBucket("logs.s3.amazonaws.com"), ""},
		{"log bucket name", edge.ValidateLogBucket("logs"), "BUCKET.s3.amazonaws.com"},
		{"status codes", edge.ValidateFailoverStatusCodes([]int{500, 502, 503, 504}), ""},
		{"no status codes", edge.ValidateFailoverStatusCodes(nil), "none given"},
		{"status code", edge.ValidateFailoverStatusCodes([]int{501}), "501 is not a status code"},
	} {
		switch {
		case tc.want == "" && tc.err != nil:
			t.Errorf("%s: refused: %v", tc.name, tc.err)
		case tc.want != "" && (tc.err == nil || !strings.Contains(tc.err.Error(), tc.want)):
			t.Errorf("%s: want an error saying %q, got %v", tc.name, tc.want, tc.err)
		}
	}
}
