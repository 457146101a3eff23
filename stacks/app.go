package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/pilotlight/pilotlight/config"
)

// Pilotlight is the whole app. Deploy order, which cdktf's manifest records
// as stack dependencies: Global, then every region (any order), then Edge.
type Pilotlight struct {
	Global *GlobalStack
	// Regions lists the primary region first, then the failover regions.
	Regions []*RegionalStack
	Edge    *EdgeStack
}

// New adds every stack for cfg to scope (a cdktf.App). cfg must have passed
// config validation; construct props are checked again and the first stack
// that refuses its props stops the build, before anything is synthesized.
func New(scope constructs.Construct, cfg config.Config) (*Pilotlight, error) {
	global, err := NewGlobalStack(scope, GlobalStackConfig{App: cfg})
	if err != nil {
		return nil, err
	}
	out := &Pilotlight{Global: global}
	for _, region := range cfg.Regions() {
		r, err := NewRegionalStack(scope, RegionalStackConfig{App: cfg, Region: region, Global: global})
		if err != nil {
			return nil, err
		}
		out.Regions = append(out.Regions, r)
	}
	out.Edge, err = NewEdgeStack(scope, EdgeStackConfig{App: cfg, Regions: out.Regions})
	if err != nil {
		return nil, err
	}
	return out, nil
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
