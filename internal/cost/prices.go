package cost

// The price table: AWS list prices in USD for us-east-1 (N. Virginia), on
// demand, before free tiers, savings plans, reserved instances and tax. The
// estimate applies them to every region, the app's default standby
// us-west-2 (Oregon) included: regional differences are not modelled (AWS's
// agent toolkit, for one, rounds Aurora in us-west-2 to about 1.15× us-east-1
// in its multipliers), so a region's own figures are to be checked on each
// page.
//
// Every price names the AWS pricing page it belongs to (Page), where the
// figure was read for this table (Seen) and how far that reading can be
// trusted (Basis). aws.amazon.com could not be reached from where the table
// was written; the figures come from what the search tool holds, and a
// figure found nowhere is marked BasisEstimate, never passed off as sourced.
// Refresh: open each Page, compare, update USD, Seen, Basis and PricesRead.

// PricesRead is the date the table's figures were read.
const PricesRead = "2026-12-06"

// PriceRegion is the region whose list prices the table holds.
const PriceRegion = "us-east-1"

// HoursPerMonth is the month AWS's own calculators use (8,760 h / 12).
const HoursPerMonth = 730

// Basis says how a figure in the table was established.
type Basis string

const (
	// BasisAWS: the figure appears in text AWS publishes (a pricing page,
	// its documentation, blog or re:Post, or an AWS-owned GitHub
	// repository), read through the search tool.
	BasisAWS Basis = "AWS text"
	// BasisTranscript: the AWS pricing page's own text, as a dated
	// third-party transcription quotes it verbatim.
	BasisTranscript Basis = "AWS page, transcribed"
	// BasisThirdParty: a third party's table quotes the figure; it was not
	// seen in AWS text. Check it on Page.
	BasisThirdParty Basis = "third party, check"
	// BasisEstimate: no source for the figure was found; it is the list
	// price as known on PricesRead and must be checked on Page.
	BasisEstimate Basis = "estimate, check"
)

// Price is one figure of the table.
type Price struct {
	// USD per Unit.
	USD float64
	// Unit: "hour", "month", "GB", "GB-month" or "million requests".
	Unit string
	// What the price is for, as the bill names it.
	What string
	// Page is the AWS pricing page the figure belongs to.
	Page string
	// Seen is where the figure was read, with that source's own date when
	// it has one.
	Seen string
	// Basis is how far the reading can be trusted.
	Basis Basis
}

// Hourly reports whether the price is per hour (and a standing resource
// costs USD × HoursPerMonth a month).
func (p Price) Hourly() bool { return p.Unit == "hour" }

// AWS pricing pages.
const (
	pageAurora         = "https://aws.amazon.com/rds/aurora/pricing/"
	pageElastiCache    = "https://aws.amazon.com/elasticache/pricing/"
	pageVPC            = "https://aws.amazon.com/vpc/pricing/"
	pagePrivateLink    = "https://aws.amazon.com/privatelink/pricing/"
	pageELB            = "https://aws.amazon.com/elasticloadbalancing/pricing/"
	pageKMS            = "https://aws.amazon.com/kms/pricing/"
	pageCloudWatch     = "https://aws.amazon.com/cloudwatch/pricing/"
	pageRoute53        = "https://aws.amazon.com/route53/pricing/"
	pageSecretsManager = "https://aws.amazon.com/secrets-manager/pricing/"
	pageS3             = "https://aws.amazon.com/s3/pricing/"
	pageEC2Transfer    = "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer"
	pageFargate        = "https://aws.amazon.com/fargate/pricing/"
)

