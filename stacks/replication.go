package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/data"
)

// ReplicationStackConfig is what the ReplicationStack is built from.
type ReplicationStackConfig struct {
	App config.Config
}

// ReplicationStack holds the replication that needs both ends to exist
// first: S3 replication from the primary region's buckets into the failover
// regions' buckets. It runs in the primary region and deploys after every
// regional stack; a failover region never needs it to plan or apply.
type ReplicationStack struct {
	Stack cdktf.TerraformStack
	Name  string
	Env   awsenv.Env
}

// NewReplicationStack adds the replication stack to scope. Errors: a nil
// scope, an invalid config, or a scope that already holds the stack.
func NewReplicationStack(scope constructs.Construct, cfg ReplicationStackConfig) (*ReplicationStack, error) {
	name := cfg.App.Names().ReplicationStack()
	stack, env, err := newStack(scope, name, cfg.App, cfg.App.PrimaryRegion, Primary)
	if err != nil {
		return nil, err
	}
	return &ReplicationStack{Stack: stack, Name: name, Env: env}, nil
}

// DataSite is the stack as ReplicatedData's Links.
func (r *ReplicationStack) DataSite() data.Site {
	return data.Site{Scope: r.Stack, Env: r.Env}
}
