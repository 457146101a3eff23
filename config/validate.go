package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pilotlight/pilotlight/spec/awsenv"
	"github.com/pilotlight/pilotlight/spec/compute"
	"github.com/pilotlight/pilotlight/spec/data"
	"github.com/pilotlight/pilotlight/spec/dns"
	"github.com/pilotlight/pilotlight/spec/edge"
	"github.com/pilotlight/pilotlight/spec/identity"
	"github.com/pilotlight/pilotlight/spec/logs"
	"github.com/pilotlight/pilotlight/spec/monitoring"
	"github.com/pilotlight/pilotlight/spec/network"
	"github.com/pilotlight/pilotlight/spec/storage"
)

// Problem is one thing wrong with a config: the key and what to do.
type Problem struct {
	Key     string
	Message string
	// unknown marks a key the file has and the config does not: what
	// the user meant under its parent was not read.
	unknown bool
}

// Problems is every problem found in one config, reported together.
type Problems struct {
	Source string // the file, or "defaults"
	List   []Problem
}

func (p *Problems) Error() string {
	var b strings.Builder
	source := p.Source
	if source == "" {
		source = "built-in defaults"
	}
	fmt.Fprintf(&b, "invalid config (%s): %d problem(s)", source, len(p.List))
	for _, problem := range p.List {
		fmt.Fprintf(&b, "\n  %s: %s", problem.Key, problem.Message)
	}
	return b.String()
}

// MaxFailoverRegions is the ElastiCache Global Datastore limit: a primary and
// at most two secondary regions.
const MaxFailoverRegions = 2

var identifier = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)

// Validate checks the whole config and returns a *Problems with every problem
// found, or nil.
func (c Config) Validate() error {
	var list []Problem
	add := func(key, format string, args ...any) {
		list = append(list, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}

	for key, v := range map[string]string{"name": c.Name, "environment": c.Environment} {
		if !identifier.MatchString(v) || strings.Contains(v, "--") {
			add(key, "%q must start with a lower-case letter and hold only a-z, 0-9 and single hyphens, not ending in a hyphen", v)
		}
	}
	c.validateNames(add)
	c.validateRegions(add)

	s := c.Service
	if s.Image == "" {
		add("service.image", "required: a container image reference")
	} else {
		for _, r := range c.Regions() {
			if err := compute.ValidateImage(c.ImageIn(r)); err != nil {
				add("service.image", "%v", err)
				break
			}
		}
	}
	if err := compute.ValidatePort(s.ContainerPort); err != nil {
		add("service.containerPort", "%v", err)
	}
	if err := compute.ValidateFargateSize(s.Cpu, s.Memory); err != nil {
		add("service.cpu/service.memory", "%v", err)
	}
	if s.DesiredCount < 1 {
		add("service.desiredCount", "%d: the active region must run at least 1 task (standby regions run 0 on their own)", s.DesiredCount)
	} else if s.DesiredCount > compute.MaxDesiredCount {
		add("service.desiredCount", "%d: an ECS service runs at most %d tasks (the Tasks per service quota, AWS General Reference, \"Amazon ECS endpoints and quotas\")", s.DesiredCount, compute.MaxDesiredCount)
	}
	if err := compute.ValidateHealthCheckPath(s.HealthCheckPath); err != nil {
		add("service.healthCheckPath", "%v", err)
	} else if c.DNS.Enabled() {
		if err := dns.ValidateHealthCheckPath(s.HealthCheckPath); err != nil {
			add("service.healthCheckPath", "%v; with dns, shorten it", err)
		}
	}
	c.validateImage(add)

	c.validateNetwork(add)

	if err := logs.ValidateRetentionDays(c.LogRetentionDays); err != nil {
		add("logRetentionDays", "%v", err)
	}
	e := c.Edge
	if err := edge.ValidatePriceClass(e.PriceClass); err != nil {
		add("edge.priceClass", "%v", err)
	}
	if err := edge.ValidateApiPathPattern(e.ApiPathPattern); err != nil {
		add("edge.apiPathPattern", "%v", err)
	}
	if err := edge.ValidateFailoverStatusCodes(e.FailoverStatusCodes); err != nil {
		add("edge.failoverStatusCodes", "%v", err)
	}
	if e.CertificateArn != "" {
		if err := edge.ValidateCertificateArn(e.CertificateArn); err != nil {
			add("edge.certificateArn", "%v", err)
		}
	}
	for i, a := range e.Aliases {
		if err := edge.ValidateAlias(a); err != nil {
			add(fmt.Sprintf("edge.aliases[%d]", i), "%v", err)
		}
	}
	if len(e.Aliases) > 0 && e.CertificateArn == "" {
		add("edge.aliases", "need edge.certificateArn: an ACM certificate in us-east-1 that covers them")
	}

	c.validateOrigins(add)
	c.validateDNS(add)
	if e.LogBucket != "" {
		if err := edge.ValidateLogBucket(e.LogBucket); err != nil {
			add("edge.logBucket", "%v", err)
		}
	}
	if e.WebAclArn != "" {
		if err := edge.ValidateWebAclArn(e.WebAclArn); err != nil {
			add("edge.webAclArn", "%v", err)
		}
	}
	c.validateData(add)
	c.validateDependents(add)
	c.validateBackend(add)
	if r := c.Provider.MaxRetries; r < MinProviderMaxRetries || r > MaxProviderMaxRetries {
		add("provider.maxRetries", "%d: use %d to %d attempts (the AWS provider treats 0 as its own default, 25, which retries a dead region for many minutes)", r, MinProviderMaxRetries, MaxProviderMaxRetries)
	}
	for i, arn := range c.Operator.Principals {
		if err := identity.ValidatePrincipalArn(arn); err != nil {
			add(fmt.Sprintf("operator.principals[%d]", i), "%v", err)
		}
	}
	c.validateAlarms(add)
	c.validateTags(add)

	if len(list) == 0 {
		return nil
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Key < list[j].Key })
	return &Problems{List: list}
}

