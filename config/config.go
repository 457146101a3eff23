// Package config is the pilotlight app's configuration: a typed struct with
// built-in defaults, optionally overridden by a YAML (or JSON) file named by the
// PILOTLIGHT_CONFIG environment variable, and validated as a whole before any
// construct is built.
//
// Only the app (main.go and stacks/) reads this package; the constructs library
// takes plain props and knows nothing of the file.
package config

import (
	"fmt"
	"os"
	"strings"

	"github.com/pilotlight/pilotlight/spec/data"
	"github.com/pilotlight/pilotlight/spec/dns"
	"github.com/pilotlight/pilotlight/spec/monitoring"
	"github.com/pilotlight/pilotlight/timing"
)

// ReservedTagPrefix starts the tag keys the app sets on every resource to
// name its stack and role; config.tags may not use it.
const ReservedTagPrefix = "pilotlight:"

// EnvVar names the environment variable that points at the config file.
const EnvVar = "PILOTLIGHT_CONFIG"

// Config is everything a user can set.
//
// Built-in defaults make `go run .` and `cdktf synth` work with nothing set.
// To override them, point PILOTLIGHT_CONFIG at a YAML file (JSON is read
// too) that sets only what differs. Keys are camelCase. A key the app does
// not know is an error naming the nearest known key, never ignored, at any
// depth. A file that sets nothing (empty or comments only), a second YAML
// document (---) and a key with no value are refused, so a truncated file
// never acts on the built-in defaults; unset PILOTLIGHT_CONFIG to use them
// on purpose. Every problem of a file is reported at once, one line per
// key, the exit status is 1, and nothing is written to cdktf.out. An
// example with every key is config/testdata/full.yaml.
type Config struct {
	// The system's name; with environment it starts every resource name
	// (name-environment-...).
	//
	// Allowed: a lower-case letter, then lower-case letters, digits and
	// single hyphens, not ending in a hyphen; every name built from it must
	// fit its AWS limit, and validation names name or environment to
	// shorten when one does not (see [compute.ValidateLoadBalancerName],
	// [identity.ValidateRoleName], [data.ValidateReplicationGroupID],
	// [storage.ValidateBucketName]).
	Name string `yaml:"name"`
	// The deployment stage, such as dev or prod; the second part of every
	// resource name.
	//
	// Allowed: as for name.
	Environment string `yaml:"environment"`
	// The region that runs the system in normal operation and owns the
	// writable data: the Aurora writer, the Global Datastore's primary, the
	// source of every bucket's replication.
	//
	// Allowed: a region of [awsenv.Regions] in the [BuiltPartition]
	// partition.
	PrimaryRegion string `yaml:"primaryRegion"`
	// The regions that hold the pilot-light copy: data replicated, compute
	// scaled to zero.
	//
	// Allowed: 1 to [MaxFailoverRegions] regions of [awsenv.Regions], each
	// different from the others and from primaryRegion, in primaryRegion's
	// partition.
	FailoverRegions []string `yaml:"failoverRegions"`
	// The region where the service runs and writes are served. Setting it
	// to a failover region, and deploying, is the region switch (the
	// runbook prints the steps).
	//
	// Default: primaryRegion.
	//
	// Allowed: primaryRegion or one of failoverRegions.
	ActiveRegion string `yaml:"activeRegion"`

	Service  Service  `yaml:"service"`
	Network  Network  `yaml:"network"`
	Database Database `yaml:"database"`
	Cache    Cache    `yaml:"cache"`
	// The S3 buckets the app keeps data in. Each exists in every region,
	// replicates from the primary region's, and is handed to the task as
	// BUCKET_<NAME>.
	Buckets []Bucket `yaml:"buckets"`
	Edge    Edge     `yaml:"edge"`
	// DNS, when it names a hosted zone, moves every request between regions
	// on the data plane: CloudFront reaches the active region through a
	// Route 53 failover name, and the traffic switch (an S3 object in the
	// standby region that an inverted Route 53 health check reads;
	// docs/decisions/traffic-switch.md) moves it with no control-plane call. Unset
	// (the default), the app creates no DNS, and writes follow activeRegion
	// only once the edge stack is deployed.
	DNS     DNS     `yaml:"dns"`
	Backend Backend `yaml:"backend"`
	// Provider tunes the AWS provider of every stack.
	Provider Provider `yaml:"provider"`
	// Operator, when it names principals, adds the runbook's operator role
	// to the global stack.
	Operator Operator `yaml:"operator"`
	// Alarms sets the thresholds of the replication and health alarms in
	// every region, and who is notified (docs/alarms.md lists every alarm).
	Alarms Alarms `yaml:"alarms"`

	// The keys whose value may be one AWS released after the app's lists
	// were last refreshed: an engine version, instance class or node type
	// that is well-formed but not on its list (a new minor the day AWS
	// releases it) is refused with an error naming this key, unless its key
	// is here. Then it is accepted, and every synth prints a warning
	// naming the list to refresh (such as spec/data.GlobalDatabaseVersions),
	// its source and the AWS CLI command that prints what AWS offers. A
	// malformed value, or one a documented rule refuses (a burstable db.t*
	// or cache.t* type, a size below large, an Aurora major older than the
	// list's, a Redis OSS major the list does not know, whose parameter
	// group cannot be named), is refused either way, and a listed value
	// never warns. Check the value first: the app cannot tell a release
	// from a typo, and a value AWS does not offer fails at apply. An
	// unlisted cache.nodeType gets data tiering only if it is of
	// [data.DataTieringFamily]. Example: acceptUnlisted:
	// [database.engineVersion] with database.engineVersion "16.9".
	//
	// Allowed: keys of [UnlistedKeys], each once.
	AcceptUnlisted []string `yaml:"acceptUnlisted"`

	// The retention of every log group the app creates (container logs,
	// VPC flow logs), in days.
	//
	// Allowed: one of [logs.RetentionDays].
	LogRetentionDays int `yaml:"logRetentionDays"`
	// Tags added to every taggable resource, besides the app's own: Project
	// (name), Environment (environment), ManagedBy (pilotlight), the
	// pilotlight:role and pilotlight:stack tags and Name. A Project,
	// Environment or ManagedBy here replaces the app's.
	//
	// Keys: <key>, the tag's key.
	//
	// Allowed: keys that do not start with aws: (reserved for AWS) or
	// [ReservedTagPrefix]; keys of at most [MaxTagKeyLength] and values of at
	// most [MaxTagValueLength] characters, of letters, digits, spaces and
	// + - = . _ : / @; at most [MaxTagsPerResource] tags on a resource,
	// the app's own six included.
	Tags map[string]string `yaml:"tags"`

	// written holds the keys the config file set (full paths such as
	// dns.ttl), so validation can refuse a setting another setting makes
	// meaningless even when it equals the default. Nil for a Config built
	// in code: then a value other than the default counts as set.
	written map[string]bool
}

