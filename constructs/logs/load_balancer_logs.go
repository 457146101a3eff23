package logs

import (
	"fmt"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
)

// ElbLogDeliveryAccounts are the Elastic Load Balancing accounts that
// deliver access logs in the regions opened before August 2022: a bucket
// there must let the region's account (arn:PARTITION:iam::ACCOUNT:root)
// write. Regions opened since use ElbLogDeliveryService instead.
//
// Source: Elastic Load Balancing User Guide for Application Load Balancers,
// "Enable access logs", step 2 ("Regions available before August 2022"),
// the same table as the AWS provider's aws_elb_service_account data source
// (internal/service/elb/service_account_data_source.go). It does not go
// stale for these regions; a region opened later is not in it and gets the
// service principal.
var ElbLogDeliveryAccounts = map[string]string{
	"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
	"af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-south-1": "718504428378",
	"ap-northeast-1": "582318560864", "ap-northeast-2": "600734575887", "ap-northeast-3": "383597477331",
	"ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-southeast-3": "589379963580",
	"ca-central-1": "985666609251", "eu-central-1": "054676820928", "eu-west-1": "156460612806",
	"eu-west-2": "652711504416", "eu-west-3": "009996457667", "eu-south-1": "635631232127", "eu-north-1": "897822967062",
	"me-south-1": "076674570225", "sa-east-1": "507241528517",
	"us-gov-west-1": "048591011584", "us-gov-east-1": "190560391635",
	"cn-north-1": "638102146993", "cn-northwest-1": "037604701340",
}

// ElbLogDeliveryService is the service principal that delivers load
// balancer access logs in regions opened in or after August 2022 (same
// source as ElbLogDeliveryAccounts).
const ElbLogDeliveryService = "logdelivery.elasticloadbalancing.amazonaws.com"

// ElbLogDeliveryPrincipal is the bucket policy principal that delivers load
// balancer access logs in env's region.
func ElbLogDeliveryPrincipal(env awsenv.Env) map[string][]string {
	if account, ok := ElbLogDeliveryAccounts[env.Region]; ok {
		return map[string][]string{"AWS": {fmt.Sprintf("arn:%s:iam::%s:root", env.Partition, account)}}
	}
	return map[string][]string{"Service": {ElbLogDeliveryService}}
}