// Tag limits every service the app tags shares ("Tagging AWS resources and
// Tag Editor", Tag naming limits and requirements; the same in each
// service's API Reference, such as ECS's Tag): at most MaxTagsPerResource
// user tags on a resource, keys of 1 to 128 and values of at most 256
// Unicode characters, of letters, digits, spaces and + - = . _ : / @, and
// no aws: prefix (reserved for AWS).
const (
	MaxTagsPerResource = 50
	MaxTagKeyLength    = 128
	MaxTagValueLength  = 256
)

// appTagKeys are the tags the app puts on every resource itself (the
// provider's default tags, stacks.newProvider), and Name, which most
// resources also carry. A user's Project, Environment or ManagedBy takes
// the app's place instead of adding a tag.
var appTagKeys = []string{"Project", "Environment", "ManagedBy", ReservedTagPrefix + "role", ReservedTagPrefix + "stack", "Name"}

func (c Config) validateTags(add func(string, string, ...any)) {
	total := len(appTagKeys)
	for _, k := range slices.Sorted(maps.Keys(c.Tags)) {
		v := c.Tags[k]
		key := "tags." + k
		if !slices.Contains(appTagKeys, k) {
			total++
		}
		switch {
		case k == "":
			add("tags", "a tag key is empty; give every tag a key")
		case strings.HasPrefix(k, ReservedTagPrefix):
			add(key, "keys starting %s are the app's own (each stack's role and name); use another key", ReservedTagPrefix)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			add(key, "tag keys must not start with aws: (reserved for AWS); use another key")
		case utf8.RuneCountInString(k) > MaxTagKeyLength:
			add(key, "%d characters: tag keys take at most %d", utf8.RuneCountInString(k), MaxTagKeyLength)
		case !tagText(k):
			add(key, "the key holds a character AWS tags do not take; use letters, digits, spaces and + - = . _ : / @")
		}
		switch {
		case utf8.RuneCountInString(v) > MaxTagValueLength:
			add(key, "the value has %d characters: tag values take at most %d", utf8.RuneCountInString(v), MaxTagValueLength)
		case !tagText(v):
			add(key, "the value %q holds a character AWS tags do not take; use letters, digits, spaces and + - = . _ : / @", v)
		}
	}
	if total > MaxTagsPerResource {
		add("tags", "%d tags with the app's own %d (%s) on each resource; AWS takes at most %d per resource: remove %d", total, len(appTagKeys), strings.Join(appTagKeys, ", "), MaxTagsPerResource, total-MaxTagsPerResource)
	}
}

// tagText reports whether s holds only what AWS tags take: letters, digits,
// spaces and + - = . _ : / @.
func tagText(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !strings.ContainsRune("+-=._:/@", r) {
			return false
		}
	}
	return true
}

