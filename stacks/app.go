package stacks

import (
	"errors"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/data"
)

// Pilotlight is the whole app. Deploy order, which cdktf's manifest records
// as stack dependencies: Global and every region's Keys, the primary region,
// the failover regions, then Replication and Edge.
type Pilotlight struct {
	Global *GlobalStack
	// Keys holds each region's KMS key, in the order of Regions.
	Keys []*KeysStack
	// Regions lists the primary region first, then the failover regions.
	Regions     []*RegionalStack
	Data        *data.ReplicatedData
	Replication *ReplicationStack
	Edge        *EdgeStack
}

// New adds every stack for cfg to scope (a cdktf.App). cfg is validated
// first (a *config.Problems listing everything wrong); construct props are
// checked again and the first stack that refuses its props stops the build,
// before anything is synthesized.
//
// Options extend what is built (WithServiceHook).
func New(scope constructs.Construct, cfg config.Config, options ...Option) (*Pilotlight, error) {
	var o settings
	for _, opt := range options {
		opt(&o)
	}
	if scope == nil {
		return nil, errors.New("stacks.New: scope is nil; pass the cdktf.App")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	global, err := NewGlobalStack(scope, GlobalStackConfig{App: cfg})
	if err != nil {
		return nil, err
	}
	out := &Pilotlight{Global: global}
	for _, region := range cfg.Regions() {
		k, err := NewKeysStack(scope, KeysStackConfig{App: cfg, Region: region})
		if err != nil {
			return nil, err
		}
		out.Keys = append(out.Keys, k)
	}
	for i, region := range cfg.Regions() {
		r, err := NewRegionalStack(scope, RegionalStackConfig{App: cfg, Region: region, Global: global, Keys: out.Keys[i]})
		if err != nil {
			return nil, err
		}
		out.Regions = append(out.Regions, r)
	}
	if out.Replication, err = NewReplicationStack(scope, ReplicationStackConfig{App: cfg}); err != nil {
		return nil, err
	}
	if out.Data, err = newReplicatedData(cfg, out); err != nil {
		return nil, err
	}
	for _, r := range out.Regions {
		if err := r.AddService(out.Data.Regions[r.Region], o.serviceHook); err != nil {
			return nil, err
		}
	}
	out.Edge, err = NewEdgeStack(scope, EdgeStackConfig{App: cfg, Regions: out.Regions})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// newReplicatedData builds the data tier across the regional stacks.
func newReplicatedData(cfg config.Config, p *Pilotlight) (*data.ReplicatedData, error) {
	names := cfg.Names()
	var failovers []data.Site
	for _, r := range p.Regions[1:] {
		failovers = append(failovers, r.DataSite())
	}
	buckets := bucketProps(cfg, func(region string) string { return *p.Region(region).Env.AccountID })
	var role *string
	if p.Global.ReplicationRole != nil {
		role = p.Global.ReplicationRole.Arn
	}
	d := cfg.Database
	c := cfg.Cache
	return data.NewReplicatedData(data.ReplicatedDataProps{
		Prefix:             names.Prefix(),
		Primary:            p.Regions[0].DataSite(),
		Failovers:          failovers,
		Links:              p.Replication.DataSite(),
		ReplicationRoleArn: role,
		DatabaseSecretName: names.DatabaseSecret(),
		CacheSecretName:    names.CacheSecret(),
		Database: data.DatabaseProps{
			Mode: d.Mode, SnapshotIdentifier: d.SnapshotIdentifier, SourceClusterArn: d.SourceClusterArn, MasterSecretName: d.MasterSecretName,
			EngineVersion: d.EngineVersion, InstanceClass: d.InstanceClass, Readers: d.Readers, SecondaryInstances: d.SecondaryInstances,
			DatabaseName: d.DatabaseName, MasterUsername: d.MasterUsername, BackupRetentionDays: d.BackupRetentionDays, Port: d.Port,
			// The config has checked each key on its own (acceptUnlisted
			// names the keys): a value it refused never gets here.
			AcceptUnlisted: slices.Contains(cfg.AcceptUnlisted, "database.engineVersion") || slices.Contains(cfg.AcceptUnlisted, "database.instanceClass"),
		},
		Cache: data.CacheProps{NodeType: c.NodeType, EngineVersion: c.EngineVersion, Replicas: c.Replicas, SnapshotRetentionDays: c.SnapshotRetentionDays, Port: c.Port,
			AcceptUnlisted: slices.Contains(cfg.AcceptUnlisted, "cache.nodeType") || slices.Contains(cfg.AcceptUnlisted, "cache.engineVersion")},
		Buckets: buckets,
	})
}

// Option changes what New builds.
type Option func(*settings)

type settings struct{ serviceHook ServiceHook }

// WithServiceHook has New call hook with each region's service props
// before it makes the service.
func WithServiceHook(hook ServiceHook) Option {
	return func(s *settings) { s.serviceHook = hook }
}

// Stacks lists every stack in deploy order: global, keys, regions (primary
// first), replication, edge.
func (p *Pilotlight) Stacks() []cdktf.TerraformStack {
	out := []cdktf.TerraformStack{p.Global.Stack}
	for _, k := range p.Keys {
		out = append(out, k.Stack)
	}
	for _, r := range p.Regions {
		out = append(out, r.Stack)
	}
	return append(out, p.Replication.Stack, p.Edge.Stack)
}

// bucketProps are the config's buckets as data.BucketProps, each region's
// bucket named with account(region): the account id token of the stack
// that uses the name, so no stack reads another for it.
func bucketProps(cfg config.Config, account func(region string) string) []data.BucketProps {
	names := cfg.Names()
	var out []data.BucketProps
	for _, b := range cfg.Buckets {
		bucketNames := map[string]string{}
		for _, r := range cfg.Regions() {
			bucketNames[r] = names.Bucket(b.Name, r, account(r))
		}
		out = append(out, data.BucketProps{
			Name: b.Name, BucketNames: bucketNames,
			DeleteMarkerReplication: *b.DeleteMarkerReplication,
			ReplicationTimeControl:  *b.ReplicationTimeControl,
			ReverseReplication:      *b.ReverseReplication,
			NoncurrentVersionDays:   b.NoncurrentVersionDays,
		})
	}
	return out
}

// Region returns the stack of region, or nil.
func (p *Pilotlight) Region(region string) *RegionalStack {
	for _, r := range p.Regions {
		if r.Region == region {
			return r
		}
	}
	return nil
}