// sets reports whether the config sets key: the file wrote it, or (a
// Config built in code) its value differs from the default.
func (c Config) sets(key string, differs bool) bool {
	return c.written[key] || differs
}

// Service sizes the containerised workload (an ECS service on Fargate
// behind an Application Load Balancer) that runs in the active region;
// standby regions run it at 0 tasks.
type Service struct {
	// The container image. "{region}" in it is replaced by each region's
	// name, so each region can pull from its own (replicated) ECR registry;
	// a private ECR image must use it, or the failover region could not
	// pull the image while the other region is down. Pin it by digest
	// (REPOSITORY@sha256:DIGEST): a standby started during a failover pulls
	// whatever a tag names that day; the synth warns (PL-ECS-IMAGE-DIGEST)
	// until it is pinned.
	//
	// Allowed: an image reference ([compute.ValidateImage]).
	Image string `yaml:"image"`
	// The port the container listens on; the load balancer forwards to it.
	//
	// Allowed: a TCP port, 1 to 65535 ([compute.ValidatePort]).
	ContainerPort int `yaml:"containerPort"`
	// The task's CPU, in CPU units (1024 is one vCPU).
	//
	// Allowed: a Fargate task size with service.memory
	// ([compute.ValidateFargateSize]).
	Cpu int `yaml:"cpu"`
	// The task's memory, in MiB.
	//
	// Allowed: a Fargate task size with service.cpu
	// ([compute.ValidateFargateSize]).
	Memory int `yaml:"memory"`
	// The tasks the active region runs; standby regions run 0 until a
	// region switch.
	//
	// Allowed: 1 to [compute.MaxDesiredCount].
	DesiredCount int `yaml:"desiredCount"`
	// The path the load balancer's health check requests (and, with dns,
	// Route 53's health checks).
	//
	// Allowed: starting with /, at most 1024 characters
	// ([compute.ValidateHealthCheckPath]); with dns, at most
	// [dns.MaxHealthCheckPath].
	HealthCheckPath string `yaml:"healthCheckPath"`
}

