package awsenv

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pilotlight/pilotlight/internal/editdist"
)

// Regions are the AWS regions a stack can be deployed to, by partition.
//
// Source: the AWS SDKs' endpoint data, botocore 1.43.11
// (botocore/data/endpoints.json, "partitions[].regions"), which matches the
// AWS General Reference, "AWS Regions". The isolated (aws-iso-e, aws-iso-f)
// and European Sovereign Cloud (aws-eusc) partitions are left out: their
// partitions are not ones PartitionOf or the app supports.
//
// Stale when AWS opens a region. Refresh from a newer botocore
// (python -c "import botocore, json, os; ...endpoints.json") or
// `aws account list-regions --region-opt-status-contains ENABLED ENABLED_BY_DEFAULT`.
var Regions = map[string][]string{
	"aws": {
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	},
	"aws-cn":     {"cn-north-1", "cn-northwest-1"},
	"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
	"aws-iso":    {"us-iso-east-1", "us-iso-west-1"},
	"aws-iso-b":  {"us-isob-east-1", "us-isob-west-1"},
}

// AllRegions lists every region in Regions, sorted.
func AllRegions() []string {
	var out []string
	for _, p := range slices.Sorted(maps.Keys(Regions)) {
		out = append(out, Regions[p]...)
	}
	slices.Sort(out)
	return out
}

// ValidateRegion reports whether region is an AWS region (one of Regions);
// if not, it names the nearest real ones.
func ValidateRegion(region string) error {
	all := AllRegions()
	if slices.Contains(all, region) {
		return nil
	}
	near := editdist.Nearest(strings.ToLower(region), all, 3)
	hint := "use the form us-east-1"
	if len(near) > 0 {
		hint = "nearest real regions: " + strings.Join(near, ", ")
	}
	return fmt.Errorf("%q is not an AWS region name (%s; the list is the AWS SDKs' endpoint data, see awsenv.Regions)", region, hint)
}
