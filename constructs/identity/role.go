// Package identity provides the IAM roles the app's services assume, each
// trusted by one AWS service in one account and granted a scoped inline
// policy. IAM is a global service: create these in a global stack, ahead of
// any regional stack that uses them.
package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	identityspec "github.com/pilotlight/pilotlight/spec/identity"
)

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
	// Env is the role's stack's: grants build their ARNs with its account,
	// so a grant adds no reference to the granting resource's stack.
	Env awsenv.Env

	id     *string
	grants map[string]bool
}

// Grant is what Role.Grant added: an inline policy of its own. Make what
// needs the permissions depend on Policy (cdktf carries the dependency
// across stacks), so it is not used before IAM has it.
type Grant struct {
	Policy cdktf.ITerraformDependable
}

// Grant adds statements to the role after it was created, as an inline
// policy named ROLE-name in the role's own stack (IAM is global, so the
// policy stays with the role). name must be unique per role (a-z, 0-9 and
// hyphens). Statements are checked like RoleProps.Statements, and a
// wildcard needs its WildcardReason. IAM limits a role's inline policies to
// 10,240 characters in all (IAM User Guide, IAM and STS quotas).
//
// Resources in statements should be ARNs built from names
// (awsenv.Env.Arn), not references to resources in stacks deployed after
// the role's: the role's stack would then depend on them.
func (r *Role) Grant(name string, statements ...policy.Statement) (*Grant, error) {
	var errs []error
	if r == nil || r.id == nil {
		return nil, errors.New("identity.Role.Grant: the role was not made by NewRole")
	}
	if !grantNamePattern.MatchString(name) {
		errs = append(errs, fmt.Errorf("name %q: use 1 to 40 of a-z, 0-9 and hyphens", name))
	} else if r.grants[name] {
		errs = append(errs, fmt.Errorf("name %q: the role already has this grant", name))
	}
	if len(statements) == 0 {
		errs = append(errs, errors.New("statements: none given"))
	} else if err := (policy.Document{Statements: statements}).Validate(); err != nil {
		errs = append(errs, fmt.Errorf("statements: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("identity.Role %s Grant: %w", r.Name, err)
	}
	r.grants[name] = true
	p, err := newInlinePolicy(r, "grant-"+name, r.Name+"-"+name, statements)
	if err != nil {
		return nil, err
	}
	return &Grant{Policy: p}, nil
}

// GrantName makes a grant name from parts, such as a resource's kind,
// region and name: lower-case, hyphenated, at most 40 characters, with a
// short hash of the whole when it must be cut, so distinct parts stay
// distinct.
func GrantName(parts ...string) string {
	full := strings.Join(parts, "-")
	var b strings.Builder
	dash := true
	for _, r := range strings.ToLower(full) {
		ok := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 40 || name != full {
		sum := sha256.Sum256([]byte(full))
		name = strings.Trim(name[:min(len(name), 33)], "-") + "-" + hex.EncodeToString(sum[:3])
	}
	return name
}

var grantNamePattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$`)

// newInlinePolicy adds an inline policy to r's construct, carrying the
// statements' wildcard reasons as policy-pack suppressions.
func newInlinePolicy(r *Role, id, name string, statements []policy.Statement) (iamrolepolicy.IamRolePolicy, error) {
	inline := iamrolepolicy.NewIamRolePolicy(r.Construct, jsii.String(id), &iamrolepolicy.IamRolePolicyConfig{
		Provider: r.Env.Provider,
		Name:     jsii.String(name),
		Role:     r.id,
		Policy:   jsii.String(policy.Document{Statements: statements}.JSON()),
	})
	var reasons []string
	for _, s := range statements {
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
	return inline, nil
}

// Validate returns every problem in p at once.
func (p RoleProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil || p.Env.AccountID == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if err := identityspec.ValidateRoleName(p.Name); err != nil {
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
		if err := identityspec.ValidatePrincipalArn(arn); err != nil {
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
	out := &Role{Construct: c, Name: props.Name, Arn: role.Arn(), Env: props.Env, id: role.Id(), grants: map[string]bool{}}
	if len(props.Statements) > 0 {
		if _, err := newInlinePolicy(out, "policy", props.Name, props.Statements); err != nil {
			return nil, err
		}
	}
	return out, nil
}
