package config

import "github.com/pilotlight/pilotlight/timing"

// Timing is what the RTO budget (timing.NewBudget) reads from c: a switch
// from activeRegion to the standby region, and the settings its steps'
// durations depend on.
func (c Config) Timing() timing.Settings {
	s := timing.Settings{
		From:               c.ActiveRegion,
		To:                 c.StandbyRegion(),
		Regions:            len(c.Regions()),
		DNS:                c.DNS.Enabled(),
		StandbyEgress:      c.Network.StandbyEgress,
		SecondaryInstances: c.Database.SecondaryInstances,
		AzCount:            c.Network.AzCount,
		InstanceClass:      c.Database.InstanceClass,
	}
	if s.DNS {
		s.TTL, s.HealthCheckInterval, s.FailureThreshold = c.DNS.TTL, c.DNS.HealthCheckInterval, c.DNS.FailureThreshold
	}
	return s
}