// Database configures the Aurora PostgreSQL Global Database: a primary
// cluster in primaryRegion and a secondary cluster in each failover region.
type Database struct {
	// How the global database starts: empty, restored from a snapshot, or
	// built from a cluster that exists already. A key of another mode is
	// refused, not ignored.
	//
	// Allowed: [data.DatabaseNew], [data.DatabaseFromSnapshot] or
	// [data.DatabaseFromCluster].
	Mode string `yaml:"mode"`
	// With mode snapshot: the DB cluster snapshot (name or ARN) the primary
	// cluster is restored from.
	//
	// Allowed: a name, or the ARN of a cluster snapshot in primaryRegion
	// (copy one from another region first: RestoreDBClusterFromSnapshot
	// restores from its own region).
	SnapshotIdentifier string `yaml:"snapshotIdentifier"`
	// With mode cluster: the ARN of the existing primary cluster the global
	// cluster is built from; it keeps its own instances.
	//
	// Allowed: arn:aws:rds:<primaryRegion>:ACCOUNT:cluster:NAME.
	SourceClusterArn string `yaml:"sourceClusterArn"`
	// With mode cluster: the Secrets Manager secret that holds the existing
	// cluster's master password, replicated to every failover region (in
	// other modes the app generates the password).
	MasterSecretName string `yaml:"masterSecretName"`
	// The Aurora PostgreSQL version (MAJOR.MINOR) every cluster is created
	// at. Once the global database exists it must be the version it runs:
	// the app never upgrades a deployed global database (the pinned AWS
	// provider cannot), and a plan whose version differs stops, printing the
	// upgrade commands the Aurora User Guide gives
	// (constructs/data/upgrades.go). In cluster mode it must be the existing
	// cluster's version from the start.
	//
	// Allowed: one of [data.GlobalDatabaseVersions], or, with this key in
	// acceptUnlisted, an unlisted MAJOR.MINOR of a listed or newer major.
	EngineVersion string `yaml:"engineVersion"`
	// The DB instance class of every instance.
	//
	// Allowed: one of [data.GlobalDatabaseInstanceClasses], or, with this
	// key in acceptUnlisted, an unlisted db.FAMILY.SIZE of a memory-optimized
	// family (r or x), large or bigger.
	InstanceClass string `yaml:"instanceClass"`
	// Readers beside the writer in the primary region. Not with mode
	// cluster, whose existing cluster keeps its own instances.
	//
	// Allowed: 0 to [data.MaxReaders].
	Readers int `yaml:"readers"`
	// Instances in each failover region's cluster; 0 is a headless
	// secondary (storage only: cheapest, but a failover must create an
	// instance first).
	//
	// Allowed: 0 to [data.MaxSecondaryInstances].
	SecondaryInstances int `yaml:"secondaryInstances"`
	// The database created in the new primary cluster.
	//
	// Allowed: 1 to [data.MaxDatabaseName] letters, digits and underscores,
	// starting with a letter ([data.ValidateDatabaseName]).
	DatabaseName string `yaml:"databaseName"`
	// The master user of the new primary cluster.
	//
	// Allowed: 1 to [data.MaxMasterUsername] letters, digits and
	// underscores, starting with a letter, and not postgres, rdsadmin or
	// admin ([data.ValidateMasterUsername]).
	MasterUsername string `yaml:"masterUsername"`
	// Days of automated backups Aurora keeps.
	//
	// Allowed: [data.MinimumBackupRetentionDays] to
	// [data.MaxBackupRetentionDays].
	BackupRetentionDays int `yaml:"backupRetentionDays"`
	// The port of the clusters the app creates (DATABASE_PORT in their
	// region's tasks). In cluster mode the existing primary cluster keeps
	// its own port, which the primary region's tasks get instead, read from
	// the cluster at plan; the secondaries use this one.
	//
	// Allowed: [data.MinDatabasePort] to [data.MaxDatabasePort].
	Port int `yaml:"port"`
}

// Cache configures the ElastiCache (Redis OSS) Global Datastore: a
// replication group in every region, the primary region's the writer.
type Cache struct {
	// The node type of every node. A change scales every member in place,
	// through the global group; r6gd turns data tiering on.
	//
	// Allowed: one of [data.GlobalDatastoreNodeTypes], or, with this key in
	// acceptUnlisted, an unlisted cache.FAMILY.SIZE, not burstable (t),
	// large or bigger; r6gd (data tiering) needs cache.engineVersion
	// [data.DataTieringMinimumVersion] or newer.
	NodeType string `yaml:"nodeType"`
	// The Redis OSS version. A change upgrades every member in place (no
	// downgrade).
	//
	// Allowed: one of [data.CacheEngineVersions], or, with this key in
	// acceptUnlisted, an unlisted MAJOR.MINOR of a listed major (whose
	// default parameter group the global datastore takes), 5.0.6 or newer.
	EngineVersion string `yaml:"engineVersion"`
	// Replicas beside the primary node, in each region's group. A change
	// is applied to each member group by its own region's stack
	// (data.CacheProps.Replicas says how, and why AWS takes it).
	//
	// Allowed: [data.MinCacheReplicas] to [data.MaxCacheReplicas].
	Replicas int `yaml:"replicas"`
	// Days of automatic snapshots ElastiCache keeps.
	//
	// Allowed: 1 to 35 ([data.ValidateSnapshotRetentionDays]).
	SnapshotRetentionDays int `yaml:"snapshotRetentionDays"`
	// The port the groups listen on.
	//
	// Allowed: a TCP port, 1 to 65535 ([compute.ValidatePort]).
	Port int `yaml:"port"`
}