// Where figures were read.
const (
	// AWS's agent toolkit keeps static us-east-1 Aurora PostgreSQL
	// (Aurora Standard) prices as a fallback for its calculators.
	seenAWSToolkitAurora = "github.com/aws/agent-toolkit-for-aws, skills/specialized-skills/database-skills/amazon-aurora-postgresql/scripts/commitment_pricing_analyzer.py and references/serverless-advisory-formulas-and-examples.md (commit d6ad2e4, 2026-08-20)"
	// The same toolkit's cost-optimization notes, which round ("~").
	seenAWSToolkitNetwork  = "github.com/aws/agent-toolkit-for-aws, skills/core-skills/aws-billing-and-cost-management/references/service-optimization.md (commit d6ad2e4, 2026-08-20): \"~$0.045/hr\", \"~$0.01/hr/AZ\""
	seenAWSToolkitTransfer = "github.com/aws/agent-toolkit-for-aws, skills/specialized-skills/database-skills/exporting-rds-to-s3/references/export-rds-to-s3.md (commit d6ad2e4): \"typically $0.02/GB\""
	// api-evangelist's harvest of AWS pricing pages, each price_text found
	// verbatim in the fetched page (run 20260920T120546).
	seenTranscriptVPC     = "raw.githubusercontent.com/api-evangelist/amazon-vpc/refs/heads/main/plans/amazon-vpc-plans-pricing.yml (page read 2026-09-20; the page's US East (Ohio) example)"
	seenTranscriptELB     = "raw.githubusercontent.com/api-evangelist/amazon-elastic-load-balancing/refs/heads/main/plans/amazon-elastic-load-balancing-plans-pricing.yml (page read 2026-09-20; the page's US East example)"
	seenTranscriptRoute53 = "raw.githubusercontent.com/api-evangelist/amazon-route53-resolver/refs/heads/main/plans/amazon-route53-resolver-plans-pricing.yml (page read 2026-09-20)"
	seenTranscriptSecrets = "raw.githubusercontent.com/api-evangelist/amazon-secrets-manager/refs/heads/main/plans/amazon-secrets-manager-plans-pricing.yml (page read 2026-09-20)"
	seenPrivateLinkPage   = "aws.amazon.com/jp/privatelink/pricing/ (interface endpoint data processed, first 1 PB: 0.01 USD per GB)"
	seenIPv4              = "repost.aws/articles/ARknH_OR0cTvqoTfJrVGaB8A (\"$0.005 per IP per hour for all public IPv4 addresses\", from 2024-02-01) and the AWS Networking blog \"Identify and optimize public IPv4 address usage on AWS\""
	seenKMS               = "aws.amazon.com/kms/pricing/ as archived 2019-03-08 (\"costs $1/month until you delete it\"); the AWS Security blog \"The curious case of faster AWS KMS symmetric key rotation\" (2024) caps rotation charges after the second rotation"
	seenElastiCache       = "a public project's table \"from the AWS Price List API (AmazonElastiCache, Cache Instance, cacheEngine Redis, NodeUsage), read 2026-10-02\", found by code search (repository not named by the index)"
	seenCloudWatchAlarms  = "c3x.dev/resources/aws/aws_cloudwatch_metric_alarm; cloudcostkit.com/guides/aws-cloudwatch-alarms-pricing"
	seenCloudWatchDash    = "github.com/nishinoshake/aws-rough/issues/37 (quoting aws.amazon.com/jp/cloudwatch/pricing/: dashboards $3 each)"
	seenLogsIngest        = "a public lab README's cost notes (\"CloudWatch: $0.50/GB ingested\"), found by code search"
	seenFargate           = "a public lab README's cost notes (\"ECS Fargate: $0.04048/vCPU/hour + $0.004445/GB/hour\"), found by code search"
	seenS3Storage         = "gist.github.com/EverettBerry/a37438006529a55f42da6fdbc44a505c (S3 Standard, first 50 TB: $0.023 per GB)"
	seenNone              = "not found in the sources the search tool holds"
)

func auroraInstance(class string, usd float64) Price {
	return Price{USD: usd, Unit: "hour", What: class + " instance hour, Aurora PostgreSQL (Aurora Standard)", Page: pageAurora, Seen: seenAWSToolkitAurora, Basis: BasisAWS}
}

func cacheNode(nodeType string, usd float64) Price {
	return Price{USD: usd, Unit: "hour", What: nodeType + " node hour, ElastiCache (Redis OSS)", Page: pageElastiCache, Seen: seenElastiCache, Basis: BasisThirdParty}
}

// byName makes a price for each name from its figure.
func byName(price func(name string, usd float64) Price, usd map[string]float64) map[string]Price {
	out := make(map[string]Price, len(usd))
	for name, v := range usd {
		out[name] = price(name, v)
	}
	return out
}

// AuroraInstanceHour prices an Aurora PostgreSQL DB instance class, on
// demand, Aurora Standard. A class not listed fails the estimate: add it
// from the page rather than let it be free.
var AuroraInstanceHour = byName(auroraInstance, map[string]float64{
	"db.r5.large": 0.290, "db.r5.xlarge": 0.580, "db.r5.2xlarge": 1.160, "db.r5.4xlarge": 2.320, "db.r5.8xlarge": 4.640, "db.r5.12xlarge": 6.960, "db.r5.16xlarge": 9.280, "db.r5.24xlarge": 13.920,
	"db.r6g.large": 0.260, "db.r6g.xlarge": 0.519, "db.r6g.2xlarge": 1.038, "db.r6g.4xlarge": 2.076, "db.r6g.8xlarge": 4.152, "db.r6g.12xlarge": 6.228, "db.r6g.16xlarge": 8.304,
	"db.r7g.large": 0.276, "db.r7g.xlarge": 0.553, "db.r7g.2xlarge": 1.106, "db.r7g.4xlarge": 2.211, "db.r7g.8xlarge": 4.422, "db.r7g.12xlarge": 6.633, "db.r7g.16xlarge": 8.844,
	"db.r8g.large": 0.276, "db.r8g.xlarge": 0.552, "db.r8g.2xlarge": 1.104, "db.r8g.4xlarge": 2.208, "db.r8g.8xlarge": 4.416, "db.r8g.12xlarge": 6.624, "db.r8g.16xlarge": 8.832, "db.r8g.24xlarge": 13.248, "db.r8g.48xlarge": 26.496,
})

