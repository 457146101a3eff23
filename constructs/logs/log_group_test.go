package logs_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestLogGroup(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	group, err := logs.NewLogGroup(stack, "logs", logs.LogGroupProps{Env: env, Name: "/app/dev/x", RetentionDays: 90, KmsKeyArn: jsii.String("arn:aws:kms:us-east-1:123456789012:key/k")})
	if err != nil {
		t.Fatal(err)
	}
	if group.Name != "/app/dev/x" {
		t.Errorf("Name = %s", group.Name)
	}
	g := synthtest.Synth(t, stack).Resource(t, "aws_cloudwatch_log_group")
	if g["retention_in_days"] != float64(90) || g["kms_key_id"] != "arn:aws:kms:us-east-1:123456789012:key/k" || g["name"] != "/app/dev/x" {
		t.Errorf("log group = %v", g)
	}
}

func TestLogGroupRefusesBadProps(t *testing.T) {
	_, env := synthtest.NewStack("us-east-1")
	err := logs.LogGroupProps{Env: env, Name: "bad name!", RetentionDays: 0}.Validate()
	for _, want := range []string{"Name", "RetentionDays: 0 is not", "Key (or KmsKeyArn): required"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}