// Bucket is one replicated S3 bucket. Unset switches take the defaults
// noted.
type Bucket struct {
	// The bucket's short name: it is part of each region's bucket name
	// (name-environment-NAME-REGION-ACCOUNT) and of the task's BUCKET_<NAME>
	// variable.
	//
	// Default: none; every bucket names itself.
	//
	// Allowed: 1 to 20 lower-case letters and digits, starting with a letter
	// ([data.ValidateBucketLogicalName]), each name once.
	Name string `yaml:"name"`
	// Whether deletes (delete markers) replicate too. Off, the failover
	// copy survives deletes in the primary region.
	DeleteMarkerReplication *bool `yaml:"deleteMarkerReplication"`
	// S3 Replication Time Control: 99.99% of new objects within 15 minutes,
	// billed per GB. Replication metrics are on either way (the alarms read
	// them).
	ReplicationTimeControl *bool `yaml:"replicationTimeControl"`
	// Whether each failover region's bucket replicates back to the primary
	// region's, so failing back needs no re-seeding.
	ReverseReplication *bool `yaml:"reverseReplication"`
	// Days a replaced (noncurrent) object version is kept before it
	// expires.
	//
	// Allowed: at least 1.
	NoncurrentVersionDays int `yaml:"noncurrentVersionDays"`
}

// Network shapes each region's VPC: public and private subnets in each
// availability zone, flow logs always on.
type Network struct {
	// Each region's VPC range, by region.
	//
	// Keys: <region>, one of the app's regions.
	//
	// Default: 10.(10+i).0.0/16 for a region left out, i being the region's
	// position (primary first).
	//
	// Allowed: a private range from /16 to /24 ([network.ValidateCidr]),
	// each region's overlapping no other's.
	VpcCidrs map[string]string `yaml:"vpcCidrs"`
	// How many availability zones each VPC spans. A region where the
	// account sees fewer available zones stops the plan with the fix (a
	// postcondition on the zones data source).
	//
	// Allowed: [network.MinAzCount] to [network.MaxAzCount].
	AzCount int `yaml:"azCount"`
	// How a standby region's tasks would reach the image registry, Secrets
	// Manager and CloudWatch Logs the day they start there:
	// [EgressNone] keeps nothing standing (the region switch's deploy
	// creates the NAT gateways, which adds minutes to it), [EgressNat] keeps
	// NAT gateways in standby regions too, [EgressEndpoints] keeps VPC
	// endpoints in every region (the image must then be in each region's
	// private ECR registry, {region} in service.image). The old key
	// network.standbyNatGateways is refused with the key to write.
	//
	// Allowed: one of [EgressChoices].
	StandbyEgress string `yaml:"standbyEgress"`
}

// Standby egress choices (network.standbyEgress).
const (
	EgressNone      = timing.EgressNone
	EgressNat       = timing.EgressNat
	EgressEndpoints = timing.EgressEndpoints
)

// EgressChoices lists network.standbyEgress's values, default first.
var EgressChoices = []string{EgressNone, EgressNat, EgressEndpoints}

// TaskInterfaceEndpoints are the AWS services a Fargate task of the app
// reaches through interface VPC endpoints when the VPC has them
// (standbyEgress: endpoints), as com.amazonaws.REGION.SERVICE:
//   - ecr.api and ecr.dkr: Fargate platform 1.4.0+ needs both to pull from
//     private ECR (ECR User Guide, "Amazon ECR interface VPC endpoints");
//   - logs: the awslogs driver writes the container logs;
//   - secretsmanager: the task's secrets (database password, cache token).
//
// KMS is not among them: Secrets Manager decrypts the secrets with the
// region's key on the task's behalf (kms:ViaService), so the task never
// calls KMS; nor is STS: task role credentials come from the ECS credential
// endpoint inside the task, not from STS. Image layers come from S3, through
// the S3 gateway endpoint (TaskGatewayEndpoint).
var TaskInterfaceEndpoints = []string{"ecr.api", "ecr.dkr", "logs", "secretsmanager"}

// TaskGatewayEndpoint is the gateway endpoint the same VPCs get: ECR keeps
// image layers in S3, and the app's buckets are in S3 too.
const TaskGatewayEndpoint = "s3"