// CacheNodeHour prices an ElastiCache node type (Redis OSS, on demand). The
// node families Global Datastore takes (constructs/data.GlobalDatastoreNodeTypes).
var CacheNodeHour = byName(cacheNode, map[string]float64{
	"cache.m5.large": 0.156, "cache.m5.xlarge": 0.311, "cache.m5.2xlarge": 0.623, "cache.m5.4xlarge": 1.245, "cache.m5.12xlarge": 3.744, "cache.m5.24xlarge": 7.488,
	"cache.m6g.large": 0.149, "cache.m6g.xlarge": 0.297, "cache.m6g.2xlarge": 0.593, "cache.m6g.4xlarge": 1.186, "cache.m6g.8xlarge": 2.372, "cache.m6g.12xlarge": 3.557, "cache.m6g.16xlarge": 4.743,
	"cache.m7g.large": 0.158, "cache.m7g.xlarge": 0.315, "cache.m7g.2xlarge": 0.629, "cache.m7g.4xlarge": 1.257, "cache.m7g.8xlarge": 2.514, "cache.m7g.12xlarge": 3.770, "cache.m7g.16xlarge": 5.028,
	"cache.r5.large": 0.216, "cache.r5.xlarge": 0.431, "cache.r5.2xlarge": 0.862, "cache.r5.4xlarge": 1.724, "cache.r5.12xlarge": 5.184, "cache.r5.24xlarge": 10.368,
	"cache.r6g.large": 0.206, "cache.r6g.xlarge": 0.411, "cache.r6g.2xlarge": 0.821, "cache.r6g.4xlarge": 1.642, "cache.r6g.8xlarge": 3.284, "cache.r6g.12xlarge": 4.925, "cache.r6g.16xlarge": 6.567,
	"cache.r6gd.xlarge": 0.781, "cache.r6gd.2xlarge": 1.560, "cache.r6gd.4xlarge": 3.120, "cache.r6gd.8xlarge": 6.240, "cache.r6gd.12xlarge": 9.358, "cache.r6gd.16xlarge": 12.477,
	"cache.r7g.large": 0.219, "cache.r7g.xlarge": 0.437, "cache.r7g.2xlarge": 0.873, "cache.r7g.4xlarge": 1.745, "cache.r7g.8xlarge": 3.491, "cache.r7g.12xlarge": 5.235, "cache.r7g.16xlarge": 6.981,
	"cache.c7gn.large": 0.255, "cache.c7gn.xlarge": 0.509,
})

