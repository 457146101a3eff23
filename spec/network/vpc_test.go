package network_test

import (
	"testing"

	"github.com/pilotlight/pilotlight/spec/network"
)

func TestValidateCidr(t *testing.T) {
	for _, ok := range []string{"10.0.0.0/16", "172.16.0.0/20", "192.168.10.0/24"} {
		if err := network.ValidateCidr(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"10.0.0.1/16", "10.0.0.0/8", "10.0.0.0/25", "11.0.0.0/16", "fd00::/48", "x"} {
		if err := network.ValidateCidr(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
