package data

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawssecretsmanagersecretversion"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/elasticacheglobalreplicationgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/elasticachereplicationgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/elasticachesubnetgroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/names"
	dataspec "github.com/pilotlight/pilotlight/spec/data"
)

// CacheProps configures the ElastiCache (Redis OSS) Global Datastore.
type CacheProps struct {
	// NodeType is shared by every member. The global replication group owns
	// it (cache_node_type): a change scales every member in place. r6gd
	// nodes turn data tiering on in every member.
	NodeType string
	// EngineVersion is one of dataspec.CacheEngineVersions (see
	// AcceptUnlisted for a newer one). The global replication
	// group owns it (engine_version, with the major version's default
	// parameter group, which a major upgrade needs): a change upgrades
	// every member in place; a downgrade is refused by the provider.
	EngineVersion string
	// Replicas is each region's replica count besides its primary node: at
	// least 1, since Multi-AZ automatic failover needs two nodes and
	// secondaries inherit it.
	//
	// A change is an in-place update of num_cache_clusters on each member
	// group, made by the stack of the member's own region; the AWS provider
	// applies it with IncreaseReplicaCount or DecreaseReplicaCount on that
	// group alone, never ModifyReplicationGroup (resourceReplicationGroupUpdate,
	// terraform-provider-aws 5.x). AWS lets each member of a global datastore
	// have its own number of replicas ("Each cluster in your global datastore
	// can have a different number of read replicas": ElastiCache User Guide,
	// global datastores, "Prerequisites and limitations"), so the members may
	// differ between one stack's deploy and the next, and the provider's own
	// acceptance test updates a secondary member's count this way
	// (TestAccElastiCacheReplicationGroup_GlobalReplicationGroupID_full).
	// What AWS refuses on a member is ModifyReplicationGroup ("is part of a
	// global cluster. Request rejected.": terraform-provider-aws #22528 on
	// a node type change, #27875, whose error is the provider's
	// ModifyReplicationGroup path), which is why the node type and engine
	// version are set on the global group only and the members ignore
	// theirs. internal/tfplan TestCacheReplicasChangeTouchesOnlyTheCount
	// shows a replicas change planning num_cache_clusters and nothing else.
	Replicas              int
	SnapshotRetentionDays int
	Port                  int
	// AcceptUnlisted accepts a NodeType or EngineVersion that is
	// well-formed but not on its list (AWS released it after the list was
	// refreshed): the node type must still be cache.FAMILY.SIZE, not
	// burstable, large or bigger; the version MAJOR.MINOR[.PATCH], 5.0.6 or
	// newer, of a major the list knows, whose default parameter group the
	// global datastore is given (dataspec.CacheParameterGroup; a newer major
	// is refused, its group unknown). Data tiering is checked on an unlisted
	// version as on a listed one (r6gd needs 6.2 or newer), and turned on
	// for dataspec.DataTieringFamily only. Each such value is reported by
	// Warnings and, by NewReplicatedData, as a warning annotation on the
	// primary scope, naming the list to refresh. Without it an unlisted
	// value is refused with an error saying to set it.
	AcceptUnlisted bool
}

func (p CacheProps) listChecks() []listCheck {
	p = p.WithDefaults()
	return []listCheck{
		{"NodeType", dataspec.ValidateCacheNodeType(p.NodeType)},
		{"EngineVersion", dataspec.ValidateCacheEngineVersion(p.EngineVersion)},
	}
}

// Warnings returns a line for each value AcceptUnlisted let through that
// is not on its list, naming the field, the list to refresh, its source and
// the AWS CLI command that prints what AWS offers; none when every value is
// listed, or when p does not validate.
func (p CacheProps) Warnings() []string { return warnings(p.listChecks(), p.AcceptUnlisted) }

// Validate returns every problem in p at once.
func (p CacheProps) Validate() error {
	p = p.WithDefaults()
	var errs []error
	versionOK := true
	for _, l := range p.listChecks() {
		if _, err := dataspec.AcceptUnlisted(l.err, p.AcceptUnlisted, hatch); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.field, err))
			versionOK = versionOK && l.field != "EngineVersion"
		}
	}
	// An accepted unlisted version is compared by number as a listed one is.
	if err := dataspec.ValidateDataTiering(p.NodeType, p.EngineVersion); err != nil && versionOK {
		errs = append(errs, fmt.Errorf("NodeType: %w", err))
	}
	if err := dataspec.ValidateCacheReplicas(p.Replicas); err != nil {
		errs = append(errs, fmt.Errorf("Replicas %w", err))
	}
	if err := dataspec.ValidateSnapshotRetentionDays(p.SnapshotRetentionDays); err != nil {
		errs = append(errs, fmt.Errorf("SnapshotRetentionDays %w", err))
	}
	if p.Port < 1 || p.Port > 65535 {
		errs = append(errs, errors.New("Port: 1 to 65535"))
	}
	return errors.Join(errs...)
}