// Named prices, each used by the rules in rules.go.
var (
	AuroraStorage = Price{USD: 0.10, Unit: "GB-month", What: "Aurora storage (Aurora Standard), per region that holds a copy", Page: pageAurora, Seen: seenAWSToolkitAurora, Basis: BasisAWS}
	AuroraBackup  = Price{USD: 0.021, Unit: "GB-month", What: "Aurora backup storage beyond the cluster's own size", Page: pageAurora, Seen: seenAWSToolkitAurora, Basis: BasisAWS}
	// AuroraReplicatedWriteIO is Global Database's charge in each
	// secondary region for the writes it receives.
	AuroraReplicatedWriteIO = Price{USD: 0.20, Unit: "million requests", What: "Aurora Global Database replicated write I/Os, in each secondary region", Page: pageAurora, Seen: seenNone, Basis: BasisEstimate}

	NATGatewayHour = Price{USD: 0.045, Unit: "hour", What: "NAT gateway hour", Page: pageVPC, Seen: seenTranscriptVPC + "; " + seenAWSToolkitNetwork, Basis: BasisTranscript}
	NATGatewayGB   = Price{USD: 0.045, Unit: "GB", What: "NAT gateway data processed", Page: pageVPC, Seen: seenTranscriptVPC, Basis: BasisTranscript}
	PublicIPv4Hour = Price{USD: 0.005, Unit: "hour", What: "public IPv4 address hour (in use or idle)", Page: pageVPC, Seen: seenIPv4, Basis: BasisAWS}

	InterfaceEndpointHour = Price{USD: 0.01, Unit: "hour", What: "interface VPC endpoint hour, per Availability Zone", Page: pagePrivateLink, Seen: seenAWSToolkitNetwork, Basis: BasisAWS}
	InterfaceEndpointGB   = Price{USD: 0.01, Unit: "GB", What: "interface VPC endpoint data processed (first PB a month)", Page: pagePrivateLink, Seen: seenPrivateLinkPage, Basis: BasisAWS}

	ALBHour    = Price{USD: 0.0225, Unit: "hour", What: "Application Load Balancer hour", Page: pageELB, Seen: seenTranscriptELB, Basis: BasisTranscript}
	ALBLCUHour = Price{USD: 0.008, Unit: "hour", What: "Application Load Balancer capacity unit (LCU) hour", Page: pageELB, Seen: seenTranscriptELB, Basis: BasisTranscript}

	// KMSKeyMonth is a customer managed key; with automatic rotation each
	// of the first two rotations adds as much again, later ones nothing.
	KMSKeyMonth = Price{USD: 1.00, Unit: "month", What: "KMS customer managed key month (+ the same for each of its first two rotations)", Page: pageKMS, Seen: seenKMS, Basis: BasisAWS}

	AlarmMetricStandard = Price{USD: 0.10, Unit: "month", What: "CloudWatch alarm metric month, standard resolution (60 s and longer)", Page: pageCloudWatch, Seen: seenCloudWatchAlarms, Basis: BasisThirdParty}
	AlarmMetricHighRes  = Price{USD: 0.30, Unit: "month", What: "CloudWatch alarm metric month, high resolution (10 or 30 s)", Page: pageCloudWatch, Seen: seenCloudWatchAlarms, Basis: BasisThirdParty}
	DashboardMonth      = Price{USD: 3.00, Unit: "month", What: "CloudWatch dashboard month", Page: pageCloudWatch, Seen: seenCloudWatchDash, Basis: BasisThirdParty}
	LogsIngestGB        = Price{USD: 0.50, Unit: "GB", What: "CloudWatch Logs ingestion (standard logs, and vended logs such as VPC flow logs in their first tier)", Page: pageCloudWatch, Seen: seenLogsIngest, Basis: BasisThirdParty}

	HealthCheckAWS        = Price{USD: 0.50, Unit: "month", What: "Route 53 basic health check on an AWS endpoint", Page: pageRoute53, Seen: seenTranscriptRoute53, Basis: BasisTranscript}
	HealthCheckFeatureAWS = Price{USD: 1.00, Unit: "month", What: "Route 53 optional health check feature (HTTPS, string matching, fast interval, latency measurement) on an AWS endpoint, each", Page: pageRoute53, Seen: seenTranscriptRoute53, Basis: BasisTranscript}
	HostedZoneMonth       = Price{USD: 0.50, Unit: "month", What: "Route 53 hosted zone month (first 25)", Page: pageRoute53, Seen: seenTranscriptRoute53, Basis: BasisTranscript}

	SecretMonth = Price{USD: 0.40, Unit: "month", What: "Secrets Manager secret month; a replica is billed as a secret of its own", Page: pageSecretsManager, Seen: seenTranscriptSecrets, Basis: BasisTranscript}

	S3StandardGBMonth = Price{USD: 0.023, Unit: "GB-month", What: "S3 Standard storage (first 50 TB a month)", Page: pageS3, Seen: seenS3Storage, Basis: BasisThirdParty}
	S3RTCGB           = Price{USD: 0.015, Unit: "GB", What: "S3 Replication Time Control, per GB replicated", Page: pageS3, Seen: seenNone, Basis: BasisEstimate}

	InterRegionGB = Price{USD: 0.02, Unit: "GB", What: "data transfer between AWS Regions (out of the sending region)", Page: pageEC2Transfer, Seen: seenAWSToolkitTransfer, Basis: BasisAWS}

	FargateVCPUHour = Price{USD: 0.04048, Unit: "hour", What: "Fargate Linux/x86 vCPU hour", Page: pageFargate, Seen: seenFargate, Basis: BasisThirdParty}
	FargateGBHour   = Price{USD: 0.004445, Unit: "hour", What: "Fargate Linux/x86 memory GB hour", Page: pageFargate, Seen: seenFargate, Basis: BasisThirdParty}
)

// Table lists every price once, for the page that shows the sources: named
// prices by their variable's meaning, then each instance class and node
// type the estimate used (see Estimate.Used).
func Table() []Price {
	return []Price{
		AuroraStorage, AuroraBackup, AuroraReplicatedWriteIO,
		NATGatewayHour, NATGatewayGB, PublicIPv4Hour,
		InterfaceEndpointHour, InterfaceEndpointGB,
		ALBHour, ALBLCUHour, KMSKeyMonth,
		AlarmMetricStandard, AlarmMetricHighRes, DashboardMonth, LogsIngestGB,
		HealthCheckAWS, HealthCheckFeatureAWS, HostedZoneMonth,
		SecretMonth, S3StandardGBMonth, S3RTCGB, InterRegionGB,
		FargateVCPUHour, FargateGBHour,
	}
}
