// Package dns moves requests between regions on the data plane: a Route 53
// failover name whose active record is healthy only while a switch in the
// standby region says so (FailoverName, TrafficSwitch), and the regional ACM
// certificates the load balancers answer that name with (Certificate).
//
// Route 53 and ACM validation records are managed through the Route 53
// control plane in us-east-1, so FailoverName and Certificate belong in a
// stack that is not deployed during a regional outage (the app's edge and
// global stacks); TrafficSwitch is regional and is what an operator flips.
package dns

import (
	"errors"
	"fmt"

	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
	dnsspec "github.com/pilotlight/pilotlight/spec/dns"
)

// zoneIDProp checks a ZoneID prop: required; a literal must be a zone id,
// a token is left to Terraform.
func zoneIDProp(id *string) error {
	switch {
	case id == nil:
		return errors.New("ZoneID: required")
	case awsenvspec.IsToken(*id):
		return nil
	}
	if err := dnsspec.ValidateZoneID(*id); err != nil {
		return fmt.Errorf("ZoneID: %w", err)
	}
	return nil
}