// WithDefaults returns p with every zero field set to its default (the
// Default* constants).
func (p CacheProps) WithDefaults() CacheProps {
	if p.NodeType == "" {
		p.NodeType = dataspec.DefaultCacheNodeType
	}
	if p.EngineVersion == "" {
		p.EngineVersion = dataspec.DefaultCacheEngineVersion
	}
	if p.Replicas == 0 {
		p.Replicas = dataspec.DefaultCacheReplicas
	}
	if p.SnapshotRetentionDays == 0 {
		p.SnapshotRetentionDays = dataspec.DefaultSnapshotRetentionDays
	}
	if p.Port == 0 {
		p.Port = dataspec.DefaultCachePort
	}
	return p
}

// GlobalCache is an ElastiCache Global Datastore: the primary replication
// group and the global replication group in the primary region, and a
// secondary replication group in each failover region.
type GlobalCache struct {
	// GlobalReplicationGroupID is the id AWS assigns (a region prefix plus the
	// suffix given); secondaries read it from the primary stack's state.
	GlobalReplicationGroupID *string
	Groups                   map[string]*CacheEndpoints
}

// CacheEndpoints is one region's replication group as its clients see it.
type CacheEndpoints struct {
	ID             *string
	Endpoint       *string
	ReaderEndpoint *string
	Port           int
	SecurityGroup  *string
}

func newCacheSite(scope constructs.Construct, s Site, prefix string, port int) dataSite {
	subnets := elasticachesubnetgroup.NewElasticacheSubnetGroup(scope, jsii.String("subnets"), &elasticachesubnetgroup.ElasticacheSubnetGroupConfig{
		Provider:    s.Env.Provider,
		Name:        jsii.String(prefix + "-cache"),
		Description: jsii.String("ElastiCache: private subnets"),
		SubnetIds:   &s.SubnetIDs,
	})
	sg := newDataSecurityGroup(scope, s, prefix+"-cache", fmt.Sprintf("ElastiCache: Redis %d from the app's tasks only", port))
	return dataSite{subnetGroup: subnets.Name(), sg: sg}
}

func cacheLifecycle(ignore ...string) *cdktf.TerraformResourceLifecycle {
	var list []*string
	for _, i := range ignore {
		list = append(list, jsii.String(i))
	}
	return &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true), IgnoreChanges: &list}
}

// CacheNodeIDs are the member clusters (nodes) of a replication group with
// replicas read replicas beside its primary: ElastiCache names the members
// of a cluster-mode-disabled group GROUP-001, GROUP-002, ... (its
// MemberClusters). Node metrics use them as the CacheClusterId dimension.
func CacheNodeIDs(group string, replicas int) []string {
	var out []string
	for i := 1; i <= 1+replicas; i++ {
		out = append(out, fmt.Sprintf("%s-%03d", group, i))
	}
	return out
}

