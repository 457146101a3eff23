// Package logs holds the CloudWatch Logs retention values log groups are
// checked against. It is the jsii-free half of constructs/logs (see package
// spec).
package logs

import (
	"fmt"
	"slices"
)

// RetentionDays lists the values CloudWatch Logs accepts for a log group's
// retention (aws_cloudwatch_log_group retention_in_days), besides 0 (never
// expire), which this library does not allow.
var RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ValidateRetentionDays reports whether days is a retention CloudWatch accepts.
func ValidateRetentionDays(days int) error {
	if !slices.Contains(RetentionDays, days) {
		return fmt.Errorf("%d is not a CloudWatch Logs retention; use one of %v", days, RetentionDays)
	}
	return nil
}
