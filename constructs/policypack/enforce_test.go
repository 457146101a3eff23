package policypack_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"

	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestEnforceFailsTheSynth(t *testing.T) {
	app := synthtest.NewApp(t)
	stack, env := synthtest.NewStackIn(app, "s", "us-east-1")
	kmskey.NewKmsKey(stack, jsii.String("k"), &kmskey.KmsKeyConfig{Provider: env.Provider})
	policypack.Enforce(stack, policypack.AwsSolutions())
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		app.Synth()
		return ""
	}()
	if !strings.Contains(msg, "AwsSolutions-KMS5") {
		t.Errorf("synth did not fail on the rule: %q", msg)
	}
}

func TestEnforceHonoursSuppressions(t *testing.T) {
	app := synthtest.NewApp(t)
	stack, env := synthtest.NewStackIn(app, "s", "us-east-1")
	key := kmskey.NewKmsKey(stack, jsii.String("k"), &kmskey.KmsKeyConfig{Provider: env.Provider})
	if err := policypack.Suppress(key, "AwsSolutions-KMS5", "imported key, rotated by its owner"); err != nil {
		t.Fatal(err)
	}
	if err := policypack.Suppress(key, "AwsSolutions-KMS5", " "); err == nil {
		t.Error("a blank reason must be refused")
	}
	policypack.Enforce(stack, policypack.AwsSolutions())
	stacks := synthtest.SynthApp(t, app)
	if reason := synthtest.Get(stacks["s"], "resource.aws_kms_key.k.//.suppressions.AwsSolutions-KMS5"); reason != "imported key, rotated by its owner" {
		t.Errorf("suppression in the JSON = %v", reason)
	}
}