// newGlobalCache builds the cache pairs. authToken is the primary's token;
// authSecret names the secret that holds it, replicated to every failover
// region, where each secondary reads it.
func newGlobalCache(props ReplicatedDataProps, authToken *string, authSecret string) *GlobalCache {
	p := props.Cache
	primary := props.Primary
	pc := constructs.NewConstruct(primary.Scope, jsii.String("cache"))
	psite := newCacheSite(pc, primary, props.Prefix, p.Port)
	pid := names.RegionalData(props.Prefix, primary.Env.Region)
	nodes := jsii.Number(1 + p.Replicas)
	// data_tiering_enabled must be true on r6gd nodes and is refused on
	// others (provider docs, elasticache_replication_group); the provider
	// takes it on secondaries too. Unset elsewhere, so other families plan
	// as before.
	var tiering any
	if dataspec.NodeFamily(p.NodeType) == dataspec.DataTieringFamily {
		tiering = jsii.Bool(true)
	}
	group := elasticachereplicationgroup.NewElasticacheReplicationGroup(pc, jsii.String("primary"), &elasticachereplicationgroup.ElasticacheReplicationGroupConfig{
		Provider:                 primary.Env.Provider,
		ReplicationGroupId:       jsii.String(pid),
		Description:              jsii.String(props.Prefix + " cache, global datastore primary"),
		Engine:                   jsii.String("redis"),
		EngineVersion:            jsii.String(p.EngineVersion),
		NodeType:                 jsii.String(p.NodeType),
		NumCacheClusters:         nodes,
		Port:                     jsii.Number(p.Port),
		SubnetGroupName:          psite.subnetGroup,
		SecurityGroupIds:         &[]*string{psite.sg},
		AutomaticFailoverEnabled: jsii.Bool(true),
		MultiAzEnabled:           jsii.Bool(true),
		AtRestEncryptionEnabled:  jsii.String("true"),
		KmsKeyId:                 primary.KmsKeyArn,
		TransitEncryptionEnabled: jsii.Bool(true),
		AuthToken:                authToken,
		AuthTokenUpdateStrategy:  jsii.String("SET"),
		SnapshotRetentionLimit:   jsii.Number(p.SnapshotRetentionDays),
		SnapshotWindow:           jsii.String("03:00-04:00"),
		MaintenanceWindow:        jsii.String("sun:05:00-sun:06:00"),
		FinalSnapshotIdentifier:  jsii.String(pid + "-final"),
		DataTieringEnabled:       tiering,
		// The token changes with every plan's generated value and is owned by
		// Secrets Manager after creation. Engine version and node type here
		// only create the group: once it joins the global datastore, the
		// global group owns both (below), and the provider docs ("Managing
		// Redis OSS engine versions") ask members to ignore engine_version.
		Lifecycle: cacheLifecycle("auth_token", "engine_version", "node_type"),
	})
	global := elasticacheglobalreplicationgroup.NewElasticacheGlobalReplicationGroup(pc, jsii.String("global"), &elasticacheglobalreplicationgroup.ElasticacheGlobalReplicationGroupConfig{
		Provider:                          primary.Env.Provider,
		GlobalReplicationGroupIdSuffix:    jsii.String(names.GlobalCacheSuffix(props.Prefix)),
		GlobalReplicationGroupDescription: jsii.String(props.Prefix + " cache across regions"),
		PrimaryReplicationGroupId:         group.Id(),
		// What every member runs: a change here is an in-place
		// ModifyGlobalReplicationGroup (scale or upgrade), which the member
		// groups then follow.
		CacheNodeType: jsii.String(p.NodeType),
		EngineVersion: jsii.String(p.EngineVersion),
		// Required on a major upgrade, refused on any other change; the
		// default group of the configured major changes exactly when the
		// major does (dataspec.CacheParameterGroup: the listed group, or for
		// an accepted unlisted minor its major's).
		ParameterGroupName: jsii.String(dataspec.CacheParameterGroup(p.EngineVersion)),
		// FailoverGlobalReplicationGroup makes another member primary; the
		// provider would then replace the whole datastore to change
		// primary_replication_group_id back.
		Lifecycle: cacheLifecycle("primary_replication_group_id"),
	})
	out := &GlobalCache{GlobalReplicationGroupID: global.GlobalReplicationGroupId(), Groups: map[string]*CacheEndpoints{
		primary.Env.Region: {ID: group.Id(), Endpoint: group.PrimaryEndpointAddress(), ReaderEndpoint: group.ReaderEndpointAddress(), Port: p.Port, SecurityGroup: psite.sg},
	}}

	for _, f := range props.Failovers {
		fc := constructs.NewConstruct(f.Scope, jsii.String("cache"))
		fsite := newCacheSite(fc, f, props.Prefix, p.Port)
		fid := names.RegionalData(props.Prefix, f.Env.Region)
		// The token is read from this region's replica of the secret, so the
		// plan needs nothing from the primary region.
		token := dataawssecretsmanagersecretversion.NewDataAwsSecretsmanagerSecretVersion(fc, jsii.String("auth-token"), &dataawssecretsmanagersecretversion.DataAwsSecretsmanagerSecretVersionConfig{
			Provider: f.Env.Provider,
			SecretId: jsii.String(authSecret),
		})
		// A secondary inherits engine, version, node type, parameter group,
		// shard count and both encryption settings from the global datastore
		// and must set none of them; it inherits Multi-AZ automatic failover,
		// hence at least two nodes.
		secondary := elasticachereplicationgroup.NewElasticacheReplicationGroup(fc, jsii.String("secondary"), &elasticachereplicationgroup.ElasticacheReplicationGroupConfig{
			Provider:                 f.Env.Provider,
			ReplicationGroupId:       jsii.String(fid),
			Description:              jsii.String(props.Prefix + " cache, global datastore secondary"),
			GlobalReplicationGroupId: global.GlobalReplicationGroupId(),
			NumCacheClusters:         nodes,
			SubnetGroupName:          fsite.subnetGroup,
			SecurityGroupIds:         &[]*string{fsite.sg},
			AutomaticFailoverEnabled: jsii.Bool(true),
			MultiAzEnabled:           jsii.Bool(true),
			KmsKeyId:                 f.KmsKeyArn,
			AuthToken:                token.SecretString(),
			SnapshotRetentionLimit:   jsii.Number(p.SnapshotRetentionDays),
			SnapshotWindow:           jsii.String("03:00-04:00"),
			MaintenanceWindow:        jsii.String("sun:05:00-sun:06:00"),
			FinalSnapshotIdentifier:  jsii.String(fid + "-final"),
			DataTieringEnabled:       tiering,
			Lifecycle:                cacheLifecycle("auth_token"),
		})
		out.Groups[f.Env.Region] = &CacheEndpoints{ID: secondary.Id(), Endpoint: secondary.PrimaryEndpointAddress(), ReaderEndpoint: secondary.ReaderEndpointAddress(), Port: p.Port, SecurityGroup: fsite.sg}
	}
	return out
}
