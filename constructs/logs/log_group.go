// Package logs provides the encrypted, retention-bound CloudWatch log group
// that every log in the app goes to.
package logs

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/policy"
	logsspec "github.com/pilotlight/pilotlight/spec/logs"
)

// GrantFlowLogs lets role deliver VPC flow logs to the group (what
// network.FlowLogsProps.RoleArn's role needs), scoped like GrantWrite.
func (g *LogGroup) GrantFlowLogs(role *identity.Role) (*identity.Grant, error) {
	return g.grant(role, "GrantFlowLogs", "flow-logs", identity.FlowLogsStatements)
}

// grant gives role statements(the group's ARN) as the grant kind: the ARN
// is built from the group's name with the role's account, so the role's
// stack does not depend on the group's.
func (g *LogGroup) grant(role *identity.Role, method, kind string, statements func(logGroupArns []string) []policy.Statement) (*identity.Grant, error) {
	if g == nil || role == nil {
		return nil, fmt.Errorf("logs.LogGroup.%s: the log group and the role are required", method)
	}
	arn := role.Env.Arn("logs", g.env.Region, "log-group:"+g.Name)
	return role.Grant(identity.GrantName(kind, g.env.Region, g.Name), statements([]string{arn})...)
}

var namePattern = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]{1,512}$`)

// LogGroupProps configures a LogGroup.
type LogGroupProps struct {
	Env           awsenv.Env
	Name          string
	RetentionDays int
	// Key encrypts the group: an encryption.RegionalKey in Env's region
	// whose LogGroupPrefix covers Name, checked here, so a mismatch is a
	// synth error rather than a failed apply. Or give KmsKeyArn, a key whose
	// policy lets logs.<region>.amazonaws.com use it (not checked).
	Key       *encryption.RegionalKey
	KmsKeyArn *string
}

// LogGroup is a CloudWatch Logs group encrypted with a customer-managed key
// and with a finite retention.
type LogGroup struct {
	Name string
	Arn  *string
	env  awsenv.Env
}

// GrantWrite lets role create streams in the group and put events in
// them (what a container's awslogs driver or a Lambda function needs),
// scoped to this group by an ARN built from its name, so the role's stack
// does not depend on the group's.
func (g *LogGroup) GrantWrite(role *identity.Role) (*identity.Grant, error) {
	return g.grant(role, "GrantWrite", "write-logs", func(arns []string) []policy.Statement {
		return identity.TaskExecutionStatements(arns, nil)
	})
}

// Validate returns every problem in p at once.
func (p LogGroupProps) Validate() error {
	var errs []error
	if !namePattern.MatchString(p.Name) {
		errs = append(errs, fmt.Errorf("Name %q: must be 1 to 512 of A-Z a-z 0-9 . - _ / #", p.Name))
	}
	if err := logsspec.ValidateRetentionDays(p.RetentionDays); err != nil {
		errs = append(errs, fmt.Errorf("RetentionDays: %w", err))
	}
	switch k := p.Key; {
	case k == nil && p.KmsKeyArn == nil:
		errs = append(errs, errors.New("Key (or KmsKeyArn): required; log groups are encrypted with a customer-managed key"))
	case k != nil && p.KmsKeyArn != nil:
		errs = append(errs, errors.New("Key and KmsKeyArn: give one"))
	case k != nil && k.LogGroupPrefix == "":
		errs = append(errs, fmt.Errorf("Key %s: lets no log group use it; set its RegionalKeyProps.LogGroupPrefix", k.Alias))
	case k != nil && !strings.HasPrefix(p.Name, k.LogGroupPrefix):
		errs = append(errs, fmt.Errorf("Name %q: outside %s, the prefix key %s lets CloudWatch Logs use; name the group %s...", p.Name, k.LogGroupPrefix, k.Alias, k.LogGroupPrefix))
	case k != nil && p.Env.Region != "" && k.Region != p.Env.Region:
		errs = append(errs, fmt.Errorf("Key %s: in %s; a log group uses a key in its own region, %s", k.Alias, k.Region, p.Env.Region))
	}
	return errors.Join(errs...)
}

// NewLogGroup adds the log group to scope.
func NewLogGroup(scope constructs.Construct, id string, props LogGroupProps) (*LogGroup, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("logs.LogGroup %s: %w", id, err)
	}
	key := props.KmsKeyArn
	if props.Key != nil {
		key = props.Key.Arn
	}
	group := cloudwatchloggroup.NewCloudwatchLogGroup(scope, jsii.String(id), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Provider:        props.Env.Provider,
		Name:            jsii.String(props.Name),
		RetentionInDays: jsii.Number(props.RetentionDays),
		KmsKeyId:        key,
	})
	return &LogGroup{Name: props.Name, Arn: group.Arn(), env: props.Env}, nil
}
