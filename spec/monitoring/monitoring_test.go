package monitoring

import (
	"strings"
	"testing"
)

func TestThresholdRanges(t *testing.T) {
	if err := DefaultThresholds().Validate(); err != nil {
		t.Fatalf("defaults out of range: %v", err)
	}
	bad := DefaultThresholds()
	bad.AuroraReplicationLagSeconds = 0.5
	bad.S3ReplicationLatencySeconds = 10
	bad.LoadBalancer5xxPerMinute = 0
	bad.TasksBelowDesiredMinutes = 0
	err := bad.Validate()
	for _, want := range []string{"AuroraReplicationLagSeconds: 0.5 is out of range", "S3ReplicationLatencySeconds: 10", "LoadBalancer5xxPerMinute: 0", "TasksBelowDesiredMinutes: 0"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestValidateEndpoint(t *testing.T) {
	for endpoint, want := range map[string]string{
		"ops@example.com": ProtocolEmail,
		"https://events.pagerduty.com/integration/abc/enqueue":   ProtocolHTTPS,
		"arn:aws:sqs:us-west-2:123456789012:alarms":              ProtocolSQS,
		"arn:aws:lambda:us-west-2:123456789012:function:page":    ProtocolLambda,
		"arn:aws:lambda:us-west-2:123456789012:function:page:on": ProtocolLambda,
	} {
		got, err := ValidateEndpoint(endpoint)
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", endpoint, got, err, want)
		}
	}
	for _, endpoint := range []string{
		"", "ops", "ops@localhost", "Ops <ops@example.com>", "http://example.com/hook", "https://",
		"arn:aws:sns:us-west-2:123456789012:topic", "arn:aws:sqs:us-west-2:123:alarms",
		"arn:aws:sqs:us-west-2:123456789012:alarms.fifo", // a standard topic cannot deliver to a FIFO queue "arn:aws:lambda:us-west-2:123456789012:layer:x",
	} {
		if _, err := ValidateEndpoint(endpoint); err == nil {
			t.Errorf("%q accepted", endpoint)
		}
	}
}
