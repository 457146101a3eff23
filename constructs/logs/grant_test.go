package logs_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

// A log group made with the region's key, and a role granted to write to
// it: the statement is scoped to the group by name, and a name outside the
// key's prefix is a synth-time error.
func TestLogGroupWithKeyAndGrant(t *testing.T) {
	app := synthtest.NewApp(t)
	regional, env := synthtest.NewStackIn(app, "regional", "eu-west-1")
	global, genv := synthtest.NewStackIn(app, "global", "us-east-1")
	key, err := encryption.NewRegionalKey(regional, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/shop", LogGroupPrefix: "/shop/"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := logs.NewLogGroup(regional, "stray", logs.LogGroupProps{Env: env, Name: "/other/app", RetentionDays: 30, Key: key}); err == nil || !strings.Contains(err.Error(), "outside /shop/") {
		t.Errorf("a group outside the key's prefix: %v", err)
	}
	group, err := logs.NewLogGroup(regional, "app", logs.LogGroupProps{Env: env, Name: "/shop/app", RetentionDays: 30, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	role, err := identity.NewRole(global, "exec", identity.RoleProps{Env: genv, Name: "shop-exec", AssumedBy: "ecs-tasks.amazonaws.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := group.GrantWrite(role); err != nil {
		t.Fatal(err)
	}
	stacks := synthtest.SynthApp(t, app)
	p := stacks["global"].Resource(t, "aws_iam_role_policy")
	doc := p["policy"].(string)
	if !strings.Contains(doc, ":logs:eu-west-1:${data.aws_caller_identity.account.account_id}:log-group:/shop/app:*") || strings.Contains(doc, "remote_state") {
		t.Errorf("grant not scoped to the group by name: %s", doc)
	}
	if g := stacks["regional"].Resource(t, "aws_cloudwatch_log_group"); !strings.Contains(g["kms_key_id"].(string), "aws_kms_key.key_") {
		t.Errorf("group key = %v", g["kms_key_id"])
	}
}