// Edge configures the CloudFront distribution in front of the regions: an
// origin group that fails reads over to the standby per request, and the
// API path sent to the active region.
type Edge struct {
	// Which edge locations serve the distribution.
	//
	// Allowed: one of [edge.PriceClasses].
	PriceClass string `yaml:"priceClass"`
	// The path routed, for every HTTP method, straight to the active region:
	// CloudFront origin groups serve only GET, HEAD and OPTIONS, so writes
	// need a route of their own.
	//
	// Allowed: a path pattern starting with / ([edge.ValidateApiPathPattern]).
	ApiPathPattern string `yaml:"apiPathPattern"`
	// The origin responses that make CloudFront retry a read on the standby
	// region.
	//
	// Allowed: some of [edge.FailoverStatusCodes].
	FailoverStatusCodes []int `yaml:"failoverStatusCodes"`
	// An ACM certificate in us-east-1 for edge.aliases; with it the
	// distribution serves TLS 1.2 or newer (TLSv1.2_2021). Without it the
	// distribution uses its *.cloudfront.net name and certificate.
	//
	// Allowed: an ACM certificate ARN in us-east-1
	// ([edge.ValidateCertificateArn]).
	CertificateArn string `yaml:"certificateArn"`
	// Your domain names for the distribution; they need
	// edge.certificateArn. With dns, each alias inside dns.zoneName gets A
	// and AAAA alias records to the distribution in the edge stack; point
	// any other alias at the distribution (the url output) yourself.
	//
	// Allowed: lower-case domain names or wildcards
	// ([edge.ValidateAlias]), none of them dns.name or a region's origin
	// name.
	Aliases []string `yaml:"aliases"`
	// Each region's load balancer as CloudFront reaches it, over TLS 1.2+
	// (the ALB listens on HTTPS 443): set for every region or none. Point
	// each domain at the region's load_balancer_dns_name output. With dns,
	// a region left out gets <region>.<dns.name>, the app creates its
	// record, and a missing certificate is created (ACM, validated in the
	// zone) by the global stack.
	//
	// Keys: <region>, one of the app's regions.
	Origins map[string]EdgeOrigin `yaml:"origins"`
	// An S3 bucket for CloudFront access logs, as its domain name
	// (BUCKET.s3.amazonaws.com, ACLs enabled, as CloudFront standard
	// logging needs). The policy pack warns without it.
	//
	// Allowed: a bucket's domain name, ending in .s3.amazonaws.com
	// ([edge.ValidateLogBucket]).
	LogBucket string `yaml:"logBucket"`
	// A WAFv2 web ACL in front of the distribution. The policy pack warns
	// without it.
	//
	// Allowed: a web ACL with scope CLOUDFRONT ([edge.ValidateWebAclArn]).
	WebAclArn string `yaml:"webAclArn"`
}

// DNS is the Route 53 hosted zone the app owns names in. Unset (the
// default), the app creates no DNS and writes follow activeRegion only when
// the edge stack is deployed.
type DNS struct {
	// The public hosted zone's id, which skips looking the zone up by
	// name.
	//
	// Allowed: Z followed by upper-case letters and digits, without
	// /hostedzone/ ([dns.ValidateZoneID]).
	ZoneId string `yaml:"zoneId"`
	// The public hosted zone's domain; with dns.name it turns dns on.
	//
	// Allowed: a lower-case domain name ([dns.ValidateDomainName]).
	ZoneName string `yaml:"zoneName"`
	// The failover name in the zone that CloudFront reaches the active
	// region by, such as origin.example.com; required with dns.
	//
	// Allowed: a name below the zone's apex ([dns.ValidateNameInZone]), not
	// one of edge.aliases; at most [dns.MaxCommonName] characters when the
	// app creates certificates for it.
	Name string `yaml:"name"`
	// The TTL of the failover records, in seconds; it adds to every
	// switch's time. Without dns.zoneName and dns.name it is refused, as
	// are the two keys below.
	//
	// Allowed: 1 to [dns.MaxTTL].
	TTL int `yaml:"ttl"`
	// Seconds between Route 53's health checks of each region; with
	// dns.failureThreshold, how fast Route 53 notices a region fail.
	//
	// Allowed: one of [dns.HealthCheckIntervals].
	HealthCheckInterval int `yaml:"healthCheckInterval"`
	// Consecutive failed health checks before Route 53 calls a region
	// unhealthy.
	//
	// Allowed: [dns.MinFailureThreshold] to [dns.MaxFailureThreshold].
	FailureThreshold int `yaml:"failureThreshold"`
}

// Enabled reports whether the config sets dns: a zone or a name (a name
// without a zone is then an error, not silently no dns).
func (d DNS) Enabled() bool { return d.ZoneId != "" || d.ZoneName != "" || d.Name != "" }