// validateNames checks every derived name against its AWS limit, naming the
// keys that feed it.
func (c Config) validateNames(add func(string, string, ...any)) {
	n := c.Names()
	key := "name/environment"
	for _, name := range []string{n.LoadBalancer(), n.TargetGroup()} {
		if err := compute.ValidateLoadBalancerName(name); err != nil {
			add(key, "%v; shorten name or environment (ALB and target group names are at most 32 characters)", err)
		}
	}
	for _, r := range c.Regions() {
		if awsenv.ValidateRegion(r) != nil {
			continue
		}
		if err := data.ValidateReplicationGroupID(n.RegionalData(r)); err != nil {
			add(key, "%v; shorten name or environment", err)
		}
		if err := storage.ValidateBucketName(n.AccessLogBucket(r, storage.AccountPlaceholder)); err != nil {
			add(key, "%v (with the 12-digit account id); shorten name or environment", err)
		}
		if c.DNS.Enabled() {
			if err := storage.ValidateBucketName(n.TrafficSwitchBucket(r, storage.AccountPlaceholder)); err != nil {
				add(key, "%v (the traffic switch's bucket, with the 12-digit account id); shorten name or environment", err)
			}
		}
		for _, b := range c.Buckets {
			if data.ValidateBucketLogicalName(b.Name) != nil {
				continue
			}
			if err := storage.ValidateBucketName(n.Bucket(b.Name, r, storage.AccountPlaceholder)); err != nil {
				add(key, "%v (with the 12-digit account id); shorten name, environment or the bucket's name", err)
			}
		}
	}
	for _, name := range []string{n.ExecutionRole(), n.TaskRole(), n.FlowLogsRole(), n.ReplicationRole(), n.OperatorRole()} {
		if err := identity.ValidateRoleName(name); err != nil {
			add(key, "%v; shorten name or environment", err)
		}
	}
}

func (c Config) validateRegions(add func(string, string, ...any)) {
	valid := map[string]bool{}
	check := func(key, region string) {
		if err := awsenv.ValidateRegion(region); err != nil {
			add(key, "%v", err)
			return
		}
		valid[region] = true
	}
	check("primaryRegion", c.PrimaryRegion)
	if len(c.FailoverRegions) == 0 {
		add("failoverRegions", "required: one or two regions that hold the pilot-light copy")
	}
	if len(c.FailoverRegions) > MaxFailoverRegions {
		add("failoverRegions", "%d regions given; at most %d (an ElastiCache Global Datastore has at most two secondary regions)", len(c.FailoverRegions), MaxFailoverRegions)
	}
	seen := map[string]string{c.PrimaryRegion: "primaryRegion"}
	for i, r := range c.FailoverRegions {
		key := fmt.Sprintf("failoverRegions[%d]", i)
		check(key, r)
		if first, dup := seen[r]; dup {
			add(key, "%s is listed twice (already %s); every region must be different", r, first)
		}
		seen[r] = key
	}
	if _, ok := seen[c.ActiveRegion]; !ok {
		add("activeRegion", "%q is neither primaryRegion nor one of failoverRegions (%s)", c.ActiveRegion, strings.Join(c.Regions(), ", "))
	}
	partitions := map[string]bool{}
	for r := range valid {
		partitions[awsenv.PartitionOf(r)] = true
	}
	if len(partitions) > 1 {
		add("failoverRegions", "regions span AWS partitions (%s); global databases and roles cannot cross partitions", strings.Join(c.Regions(), ", "))
	}
	if valid[c.PrimaryRegion] {
		if p := awsenv.PartitionOf(c.PrimaryRegion); p != BuiltPartition {
			why, ok := unbuiltPartitions[p]
			if !ok {
				why = "its global services are not managed from us-east-1"
			}
			add("primaryRegion", "%s is in the %s partition, which the app does not build correctly: %s. Use regions of the %s partition (the commercial AWS regions)", c.PrimaryRegion, p, why, BuiltPartition)
		}
	}
}

// BuiltPartition is the one AWS partition the app builds: its global
// stack (IAM, ACM for CloudFront) and edge stack (CloudFront) are managed
// from us-east-1 (stacks.GlobalRegion), which only the aws partition has.
const BuiltPartition = "aws"

// unbuiltPartitions says, per partition, what the app would get wrong
// there; each is refused rather than synthesized as the commercial one.
var unbuiltPartitions = map[string]string{
	// AWS General Reference, "AWS Identity and Access Management
	// endpoints and quotas": the China regions' IAM endpoint is in
	// cn-north-1.
	"aws-cn": "its IAM endpoint is in cn-north-1, not us-east-1, and its ARNs are arn:aws-cn:",
	// AWS GovCloud (US) User Guide, "Services in AWS GovCloud (US)
	// Regions": CloudFront is not offered; IAM is managed from
	// us-gov-west-1.
	"aws-us-gov": "AWS GovCloud (US) has no CloudFront for the edge stack, its IAM is managed from us-gov-west-1, and its ARNs are arn:aws-us-gov:",
	"aws-iso":    "the ISO partition has no CloudFront for the edge stack and its own IAM region and ARNs (arn:aws-iso:)",
	"aws-iso-b":  "the ISO-B partition has no CloudFront for the edge stack and its own IAM region and ARNs (arn:aws-iso-b:)",
}

