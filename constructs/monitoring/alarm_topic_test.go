package monitoring_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/monitoring"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestAlarmTopic(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	key := "arn:aws:kms:us-west-2:123456789012:key/k"
	_, err := monitoring.NewAlarmTopic(stack, "topic", monitoring.AlarmTopicProps{
		Env: env, Name: "app-dev-alarms", KmsKeyArn: jsii.String(key),
		Endpoints: []string{"ops@example.com", "https://hooks.example.com/alarm", "arn:aws:sqs:us-west-2:123456789012:q", "arn:aws:lambda:us-west-2:123456789012:function:f"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	topic := tpl.Resource(t, "aws_sns_topic")
	if topic["name"] != "app-dev-alarms" || topic["kms_master_key_id"] != key {
		t.Errorf("topic = %v; want it encrypted with the region's key", topic)
	}
	// aws_sns_topic_subscription: the protocol follows the endpoint.
	protocols := map[string]string{}
	for _, s := range tpl.Resources("aws_sns_topic_subscription") {
		protocols[s["endpoint"].(string)] = s["protocol"].(string)
	}
	for endpoint, want := range map[string]string{"ops@example.com": "email", "https://hooks.example.com/alarm": "https", "arn:aws:sqs:us-west-2:123456789012:q": "sqs", "arn:aws:lambda:us-west-2:123456789012:function:f": "lambda"} {
		if protocols[endpoint] != want {
			t.Errorf("%s subscribed with %q, want %q", endpoint, protocols[endpoint], want)
		}
	}
	doc := synthtest.Policy(t, tpl.Resource(t, "aws_sns_topic_policy")["policy"])
	var cloudwatch, deny bool
	for _, s := range doc["Statement"].([]any) {
		s := s.(map[string]any)
		switch s["Sid"] {
		case "CloudWatchAlarmsPublish":
			cloudwatch = synthtest.Get(s, "Principal.Service.0") == "cloudwatch.amazonaws.com" &&
				synthtest.Get(s, "Condition.StringEquals.aws:SourceAccount.0") == "${data.aws_caller_identity.account.account_id}" &&
				synthtest.Get(s, "Condition.ArnLike.aws:SourceArn.0") == "arn:aws:cloudwatch:us-west-2:${data.aws_caller_identity.account.account_id}:alarm:*"
		case "DenyPlainHTTP":
			deny = s["Effect"] == "Deny" && synthtest.Get(s, "Condition.Bool.aws:SecureTransport.0") == "false"
		}
	}
	if !cloudwatch || !deny {
		t.Errorf("topic policy must let only this account's alarms in us-west-2 publish, over TLS: %v", doc)
	}
}

func TestAlarmTopicRefusesBadProps(t *testing.T) {
	_, env := synthtest.NewStack("us-west-2")
	err := monitoring.AlarmTopicProps{Env: env, Name: "bad name", Endpoints: []string{"ops@example.com", "ops@example.com", "ftp://x"}}.Validate()
	for _, want := range []string{"Name \"bad name\"", "KmsKeyArn: required", "Endpoints[1] \"ops@example.com\": listed twice", "Endpoints[2]"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

// SNS Developer Guide, "Key management": an AWS service that publishes to
// an encrypted topic needs kms:GenerateDataKey* and kms:Decrypt in the key
// policy, limited by aws:SourceAccount and aws:SourceArn.
func TestKeyStatementsLetAlarmsPublishToEncryptedTopics(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	if _, err := encryption.NewRegionalKey(stack, "key", encryption.RegionalKeyProps{Env: env, Alias: "alias/app-dev", Statements: monitoring.KeyStatements(env)}); err != nil {
		t.Fatal(err)
	}
	doc := synthtest.Policy(t, synthtest.Synth(t, stack).Resource(t, "aws_kms_key")["policy"])
	statements := doc["Statement"].([]any)
	s := statements[len(statements)-1]
	if synthtest.Get(s, "Principal.Service.0") != "cloudwatch.amazonaws.com" ||
		synthtest.Get(s, "Action.0") != "kms:GenerateDataKey*" || synthtest.Get(s, "Action.1") != "kms:Decrypt" ||
		synthtest.Get(s, "Condition.StringEquals.aws:SourceAccount.0") != "${data.aws_caller_identity.account.account_id}" ||
		synthtest.Get(s, "Condition.ArnLike.aws:SourceArn.0") != "arn:aws:cloudwatch:us-west-2:${data.aws_caller_identity.account.account_id}:alarm:*" {
		t.Errorf("alarm statement = %v", s)
	}
}
