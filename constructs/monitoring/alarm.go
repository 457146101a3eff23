// Package monitoring provides what a region needs to be watched from inside
// itself: CloudWatch alarms on the replication links and the web tier, an
// encrypted SNS topic they notify, and a dashboard of the same metrics.
//
// Every alarm lives in the region that publishes its metric (CloudWatch
// alarms only see their own region's metrics), so a dark region takes only
// its own alarms with it. The metric names, namespaces, dimensions and
// statistics are the ones each service documents (metrics.go cites them).
package monitoring

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Metric is one CloudWatch metric and the statistic read from it.
type Metric struct {
	Namespace string
	Name      string
	// Dimensions, in the order they are rendered; a value may be a
	// Terraform token (a load balancer's ARN suffix, say).
	Dimensions []Dimension
	// Statistic is SampleCount, Average, Sum, Minimum or Maximum.
	Statistic string
}

// Dimension is one name/value pair of a Metric.
type Dimension struct {
	Name  string
	Value string
}

// Alarm describes one CloudWatch metric alarm: a threshold on one metric, or
// on a metric-math Expression over several (each metric is m0, m1, ... in
// it).
type Alarm struct {
	// Name is the alarm's full name, unique in the account and region.
	Name string
	// Description says what breached and what to do, at most
	// MaxDescription bytes; it reaches the notification, and
	// docs/alarms.md is generated from it.
	Description string
	Metrics     []Metric
	// Expression combines Metrics; required with more than one. Label names
	// its result on graphs.
	Expression string
	Label      string
	// PeriodSeconds is each data point's length: a multiple of 60, since
	// AWS services publish standard-resolution metrics.
	PeriodSeconds int
	// The alarm fires when DatapointsToAlarm of the last EvaluationPeriods
	// data points breach Threshold by Comparison.
	EvaluationPeriods int
	DatapointsToAlarm int
	Comparison        string
	Threshold         float64
	// TreatMissingData is missing, ignore, breaching or notBreaching.
	TreatMissingData string
}

// Comparison operators a static-threshold alarm takes.
const (
	GreaterThanThreshold          = "GreaterThanThreshold"
	GreaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
	LessThanThreshold             = "LessThanThreshold"
	LessThanOrEqualToThreshold    = "LessThanOrEqualToThreshold"
)

// Ways to treat missing data (CloudWatch User Guide, "Configuring how
// CloudWatch alarms treat missing data").
const (
	MissingIsMissing      = "missing"
	MissingIsIgnored      = "ignore"
	MissingIsBreaching    = "breaching"
	MissingIsNotBreaching = "notBreaching"
)

// Limits of PutMetricAlarm as the AWS provider documents them
// (aws_cloudwatch_metric_alarm: "You may specify at most 20" metric_query
// blocks) and the CloudWatch User Guide states them ("The number of
// evaluation periods for an alarm multiplied by the length of each
// evaluation period can't exceed one day"; a regular alarm's period is "any
// multiple of 60 seconds").
const (
	MaxMetricQueries     = 20
	MaxEvaluationSeconds = 86400
	StandardPeriod       = 60
)

// MaxDescription is the longest AlarmDescription CloudWatch takes: 1024
// characters (CloudWatch API Reference, MetricAlarm and PutMetricAlarm,
// AlarmDescription: "Maximum length of 1024").
const MaxDescription = 1024

var (
	statistics  = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}
	comparisons = []string{GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold}
	missing     = []string{MissingIsMissing, MissingIsIgnored, MissingIsBreaching, MissingIsNotBreaching}
	// alarmName: CloudWatch takes UTF-8 without ASCII control characters, up
	// to 255; the app keeps to what every console and CLI quotes safely.
	alarmName = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,255}$`)
)

// Validate returns every problem in a at once.
func (a Alarm) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !alarmName.MatchString(a.Name) {
		bad("Name %q: 1 to 255 letters, digits and . _ / -", a.Name)
	}
	if len(a.Description) > MaxDescription {
		bad("Description: %d characters; CloudWatch takes at most %d", len(a.Description), MaxDescription)
	}
	if len(a.Metrics) == 0 {
		bad("Metrics: none; an alarm watches at least one")
	}
	if len(a.Metrics) > 1 && a.Expression == "" {
		bad("Expression: required to combine %d metrics into the one series an alarm compares", len(a.Metrics))
	}
	queries := len(a.Metrics)
	if a.Expression != "" {
		queries++
	}
	if queries > MaxMetricQueries {
		bad("Metrics: %d metric queries; an alarm takes at most %d", queries, MaxMetricQueries)
	}
	for i, m := range a.Metrics {
		if m.Namespace == "" || m.Name == "" {
			bad("Metrics[%d]: Namespace and Name are required", i)
		}
		if !slices.Contains(statistics, m.Statistic) {
			bad("Metrics[%d] %s: statistic %q is not one of %s", i, m.Name, m.Statistic, strings.Join(statistics, ", "))
		}
		for _, d := range m.Dimensions {
			if d.Name == "" || d.Value == "" {
				bad("Metrics[%d] %s: dimension %q=%q: name and value are required", i, m.Name, d.Name, d.Value)
			}
		}
	}
	if a.PeriodSeconds < StandardPeriod || a.PeriodSeconds%StandardPeriod != 0 {
		bad("PeriodSeconds %d: a multiple of %d (AWS services publish standard-resolution metrics)", a.PeriodSeconds, StandardPeriod)
	}
	if a.EvaluationPeriods < 1 {
		bad("EvaluationPeriods %d: at least 1", a.EvaluationPeriods)
	} else if a.PeriodSeconds*a.EvaluationPeriods > MaxEvaluationSeconds {
		bad("EvaluationPeriods %d x PeriodSeconds %d: at most %d seconds (one day)", a.EvaluationPeriods, a.PeriodSeconds, MaxEvaluationSeconds)
	}
	if a.DatapointsToAlarm < 1 || a.DatapointsToAlarm > a.EvaluationPeriods {
		bad("DatapointsToAlarm %d: 1 to EvaluationPeriods (%d)", a.DatapointsToAlarm, a.EvaluationPeriods)
	}
	if !slices.Contains(comparisons, a.Comparison) {
		bad("Comparison %q: one of %s", a.Comparison, strings.Join(comparisons, ", "))
	}
	if !slices.Contains(missing, a.TreatMissingData) {
		bad("TreatMissingData %q: one of %s", a.TreatMissingData, strings.Join(missing, ", "))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("alarm %s: %w", a.Name, err)
	}
	return nil
}

// queryID is the id of metric i in Expression, as metric math requires ("The
// first character must be a lowercase letter").
func queryID(i int) string { return fmt.Sprintf("m%d", i) }