// validateImage refuses an ECR image pinned to one region: the failover
// region could not pull it while that region is down.
func (c Config) validateImage(add func(string, string, ...any)) {
	for _, r := range c.Regions() {
		_, from, _, ok := identity.EcrRepository(c.ImageIn(r))
		if ok && from != r {
			add("service.image", "%s would pull from ECR in %s, which it cannot reach when %s is down; write {region} in place of %s and replicate the repository to every region (ECR replication)", r, from, from, from)
			return
		}
	}
}

func (c Config) validateNetwork(add func(string, string, ...any)) {
	if c.Network.AzCount < network.MinAzCount || c.Network.AzCount > network.MaxAzCount {
		add("network.azCount", "%d: use %d or %d (an ALB needs at least two availability zones)", c.Network.AzCount, network.MinAzCount, network.MaxAzCount)
	}
	switch c.Network.StandbyEgress {
	case EgressNone, EgressNat:
	case EgressEndpoints:
		if awsenv.PartitionOf(c.PrimaryRegion) == "aws-cn" {
			// The network construct builds com.amazonaws.REGION.SERVICE; in
			// the China regions some services' endpoints are named
			// cn.com.amazonaws.REGION.SERVICE instead, service by service.
			add("network.standbyEgress", "endpoints: not available in the China regions, where VPC endpoint service names take a per-service prefix (cn.com.amazonaws for ECR and S3); use nat")
			break
		}
		// VPC endpoints reach AWS services only: ECR's interface endpoints do
		// not serve public registries (ECR User Guide, "Amazon ECR interface
		// VPC endpoints"), and a standby without NAT has no internet route.
		for _, r := range c.Regions() {
			if _, from, _, ok := identity.EcrRepository(c.ImageIn(r)); !ok || from != r {
				add("network.standbyEgress", "endpoints: %s's tasks could not pull %s without NAT (VPC endpoints reach only the region's private ECR registry); use an image in private ECR with {region} in service.image and ECR replication to every region, or standbyEgress: nat", r, c.ImageIn(r))
				break
			}
		}
	default:
		add("network.standbyEgress", "%q: use one of %s", c.Network.StandbyEgress, strings.Join(EgressChoices, ", "))
	}
	regions := map[string]bool{}
	for _, r := range c.Regions() {
		regions[r] = true
	}
	for r := range c.Network.VpcCidrs {
		if !regions[r] {
			add("network.vpcCidrs."+r, "is not one of the app's regions (%s)", strings.Join(c.Regions(), ", "))
		}
	}
	var cidrs []string
	checked := map[string]bool{}
	for _, r := range c.Regions() {
		// A region listed twice is reported once, by validateRegions, not
		// again as its own CIDR overlapping itself.
		if checked[r] {
			continue
		}
		checked[r] = true
		cidr := c.VpcCidr(r)
		if err := network.ValidateCidr(cidr); err != nil {
			add("network.vpcCidrs."+r, "%v", err)
			continue
		}
		for _, other := range cidrs {
			if network.Overlap(cidr, other) {
				add("network.vpcCidrs."+r, "%s overlaps %s; give each region its own range so the VPCs can be peered or joined later", cidr, other)
			}
		}
		cidrs = append(cidrs, cidr)
	}
}

func (c Config) validateOrigins(add func(string, string, ...any)) {
	origins := c.Edge.Origins
	if len(origins) == 0 {
		return
	}
	for _, r := range c.Regions() {
		o, ok := origins[r]
		if !ok {
			add("edge.origins", "no origin for %s; set one for every region or none", r)
			continue
		}
		key := "edge.origins." + r
		if !strings.Contains(o.Domain, ".") || strings.ContainsAny(o.Domain, "/: ") {
			add(key+".domain", "%q is not a domain name", o.Domain)
		}
		switch {
		case o.CertificateArn == "" && c.DNS.Enabled():
			// the global stack creates one
		default:
			if err := awsenv.ValidateCertificateArn(o.CertificateArn, r); err != nil {
				add(key+".certificateArn", "%v: give an ACM certificate in %s that covers %s%s", err, r, o.Domain, c.certificateNames())
			}
		}
	}
	for r := range origins {
		if !slices.Contains(c.Regions(), r) {
			add("edge.origins."+r, "is not one of the app's regions (%s)", strings.Join(c.Regions(), ", "))
		}
	}
}

