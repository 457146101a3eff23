package compute_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

// A role of the service's own stack is granted read on exactly the
// secrets the service is given, and on the key only through Secrets
// Manager; the service waits for the grant.
func TestExecutionRoleReadsExactlyItsSecrets(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	lb, err := compute.NewLoadBalancer(stack, "lb", lbProps(env))
	if err != nil {
		t.Fatal(err)
	}
	key, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/app-dev", LogGroupPrefix: "/app/dev/"})
	if err != nil {
		t.Fatal(err)
	}
	role, err := identity.NewRole(stack, "execution", identity.RoleProps{Env: env, Name: "app-dev-execution", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		t.Fatal(err)
	}
	props := serviceProps(t, env, lb, 1)
	props.ExecutionRole, props.Key = role, key
	props.Secrets = map[string]string{
		"DB_PASSWORD": "app/dev/db",
		// Another region's secret, by ARN with a JSON key: IAM matches
		// the secret, so the JSON key is dropped from the grant.
		"API_TOKEN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/dev/api-AbCdEf:token::",
	}
	svc, err := compute.NewFargateService(stack, "svc", props)
	if err != nil {
		t.Fatal(err)
	}
	if svc.SecretsGrant == nil {
		t.Error("SecretsGrant = nil for a role of the service's stack")
	}
	tpl := synthtest.Synth(t, stack)
	policies := tpl.Resources("aws_iam_role_policy")
	if len(policies) != 1 {
		t.Fatalf("%d inline policies, want the one secrets grant: %v", len(policies), policies)
	}
	var policyName string
	for name, p := range policies {
		policyName = name
		if !strings.Contains(p["role"].(string), "aws_iam_role.execution_role") {
			t.Errorf("the grant is on %v, want the execution role", p["role"])
		}
		doc := synthtest.Policy(t, p["policy"])
		statements, _ := doc["Statement"].([]any)
		if len(statements) != 2 {
			t.Fatalf("statements = %v, want ReadTaskSecrets and DecryptTaskSecrets", statements)
		}
		read, decrypt := statements[0].(map[string]any), statements[1].(map[string]any)
		if fmt.Sprint(read["Action"]) != "[secretsmanager:GetSecretValue]" {
			t.Errorf("read actions = %v", read["Action"])
		}
		resources, _ := read["Resource"].([]any)
		local := regexp.MustCompile(`^arn:aws:secretsmanager:us-west-2:\$\{data\.aws_caller_identity\.[^}]+\}:secret:app/dev/db-\?\?\?\?\?\?$`)
		if len(resources) != 2 || resources[0] != "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/dev/api-AbCdEf" || !local.MatchString(fmt.Sprint(resources[1])) {
			t.Errorf("GetSecretValue on %v; want exactly the API token's ARN and app/dev/db in us-west-2", resources)
		}
		if fmt.Sprint(decrypt["Action"]) != "[kms:Decrypt]" || fmt.Sprint(decrypt["Resource"]) != "[${aws_kms_key.key_"+keySuffix(t, tpl)+".arn}]" {
			t.Errorf("decrypt = %v on %v; want kms:Decrypt on the service's key", decrypt["Action"], decrypt["Resource"])
		}
		if via := fmt.Sprint(synthtest.Get(decrypt, "Condition.StringEquals.kms:ViaService")); via != "[secretsmanager.us-east-1.amazonaws.com secretsmanager.us-west-2.amazonaws.com]" {
			t.Errorf("kms:ViaService = %v; want Secrets Manager in the secrets' regions", via)
		}
	}
	deps := fmt.Sprint(tpl.Resource(t, "aws_ecs_service")["depends_on"])
	if !strings.Contains(deps, "aws_iam_role_policy."+policyName) {
		t.Errorf("service depends_on %v; want the grant, so no task starts before IAM has it", deps)
	}
}

// keySuffix is the hashed part of the one aws_kms_key's logical id.
func keySuffix(t *testing.T, tpl synthtest.Template) string {
	for name := range tpl.Resources("aws_kms_key") {
		return strings.TrimPrefix(name, "key_")
	}
	t.Fatal("no aws_kms_key")
	return ""
}

// An existing role is not the app's to change: no policy, and the task
// definition names it as given.
func TestExistingRoleGetsNoPolicy(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	lb, err := compute.NewLoadBalancer(stack, "lb", lbProps(env))
	if err != nil {
		t.Fatal(err)
	}
	props := serviceProps(t, env, lb, 1)
	props.Secrets = map[string]string{"DB_PASSWORD": "app/dev/db"}
	svc, err := compute.NewFargateService(stack, "svc", props)
	if err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	if p := tpl.Resources("aws_iam_role_policy"); len(p) != 0 || svc.SecretsGrant != nil {
		t.Errorf("policies on an existing role: %v (grant %v)", p, svc.SecretsGrant)
	}
	if got := tpl.Resource(t, "aws_ecs_task_definition")["execution_role_arn"]; got != "arn:aws:iam::123456789012:role/exec" {
		t.Errorf("execution_role_arn = %v", got)
	}
}

// A role of another stack (the app's global stack) is granted nothing
// from here: no IAM resource in the service's stack, none added to the
// role's, and no new reference between them beyond the role's ARN.
func TestRoleOfAnotherStackIsNotGranted(t *testing.T) {
	app := synthtest.NewApp(t)
	global, genv := synthtest.NewStackIn(app, "global", "us-east-1")
	regional, env := synthtest.NewStackIn(app, "regional", "us-west-2")
	role, err := identity.NewRole(global, "execution", identity.RoleProps{Env: genv, Name: "app-dev-execution", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		t.Fatal(err)
	}
	lb, err := compute.NewLoadBalancer(regional, "lb", lbProps(env))
	if err != nil {
		t.Fatal(err)
	}
	props := serviceProps(t, env, lb, 1)
	props.ExecutionRole = role
	props.Secrets = map[string]string{"DB_PASSWORD": "app/dev/db"}
	svc, err := compute.NewFargateService(regional, "svc", props)
	if err != nil {
		t.Fatal(err)
	}
	if svc.SecretsGrant != nil {
		t.Error("SecretsGrant set for a role of another stack")
	}
	tpls := synthtest.SynthApp(t, app)
	for stack, tpl := range tpls {
		for typ := range tpl.Types("resource") {
			if strings.HasPrefix(typ, "aws_iam_") && (stack == "regional" || typ != "aws_iam_role") {
				t.Errorf("stack %s has %s", stack, typ)
			}
		}
	}
	if arn := fmt.Sprint(tpls["regional"].Resource(t, "aws_ecs_task_definition")["execution_role_arn"]); !strings.Contains(arn, "terraform_remote_state") {
		t.Errorf("execution_role_arn = %s, want the global role's ARN", arn)
	}
}

// Every missing or malformed handle is an error naming the prop, before
// anything is added; never a panic.
func TestFargateServiceRefusesBadHandles(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	lb, err := compute.NewLoadBalancer(stack, "lb", lbProps(env))
	if err != nil {
		t.Fatal(err)
	}
	var nilRole *identity.Role
	var nilKey *encryption.RegionalKey
	props := serviceProps(t, env, lb, 1)
	props.ExecutionRole, props.TaskRole, props.Subnets, props.Key = nilRole, nil, nil, nilKey
	props.Secrets = map[string]string{"TOKEN": "arn:aws:s3:::not-a-secret"}
	_, err = compute.NewFargateService(stack, "svc", props)
	for _, want := range []string{"ExecutionRole: required", "TaskRole: required", "Subnets: required", "Key (or KmsKeyArn): required", `Secrets TOKEN: "arn:aws:s3:::not-a-secret" names s3 resource`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	// A Role not made by NewRole carries no construct to grant from.
	props = serviceProps(t, env, lb, 1)
	props.ExecutionRole = &identity.Role{Name: "x", Arn: jsii.String("arn:aws:iam::123456789012:role/x")}
	props.Secrets = map[string]string{"DB_PASSWORD": "app/dev/db"}
	if _, err := compute.NewFargateService(stack, "svc", props); err == nil || !strings.Contains(err.Error(), "identity.ExistingRole") {
		t.Errorf("a hand-made Role: %v", err)
	}
	if n := len(synthtest.Synth(t, stack).Resources("aws_ecs_service")); n != 0 {
		t.Errorf("a refused service left %d services behind", n)
	}
}
