package encryption_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestRegionalKey(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	if _, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{
		Env: env, Alias: "alias/app-dev", Description: "test", LogGroupPrefix: "/app/dev/",
	}); err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	key := tpl.Resource(t, "aws_kms_key")
	if key["enable_key_rotation"] != true {
		t.Error("key rotation must be on")
	}
	if synthtest.Get(key, "lifecycle.prevent_destroy") != true {
		t.Error("the key guards the region's data: it needs prevent_destroy")
	}
	// aws_kms_key: deletion_window_in_days must be between 7 and 30.
	if key["deletion_window_in_days"] != float64(30) {
		t.Errorf("deletion window = %v, want 30 (the longest recovery)", key["deletion_window_in_days"])
	}
	if key["provider"] != "aws.test" {
		t.Errorf("provider = %v; resources must use the stack's aliased provider", key["provider"])
	}
	if tpl.Resource(t, "aws_kms_alias")["name"] != "alias/app-dev" {
		t.Error("alias not created")
	}
	doc := synthtest.Policy(t, key["policy"])
	statements := doc["Statement"].([]any)
	if len(statements) != 2 {
		t.Fatalf("want account and logs statements, got %v", statements)
	}
	if p := synthtest.Get(statements[0], "Principal.AWS.0"); !strings.HasSuffix(p.(string), ":root") {
		t.Errorf("first statement must keep the account in control, principal %v", p)
	}
	// CloudWatch Logs uses a key only if its regional principal may, and only
	// for log groups named in the encryption context.
	if p := synthtest.Get(statements[1], "Principal.Service.0"); p != "logs.us-west-2.amazonaws.com" {
		t.Errorf("logs principal = %v", p)
	}
	if c := synthtest.Get(statements[1], "Condition.ArnLike.kms:EncryptionContext:aws:logs:arn.0"); !strings.HasSuffix(c.(string), ":log-group:/app/dev/*") || !strings.Contains(c.(string), ":logs:us-west-2:") {
		t.Errorf("logs statement not scoped to the app's log groups in the key's region: %v", c)
	}
}

func TestRegionalKeyWithoutLogs(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	if _, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/x", DeletionWindowDays: 7}); err != nil {
		t.Fatal(err)
	}
	key := synthtest.Synth(t, stack).Resource(t, "aws_kms_key")
	if n := len(synthtest.Policy(t, key["policy"])["Statement"].([]any)); n != 1 {
		t.Errorf("%d statements, want only the account's", n)
	}
	if key["deletion_window_in_days"] != float64(7) {
		t.Errorf("deletion window = %v, want 7", key["deletion_window_in_days"])
	}
}

func TestRegionalKeyRefusesBadProps(t *testing.T) {
	_, env := synthtest.NewStack("us-east-1")
	err := encryption.RegionalKeyProps{Env: env, Alias: "alias/aws/s3", DeletionWindowDays: 45}.Validate()
	if err == nil || !strings.Contains(err.Error(), "Alias") || !strings.Contains(err.Error(), "DeletionWindowDays 45: must be 7 to 30") {
		t.Errorf("want both problems, got %v", err)
	}
	if err := (encryption.RegionalKeyProps{Alias: "alias/x"}).Validate(); err == nil || !strings.Contains(err.Error(), "Env") {
		t.Errorf("missing Env accepted: %v", err)
	}
}