// certificateNames is what else an origin's certificate must cover.
func (c Config) certificateNames() string {
	if c.DNS.Enabled() && c.DNS.Name != "" {
		return " and " + c.DNS.Name + " (or leave it out and the app creates one)"
	}
	return ""
}

// validateDNS checks the dns block, and what it needs from the edge.
func (c Config) validateDNS(add func(string, string, ...any)) {
	d := c.DNS
	if !d.Enabled() {
		return
	}
	if d.ZoneName == "" {
		add("dns.zoneName", "required with dns: the hosted zone's domain, such as example.com")
	} else if err := dns.ValidateDomainName(d.ZoneName); err != nil {
		add("dns.zoneName", "%v", err)
	}
	if d.ZoneId != "" {
		if err := dns.ValidateZoneID(d.ZoneId); err != nil {
			add("dns.zoneId", "%v", err)
		}
	}
	switch {
	case d.Name == "":
		add("dns.name", "required with dns: the failover name CloudFront reaches the active region by, such as origin.%s", orExample(d.ZoneName))
	case dns.ValidateDomainName(d.Name) != nil:
		add("dns.name", "%v", dns.ValidateDomainName(d.Name))
	case d.ZoneName != "" && dns.ValidateDomainName(d.ZoneName) == nil && dns.ValidateNameInZone(d.Name, d.ZoneName) != nil:
		add("dns.name", "%v", dns.ValidateNameInZone(d.Name, d.ZoneName))
	case slices.Contains(c.Edge.Aliases, d.Name):
		add("dns.name", "%q is also in edge.aliases: viewers reach CloudFront by an alias and CloudFront reaches the regions by dns.name, so they must differ", d.Name)
	}
	if err := dns.ValidateTTL(d.TTL); err != nil {
		add("dns.ttl", "%v", err)
	}
	if err := dns.ValidateHealthCheck(d.HealthCheckInterval, d.FailureThreshold); err != nil {
		add("dns.healthCheckInterval/dns.failureThreshold", "%v", err)
	}
	if len(d.Name) > dns.MaxCommonName && c.createsCertificates() {
		add("dns.name", "%d characters: the app's certificates name it first, and ACM takes at most %d there (RFC 5280); shorten it, or give every edge.origins.<region>.certificateArn", len(d.Name), dns.MaxCommonName)
	}
	if d.ZoneName == "" || dns.ValidateDomainName(d.ZoneName) != nil {
		return
	}
	seen := map[string]string{}
	for _, r := range c.Regions() {
		o := c.Edge.Origins[r]
		if o.Domain == "" || dns.ValidateDomainName(o.Domain) != nil {
			continue
		}
		if other, ok := seen[o.Domain]; ok {
			add("edge.origins."+r+".domain", "%q is also %s's; each region needs a name of its own", o.Domain, other)
		}
		seen[o.Domain] = r
		if slices.Contains(c.Edge.Aliases, o.Domain) {
			add("edge.aliases", "%q is %s's origin name, which points at its load balancer; viewers must reach CloudFront by an alias of its own", o.Domain, r)
		}
		if err := dns.ValidateNameInZone(o.Domain, d.ZoneName); err != nil {
			add("edge.origins."+r+".domain", "%v (with dns, the app creates each region's record in the zone)", err)
		} else if o.Domain == d.Name {
			add("edge.origins."+r+".domain", "%q is dns.name; each region needs a name of its own for its health check", o.Domain)
		}
	}
}

// createsCertificates reports whether the global stack will create an
// origin certificate (dns set, some region without one).
func (c Config) createsCertificates() bool {
	for _, r := range c.Regions() {
		if c.Edge.Origins[r].CertificateArn == "" {
			return true
		}
	}
	return false
}

func orExample(zone string) string {
	if zone == "" {
		return "example.com"
	}
	return zone
}

// UnlistedKeys are the keys acceptUnlisted may name: the settings checked
// against a list of what AWS offers (spec/data).
var UnlistedKeys = []string{"database.engineVersion", "database.instanceClass", "cache.nodeType", "cache.engineVersion"}

// listCheck is a setting checked against one of spec/data's lists.
type listCheck struct {
	key string
	err error // the list validator's verdict on the value
}

func (c Config) listChecks() []listCheck {
	return []listCheck{
		{"database.engineVersion", data.ValidateDatabaseEngineVersion(c.Database.EngineVersion)},
		{"database.instanceClass", data.ValidateDatabaseInstanceClass(c.Database.InstanceClass)},
		{"cache.nodeType", data.ValidateCacheNodeType(c.Cache.NodeType)},
		{"cache.engineVersion", data.ValidateCacheEngineVersion(c.Cache.EngineVersion)},
	}
}

