package dns

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchmetricalarm"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
)

// TrafficSwitchProps configures a TrafficSwitch. Every field is required.
type TrafficSwitchProps struct {
	// Env is the region the switch lives in: give every region one, so that
	// whichever region is standby holds the switch for the active one.
	Env awsenv.Env
	// AlarmName names the alarm (1 to 255 characters, unique in the region).
	AlarmName string
	// Namespace, MetricName and Dimensions name the custom metric operators
	// publish to (cloudwatch:PutMetricData): 1 hands traffic to this
	// region, 0 gives it back.
	Namespace  string
	MetricName string
	Dimensions map[string]string
}

// TrafficSwitch is a CloudWatch alarm in one region that an operator flips
// with a single regional data-plane call. A Route 53 health check on the
// alarm (FailoverName's Switch) makes the active region's record unhealthy
// while the alarm is in ALARM, so traffic moves with no control-plane call.
type TrafficSwitch struct {
	constructs.Construct
	AlarmName *string
	Arn       *string
	// Region is where the alarm is, as Route 53's health check names it.
	Region string
}

// Validate returns every problem in p at once.
func (p TrafficSwitchProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if p.AlarmName == "" || len(p.AlarmName) > 255 {
		errs = append(errs, fmt.Errorf("AlarmName: %q must be 1 to 255 characters", p.AlarmName))
	}
	if p.Namespace == "" || p.MetricName == "" {
		errs = append(errs, errors.New("Namespace and MetricName: both required"))
	}
	if strings.HasPrefix(p.Namespace, "AWS/") {
		errs = append(errs, fmt.Errorf("Namespace %q: PutMetricData refuses namespaces starting with AWS/ (reserved for AWS services); use your own, such as Shop/TrafficSwitch", p.Namespace))
	}
	if len(p.Dimensions) == 0 {
		errs = append(errs, errors.New("Dimensions: at least one, so the switch's metric is the app's own"))
	}
	return errors.Join(errs...)
}

// NewTrafficSwitch adds the switch's alarm to scope.
func NewTrafficSwitch(scope constructs.Construct, id string, props TrafficSwitchProps) (*TrafficSwitch, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("dns.TrafficSwitch %s: %w", id, err)
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	dims := map[string]*string{}
	for k, v := range props.Dimensions {
		dims[k] = jsii.String(v)
	}
	alarm := cloudwatchmetricalarm.NewCloudwatchMetricAlarm(c, jsii.String("alarm"), &cloudwatchmetricalarm.CloudwatchMetricAlarmConfig{
		Provider:         props.Env.Provider,
		AlarmName:        jsii.String(props.AlarmName),
		AlarmDescription: jsii.String(fmt.Sprintf("Traffic switch: in ALARM, the standby region %s takes the active region's traffic. Flip with cloudwatch put-metric-data --region %s --namespace %s --metric-name %s (value 1 takes over, 0 gives back).", props.Env.Region, props.Env.Region, props.Namespace, props.MetricName)),
		Namespace:        jsii.String(props.Namespace),
		MetricName:       jsii.String(props.MetricName),
		Dimensions:       &dims,
		// Route 53 reads alarms on standard-resolution metrics with the
		// Average, Minimum, Maximum, Sum or SampleCount statistic only
		// (Route 53 API reference, AlarmIdentifier).
		Statistic:          jsii.String("Maximum"),
		Period:             jsii.Number(60),
		EvaluationPeriods:  jsii.Number(1),
		Threshold:          jsii.Number(1),
		ComparisonOperator: jsii.String("GreaterThanOrEqualToThreshold"),
		// One data point holds the switch where it was put: with no new
		// data, the alarm keeps its state instead of drifting back.
		TreatMissingData: jsii.String("ignore"),
	})
	return &TrafficSwitch{Construct: c, AlarmName: alarm.AlarmName(), Arn: alarm.Arn(), Region: props.Env.Region}, nil
}
