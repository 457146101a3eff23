// Package network holds the VPC address ranges a region's network is checked
// against. It is the jsii-free half of constructs/network (see package spec).
package network

import (
	"fmt"
	"net/netip"
)

// ValidateCidr reports whether cidr suits a Vpc of azCount zones: an IPv4
// private (RFC 1918) range from /16 to /24, carved into /(n+4) subnets. AWS
// takes VPCs from /16 to /28 ("The smallest VPC you can create uses a /28
// netmask ... and the largest uses a /16 netmask", EC2 API Reference,
// CreateVpc); /24 leaves the /28 subnets the smallest AWS allows.
func ValidateCidr(cidr string) error {
	prefix, err := netip.ParsePrefix(cidr)
	if err != nil || !prefix.Addr().Is4() {
		return fmt.Errorf("%q is not an IPv4 CIDR such as 10.10.0.0/16", cidr)
	}
	if prefix.Masked() != prefix {
		return fmt.Errorf("%q has host bits set; use %s", cidr, prefix.Masked())
	}
	if prefix.Bits() < 16 || prefix.Bits() > 24 {
		return fmt.Errorf("%q: a VPC CIDR must be /16 to /24 (AWS allows /16 to /28, and subnets here are 4 bits longer)", cidr)
	}
	if !prefix.Addr().IsPrivate() {
		return fmt.Errorf("%q is not a private (RFC 1918) range; use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16", cidr)
	}
	return nil
}

// Overlap reports whether two valid CIDRs share addresses.
func Overlap(a, b string) bool {
	return netip.MustParsePrefix(a).Overlaps(netip.MustParsePrefix(b))
}

// The availability zones a Vpc spans. At least two: an Application Load
// Balancer needs subnets in two zones ("[Application Load Balancers] You
// must specify subnets from at least two Availability Zones", ELB API
// Reference, SetSubnets and CreateLoadBalancer). At most three, the
// library's choice: SubnetCidrs carves a public and a private subnet per
// zone out of the VPC's range.
const (
	MinAzCount = 2
	MaxAzCount = 3
)