func (c Config) acceptsUnlisted(key string) bool { return slices.Contains(c.AcceptUnlisted, key) }

// acceptUnlisted applies acceptUnlisted to one list check: the warning of
// an accepted unlisted value, or the error, which for an unlisted value
// says how to accept it.
func (c Config) acceptUnlisted(u listCheck) (string, error) {
	return data.AcceptUnlisted(u.err, c.acceptsUnlisted(u.key), fmt.Sprintf("add %s to acceptUnlisted (acceptUnlisted: [%s]) to accept it with a warning", u.key, u.key))
}

// Warnings are the lines a synth prints for a valid config: one per value
// acceptUnlisted let through that is not on its list, with the key, the
// list to refresh, its source and the command that prints what AWS offers.
// None for a config whose values are all listed.
func (c Config) Warnings() []string {
	var out []string
	for _, u := range c.listChecks() {
		if w, err := c.acceptUnlisted(u); err == nil && w != "" {
			out = append(out, u.key+": "+w)
		}
	}
	return out
}

func (c Config) validateAcceptUnlisted(add func(string, string, ...any)) {
	for i, key := range c.AcceptUnlisted {
		switch {
		case !slices.Contains(UnlistedKeys, key):
			add(fmt.Sprintf("acceptUnlisted[%d]", i), "%q: acceptUnlisted takes %s", key, strings.Join(UnlistedKeys, ", "))
		case slices.Index(c.AcceptUnlisted, key) < i:
			add(fmt.Sprintf("acceptUnlisted[%d]", i), "%q twice", key)
		}
	}
}

func (c Config) validateData(add func(string, string, ...any)) {
	c.validateAcceptUnlisted(add)
	d := c.Database
	switch d.Mode {
	case data.DatabaseNew:
	case data.DatabaseFromSnapshot:
		if d.SnapshotIdentifier == "" {
			add("database.snapshotIdentifier", "required with database.mode snapshot: the snapshot (name or ARN) to restore the primary cluster from")
		} else if err := c.snapshotInPrimary(d.SnapshotIdentifier); err != nil {
			add("database.snapshotIdentifier", "%v", err)
		}
	case data.DatabaseFromCluster:
		if !strings.HasPrefix(d.SourceClusterArn, "arn:") || !strings.Contains(d.SourceClusterArn, ":cluster:") {
			add("database.sourceClusterArn", "%q: with database.mode cluster, give the existing primary cluster's ARN (arn:aws:rds:%s:ACCOUNT:cluster:NAME)", d.SourceClusterArn, c.PrimaryRegion)
		} else if !strings.Contains(d.SourceClusterArn, ":rds:"+c.PrimaryRegion+":") {
			add("database.sourceClusterArn", "%q is not in primaryRegion %s; the global cluster is built from a cluster in the primary region", d.SourceClusterArn, c.PrimaryRegion)
		}
		if d.MasterSecretName == "" {
			add("database.masterSecretName", "required with database.mode cluster: the secret holding the existing cluster's master password, replicated to every failover region")
		}
	default:
		add("database.mode", "%q: use new, snapshot or cluster", d.Mode)
	}
	for _, u := range c.listChecks() {
		if _, err := c.acceptUnlisted(u); err != nil {
			add(u.key, "%v", err)
		}
	}
	if err := data.ValidateReaders(d.Readers); err != nil {
		add("database.readers", "%v", err)
	}
	if err := data.ValidateSecondaryInstances(d.SecondaryInstances); err != nil {
		add("database.secondaryInstances", "%v", err)
	}
	if err := data.ValidateBackupRetentionDays(d.BackupRetentionDays); err != nil {
		add("database.backupRetentionDays", "%v", err)
	}
	if err := data.ValidateDatabaseName(d.DatabaseName); err != nil {
		add("database.databaseName", "%v", err)
	}
	if err := data.ValidateMasterUsername(d.MasterUsername); err != nil {
		add("database.masterUsername", "%v", err)
	}
	if err := data.ValidateDatabasePort(d.Port); err != nil {
		add("database.port", "%v", err)
	}

	ca := c.Cache
	if _, err := c.acceptUnlisted(listCheck{"cache.engineVersion", data.ValidateCacheEngineVersion(ca.EngineVersion)}); err == nil {
		// An accepted unlisted version is compared by number as a listed
		// one is.
		if err := data.ValidateDataTiering(ca.NodeType, ca.EngineVersion); err != nil {
			add("cache.nodeType", "%v", err)
		}
	}
	if err := data.ValidateCacheReplicas(ca.Replicas); err != nil {
		add("cache.replicas", "%v", err)
	}
	if err := data.ValidateSnapshotRetentionDays(ca.SnapshotRetentionDays); err != nil {
		add("cache.snapshotRetentionDays", "%v", err)
	}
	if err := compute.ValidatePort(ca.Port); err != nil {
		add("cache.port", "%v", err)
	}

	seen := map[string]bool{}
	for i, b := range c.Buckets {
		key := fmt.Sprintf("buckets[%d]", i)
		if err := data.ValidateBucketLogicalName(b.Name); err != nil {
			add(key+".name", "%v", err)
		}
		if seen[b.Name] {
			add(key+".name", "%q twice", b.Name)
		}
		seen[b.Name] = true
		if b.NoncurrentVersionDays < 1 {
			add(key+".noncurrentVersionDays", "%d: at least 1", b.NoncurrentVersionDays)
		}
	}
}

