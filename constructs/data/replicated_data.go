// Package data provides ReplicatedData: the stateful tier of a pilot-light
// system, replicated from the primary region to every failover region.
//
//   - Aurora PostgreSQL Global Database: a global cluster, the primary cluster
//     and its writer (and readers) in the primary region, a secondary cluster
//     in each failover region.
//   - ElastiCache (Redis OSS) Global Datastore: the primary replication group
//     and the global group in the primary region, a secondary group in each
//     failover region.
//   - S3: each bucket in every region, replicated primary to failover (and
//     back, if asked), KMS-encrypted with each region's key.
//
// Everything stateful has prevent_destroy and, where the service has it,
// deletion protection; the attributes AWS itself changes during a switchover
// or failover are ignored, so the next plan does not fight them.
package data

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/identity"

	"github.com/pilotlight/pilotlight/names"
	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
	dataspec "github.com/pilotlight/pilotlight/spec/data"
)

// Site is one region's side of the replicated data: the stack its resources
// go in and the regional foundation they use.
type Site struct {
	Scope constructs.Construct
	Env   awsenv.Env
	// KmsKeyArn is the region's customer-managed key. A failover site's key
	// must exist before the primary site deploys: the secrets' replicas in
	// its region are encrypted with it.
	KmsKeyArn *string
	VpcID     *string
	// SubnetIDs are private subnets in at least two availability zones.
	SubnetIDs []*string
	// AccessLogBucket receives the S3 server access logs of the region's
	// buckets (see logs.AccessLogBucket).
	AccessLogBucket *string
}

// ReplicatedDataProps configures ReplicatedData.
type ReplicatedDataProps struct {
	// Prefix stems every resource name and identifier, such as shop-prod.
	Prefix    string
	Primary   Site
	Failovers []Site
	// Links is a scope in the primary region that deploys after every
	// failover site: replication that needs its destination to exist first
	// (S3 from primary to failover buckets) goes there. Only Scope and Env
	// are used.
	Links Site
	// ReplicationRole is the role S3 replication assumes: ReplicatedData
	// grants it exactly the bucket pairs and keys its Buckets imply
	// (identity.ReplicationStatements), so nothing is listed twice. Or give
	// ReplicationRoleArn, a role you grant yourself.
	ReplicationRole    *identity.Role
	ReplicationRoleArn *string
	// DatabaseSecretName and CacheSecretName name the generated secrets.
	DatabaseSecretName string
	CacheSecretName    string
	Database           DatabaseProps
	Cache              CacheProps
	Buckets            []BucketProps
}

// ReplicatedData is the replicated tier, with each region's endpoints.
type ReplicatedData struct {
	Database *GlobalDatabase
	Cache    *GlobalCache
	Buckets  []*BucketPair
	// Regions holds what each region's clients use, by region.
	Regions map[string]*Endpoints
}

// Endpoints is what a region's application needs to reach its own region's
// data: addresses as plain values, credentials as secret names.
type Endpoints struct {
	Region             string
	DatabaseHost       *string
	DatabaseReaderHost *string
	// DatabasePort is the port the region's cluster listens on: a number,
	// or for an existing primary cluster (cluster mode) a token for its own
	// port, read from it at plan.
	DatabasePort *float64
	// DatabaseNetwork is set when the region's cluster is an existing one
	// (cluster mode, primary region): its security groups and the network
	// path to it (VPC peering or a transit gateway, and routes) are its
	// owner's to open. AllowClients then opens only the clients' side:
	// egress to the cluster VPC's CIDR blocks on the cluster's port.
	DatabaseNetwork *ClusterNetwork
	DatabaseName    string
	DatabaseUser    string
	// DatabasePasswordSecret and CacheAuthTokenSecret name Secrets Manager
	// secrets that exist in this region (the primary's, or its replica).
	DatabasePasswordSecret string
	CacheHost              *string
	CachePort              int
	CacheAuthTokenSecret   string
	// Buckets maps each bucket's logical name to this region's bucket name.
	Buckets map[string]string

	scope          constructs.Construct
	env            awsenv.Env
	databaseSG     *string
	cacheSG        *string
	allowedClients int
}

