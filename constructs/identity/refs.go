package identity

import (
	"fmt"
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/jsii-runtime-go"

	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
	identityspec "github.com/pilotlight/pilotlight/spec/identity"
)

// RoleRef is an IAM role that a resource is given to act as (a task's
// execution role, say): a *Role this app creates, or a role from outside
// the app (ExistingRole). A construct that needs permissions for its role
// grants them only to a *Role in its own stack (see Role.Grant); it can
// grant nothing to an existing role, nor to a role of another stack without
// making that stack depend on its own, and its docs say what the caller
// grants then.
type RoleRef interface {
	// RoleArn is the role's ARN: a reference to a *Role's aws_iam_role, or
	// the existing role's ARN as given.
	RoleArn() *string
	isRoleRef()
}

// RoleArn is r's ARN (nil for a nil *Role), so a *Role is a RoleRef.
func (r *Role) RoleArn() *string {
	if r == nil {
		return nil
	}
	return r.Arn
}

func (*Role) isRoleRef() {}

// existingRole is a role this app does not create.
type existingRole struct{ arn string }

func (e existingRole) RoleArn() *string { return jsii.String(e.arn) }
func (existingRole) isRoleRef()         {}

// ExistingRole is a role this app does not create, by its ARN,
// arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME (IAM User Guide, "IAM
// identifiers", IAM ARNs). A literal ARN is parsed with aws-sdk-go-v2's
// aws/arn and refused, with what is wrong, when it is not an IAM role's; a
// token (a reference Terraform resolves) is left to Terraform.
//
// Nothing in this library adds to an existing role's permissions: whoever
// owns the role grants what the resources given it need (each construct's
// docs say what), in the stack or account that creates the role.
func ExistingRole(arn string) (RoleRef, error) {
	if !awsenvspec.IsToken(arn) {
		if err := checkRoleArn(arn); err != nil {
			return nil, fmt.Errorf("identity.ExistingRole: %w", err)
		}
	}
	return existingRole{arn: arn}, nil
}

// checkRoleArn says what keeps arn from being an IAM role's ARN.
func checkRoleArn(arn string) error {
	const example = "arn:aws:iam::123456789012:role/NAME"
	a, err := awsarn.Parse(arn)
	if err != nil {
		return fmt.Errorf("%q is not an ARN (%v); give the role's ARN, such as %s", arn, err, example)
	}
	path, isRole := strings.CutPrefix(a.Resource, "role/")
	name := path[strings.LastIndex(path, "/")+1:]
	switch {
	case a.Service != "iam" || !isRole:
		return fmt.Errorf("%q names %s resource %q, not an IAM role; give the role's ARN, such as %s", arn, a.Service, a.Resource, example)
	case !strings.HasPrefix(a.Partition, "aws"):
		return fmt.Errorf("%q: partition %q is not an AWS partition (aws, aws-cn, aws-us-gov, ...)", arn, a.Partition)
	case a.Region != "":
		return fmt.Errorf("%q has region %q; IAM is global and its ARNs have none (%s)", arn, a.Region, example)
	case len(a.AccountID) != 12 || strings.Trim(a.AccountID, "0123456789") != "":
		return fmt.Errorf("%q: the account id %q is not 12 digits", arn, a.AccountID)
	case strings.Contains(path, "//"):
		return fmt.Errorf("%q: the role's path has an empty segment", arn)
	}
	if err := identityspec.ValidateRoleName(name); err != nil {
		return fmt.Errorf("%q: %w", arn, err)
	}
	return nil
}
