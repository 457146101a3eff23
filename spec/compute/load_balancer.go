package compute

import (
	"fmt"
	"regexp"
	"strings"
)

var lbNamePattern = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`)

// ValidateLoadBalancerName reports whether name is a valid ALB or target
// group name: 1 to 32 letters, digits and hyphens, not starting or ending
// with a hyphen, and (for an ALB) not starting with "internal-" (ELB API
// Reference, CreateLoadBalancer and CreateTargetGroup, Name: "can have a
// maximum of 32 characters, must contain only alphanumeric characters or
// hyphens, must not begin or end with a hyphen, and must not begin with
// internal-").
func ValidateLoadBalancerName(name string) error {
	if !lbNamePattern.MatchString(name) || strings.HasPrefix(name, "internal-") {
		return fmt.Errorf("load balancer or target group name %q (%d characters) must be 1 to 32 letters, digits and hyphens, must not start or end with a hyphen or start with internal-", name, len(name))
	}
	return nil
}

// ValidateHealthCheckPath reports whether path is a target group health
// check path.
func ValidateHealthCheckPath(path string) error {
	if !strings.HasPrefix(path, "/") || len(path) > 1024 {
		return fmt.Errorf("%q must start with / and be at most 1024 characters", path)
	}
	return nil
}

// ValidatePort reports whether port is a TCP port number.
func ValidatePort(port int) error {
	if port < 1 || port > 65535 {
		return fmt.Errorf("%d is not a port; use 1 to 65535", port)
	}
	return nil
}
