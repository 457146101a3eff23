// Package edge holds what CloudFront accepts for the failover distribution:
// the status codes it fails over on, price classes, aliases, the us-east-1
// certificate and web ACL, the API path and the log bucket. It is the
// jsii-free half of constructs/edge (see package spec).
package edge

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pilotlight/pilotlight/spec/awsenv"
)

// FailoverStatusCodes lists the origin status codes CloudFront can fail over
// on: the codes an origin group's failover criteria offer (CloudFront
// console, origin group settings; CloudFront API Reference,
// OriginGroupFailoverCriteria, StatusCodes). CloudFront fails a request
// over only on a configured 4xx or 5xx (CloudFront Developer Guide,
// "Request and response behavior for origin groups").
var FailoverStatusCodes = []int{400, 403, 404, 416, 500, 502, 503, 504}

// PriceClasses lists CloudFront's price classes: which edge locations
// serve the distribution (CloudFront API Reference, DistributionConfig,
// PriceClass; "Choosing the price class for a CloudFront distribution").
var PriceClasses = []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}

var (
	aliasPattern = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// ValidateCertificateArn reports whether arn is an ACM certificate in
// us-east-1, the only region CloudFront takes certificates from.
func ValidateCertificateArn(arn string) error {
	if err := awsenv.ValidateCertificateArn(arn, "us-east-1"); err != nil {
		return fmt.Errorf("%w (CloudFront uses certificates from us-east-1 only)", err)
	}
	return nil
}

// ValidateAlias reports whether alias is a name CloudFront can serve: a
// lower-case domain name, or a wildcard (*.example.com), without a
// trailing dot.
func ValidateAlias(alias string) error {
	if !aliasPattern.MatchString(alias) {
		return fmt.Errorf("%q is not a lower-case domain name such as shop.example.com or *.example.com (no trailing dot)", alias)
	}
	return nil
}

var webAclPattern = regexp.MustCompile(`^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global/webacl/.+$`)

// ValidateWebAclArn reports whether arn is a WAFv2 web ACL that CloudFront
// can use (scope CLOUDFRONT, which lives in us-east-1).
func ValidateWebAclArn(arn string) error {
	if !webAclPattern.MatchString(arn) {
		return fmt.Errorf("%q is not a WAFv2 web ACL ARN with scope CLOUDFRONT (arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID)", arn)
	}
	return nil
}

// ValidatePriceClass reports whether class is a CloudFront price class.
func ValidatePriceClass(class string) error {
	if !slices.Contains(PriceClasses, class) {
		return fmt.Errorf("%q: use one of %s", class, strings.Join(PriceClasses, ", "))
	}
	return nil
}

// ValidateApiPathPattern reports whether pattern can route the API path.
func ValidateApiPathPattern(pattern string) error {
	if !strings.HasPrefix(pattern, "/") {
		return fmt.Errorf("%q must start with /, such as /api/*", pattern)
	}
	return nil
}

// ValidateLogBucket reports whether bucket is given as CloudFront logging
// takes it: the bucket's domain name.
func ValidateLogBucket(bucket string) error {
	if !strings.HasSuffix(bucket, ".s3.amazonaws.com") {
		return fmt.Errorf("%q: give the bucket's domain name, BUCKET.s3.amazonaws.com", bucket)
	}
	return nil
}

// ValidateFailoverStatusCodes reports whether codes are ones CloudFront fails over on.
func ValidateFailoverStatusCodes(codes []int) error {
	if len(codes) == 0 {
		return fmt.Errorf("none given; use some of %v", FailoverStatusCodes)
	}
	for _, code := range codes {
		if !slices.Contains(FailoverStatusCodes, code) {
			return fmt.Errorf("%d is not a status code CloudFront fails over on; use some of %v", code, FailoverStatusCodes)
		}
	}
	return nil
}