// EdgeOrigin is one region's origin as CloudFront reaches it over TLS.
type EdgeOrigin struct {
	// The region's origin domain name, pointed at its load balancer.
	//
	// Default: with dns, <region>.<dns.name>; without, none (required).
	//
	// Allowed: a domain name, each region's its own; with dns, inside
	// dns.zoneName and not dns.name.
	Domain string `yaml:"domain"`
	// An ACM certificate in the region for its domain.
	//
	// Default: with dns, one the global stack creates; without, none
	// (required).
	//
	// Allowed: an ACM certificate ARN in that region
	// ([awsenv.ValidateCertificateArn]).
	CertificateArn string `yaml:"certificateArn"`
}

// Backend selects where every stack keeps its Terraform state.
type Backend struct {
	// Where state is kept: a local file per stack (works offline), or an
	// S3 bucket.
	//
	// Allowed: [BackendLocal] or [BackendS3].
	Type string `yaml:"type"`
	// With type s3: the state bucket, which exists already.
	//
	// Allowed: an S3 general purpose bucket name
	// ([storage.ValidateExistingBucketName]).
	Bucket string `yaml:"bucket"`
	// With type s3: the state bucket's region, required.
	//
	// Allowed: a region of [awsenv.Regions] that is none of the app's
	// regions, so that losing any one of them leaves every stack's state
	// readable.
	Region string `yaml:"region"`
	// With type s3: the prefix of each stack's state key.
	//
	// Default: <name>/<environment>.
	//
	// Allowed: not starting or ending with /.
	KeyPrefix string `yaml:"keyPrefix"`
	// With type s3: a DynamoDB table that locks the state, instead of
	// useLockfile.
	DynamodbTable string `yaml:"dynamodbTable"`
	// With type s3: S3 native state locking (Terraform 1.10+). State
	// locking is opt-in in the s3 backend, and two deploys at once (as in
	// an incident) can corrupt unlocked state.
	//
	// Default: true, unless backend.dynamodbTable is set.
	//
	// Allowed: not true with dynamodbTable; not false without it.
	UseLockfile *bool `yaml:"useLockfile"`
	// With type s3: the KMS key that encrypts the state.
	KmsKeyId string `yaml:"kmsKeyId"`
}

// Operator configures the optional IAM role the region-switch commands
// (status, switchover, failover, failback) run as.
type Operator struct {
	// The IAM roles, users or accounts that may assume the operator role
	// (name-environment-operator, with the least-privilege policy of
	// docs/iam.md). None (the default) creates no role.
	//
	// Allowed: IAM role, user or account ARNs ([identity.ValidatePrincipalArn]).
	Principals []string `yaml:"principals"`
}

// Alarms configures the CloudWatch alarms each regional stack has on the
// metrics published in its region (docs/alarms.md): replication lag of the
// region's Aurora cluster and cache group, S3 replication into and out of
// its buckets, and its load balancer and service. The defaults and the
// figures behind them: monitoring.DefaultThresholds.
type Alarms struct {
	// Seconds of AuroraGlobalDBReplicationLag (published in milliseconds)
	// held for 5 minutes that raise an alarm; typical lag is under 1 s, and
	// the runbook's switchover refuses above 5 s.
	//
	// Allowed: [monitoring.LagRange].
	AuroraReplicationLagSeconds float64 `yaml:"auroraReplicationLagSeconds"`
	// Seconds of AuroraGlobalDBRPOLag (the writes a failover would lose)
	// held for 5 minutes that raise an alarm.
	//
	// Allowed: [monitoring.LagRange].
	AuroraRpoLagSeconds float64 `yaml:"auroraRpoLagSeconds"`
	// Seconds of GlobalDatastoreReplicationLag held for 5 minutes that
	// raise an alarm.
	//
	// Allowed: [monitoring.LagRange].
	CacheReplicationLagSeconds float64 `yaml:"cacheReplicationLagSeconds"`
	// Seconds an S3 replication rule's destination may be behind
	// (ReplicationLatency) for 5 minutes; the default is Replication Time
	// Control's 15 minutes.
	//
	// Allowed: [monitoring.S3LatencyRange].
	S3ReplicationLatencySeconds float64 `yaml:"s3ReplicationLatencySeconds"`
	// Failed replication operations of a rule (OperationsFailedReplication)
	// tolerated in 5 minutes; 0: any raises the alarm.
	//
	// Allowed: [monitoring.CountRange].
	S3FailedOperations float64 `yaml:"s3FailedOperations"`
	// 5xx responses a minute, of the targets or of the load balancer
	// itself, held for 5 minutes that raise an alarm.
	//
	// Allowed: [monitoring.RateRange].
	Alb5xxPerMinute float64 `yaml:"alb5xxPerMinute"`
	// Unhealthy targets (UnHealthyHostCount) tolerated for 5 minutes; 0:
	// any raises the alarm.
	//
	// Allowed: [monitoring.CountRange].
	UnhealthyTargets float64 `yaml:"unhealthyTargets"`
	// Minutes the service may run fewer tasks than desired before an alarm.
	//
	// Allowed: [monitoring.MinutesRange].
	TasksBelowDesiredMinutes int `yaml:"tasksBelowDesiredMinutes"`
	// Who is notified: subscribed to each region's alarm topic. None (the
	// default): the alarms are on the dashboards and in the console only.
	// Point each region's notifications at something that survives the
	// other region.
	//
	// Allowed: email addresses, https:// URLs, SQS queue ARNs or Lambda
	// function ARNs ([monitoring.ValidateEndpoint]), each once.
	Endpoints []string `yaml:"endpoints"`
}

