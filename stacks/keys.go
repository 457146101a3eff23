package stacks

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/monitoring"
)

// KeysStackConfig is what a KeysStack is built from.
type KeysStackConfig struct {
	App    config.Config
	Region string
}

// KeysStack holds one region's customer-managed KMS key and nothing else.
// It depends on no stack, so every region's key exists before the primary
// region's stack, whose secrets replicate into each failover region under
// that region's key; the region's own stack reads the key from this one.
// Its plan needs only its own region, as the DR rule asks of a failover
// region.
type KeysStack struct {
	// Stack is the cdktf stack; Name its name in cdktf.out.
	Stack  cdktf.TerraformStack
	Name   string
	Region string
	Env    awsenv.Env
	Key    *encryption.RegionalKey
}

// NewKeysStack adds the keys stack of cfg.Region to scope.
func NewKeysStack(scope constructs.Construct, cfg KeysStackConfig) (*KeysStack, error) {
	app := cfg.App
	names := app.Names()
	name := names.KeysStack(cfg.Region)
	role := Failover
	if cfg.Region == app.PrimaryRegion {
		role = Primary
	}
	stack, env, err := newStack(scope, name, app, cfg.Region, role)
	if err != nil {
		return nil, err
	}
	// The construct id "key" is the one the key had in the regional stack,
	// so its Terraform address is unchanged (docs/deploying.md, upgrading).
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{
		Env:            env,
		Alias:          names.KeyAlias(),
		Description:    fmt.Sprintf("%s data and logs in %s", names.Prefix(), cfg.Region),
		LogGroupPrefix: names.LogGroupPrefix(),
		// The regional stack's alarm topic is encrypted with this key, and
		// its alarms must be able to publish to it.
		Statements: monitoring.KeyStatements(env),
	})
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", name, err)
	}
	return &KeysStack{Stack: stack, Name: name, Region: cfg.Region, Env: env, Key: key}, nil
}