// validateDependents refuses a setting that another setting makes
// meaningless, instead of dropping it in silence: the user meant something
// by it (a snapshot key under mode new would create an empty database where
// a restore was meant).
func (c Config) validateDependents(add func(string, string, ...any)) {
	d := c.Database
	mode := func(want, what string) string {
		return fmt.Sprintf("applies to database.mode %s only (%s); with mode %s it would be ignored: set database.mode: %s, or remove it", want, what, d.Mode, want)
	}
	if d.Mode != data.DatabaseFromSnapshot && c.sets("database.snapshotIdentifier", d.SnapshotIdentifier != "") {
		add("database.snapshotIdentifier", "%s", mode(data.DatabaseFromSnapshot, "the primary cluster is restored from it"))
	}
	if d.Mode != data.DatabaseFromCluster && c.sets("database.sourceClusterArn", d.SourceClusterArn != "") {
		add("database.sourceClusterArn", "%s", mode(data.DatabaseFromCluster, "the global cluster is built from it"))
	}
	if d.Mode != data.DatabaseFromCluster && c.sets("database.masterSecretName", d.MasterSecretName != "") {
		add("database.masterSecretName", "%s", mode(data.DatabaseFromCluster, "the existing cluster's password; in other modes the app generates the password"))
	}
	if d.Mode == data.DatabaseFromCluster && c.sets("database.readers", d.Readers != 0) {
		add("database.readers", "does not apply to database.mode cluster: the app creates no instance in the existing primary cluster, which keeps its own; add readers to that cluster, or remove the key")
	}
	if !c.DNS.Enabled() {
		def := defaults().DNS
		for key, differs := range map[string]bool{
			"dns.ttl":                 c.DNS.TTL != def.TTL,
			"dns.healthCheckInterval": c.DNS.HealthCheckInterval != def.HealthCheckInterval,
			"dns.failureThreshold":    c.DNS.FailureThreshold != def.FailureThreshold,
		} {
			if c.sets(key, differs) {
				add(key, "applies with dns only (dns.zoneName and dns.name turn it on); without them it would be ignored: set them, or remove %s", key)
			}
		}
	}
	if c.Backend.Type != BackendS3 && c.sets("backend.useLockfile", c.Backend.UseLockfile != nil) {
		add("backend.useLockfile", "applies to backend.type s3 only (a local state file is locked by Terraform itself); remove it or set backend.type: s3")
	}
}

// snapshotInPrimary checks a snapshot ARN: the primary cluster is restored
// in primaryRegion, and RestoreDBClusterFromSnapshot takes a cluster
// snapshot of the same region (a shared one by ARN); a snapshot of another
// region must be copied first (Aurora User Guide, "Restoring from a DB
// cluster snapshot" and "Copying a DB cluster snapshot"). A name (or an
// automated snapshot's rds:NAME) is looked up in primaryRegion.
func (c Config) snapshotInPrimary(id string) error {
	if !strings.HasPrefix(id, "arn:") {
		return nil
	}
	parts := strings.SplitN(id, ":", 7)
	partition := awsenv.PartitionOf(c.PrimaryRegion)
	switch {
	case len(parts) < 7 || parts[2] != "rds" || parts[5] != "cluster-snapshot" || parts[6] == "":
		return fmt.Errorf("%q is not an Aurora cluster snapshot ARN (arn:%s:rds:%s:ACCOUNT:cluster-snapshot:NAME)", id, partition, c.PrimaryRegion)
	case parts[1] != partition:
		return fmt.Errorf("%q is in partition %s, not %s's (%s); a snapshot cannot leave its partition", id, parts[1], c.PrimaryRegion, partition)
	case parts[3] != c.PrimaryRegion:
		return fmt.Errorf("%q is in %s, not primaryRegion %s, where the primary cluster is restored; copy it to %s first (aws rds copy-db-cluster-snapshot --region %s)", id, parts[3], c.PrimaryRegion, c.PrimaryRegion, c.PrimaryRegion)
	}
	return nil
}