// Provider tunes the Terraform AWS provider of every stack.
type Provider struct {
	// How many attempts the provider makes at an AWS call that fails with a
	// retryable error (throttling, 5xx, a dropped connection) before it
	// gives up. The provider's own default, 25, backs off for many minutes
	// against a dead regional endpoint; 10 makes a plan against a dark
	// region fail in about a minute (docs/switching.md) while still riding out ordinary
	// throttling.
	//
	// Allowed: [MinProviderMaxRetries] to [MaxProviderMaxRetries].
	MaxRetries int `yaml:"maxRetries"`
}

// Provider retry bounds: at least one attempt (the AWS provider treats 0 as
// its own default, 25); more than that default only lengthens an outage's
// wait.
const (
	MinProviderMaxRetries = 1
	MaxProviderMaxRetries = 25
)

// Default returns the built-in configuration, complete and valid: the app
// synthesizes with it and nothing else set.
func Default() Config {
	cfg := defaults()
	cfg.complete()
	return cfg
}

// defaults is what a config file is read over; settings derived from others
// (activeRegion from primaryRegion) are filled in after, by complete.
func defaults() Config {
	return Config{
		Name:            "pilotlight",
		Environment:     "dev",
		PrimaryRegion:   "us-east-1",
		FailoverRegions: []string{"us-west-2"},
		Service: Service{
			Image:           "public.ecr.aws/nginx/nginx:stable",
			ContainerPort:   80,
			Cpu:             256,
			Memory:          512,
			DesiredCount:    2,
			HealthCheckPath: "/",
		},
		Network: Network{AzCount: 2, StandbyEgress: EgressNone},
		// The data tier's defaults are the constructs' own.
		Database: Database{
			Mode:                data.DatabaseNew,
			EngineVersion:       data.DefaultDatabaseEngineVersion,
			InstanceClass:       data.DefaultDatabaseInstanceClass,
			SecondaryInstances:  1,
			DatabaseName:        data.DefaultDatabaseName,
			MasterUsername:      data.DefaultMasterUsername,
			BackupRetentionDays: data.DefaultBackupRetentionDays,
			Port:                data.DefaultDatabasePort,
		},
		Cache: Cache{
			NodeType:              data.DefaultCacheNodeType,
			EngineVersion:         data.DefaultCacheEngineVersion,
			Replicas:              data.DefaultCacheReplicas,
			SnapshotRetentionDays: data.DefaultSnapshotRetentionDays,
			Port:                  data.DefaultCachePort,
		},
		Buckets: []Bucket{{Name: "data"}},
		Edge: Edge{
			PriceClass:          "PriceClass_100",
			ApiPathPattern:      "/api/*",
			FailoverStatusCodes: []int{500, 502, 503, 504},
		},
		DNS:              DNS{TTL: dns.DefaultTTL, HealthCheckInterval: dns.DefaultHealthCheckInterval, FailureThreshold: dns.DefaultFailureThreshold},
		Backend:          Backend{Type: BackendLocal},
		Provider:         Provider{MaxRetries: 10},
		Alarms:           defaultAlarms(),
		LogRetentionDays: 90,
	}
}

// defaultAlarms takes its thresholds from the alarms' own defaults, so
// the figures are stated once (monitoring.DefaultThresholds).
func defaultAlarms() Alarms {
	t := monitoring.DefaultThresholds()
	return Alarms{
		AuroraReplicationLagSeconds: t.AuroraReplicationLagSeconds,
		AuroraRpoLagSeconds:         t.AuroraRPOLagSeconds,
		CacheReplicationLagSeconds:  t.CacheReplicationLagSeconds,
		S3ReplicationLatencySeconds: t.S3ReplicationLatencySeconds,
		S3FailedOperations:          t.S3FailedOperations,
		Alb5xxPerMinute:             t.LoadBalancer5xxPerMinute,
		UnhealthyTargets:            t.UnhealthyTargets,
		TasksBelowDesiredMinutes:    t.TasksBelowDesiredMinutes,
	}
}

