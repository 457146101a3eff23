// Package identity provides the IAM roles the app's services assume, each
// trusted by one AWS service in one account and granted a scoped inline
// policy. IAM is a global service: create these in a global stack, ahead of
// any regional stack that uses them.
package identity

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/constructs/policypack"
)

var roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// ValidateRoleName reports whether name is a valid IAM role name.
func ValidateRoleName(name string) error {
	if !roleNamePattern.MatchString(name) {
		return fmt.Errorf("IAM role name %q (%d characters) must be 1 to 64 of A-Z a-z 0-9 + = , . @ _ -", name, len(name))
	}
	return nil
}

var principalArn = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::\d{12}:(root|role/[\w+=,.@/-]+|user/[\w+=,.@/-]+)$`)

// ValidatePrincipalArn reports whether arn names an IAM role, user or
// account root that a trust policy can name.
func ValidatePrincipalArn(arn string) error {
	if !principalArn.MatchString(arn) {
		return fmt.Errorf("%q: use an IAM role, user or account ARN, such as arn:aws:iam::123456789012:role/oncall", arn)
	}
	return nil
}

// RoleProps configures a Role.
type RoleProps struct {
	Env         awsenv.Env
	Name        string
	Description string
	// AssumedBy is the service principal that may assume the role, such as
	// ecs-tasks.amazonaws.com. The trust is limited to Env's account
	// (aws:SourceAccount), against the confused-deputy problem.
	AssumedBy string
	// AssumedByPrincipals, instead of AssumedBy, are the IAM principals
	// (role, user or account-root ARNs) that may assume the role: a role for
	// people or pipelines, such as the runbook's operator role.
	AssumedByPrincipals []string
	// SourceArn, when set, further limits the trust to requests made on
	// behalf of matching resources (aws:SourceArn, ArnLike), such as
	// arn:aws:ecs:*:123456789012:*.
	SourceArn string
	// UnconditionalTrustReason, when set, drops the aws:SourceAccount and
	// aws:SourceArn conditions for a service that does not send them; it
	// must say why.
	UnconditionalTrustReason string
	// Statements form the role's inline policy; none leaves the role with no
	// permissions (an application grants its own).
	Statements []policy.Statement
}

// Role is an IAM role for one AWS service, or for the IAM principals
// AssumedByPrincipals names.
type Role struct {
	constructs.Construct
	Name string
	Arn  *string
}

// Validate returns every problem in p at once.
func (p RoleProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil || p.Env.AccountID == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if err := ValidateRoleName(p.Name); err != nil {
		errs = append(errs, fmt.Errorf("Name: %w", err))
	}
	if p.UnconditionalTrustReason != "" && p.SourceArn != "" {
		errs = append(errs, errors.New("SourceArn: has no effect with UnconditionalTrustReason"))
	}
	switch {
	case p.AssumedBy == "" && len(p.AssumedByPrincipals) == 0:
		errs = append(errs, errors.New("AssumedBy: name the service principal that assumes the role (or AssumedByPrincipals, the IAM principals)"))
	case p.AssumedBy != "" && len(p.AssumedByPrincipals) > 0:
		errs = append(errs, errors.New("AssumedByPrincipals: set it or AssumedBy, not both"))
	case len(p.AssumedByPrincipals) > 0 && (p.SourceArn != "" || p.UnconditionalTrustReason != ""):
		errs = append(errs, errors.New("AssumedByPrincipals: SourceArn and UnconditionalTrustReason apply to service principals only"))
	}
	for _, arn := range p.AssumedByPrincipals {
		if err := ValidatePrincipalArn(arn); err != nil {
			errs = append(errs, fmt.Errorf("AssumedByPrincipals: %w", err))
		}
	}
	if len(p.Statements) > 0 {
		if err := (policy.Document{Statements: p.Statements}).Validate(); err != nil {
			errs = append(errs, fmt.Errorf("Statements: %w", err))
		}
	}
	return errors.Join(errs...)
}

// NewRole adds the role and its inline policy to scope.
func NewRole(scope constructs.Construct, id string, props RoleProps) (*Role, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("identity.Role %s: %w", id, err)
	}
	condition := map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {*props.Env.AccountID}}}
	if props.SourceArn != "" {
		condition["ArnLike"] = map[string][]string{"aws:SourceArn": {props.SourceArn}}
	}
	if props.UnconditionalTrustReason != "" {
		condition = nil
	}
	trust := policy.Document{Statements: []policy.Statement{{
		Principal: map[string][]string{"Service": {props.AssumedBy}},
		Actions:   []string{"sts:AssumeRole"},
		Condition: condition,
	}}}
	if len(props.AssumedByPrincipals) > 0 {
		trust.Statements[0].Principal = map[string][]string{"AWS": props.AssumedByPrincipals}
		trust.Statements[0].Condition = nil
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	role := iamrole.NewIamRole(c, jsii.String("role"), &iamrole.IamRoleConfig{
		Provider:         props.Env.Provider,
		Name:             jsii.String(props.Name),
		Description:      jsii.String(props.Description),
		AssumeRolePolicy: jsii.String(trust.JSON()),
	})
	if len(props.Statements) > 0 {
		inline := iamrolepolicy.NewIamRolePolicy(c, jsii.String("policy"), &iamrolepolicy.IamRolePolicyConfig{
			Provider: props.Env.Provider,
			Name:     jsii.String(props.Name),
			Role:     role.Id(),
			Policy:   jsii.String(policy.Document{Statements: props.Statements}.JSON()),
		})
		var reasons []string
		for _, s := range props.Statements {
			if s.WildcardReason != "" {
				reasons = append(reasons, s.Sid+": "+s.WildcardReason)
			}
		}
		if len(reasons) > 0 {
			// The written reasons travel with the policy, for the policy pack
			// and for reviewers of the synthesized JSON.
			if err := policypack.Suppress(inline, "AwsSolutions-IAM5", strings.Join(reasons, "; ")); err != nil {
				return nil, err
			}
		}
	}
	return &Role{Construct: c, Name: props.Name, Arn: role.Arn()}, nil
}