// Validate returns every problem in p at once.
func (p ReplicatedDataProps) Validate() error {
	var errs []error
	if p.Primary.Scope == nil || p.Primary.Env.Provider == nil || p.Links.Scope == nil {
		errs = append(errs, errors.New("Primary and Links: need a Scope and an Env"))
	} else {
		errs = append(errs, p.scopeProblems()...)
	}
	if len(p.Failovers) == 0 || len(p.Failovers) > 2 {
		errs = append(errs, fmt.Errorf("Failovers: %d given; 1 or 2 (a Global Datastore has at most two secondary regions)", len(p.Failovers)))
	}
	regions := []string{p.Primary.Env.Region}
	for _, s := range append([]Site{p.Primary}, p.Failovers...) {
		if s.KmsKeyArn == nil || s.VpcID == nil || len(s.SubnetIDs) < 2 {
			errs = append(errs, fmt.Errorf("site %s: needs KmsKeyArn, VpcID and private subnets in two or more AZs", s.Env.Region))
		}
		if s.AccessLogBucket == nil && len(p.Buckets) > 0 {
			errs = append(errs, fmt.Errorf("site %s: needs an AccessLogBucket for its buckets' server access logs", s.Env.Region))
		}
	}
	for _, f := range p.Failovers {
		regions = append(regions, f.Env.Region)
	}
	switch {
	case p.ReplicationRole != nil && p.ReplicationRoleArn != nil:
		errs = append(errs, errors.New("ReplicationRole and ReplicationRoleArn: give one"))
	case p.ReplicationRole == nil && p.ReplicationRoleArn == nil && len(p.Buckets) > 0:
		errs = append(errs, errors.New("ReplicationRole (or ReplicationRoleArn): required for bucket replication"))
	}
	if p.Prefix == "" || p.DatabaseSecretName == "" || p.CacheSecretName == "" {
		errs = append(errs, errors.New("Prefix, DatabaseSecretName and CacheSecretName: required"))
	}
	for _, r := range regions {
		if err := dataspec.ValidateClusterIdentifier(names.RegionalData(p.Prefix, r)); err != nil {
			errs = append(errs, fmt.Errorf("Prefix: %w", err))
		}
		if err := dataspec.ValidateReplicationGroupID(names.RegionalData(p.Prefix, r)); err != nil {
			errs = append(errs, fmt.Errorf("Prefix: %w", err))
		}
	}
	if err := p.Database.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("Database: %w", err))
	}
	if err := p.Cache.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("Cache: %w", err))
	}
	seen := map[string]bool{}
	for _, b := range p.Buckets {
		if seen[b.Name] {
			errs = append(errs, fmt.Errorf("Buckets: %s twice", b.Name))
		}
		seen[b.Name] = true
		if err := b.Validate(regions); err != nil {
			errs = append(errs, fmt.Errorf("Buckets[%s]: %w", b.Name, err))
		}
	}
	return errors.Join(errs...)
}

// ReplicationLinks are the S3 replication rules ReplicatedData makes for
// buckets between primary and failovers (regions): each primary bucket to
// each failover's, and back when ReverseReplication is on. A replication
// role made elsewhere is granted exactly these
// (identity.ReplicationStatements).
func ReplicationLinks(primary string, failovers []string, buckets []BucketProps) []identity.ReplicationLink {
	var out []identity.ReplicationLink
	for _, b := range buckets {
		for _, r := range failovers {
			out = append(out, identity.ReplicationLink{SourceRegion: primary, SourceBucket: b.BucketNames[primary], DestinationRegion: r, DestinationBucket: b.BucketNames[r]})
			if b.ReverseReplication {
				out = append(out, identity.ReplicationLink{SourceRegion: r, SourceBucket: b.BucketNames[r], DestinationRegion: primary, DestinationBucket: b.BucketNames[primary]})
			}
		}
	}
	return out
}

// scopeProblems reports sites that share a scope, a Links scope outside the
// primary region, and scopes that already hold the constructs this one adds
// (each would otherwise be a panic from the constructs library).
func (p ReplicatedDataProps) scopeProblems() []error {
	var errs []error
	if p.Links.Env.Region != p.Primary.Env.Region {
		errs = append(errs, fmt.Errorf("Links: in %s; it must be a scope in the primary region %s (a stack deployed after every failover site)", p.Links.Env.Region, p.Primary.Env.Region))
	}
	ids := func(extra ...string) []string {
		out := []string{"database", "cache"}
		for _, b := range p.Buckets {
			out = append(out, "bucket-"+b.Name)
		}
		return append(out, extra...)
	}
	sites := map[string]string{}
	check := func(field string, s Site, want []string) {
		if s.Scope == nil {
			errs = append(errs, fmt.Errorf("%s: needs a Scope", field))
			return
		}
		path := *s.Scope.Node().Path()
		if other, ok := sites[path]; ok {
			errs = append(errs, fmt.Errorf("%s: the same scope (%s) as %s; give each site and Links a stack of its own", field, path, other))
			return
		}
		sites[path] = field
		for _, id := range want {
			if err := awsenv.ClaimID(s.Scope, id); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w (a second ReplicatedData in the same stacks?)", field, err))
			}
		}
	}
	check("Primary", p.Primary, ids("secrets"))
	for i, f := range p.Failovers {
		check(fmt.Sprintf("Failovers[%d]", i), f, ids())
	}
	var links []string
	for _, b := range p.Buckets {
		links = append(links, "bucket-"+b.Name)
	}
	check("Links", p.Links, links)
	return errs
}

