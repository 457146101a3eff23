package monitoring

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchdashboard"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
)

// DashboardProps configures a Dashboard.
type DashboardProps struct {
	Env awsenv.Env
	// Name is the dashboard's name: letters, digits, - and _, at most 255.
	Name string
	// Alarms are graphed one widget each, with the same metrics, statistic
	// and period as the alarm and its threshold as a line.
	Alarms []Alarm
}

// Dashboard is a CloudWatch dashboard of a region's alarm metrics.
type Dashboard struct {
	constructs.Construct
	Name string
}

var dashboardName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// Widget layout: CloudWatch dashboards are 24 units wide; two graphs a row.
const (
	widgetWidth  = 12
	widgetHeight = 6
	gridWidth    = 24
)

// Validate returns every problem in p at once.
func (p DashboardProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if !dashboardName.MatchString(p.Name) {
		errs = append(errs, fmt.Errorf("Name %q: 1 to 255 letters, digits, - and _", p.Name))
	}
	if len(p.Alarms) == 0 {
		errs = append(errs, errors.New("Alarms: none to graph"))
	}
	return errors.Join(errs...)
}

// NewDashboard adds the dashboard to scope.
func NewDashboard(scope constructs.Construct, id string, props DashboardProps) (*Dashboard, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("monitoring.Dashboard %s: %w", id, err)
	}
	body, err := json.Marshal(map[string]any{"widgets": widgets(props.Env.Region, props.Alarms)})
	if err != nil {
		return nil, fmt.Errorf("monitoring.Dashboard %s: %w", id, err)
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	cloudwatchdashboard.NewCloudwatchDashboard(c, jsii.String("dashboard"), &cloudwatchdashboard.CloudwatchDashboardConfig{
		Provider:      props.Env.Provider,
		DashboardName: jsii.String(props.Name),
		DashboardBody: jsii.String(string(body)),
	})
	return &Dashboard{Construct: c, Name: props.Name}, nil
}

// widgets renders one metric widget per alarm in the dashboard body syntax
// (CloudWatch API Reference, "Dashboard Body Structure and Syntax"): each
// metric as [namespace, name, dimension name, value, ..., {options}], an
// expression as [{"expression": ...}] with its inputs hidden, the threshold
// as a horizontal annotation.
func widgets(region string, alarms []Alarm) []map[string]any {
	var out []map[string]any
	for i, a := range alarms {
		var metrics [][]any
		for j, m := range a.Metrics {
			row := []any{m.Namespace, m.Name}
			for _, d := range m.Dimensions {
				row = append(row, d.Name, d.Value)
			}
			opts := map[string]any{"stat": m.Statistic, "period": a.PeriodSeconds, "id": queryID(j)}
			if a.Expression != "" {
				opts["visible"] = false
			}
			metrics = append(metrics, append(row, opts))
		}
		if a.Expression != "" {
			metrics = append(metrics, []any{map[string]any{"expression": a.Expression, "label": a.Label, "id": "e"}})
		}
		out = append(out, map[string]any{
			"type":   "metric",
			"x":      (i * widgetWidth) % gridWidth,
			"y":      (i * widgetWidth / gridWidth) * widgetHeight,
			"width":  widgetWidth,
			"height": widgetHeight,
			"properties": map[string]any{
				"title":   a.Name,
				"region":  region,
				"view":    "timeSeries",
				"metrics": metrics,
				"period":  a.PeriodSeconds,
				"annotations": map[string]any{
					"horizontal": []map[string]any{{"label": "alarm threshold", "value": a.Threshold}},
				},
			},
		})
	}
	return out
}
