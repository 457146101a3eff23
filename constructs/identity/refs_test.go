package identity_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestExistingRoleTakesRoleArns(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:iam::123456789012:role/shop-prod-ecs-task-execution",
		"arn:aws:iam::123456789012:role/service-role/app/exec+=,.@_-",
		"arn:aws-cn:iam::123456789012:role/exec",
		"arn:aws-us-gov:iam::123456789012:role/exec",
	} {
		ref, err := identity.ExistingRole(arn)
		if err != nil {
			t.Errorf("%s refused: %v", arn, err)
			continue
		}
		if got := *ref.RoleArn(); got != arn {
			t.Errorf("RoleArn = %s, want %s", got, arn)
		}
	}
}

// A bad literal ARN is an error saying what is wrong, never a panic.
func TestExistingRoleRefusesOtherArns(t *testing.T) {
	for arn, want := range map[string]string{
		"":                                                          "is not an ARN",
		"shop-prod-ecs-task-execution":                              "is not an ARN",
		"arn:aws:iam::123456789012":                                 "is not an ARN",
		"arn:aws:s3:::shop-data":                                    `names s3 resource "shop-data", not an IAM role`,
		"arn:aws:iam::123456789012:user/x":                          `names iam resource "user/x", not an IAM role`,
		"arn:aws:iam::123456789012:role/":                           "IAM role name",
		"arn:aws:iam:us-east-1:123456789012:role/exec":              `has region "us-east-1"`,
		"arn:aws:iam::1234:role/exec":                               `the account id "1234" is not 12 digits`,
		"arn:foo:iam::123456789012:role/exec":                       `partition "foo"`,
		"arn:aws:iam::123456789012:role/a//b":                       "empty segment",
		"arn:aws:iam::123456789012:role/has space":                  "IAM role name",
		"arn:aws:iam::123456789012:role/" + strings.Repeat("r", 65): "IAM role name",
	} {
		ref, err := identity.ExistingRole(arn)
		if err == nil || ref != nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "identity.ExistingRole: ") {
			t.Errorf("ExistingRole(%q) = %v, %v; want an error with %q", arn, ref, err, want)
		}
	}
}

// A reference is Terraform's to resolve: accepted as it is.
func TestExistingRoleLeavesTokensToTerraform(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	role, err := identity.NewRole(stack, "r", identity.RoleProps{Env: env, Name: "r", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := identity.ExistingRole(*role.Arn)
	if err != nil || ref.RoleArn() == nil || *ref.RoleArn() != *role.Arn {
		t.Errorf("a token: %v, %v", ref, err)
	}
	var nilRole *identity.Role
	if nilRole.RoleArn() != nil {
		t.Error("a nil *Role has an ARN")
	}
}
