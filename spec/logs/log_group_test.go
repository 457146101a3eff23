package logs_test

import (
	"testing"

	"github.com/pilotlight/pilotlight/spec/logs"
)

func TestRetentionDays(t *testing.T) {
	// aws_cloudwatch_log_group retention_in_days: the values CloudWatch takes.
	for _, d := range []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653} {
		if err := logs.ValidateRetentionDays(d); err != nil {
			t.Errorf("%d refused", d)
		}
	}
	for _, d := range []int{0, 2, 366, 3650, -1} {
		if err := logs.ValidateRetentionDays(d); err == nil {
			t.Errorf("%d accepted", d)
		}
	}
}
