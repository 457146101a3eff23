package awsenv

import (
	"strings"
	"testing"
)

func TestValidateRegion(t *testing.T) {
	for _, r := range []string{"us-east-1", "eu-central-2", "ap-southeast-5", "us-gov-west-1", "cn-north-1", "il-central-1", "mx-central-1"} {
		if err := ValidateRegion(r); err != nil {
			t.Errorf("%s refused: %v", r, err)
		}
	}
	for _, r := range []string{"", "us-east", "US-EAST-1", "useast1", "us-east-1a", "us_east_1"} {
		if err := ValidateRegion(r); err == nil {
			t.Errorf("%q accepted", r)
		}
	}
}

// A region shaped right that does not exist is refused with the real
// regions nearest to it.
func TestValidateRegionNamesTheNearest(t *testing.T) {
	for region, want := range map[string]string{
		"us-west-3":  "nearest real regions: us-west-1, us-west-2",
		"eu-north-2": "eu-north-1",
		"US-EAST-1":  "us-east-1",
	} {
		err := ValidateRegion(region)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error naming %q, got %v", region, want, err)
		}
	}
}

// Every listed region belongs to the partition it is listed under, as
// PartitionOf says (ARNs are built with it).
func TestRegionsAndPartitionsAgree(t *testing.T) {
	seen := map[string]bool{}
	for partition, regions := range Regions {
		for _, r := range regions {
			if seen[r] {
				t.Errorf("%s listed twice", r)
			}
			seen[r] = true
			if got := PartitionOf(r); got != partition {
				t.Errorf("PartitionOf(%s) = %s, listed under %s", r, got, partition)
			}
		}
	}
	if len(seen) < 38 {
		t.Errorf("only %d regions listed", len(seen))
	}
}

func TestPartitionOf(t *testing.T) {
	for region, want := range map[string]string{"us-east-1": "aws", "cn-northwest-1": "aws-cn", "us-gov-east-1": "aws-us-gov", "eu-west-1": "aws"} {
		if got := PartitionOf(region); got != want {
			t.Errorf("PartitionOf(%s) = %s, want %s", region, got, want)
		}
	}
}

func TestValidateCertificateArn(t *testing.T) {
	const cert = "arn:aws:acm:us-west-2:123456789012:certificate/0b7f5f2c-9d6c-4b1e-8c1a-2f0e5a6b7c8d"
	for arn, want := range map[string]string{
		cert: "",
		"arn:aws-cn:acm:us-west-2:123456789012:certificate/abc": "",
		"arn:aws:acm:us-east-1:123456789012:certificate/abc":    "it must be in us-west-2",
		"arn:aws:iam::123456789012:server-certificate/abc":      "is not an ACM certificate",
		"arn:aws:acm:us-west-2:123456789012:certificate/":       "is not an ACM certificate",
		"arn:aws:acm:us-west-2:1234:certificate/abc":            "is not 12 digits",
		"certificate/abc": "is not an ARN",
		"":                "is not an ARN",
		"arn:aws:acm:us-west-2:123456789012:certificate/abc/def": "is not an ACM certificate",
	} {
		err := ValidateCertificateArn(arn, "us-west-2")
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("ValidateCertificateArn(%q) = %v, want %q", arn, err, want)
		}
	}
}