// NewReplicatedData builds every replication pair across the primary site
// and the failover sites. Deploy every site's KMS key first, then the
// primary site's stack, then the failover sites' stacks, then the links
// scope's stack.
func NewReplicatedData(props ReplicatedDataProps) (*ReplicatedData, error) {
	if err := props.Validate(); err != nil {
		return nil, fmt.Errorf("data.ReplicatedData: %w", err)
	}
	// Defaults in one place: zero fields of Database and Cache.
	props.Database, props.Cache = props.Database.WithDefaults(), props.Cache.WithDefaults()
	// Values AcceptUnlisted let through are warnings on the primary scope:
	// cdktf synth lists them, and they stay in the manifest until the list
	// is refreshed.
	for _, w := range append(prefixed("Database.", props.Database.Warnings()), prefixed("Cache.", props.Cache.Warnings())...) {
		cdktf.Annotations_Of(props.Primary.Scope).AddWarning(jsii.String(w))
	}
	// Secrets replicate into each failover region under that region's key.
	replicaKeys := map[string]*string{}
	for _, f := range props.Failovers {
		replicaKeys[f.Env.Region] = f.KmsKeyArn
	}
	secrets := constructs.NewConstruct(props.Primary.Scope, jsii.String("secrets"))
	out := &ReplicatedData{Regions: map[string]*Endpoints{}}

	dbSecret := props.Database.MasterSecretName
	var password *string
	if props.Database.Mode != dataspec.DatabaseFromCluster {
		s, err := newGeneratedSecret(secrets, "database", props.Primary.Env, props.DatabaseSecretName, "Aurora master password for "+props.Prefix, props.Primary.KmsKeyArn, replicaKeys, true,
			"Aurora global databases do not support RDS-managed master passwords; rotating needs the Secrets Manager rotation function for Aurora PostgreSQL, which this construct does not deploy (see docs/security.md in pilotlight)")
		if err != nil {
			return nil, err
		}
		dbSecret, password = s.Name, s.Value
	}
	cacheSecret, err := newGeneratedSecret(secrets, "cache", props.Primary.Env, props.CacheSecretName, "ElastiCache AUTH token for "+props.Prefix, props.Primary.KmsKeyArn, replicaKeys, false,
		"ElastiCache has no managed rotation for AUTH tokens; rotate with ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE) and update the secret (see docs/security.md in pilotlight)")
	if err != nil {
		return nil, err
	}

	out.Database = newGlobalDatabase(props, password)
	out.Cache = newGlobalCache(props, cacheSecret.Value, cacheSecret.Name)
	if role := props.ReplicationRole; role != nil && len(props.Buckets) > 0 {
		props.ReplicationRoleArn = role.Arn
		var failovers []string
		for _, f := range props.Failovers {
			failovers = append(failovers, f.Env.Region)
		}
		links := ReplicationLinks(props.Primary.Env.Region, failovers, props.Buckets)
		if _, err := role.Grant("s3-replication", identity.ReplicationStatements(role.Env, links)...); err != nil {
			return nil, err
		}
	}
	if out.Buckets, err = newBucketPairs(props); err != nil {
		return nil, err
	}

	for _, s := range append([]Site{props.Primary}, props.Failovers...) {
		r := s.Env.Region
		db, cache := out.Database.Clusters[r], out.Cache.Groups[r]
		e := &Endpoints{
			Region: r, DatabaseHost: db.Endpoint, DatabaseReaderHost: db.ReaderEndpoint, DatabasePort: db.Port, DatabaseNetwork: db.Network,
			DatabaseName: props.Database.DatabaseName, DatabaseUser: props.Database.MasterUsername, DatabasePasswordSecret: dbSecret,
			CacheHost: cache.Endpoint, CachePort: cache.Port, CacheAuthTokenSecret: cacheSecret.Name,
			Buckets: map[string]string{}, scope: s.Scope, env: s.Env, databaseSG: db.SecurityGroup, cacheSG: cache.SecurityGroup,
		}
		for _, b := range out.Buckets {
			e.Buckets[b.Name] = b.Buckets[r].Name
		}
		out.Regions[r] = e
	}
	return out, nil
}

