// Package logs provides the encrypted, retention-bound CloudWatch log group
// that every log in the app goes to.
package logs

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
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

var namePattern = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]{1,512}$`)

// LogGroupProps configures a LogGroup.
type LogGroupProps struct {
	Env           awsenv.Env
	Name          string
	RetentionDays int
	// KmsKeyArn encrypts the group; the key's policy must let
	// logs.<region>.amazonaws.com use it (encryption.RegionalKey's
	// LogGroupPrefix does).
	KmsKeyArn *string
}

// LogGroup is a CloudWatch Logs group encrypted with a customer-managed key
// and with a finite retention.
type LogGroup struct {
	Name string
	Arn  *string
}

// Validate returns every problem in p at once.
func (p LogGroupProps) Validate() error {
	var errs []error
	if !namePattern.MatchString(p.Name) {
		errs = append(errs, fmt.Errorf("Name %q: must be 1 to 512 of A-Z a-z 0-9 . - _ / #", p.Name))
	}
	if err := ValidateRetentionDays(p.RetentionDays); err != nil {
		errs = append(errs, fmt.Errorf("RetentionDays: %w", err))
	}
	if p.KmsKeyArn == nil {
		errs = append(errs, errors.New("KmsKeyArn: required; log groups are encrypted with a customer-managed key"))
	}
	return errors.Join(errs...)
}

// NewLogGroup adds the log group to scope.
func NewLogGroup(scope constructs.Construct, id string, props LogGroupProps) (*LogGroup, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("logs.LogGroup %s: %w", id, err)
	}
	group := cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String(id), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Provider:        props.Env.Provider,
		Name:            jsii.String(props.Name),
		RetentionInDays: jsii.Number(props.RetentionDays),
		KmsKeyId:        props.KmsKeyArn,
	})
	return &LogGroup{Name: props.Name, Arn: group.Arn()}, nil
}
