// Package awsenv holds the AWS partitions and regions the app deploys to,
// and the checks of values tied to a region (a region name, an ACM
// certificate's ARN). It is the jsii-free half of constructs/awsenv (see
// package spec).
package awsenv

import (
	"fmt"
	"slices"
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
)

// PartitionOf returns the AWS partition that region belongs to: the one
// Regions lists it under, or, for a region not listed, the one its prefix
// says.
func PartitionOf(region string) string {
	for p, regions := range Regions {
		if slices.Contains(regions, region) {
			return p
		}
	}
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	}
	return "aws"
}

// ValidateCertificateArn reports whether arn is an ACM certificate in region:
// arn:PARTITION:acm:REGION:ACCOUNT:certificate/ID (Service Authorization
// Reference, AWS Certificate Manager, resource type certificate), parsed
// with aws-sdk-go-v2's aws/arn. A load balancer uses certificates from its
// own region only, CloudFront from us-east-1 only. It judges literals:
// callers that accept a token (IsToken) leave it to
// Terraform.
func ValidateCertificateArn(arn, region string) error {
	a, err := awsarn.Parse(arn)
	if err != nil {
		return fmt.Errorf("%q is not an ARN: give an ACM certificate's ARN (arn:aws:acm:%s:ACCOUNT:certificate/ID)", arn, region)
	}
	id, isCert := strings.CutPrefix(a.Resource, "certificate/")
	switch {
	case a.Service != "acm" || !isCert || id == "" || strings.Contains(id, "/"):
		return fmt.Errorf("%q is not an ACM certificate (arn:aws:acm:%s:ACCOUNT:certificate/ID)", arn, region)
	case len(a.AccountID) != 12 || strings.Trim(a.AccountID, "0123456789") != "":
		return fmt.Errorf("%q: the account id %q is not 12 digits", arn, a.AccountID)
	case a.Region != region:
		return fmt.Errorf("%q is a certificate in %s; it must be in %s", arn, a.Region, region)
	}
	return nil
}
