package stacks

import (
	"errors"

	"github.com/aws/constructs-go/constructs/v10"

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
func New(scope constructs.Construct, cfg config.Config) (*Pilotlight, error) {
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
	out.Replication = NewReplicationStack(scope, ReplicationStackConfig{App: cfg})
	if out.Data, err = newReplicatedData(cfg, out); err != nil {
		return nil, err
	}
	for _, r := range out.Regions {
		if err := r.AddService(out.Data.Regions[r.Region]); err != nil {
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
	var buckets []data.BucketProps
	for _, b := range cfg.Buckets {
		bucketNames := map[string]string{}
		for _, r := range p.Regions {
			bucketNames[r.Region] = names.Bucket(b.Name, r.Region, *r.Env.AccountID)
		}
		buckets = append(buckets, data.BucketProps{
			Name: b.Name, BucketNames: bucketNames,
			DeleteMarkerReplication: *b.DeleteMarkerReplication,
			ReplicationTimeControl:  *b.ReplicationTimeControl,
			ReverseReplication:      *b.ReverseReplication,
			NoncurrentVersionDays:   b.NoncurrentVersionDays,
		})
	}
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
		},
		Cache:   data.CacheProps{NodeType: c.NodeType, EngineVersion: c.EngineVersion, Replicas: c.Replicas, SnapshotRetentionDays: c.SnapshotRetentionDays, Port: c.Port},
		Buckets: buckets,
	})
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
