package compute_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/spec/compute"
)

func TestValidateFargateSize(t *testing.T) {
	for _, ok := range [][2]int{{256, 512}, {256, 2048}, {512, 4096}, {1024, 8192}, {4096, 30720}, {8192, 61440}, {16384, 122880}} {
		if err := compute.ValidateFargateSize(ok[0], ok[1]); err != nil {
			t.Errorf("%v refused: %v", ok, err)
		}
	}
	for _, bad := range [][2]int{{256, 4096}, {512, 512}, {1024, 9216}, {8192, 18432}, {128, 512}} {
		if err := compute.ValidateFargateSize(bad[0], bad[1]); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestValidateLoadBalancerName(t *testing.T) {
	for _, ok := range []string{"a", "app-dev", strings.Repeat("a", 32)} {
		if err := compute.ValidateLoadBalancerName(ok); err != nil {
			t.Errorf("%s refused", ok)
		}
	}
	for _, bad := range []string{"", "-a", "a-", strings.Repeat("a", 33), "internal-x", "a_b"} {
		if err := compute.ValidateLoadBalancerName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