func (c Config) validateBackend(add func(string, string, ...any)) {
	b := c.Backend
	switch b.Type {
	case BackendLocal:
		for key, v := range map[string]string{"bucket": b.Bucket, "region": b.Region, "keyPrefix": b.KeyPrefix, "dynamodbTable": b.DynamodbTable, "kmsKeyId": b.KmsKeyId} {
			if v != "" {
				add("backend."+key, "applies to backend.type s3 only; remove it or set backend.type: s3")
			}
		}
	case BackendS3:
		if b.Bucket == "" {
			add("backend.bucket", "required with backend.type s3: the state bucket's name")
		} else if err := storage.ValidateExistingBucketName(b.Bucket); err != nil {
			add("backend.bucket", "%v", err)
		}
		if b.Region == "" {
			add("backend.region", "required with backend.type s3: a region that is none of %s, so every stack's state stays readable when any one of them is lost", strings.Join(c.Regions(), ", "))
		} else if err := awsenv.ValidateRegion(b.Region); err != nil {
			add("backend.region", "%v", err)
		} else {
			for _, r := range c.Regions() {
				if r == b.Region {
					add("backend.region", "%s is one of the app's regions; keep state in a region outside %s so that losing %s leaves every stack plannable", b.Region, strings.Join(c.Regions(), ", "), r)
				}
			}
		}
		if strings.HasPrefix(b.KeyPrefix, "/") || strings.HasSuffix(b.KeyPrefix, "/") {
			add("backend.keyPrefix", "%q must not start or end with /", b.KeyPrefix)
		}
		if b.UseLockfile != nil && *b.UseLockfile && b.DynamodbTable != "" {
			add("backend.useLockfile", "choose one lock: useLockfile (S3 native, Terraform 1.10+) or dynamodbTable")
		}
		// State locking is opt-in in the s3 backend (Terraform docs,
		// "Backend Type: s3", State Locking); unlocked, two deploys at once
		// (likely during an incident) can corrupt a stack's state.
		if b.UseLockfile != nil && !*b.UseLockfile && b.DynamodbTable == "" {
			add("backend.useLockfile", "false with no dynamodbTable leaves the state unlocked, and two deploys at once (as in an incident) can corrupt it: remove useLockfile (the default locks with an S3 lock file, Terraform 1.10+), or set dynamodbTable")
		}
	default:
		add("backend.type", "%q: use local or s3", b.Type)
	}
}

// validateAlarms checks each threshold against its range and each endpoint
// against the subscription protocols the alarm topics take.
func (c Config) validateAlarms(add func(string, string, ...any)) {
	a := c.Alarms
	for key, check := range map[string]struct {
		v float64
		r monitoring.Range
	}{
		"auroraReplicationLagSeconds": {a.AuroraReplicationLagSeconds, monitoring.LagRange},
		"auroraRpoLagSeconds":         {a.AuroraRpoLagSeconds, monitoring.LagRange},
		"cacheReplicationLagSeconds":  {a.CacheReplicationLagSeconds, monitoring.LagRange},
		"s3ReplicationLatencySeconds": {a.S3ReplicationLatencySeconds, monitoring.S3LatencyRange},
		"s3FailedOperations":          {a.S3FailedOperations, monitoring.CountRange},
		"alb5xxPerMinute":             {a.Alb5xxPerMinute, monitoring.RateRange},
		"unhealthyTargets":            {a.UnhealthyTargets, monitoring.CountRange},
		"tasksBelowDesiredMinutes":    {float64(a.TasksBelowDesiredMinutes), monitoring.MinutesRange},
	} {
		if err := check.r.Check(check.v); err != nil {
			add("alarms."+key, "%v", err)
		}
	}
	seen := map[string]bool{}
	for i, e := range a.Endpoints {
		key := fmt.Sprintf("alarms.endpoints[%d]", i)
		if _, err := monitoring.ValidateEndpoint(e); err != nil {
			add(key, "%v", err)
		}
		if seen[e] {
			add(key, "%q is listed twice", e)
		}
		seen[e] = true
	}
}
