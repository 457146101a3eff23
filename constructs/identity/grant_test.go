package identity_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestGrantAddsAnInlinePolicyToTheRole(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	role, err := identity.NewRole(stack, "task", identity.RoleProps{Env: env, Name: "shop-task", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := role.Grant("queue", policy.Statement{Sid: "Send", Actions: []string{"sqs:SendMessage"}, Resources: []string{"arn:aws:sqs:us-east-1:123456789012:orders"}})
	if err != nil || g.Policy == nil {
		t.Fatalf("grant: %v", err)
	}
	if _, err := role.Grant("queue", policy.Statement{Sid: "Again", Actions: []string{"sqs:ReceiveMessage"}, Resources: []string{"arn:aws:sqs:us-east-1:123456789012:orders"}}); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("the same grant twice: %v", err)
	}
	if _, err := role.Grant("Bad Name", policy.Statement{Sid: "Wild", Actions: []string{"sqs:*"}, Resources: []string{"*"}}); err == nil || !strings.Contains(err.Error(), "Bad Name") || !strings.Contains(err.Error(), "statements") {
		t.Errorf("a bad name and a wildcard without a reason, together: %v", err)
	}
	policies := synthtest.Synth(t, stack).Resources("aws_iam_role_policy")
	if len(policies) != 1 {
		t.Fatalf("%d inline policies; want the one grant", len(policies))
	}
	for _, p := range policies {
		if p["name"] != "shop-task-queue" || !strings.Contains(p["role"].(string), "aws_iam_role.task_role") || !strings.Contains(p["policy"].(string), "sqs:SendMessage") {
			t.Errorf("grant policy = %v", p)
		}
	}
}

func TestGrantNamesAreValidAndDistinct(t *testing.T) {
	long := strings.Repeat("very-long-name-", 6)
	a, b := identity.GrantName("write-logs", "us-east-1", "/shop/prod/"+long+"a"), identity.GrantName("write-logs", "us-east-1", "/shop/prod/"+long+"b")
	for _, n := range []string{a, b, identity.GrantName("s3", "read", "Shop_Data")} {
		if len(n) > 40 || strings.ContainsAny(n, "/_ ") || n != strings.ToLower(n) {
			t.Errorf("grant name %q", n)
		}
	}
	if a == b {
		t.Errorf("names cut to the same %q", a)
	}
	if n := identity.GrantName("queue"); n != "queue" {
		t.Errorf("a clean name changed: %q", n)
	}
}