// Thresholds are the alarms' thresholds as the monitoring constructs take
// them.
func (a Alarms) Thresholds() monitoring.Thresholds {
	return monitoring.Thresholds{
		AuroraReplicationLagSeconds: a.AuroraReplicationLagSeconds,
		AuroraRPOLagSeconds:         a.AuroraRpoLagSeconds,
		CacheReplicationLagSeconds:  a.CacheReplicationLagSeconds,
		S3ReplicationLatencySeconds: a.S3ReplicationLatencySeconds,
		S3FailedOperations:          a.S3FailedOperations,
		LoadBalancer5xxPerMinute:    a.Alb5xxPerMinute,
		UnhealthyTargets:            a.UnhealthyTargets,
		TasksBelowDesiredMinutes:    a.TasksBelowDesiredMinutes,
	}
}

// Backend types.
const (
	BackendLocal = "local"
	BackendS3    = "s3"
)

// FromEnv loads the file named by PILOTLIGHT_CONFIG over the defaults, or
// returns the defaults when the variable is unset or empty. The result is
// validated; a non-nil error is a *Problems listing everything wrong.
func FromEnv() (Config, error) {
	path := os.Getenv(EnvVar)
	if path == "" {
		cfg := Default()
		return cfg, cfg.Validate()
	}
	return Load(path)
}

// Load reads the YAML or JSON file at path over the defaults and validates the
// result.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, &Problems{Source: path, List: []Problem{{Key: EnvVar, Message: fmt.Sprintf("cannot read the config file: %v; point %s at a readable YAML or JSON file, or unset it to use the defaults", err, EnvVar)}}}
	}
	return Parse(path, data)
}

// Parse reads config text (YAML or JSON) over the defaults and validates the
// result. source names the text in error messages.
func Parse(source string, data []byte) (Config, error) {
	cfg := defaults()
	problems, read := decode(data, &cfg)
	if !read {
		return Config{}, &Problems{Source: source, List: problems}
	}
	// What was read is validated even when something was not, so every
	// problem is reported at once; the problems that only follow from a
	// value that was not read are left out.
	cfg.complete()
	if err := cfg.Validate(); err != nil {
		problems = append(problems, withoutConsequences(err.(*Problems).List, problems)...)
	}
	if len(problems) > 0 {
		return Config{}, &Problems{Source: source, List: problems}
	}
	return cfg, nil
}

// complete fills the defaults that depend on other settings. It is the one
// place where derived defaults are applied.
func (c *Config) complete() {
	if c.ActiveRegion == "" {
		c.ActiveRegion = c.PrimaryRegion
	}
	for i := range c.Buckets {
		b := &c.Buckets[i]
		b.DeleteMarkerReplication = orDefault(b.DeleteMarkerReplication, false)
		b.ReplicationTimeControl = orDefault(b.ReplicationTimeControl, true)
		b.ReverseReplication = orDefault(b.ReverseReplication, true)
		if b.NoncurrentVersionDays == 0 {
			b.NoncurrentVersionDays = 90
		}
	}
	if c.DNS.Enabled() && c.DNS.Name != "" {
		// With DNS, each region's origin defaults to REGION.NAME, and a
		// region without a certificate gets one the app creates.
		if c.Edge.Origins == nil {
			c.Edge.Origins = map[string]EdgeOrigin{}
		}
		for _, r := range c.Regions() {
			if o := c.Edge.Origins[r]; o.Domain == "" {
				o.Domain = r + "." + c.DNS.Name
				c.Edge.Origins[r] = o
			}
		}
	}
	if c.Backend.Type == BackendS3 {
		if c.Backend.KeyPrefix == "" {
			c.Backend.KeyPrefix = c.Name + "/" + c.Environment
		}
		if c.Backend.UseLockfile == nil {
			lock := c.Backend.DynamodbTable == ""
			c.Backend.UseLockfile = &lock
		}
	}
}

func orDefault(v *bool, def bool) *bool {
	if v == nil {
		return &def
	}
	return v
}

// Regions lists the primary region first, then the failover regions in order.
func (c Config) Regions() []string {
	return append([]string{c.PrimaryRegion}, c.FailoverRegions...)
}

// StandbyRegion is the region CloudFront falls back to when the active region
// fails: the primary when a failover region is active, else the first
// failover region.
func (c Config) StandbyRegion() string {
	if c.ActiveRegion != c.PrimaryRegion {
		return c.PrimaryRegion
	}
	return c.FailoverRegions[0]
}

// VpcCidr is the region's VPC CIDR: the configured one or the derived default.
func (c Config) VpcCidr(region string) string {
	if cidr, ok := c.Network.VpcCidrs[region]; ok {
		return cidr
	}
	for i, r := range c.Regions() {
		if r == region {
			return fmt.Sprintf("10.%d.0.0/16", 10+i)
		}
	}
	return ""
}

// ImageIn is the service image as pulled in region, with {region} filled in.
func (c Config) ImageIn(region string) string {
	return strings.ReplaceAll(c.Service.Image, "{region}", region)
}
