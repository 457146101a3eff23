package network

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/aws/jsii-runtime-go"

	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
)

// SubnetsRef is a set of subnets in one VPC, where a resource puts its
// network interfaces: a Vpc's (Vpc.PrivateSubnets) or those of a VPC from
// outside the app (ExistingSubnets).
type SubnetsRef interface {
	// VpcID is the VPC's id: a reference to a Vpc's aws_vpc, or as given.
	VpcID() *string
	// SubnetIDs are the subnets' ids, in order.
	SubnetIDs() []*string
	isSubnetsRef()
}

type subnets struct {
	vpcID     *string
	subnetIDs []*string
}

func (s subnets) VpcID() *string       { return s.vpcID }
func (s subnets) SubnetIDs() []*string { return slices.Clone(s.subnetIDs) }
func (subnets) isSubnetsRef()          {}

// PrivateSubnets are v's private subnets, one per availability zone: no
// public IP reaches them, and they reach the internet only through NAT
// gateways or VPC endpoints (VpcProps).
func (v *Vpc) PrivateSubnets() SubnetsRef {
	if v == nil {
		return nil
	}
	return subnets{vpcID: v.ID, subnetIDs: v.PrivateSubnetIDs}
}

// EC2 resource ids are the type's prefix, a hyphen, and 8 or (since 2018)
// 17 characters (EC2 User Guide, "Resource IDs").
var (
	vpcIDPattern    = regexp.MustCompile(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetIDPattern = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// ExistingSubnets are subnets of a VPC this app does not create, by id
// (vpc-0123456789abcdef0, subnet-0123456789abcdef0). Literal ids are
// checked against EC2's id format, and refused with what is wrong; tokens
// (references Terraform resolves) are left to Terraform. At least one
// subnet, none twice. That the subnets are in that VPC, and private, only
// AWS knows: give subnets with no route from an internet gateway where
// the resource is to be private.
func ExistingSubnets(vpcID string, subnetIDs ...string) (SubnetsRef, error) {
	var errs []error
	if !awsenvspec.IsToken(vpcID) && !vpcIDPattern.MatchString(vpcID) {
		errs = append(errs, fmt.Errorf("VPC id %q: write vpc- and 8 or 17 hexadecimal digits, such as vpc-0123456789abcdef0", vpcID))
	}
	if len(subnetIDs) == 0 {
		errs = append(errs, errors.New("subnet ids: give at least one"))
	}
	out := subnets{vpcID: jsii.String(vpcID)}
	for i, id := range subnetIDs {
		switch {
		case !awsenvspec.IsToken(id) && !subnetIDPattern.MatchString(id):
			errs = append(errs, fmt.Errorf("subnet id %q: write subnet- and 8 or 17 hexadecimal digits, such as subnet-0123456789abcdef0", id))
		case slices.Contains(subnetIDs[:i], id):
			errs = append(errs, fmt.Errorf("subnet id %q: given twice", id))
		}
		out.subnetIDs = append(out.subnetIDs, jsii.String(id))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("network.ExistingSubnets: %w", err)
	}
	return out, nil
}
