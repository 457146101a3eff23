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

	"github.com/pilotlight/pilotlight/constructs/data"
	"github.com/pilotlight/pilotlight/constructs/dns"
	"github.com/pilotlight/pilotlight/constructs/monitoring"
)

// ReservedTagPrefix starts the tag keys the app sets on every resource to
// name its stack and role; config.tags may not use it.
const ReservedTagPrefix = "pilotlight:"

// EnvVar names the environment variable that points at the config file.
const EnvVar = "PILOTLIGHT_CONFIG"

// Config is everything a user can set. Keys in the file are the yaml tags
// (camelCase); a key the struct does not have is an error, never ignored.
type Config struct {
	// Name is the system's name; with Environment it prefixes every resource name.
	Name string `yaml:"name"`
	// Environment is the deployment stage, such as dev or prod.
	Environment string `yaml:"environment"`
	// PrimaryRegion runs the system in normal operation and owns the writable data.
	PrimaryRegion string `yaml:"primaryRegion"`
	// FailoverRegions hold the pilot-light copies: one or two regions (the
	// ElastiCache Global Datastore limit is two secondaries).
	FailoverRegions []string `yaml:"failoverRegions"`
	// ActiveRegion is where the service runs. Default: PrimaryRegion. Setting it
	// to a failover region is the region switch.
	ActiveRegion string `yaml:"activeRegion"`

	Service  Service  `yaml:"service"`
	Network  Network  `yaml:"network"`
	Database Database `yaml:"database"`
	Cache    Cache    `yaml:"cache"`
	// Buckets are the S3 buckets the app keeps data in; each exists in every
	// region and replicates from the primary region's.
	Buckets []Bucket `yaml:"buckets"`
	Edge    Edge     `yaml:"edge"`
	// DNS, when it names a hosted zone, moves every request between regions
	// on the data plane: CloudFront reaches the active region through a
	// Route 53 failover name, and the traffic switch (an S3 object in the
	// standby region that an inverted Route 53 health check reads;
	// docs/decisions/traffic-switch.md) moves it with no control-plane call.
	DNS     DNS     `yaml:"dns"`
	Backend Backend `yaml:"backend"`
	// Provider tunes the AWS provider of every stack.
	Provider Provider `yaml:"provider"`
	// Operator, when it names principals, adds the runbook's operator role
	// to the global stack.
	Operator Operator `yaml:"operator"`
	// Alarms sets the thresholds of the replication and health alarms in
	// every region, and who is notified.
	Alarms Alarms `yaml:"alarms"`

	// LogRetentionDays applies to every log group the app creates.
	LogRetentionDays int `yaml:"logRetentionDays"`
	// Tags are added to every taggable resource, besides the app's own tags
	// (Project: name, Environment: environment, ManagedBy: pilotlight, and
	// the ReservedTagPrefix keys). A user's Project, Environment or
	// ManagedBy is kept in place of the app's; a ReservedTagPrefix key is
	// refused.
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

// Service sizes the containerised workload that runs in the active region.
type Service struct {
	// Image is the container image. "{region}" is replaced by each region's
	// name, so each region can pull from its own (replicated) ECR registry.
	Image           string `yaml:"image"`
	ContainerPort   int    `yaml:"containerPort"`
	Cpu             int    `yaml:"cpu"`
	Memory          int    `yaml:"memory"`
	DesiredCount    int    `yaml:"desiredCount"`
	HealthCheckPath string `yaml:"healthCheckPath"`
}

// Database configures the Aurora PostgreSQL Global Database.
type Database struct {
	// Mode: new (an empty global cluster), snapshot (the primary restored
	// from SnapshotIdentifier) or cluster (built from the existing primary
	// cluster SourceClusterArn, whose master password is in the secret
	// MasterSecretName, replicated to every failover region).
	Mode               string `yaml:"mode"`
	SnapshotIdentifier string `yaml:"snapshotIdentifier"`
	SourceClusterArn   string `yaml:"sourceClusterArn"`
	MasterSecretName   string `yaml:"masterSecretName"`
	// EngineVersion is the Aurora PostgreSQL version (MAJOR.MINOR) every
	// cluster is created at. Once the global database exists it must be
	// the version it runs: the app never upgrades a deployed global
	// database (the pinned AWS provider cannot), and a plan whose version
	// differs stops, printing the upgrade commands the Aurora User Guide
	// gives (constructs/data/upgrades.go). In cluster mode it must be the
	// existing cluster's version from the start.
	EngineVersion string `yaml:"engineVersion"`
	InstanceClass string `yaml:"instanceClass"`
	// Readers run in the primary region beside the writer.
	Readers int `yaml:"readers"`
	// SecondaryInstances run in each failover region; 0 is a headless
	// secondary (storage only: cheapest, slower to promote).
	SecondaryInstances  int    `yaml:"secondaryInstances"`
	DatabaseName        string `yaml:"databaseName"`
	MasterUsername      string `yaml:"masterUsername"`
	BackupRetentionDays int    `yaml:"backupRetentionDays"`
	// Port is the port of the clusters the app creates (DATABASE_PORT in
	// their region's tasks). In cluster mode the existing primary cluster
	// keeps its own port, which the primary region's tasks get instead,
	// read from the cluster at plan; the secondaries use this one.
	Port int `yaml:"port"`
}

// Cache configures the ElastiCache (Redis OSS) Global Datastore.
type Cache struct {
	NodeType      string `yaml:"nodeType"`
	EngineVersion string `yaml:"engineVersion"`
	// Replicas is each region's read replicas beside its primary node. A
	// change is applied to each member group by its own region's stack
	// (data.CacheProps.Replicas says how, and why AWS takes it).
	Replicas              int `yaml:"replicas"`
	SnapshotRetentionDays int `yaml:"snapshotRetentionDays"`
	Port                  int `yaml:"port"`
}

// Bucket is one replicated S3 bucket. Unset switches take the defaults
// noted.
type Bucket struct {
	Name string `yaml:"name"`
	// DeleteMarkerReplication (default false) replicates deletes; off, the
	// failover copy survives deletes in the primary.
	DeleteMarkerReplication *bool `yaml:"deleteMarkerReplication"`
	// ReplicationTimeControl (default true): 99.99% within 15 minutes.
	ReplicationTimeControl *bool `yaml:"replicationTimeControl"`
	// ReverseReplication (default true) replicates failover buckets back, so
	// failing back needs no re-seeding.
	ReverseReplication *bool `yaml:"reverseReplication"`
	// NoncurrentVersionDays (default 90) keeps old versions that long.
	NoncurrentVersionDays int `yaml:"noncurrentVersionDays"`
}

// Network shapes each region's VPC.
type Network struct {
	// VpcCidrs maps a region to its VPC CIDR. Regions left out get
	// 10.(10+i).0.0/16, i being the region's position (primary first).
	VpcCidrs map[string]string `yaml:"vpcCidrs"`
	// AzCount is how many availability zones each VPC spans (2 or 3).
	AzCount int `yaml:"azCount"`
	// StandbyEgress is how tasks in a standby region would reach the image
	// registry, Secrets Manager and CloudWatch Logs, the day they start there:
	// EgressNone (default: nothing standing; the switch's deploy creates the
	// NAT gateways), EgressNat (NAT gateways kept in standby regions too) or
	// EgressEndpoints (VPC endpoints in every region; the image must be in
	// the region's own private ECR registry).
	StandbyEgress string `yaml:"standbyEgress"`
}

// Standby egress choices (network.standbyEgress).
const (
	EgressNone      = "none"
	EgressNat       = "nat"
	EgressEndpoints = "endpoints"
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

// Edge configures the CloudFront distribution in front of the regions.
type Edge struct {
	PriceClass string `yaml:"priceClass"`
	// ApiPathPattern routes writes (all HTTP methods) straight to the active
	// region: CloudFront origin groups only serve GET, HEAD and OPTIONS.
	ApiPathPattern      string `yaml:"apiPathPattern"`
	FailoverStatusCodes []int  `yaml:"failoverStatusCodes"`
	// CertificateArn is an ACM certificate in us-east-1 for Aliases; without it
	// the distribution uses its *.cloudfront.net name and certificate.
	CertificateArn string   `yaml:"certificateArn"`
	Aliases        []string `yaml:"aliases"`
	// Origins, set for every region or none, give each region's load
	// balancer a domain and a certificate, so CloudFront reaches it over
	// TLS 1.2+ (the ALB listens on HTTPS 443). Point each domain at the
	// region's load_balancer_dns_name output. With dns set, a region left
	// out gets REGION.<dns.name>, the app creates its record, and a
	// certificate left out is created (ACM, validated in the zone) by the
	// global stack.
	Origins map[string]EdgeOrigin `yaml:"origins"`
	// LogBucket is an S3 bucket domain name (BUCKET.s3.amazonaws.com, ACLs
	// enabled, as CloudFront standard logging needs) for access logs.
	LogBucket string `yaml:"logBucket"`
	// WebAclArn is a WAFv2 web ACL with scope CLOUDFRONT.
	WebAclArn string `yaml:"webAclArn"`
}

// DNS is the Route 53 hosted zone the app owns names in. Unset (the
// default), the app creates no DNS and writes follow activeRegion only when
// the edge stack is deployed.
type DNS struct {
	// ZoneId (Z followed by upper-case letters and digits) or ZoneName (the
	// zone's domain) names the public hosted zone; one of them turns DNS on.
	ZoneId   string `yaml:"zoneId"`
	ZoneName string `yaml:"zoneName"`
	// Name is the failover name in the zone that CloudFront reaches the
	// active region by, such as origin.example.com.
	Name string `yaml:"name"`
	// TTL of the failover records, in seconds.
	TTL int `yaml:"ttl"`
	// HealthCheckInterval (10 or 30 seconds) and FailureThreshold (1 to 10)
	// set how fast Route 53 notices a region fail.
	HealthCheckInterval int `yaml:"healthCheckInterval"`
	FailureThreshold    int `yaml:"failureThreshold"`
}

// Enabled reports whether the config sets dns: a zone or a name (a name
// without a zone is then an error, not silently no dns).
func (d DNS) Enabled() bool { return d.ZoneId != "" || d.ZoneName != "" || d.Name != "" }

// EdgeOrigin is one region's origin as CloudFront reaches it over TLS.
type EdgeOrigin struct {
	Domain         string `yaml:"domain"`
	CertificateArn string `yaml:"certificateArn"`
}

// Backend selects where every stack keeps its Terraform state.
type Backend struct {
	// Type is "local" (default, works offline) or "s3".
	Type string `yaml:"type"`
	// Bucket, Region, KeyPrefix, DynamodbTable, UseLockfile and KmsKeyId apply
	// to the s3 type. Region must be outside the app's regions, so that losing
	// any one of them leaves every stack's state readable.
	Bucket        string `yaml:"bucket"`
	Region        string `yaml:"region"`
	KeyPrefix     string `yaml:"keyPrefix"`
	DynamodbTable string `yaml:"dynamodbTable"`
	UseLockfile   *bool  `yaml:"useLockfile"`
	KmsKeyId      string `yaml:"kmsKeyId"`
}

// Operator configures the optional IAM role the region-switch commands
// (status, switchover, failover, failback) run as.
type Operator struct {
	// Principals are the IAM role, user or account ARNs that may assume the
	// role. None (the default) creates no role.
	Principals []string `yaml:"principals"`
}

// Alarms configures the CloudWatch alarms each regional stack has on the
// metrics published in its region (docs/monitoring.md): replication lag of the
// region's Aurora cluster and cache group, S3 replication into and out of
// its buckets, and its load balancer and service. Defaults and the figures
// behind them: monitoring.DefaultThresholds.
type Alarms struct {
	// AuroraReplicationLagSeconds and AuroraRpoLagSeconds: the
	// AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag (each published
	// in milliseconds) that held for 5 minutes raise an alarm, in seconds
	// (default 5: typical lag is under 1 s, and the runbook's switchover
	// refuses above 5 s).
	AuroraReplicationLagSeconds float64 `yaml:"auroraReplicationLagSeconds"`
	AuroraRpoLagSeconds         float64 `yaml:"auroraRpoLagSeconds"`
	// CacheReplicationLagSeconds: GlobalDatastoreReplicationLag held for 5
	// minutes, in seconds (default 5).
	CacheReplicationLagSeconds float64 `yaml:"cacheReplicationLagSeconds"`
	// S3ReplicationLatencySeconds: ReplicationLatency of a rule held for 5
	// minutes (default 900, Replication Time Control's 15 minutes).
	S3ReplicationLatencySeconds float64 `yaml:"s3ReplicationLatencySeconds"`
	// S3FailedOperations: OperationsFailedReplication of a rule in 5 minutes
	// above this (default 0: any).
	S3FailedOperations float64 `yaml:"s3FailedOperations"`
	// Alb5xxPerMinute: 5xx responses of the targets or of the load
	// balancer per minute, held for 5 minutes (default 10).
	Alb5xxPerMinute float64 `yaml:"alb5xxPerMinute"`
	// UnhealthyTargets: UnHealthyHostCount above this for 5 minutes
	// (default 0: any).
	UnhealthyTargets float64 `yaml:"unhealthyTargets"`
	// TasksBelowDesiredMinutes: how long the service may run fewer tasks
	// than desired (default 5).
	TasksBelowDesiredMinutes int `yaml:"tasksBelowDesiredMinutes"`
	// Endpoints are subscribed to each region's alarm topic: email
	// addresses, https:// URLs, SQS queue ARNs or Lambda function ARNs.
	// None (the default): the alarms are on the dashboards and in the
	// console only.
	Endpoints []string `yaml:"endpoints"`
}

// Provider tunes the Terraform AWS provider of every stack.
type Provider struct {
	// MaxRetries is how many attempts the provider makes at an AWS call that
	// fails with a retryable error (throttling, 5xx, a dropped connection)
	// before it gives up. The provider's own default, 25, backs off for many
	// minutes against a dead regional endpoint; the app's default, 10, makes a
	// plan against a dark region fail in about a minute (docs/switching.md,
	// bounded retries) while still riding out ordinary throttling.
	MaxRetries int `yaml:"maxRetries"`
}

// Provider retry bounds: at least one attempt; more than the provider's own
// default only lengthens an outage's wait.
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