// AllowClients lets the security group clientSG reach this region's
// database and cache: ingress on their groups, egress on the client's. For
// an existing primary cluster (DatabaseNetwork set) only the client's side
// is opened: egress to each CIDR block of the cluster's VPC on the
// cluster's port; ingress on the cluster's own groups, and the network
// path between the two VPCs, are the cluster owner's (its groups may be
// managed with inline rules elsewhere, which a rule added here would fight,
// and a rule naming clientSG in another VPC is refused until the VPCs are
// peered).
func (e *Endpoints) AllowClients(clientSG *string) {
	e.allowedClients++
	c := constructs.NewConstruct(e.scope, jsii.String(fmt.Sprintf("data-clients-%d", e.allowedClients)))
	if n := e.DatabaseNetwork; n != nil {
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(c, jsii.String("database-out"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			Provider:        e.env.Provider,
			ForEach:         n.Cidrs,
			SecurityGroupId: clientSG,
			Description:     jsii.String("To the existing database cluster's VPC"),
			IpProtocol:      jsii.String("tcp"),
			FromPort:        e.DatabasePort,
			ToPort:          e.DatabasePort,
			CidrIpv4:        n.Cidrs.GetString(jsii.String("cidr_block")),
		})
	}
	for _, target := range []struct {
		name string
		sg   *string
		port *float64
	}{{"database", e.databaseSG, e.DatabasePort}, {"cache", e.cacheSG, jsii.Number(e.CachePort)}} {
		if target.sg == nil {
			continue
		}
		port := target.port
		vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String(target.name+"-in"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
			Provider:                  e.env.Provider,
			SecurityGroupId:           target.sg,
			Description:               jsii.String("From the app's tasks"),
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  port,
			ToPort:                    port,
			ReferencedSecurityGroupId: clientSG,
		})
		vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(c, jsii.String(target.name+"-out"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
			Provider:                  e.env.Provider,
			SecurityGroupId:           clientSG,
			Description:               jsii.String("To the " + target.name),
			IpProtocol:                jsii.String("tcp"),
			FromPort:                  port,
			ToPort:                    port,
			ReferencedSecurityGroupId: target.sg,
		})
	}
}

// Environment is what a container needs to find this region's data, as
// plain (non-secret) values.
func (e *Endpoints) Environment() map[string]*string {
	out := map[string]*string{
		"DATABASE_HOST":        e.DatabaseHost,
		"DATABASE_READER_HOST": e.DatabaseReaderHost,
		"DATABASE_PORT":        portString(e.DatabasePort),
		"DATABASE_NAME":        jsii.String(e.DatabaseName),
		"DATABASE_USER":        jsii.String(e.DatabaseUser),
		"CACHE_HOST":           e.CacheHost,
		"CACHE_PORT":           jsii.String(fmt.Sprint(e.CachePort)),
		"CACHE_TLS":            jsii.String("true"),
		"AWS_REGION":           jsii.String(e.Region),
	}
	for n, bucket := range e.Buckets {
		out["BUCKET_"+strings.ToUpper(n)] = jsii.String(bucket)
	}
	return out
}

// Secrets is what a container gets as task secrets: variable name to the
// secret's name in this region.
func (e *Endpoints) Secrets() map[string]string {
	return map[string]string{
		"DATABASE_PASSWORD": e.DatabasePasswordSecret,
		"CACHE_AUTH_TOKEN":  e.CacheAuthTokenSecret,
	}
}

// portString is a port as an environment value: a number as its digits, a
// token (an existing cluster's port, read at plan) as a string token.
func portString(port *float64) *string {
	if awsenvspec.IsNumberToken(*port) {
		return cdktf.Token_AsString(port, nil)
	}
	return jsii.String(fmt.Sprint(int(*port)))
}

// prefixed returns lines with prefix before each.
func prefixed(prefix string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = prefix + l
	}
	return out
}
