package fakeaws

import (
	"slices"
	"strings"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/spec/identity"
)

// NewDeploymentFor is the converged deployment of cfg as its stacks build
// it, named by cfg.Names: NewDeployment's healthy state, with each standby
// region's egress (NAT gateways or VPC endpoints, per
// network.standbyEgress; the primary region always has its NAT gateways),
// the traffic switch's buckets when dns is set, the service image in each
// region's private ECR registry when service.image is one, and every
// bucket's replication rules (forward from the primary region, reverse
// back to it unless turned off). The runbook commands run against it as
// against a deployment of cfg; cmd/fakeaws -deployed serves it.
func NewDeploymentFor(cfg config.Config) *Deployment {
	n := cfg.Names()
	d := NewDeployment(n.Prefix(), cfg.Regions(), n.Cluster(), n.Service(), n.TargetGroup(), cfg.Service.DesiredCount)
	endpoints := slices.Concat(config.TaskInterfaceEndpoints, []string{config.TaskGatewayEndpoint})
	for _, r := range cfg.FailoverRegions {
		switch cfg.Network.StandbyEgress {
		case config.EgressNat:
			d.NatGateways[r] = cfg.Network.AzCount
		case config.EgressEndpoints:
			d.VpcEndpoints[r] = endpoints
		}
	}
	if cfg.Network.StandbyEgress == config.EgressEndpoints {
		d.VpcEndpoints[cfg.PrimaryRegion] = endpoints
	}
	if cfg.DNS.Enabled() {
		d.SwitchKey = config.TrafficSwitchKey
		for _, r := range cfg.Regions() {
			d.SwitchBuckets[r] = n.TrafficSwitchBucket(r, AccountID)
		}
	}
	// The service image, in each region's registry when it is private ECR.
	for _, r := range cfg.Regions() {
		if account, _, _, ok := identity.EcrRepository(cfg.ImageIn(r)); ok {
			// ACCOUNT/REPOSITORY:TAG or ACCOUNT/REPOSITORY@DIGEST: the
			// registry the image names, whatever its account.
			ref := cfg.ImageIn(r)[strings.Index(cfg.ImageIn(r), "/")+1:]
			if !strings.ContainsAny(ref, ":@") {
				ref += ":latest"
			}
			d.Images[r] = append(d.Images[r], account+"/"+ref)
		}
	}
	d.NatGateways[cfg.PrimaryRegion] = cfg.Network.AzCount
	for _, b := range cfg.Buckets {
		name := func(r string) string { return n.Bucket(b.Name, r, AccountID) }
		var forward []ReplicationRule
		for _, f := range cfg.FailoverRegions {
			forward = append(forward, ReplicationRule{ID: "to-" + f, DestinationBucket: name(f), Status: "Enabled"})
			if *b.ReverseReplication {
				d.SetReplication(f, name(f), ReplicationRule{ID: "to-" + cfg.PrimaryRegion, DestinationBucket: name(cfg.PrimaryRegion), Status: "Enabled"})
			}
		}
		d.SetReplication(cfg.PrimaryRegion, name(cfg.PrimaryRegion), forward...)
	}
	return d
}
