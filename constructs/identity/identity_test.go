package identity_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestRoleTrustIsScopedToTheAccount(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	if _, err := identity.NewRole(stack, "exec", identity.RoleProps{
		Env: env, Name: "app-dev-exec", AssumedBy: "ecs-tasks.amazonaws.com", SourceArn: env.Arn("ecs", "*", "*"),
		Statements: identity.TaskExecutionStatements([]string{"arn:aws:logs:us-east-1:1:log-group:/a"}, nil),
	}); err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	role := tpl.Resource(t, "aws_iam_role")
	trust := synthtest.Policy(t, role["assume_role_policy"])
	s := synthtest.Get(trust, "Statement.0")
	if synthtest.Get(s, "Principal.Service.0") != "ecs-tasks.amazonaws.com" || synthtest.Get(s, "Action.0") != "sts:AssumeRole" {
		t.Errorf("trust = %v", s)
	}
	// Confused-deputy protection, as the ECS docs recommend.
	if a := synthtest.Get(s, "Condition.StringEquals.aws:SourceAccount.0"); a != "${data.aws_caller_identity.account.account_id}" {
		t.Errorf("aws:SourceAccount = %v", a)
	}
	if a := synthtest.Get(s, "Condition.ArnLike.aws:SourceArn.0"); a != "arn:aws:ecs:*:${data.aws_caller_identity.account.account_id}:*" {
		t.Errorf("aws:SourceArn = %v", a)
	}
	if role["managed_policy_arns"] != nil || role["inline_policy"] != nil {
		t.Error("use aws_iam_role_policy: inline_policy and managed_policy_arns are deprecated in 5.x")
	}
	p := tpl.Resource(t, "aws_iam_role_policy")
	doc := synthtest.Policy(t, p["policy"])
	res := synthtest.Get(doc, "Statement.0.Resource").([]any)
	if len(res) != 2 || res[0] != "arn:aws:logs:us-east-1:1:log-group:/a" || res[1] != "arn:aws:logs:us-east-1:1:log-group:/a:*" {
		t.Errorf("log resources = %v", res)
	}
}

// A role for people or pipelines trusts the IAM principals named, without
// the service conditions.
func TestRoleAssumedByPrincipals(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	arns := []string{"arn:aws:iam::123456789012:role/oncall", "arn:aws:iam::123456789012:root"}
	if _, err := identity.NewRole(stack, "operator", identity.RoleProps{Env: env, Name: "app-dev-operator", AssumedByPrincipals: arns}); err != nil {
		t.Fatal(err)
	}
	trust := synthtest.Policy(t, synthtest.Synth(t, stack).Resource(t, "aws_iam_role")["assume_role_policy"])
	s := synthtest.Get(trust, "Statement.0")
	if fmt.Sprint(synthtest.Get(s, "Principal.AWS")) != fmt.Sprint([]any{arns[0], arns[1]}) || synthtest.Get(s, "Principal.Service") != nil || synthtest.Get(s, "Condition") != nil {
		t.Errorf("trust = %v", s)
	}
	for props, want := range map[*identity.RoleProps]string{
		{Env: env, Name: "r", AssumedByPrincipals: []string{"oncall"}}:                                 "use an IAM role, user or account ARN",
		{Env: env, Name: "r", AssumedBy: "ecs-tasks.amazonaws.com", AssumedByPrincipals: arns}:         "not both",
		{Env: env, Name: "r", AssumedByPrincipals: arns, SourceArn: "arn:aws:ecs:*:1:*"}:               "service principals only",
		{Env: env, Name: "r", AssumedByPrincipals: []string{"arn:aws:iam::123456789012:group/admins"}}: "use an IAM role",
	} {
		if err := props.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: want %q, got %v", props.AssumedByPrincipals, want, err)
		}
	}
}

func TestRoleWithoutStatementsHasNoPolicy(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	if _, err := identity.NewRole(stack, "task", identity.RoleProps{Env: env, Name: "task", AssumedBy: "ecs-tasks.amazonaws.com"}); err != nil {
		t.Fatal(err)
	}
	if n := len(synthtest.Synth(t, stack).Resources("aws_iam_role_policy")); n != 0 {
		t.Errorf("%d policies on a role given none", n)
	}
}

func TestRoleRefusesUnexplainedWildcards(t *testing.T) {
	_, env := synthtest.NewStack("us-east-1")
	err := identity.RoleProps{Env: env, Name: strings.Repeat("r", 65), Statements: []policy.Statement{{Actions: []string{"s3:*"}, Resources: []string{"*"}}}}.Validate()
	for _, want := range []string{"Name", "AssumedBy", "without a WildcardReason"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestTaskExecutionStatements(t *testing.T) {
	plain := identity.TaskExecutionStatements([]string{"arn:g"}, nil)
	if len(plain) != 1 {
		t.Errorf("a public image needs no ECR permission: %v", plain)
	}
	ecr := identity.TaskExecutionStatements([]string{"arn:g"}, []string{"arn:aws:ecr:us-east-1:1:repository/app"})
	if len(ecr) != 3 || ecr[1].Resources[0] != "*" || ecr[1].WildcardReason == "" || ecr[2].Resources[0] != "arn:aws:ecr:us-east-1:1:repository/app" {
		t.Errorf("ECR statements = %+v", ecr)
	}
	if err := (policy.Document{Statements: ecr}).Validate(); err != nil {
		t.Error(err)
	}
}

// A role for ECS tasks that may only write one log group.
func ExampleNewRole() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("example"))
	env, err := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("us-east-1")}), "us-east-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	role, err := identity.NewRole(stack, "execution", identity.RoleProps{
		Env:        env,
		Name:       "shop-prod-ecs-task-execution",
		AssumedBy:  "ecs-tasks.amazonaws.com",
		SourceArn:  env.Arn("ecs", "*", "*"),
		Statements: identity.TaskExecutionStatements([]string{"arn:aws:logs:eu-west-1:123456789012:log-group:/shop/prod/app"}, nil),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(role.Name)
	// Output: shop-prod-ecs-task-execution
}
