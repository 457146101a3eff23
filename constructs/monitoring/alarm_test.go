package monitoring

import (
	"strings"
	"testing"
)

func validAlarm() Alarm {
	return Alarm{
		Name: "app-dev-x", Metrics: []Metric{AuroraReplicationLag("c", "")},
		PeriodSeconds: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5,
		Comparison: GreaterThanThreshold, Threshold: 5000, TreatMissingData: MissingIsNotBreaching,
	}
}

// The constraints PutMetricAlarm and the provider document, each refused.
func TestAlarmRefusesWhatCloudWatchRefuses(t *testing.T) {
	if err := validAlarm().Validate(); err != nil {
		t.Fatalf("valid alarm refused: %v", err)
	}
	for name, c := range map[string]struct {
		change func(*Alarm)
		want   string
	}{
		"period not a multiple of 60": {func(a *Alarm) { a.PeriodSeconds = 90 }, "PeriodSeconds 90"},
		"high-resolution period":      {func(a *Alarm) { a.PeriodSeconds = 10 }, "PeriodSeconds 10"},
		"more than a day":             {func(a *Alarm) { a.PeriodSeconds, a.EvaluationPeriods, a.DatapointsToAlarm = 3600, 25, 1 }, "one day"},
		"no evaluation period":        {func(a *Alarm) { a.EvaluationPeriods = 0 }, "EvaluationPeriods 0"},
		"datapoints above periods":    {func(a *Alarm) { a.DatapointsToAlarm = 6 }, "DatapointsToAlarm 6"},
		"percentile statistic":        {func(a *Alarm) { a.Metrics[0].Statistic = "p99" }, `statistic "p99"`},
		"unknown comparison":          {func(a *Alarm) { a.Comparison = "GreaterThan" }, "Comparison"},
		"unknown missing data":        {func(a *Alarm) { a.TreatMissingData = "zero" }, "TreatMissingData"},
		"two metrics, no expression":  {func(a *Alarm) { a.Metrics = append(a.Metrics, AuroraRPOLag("c", "")) }, "Expression: required"},
		"21 metric queries": {func(a *Alarm) {
			for len(a.Metrics) < 20 {
				a.Metrics = append(a.Metrics, CacheReplicationLag("n"))
			}
			a.Expression = maxOf(20)
		}, "at most 20"},
		"empty dimension": {func(a *Alarm) { a.Metrics[0].Dimensions[0].Value = "" }, "dimension"},
		"bad name":        {func(a *Alarm) { a.Name = "has space" }, "Name"},
	} {
		a := validAlarm()
		c.change(&a)
		if err := a.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, c.want)
		}
	}
	// All at once.
	a := validAlarm()
	a.PeriodSeconds, a.Comparison, a.TreatMissingData = 30, "x", "y"
	if err := a.Validate(); err == nil || strings.Count(err.Error(), "\n") < 2 {
		t.Errorf("want every problem reported together, got %v", err)
	}
}

// Metric math ids must start with a lower-case letter; MAX takes an array.
func TestMetricMathShape(t *testing.T) {
	if got := maxOf(3); got != "MAX([m0, m1, m2])" {
		t.Errorf("maxOf(3) = %q", got)
	}
	for i := range 20 {
		id := queryID(i)
		if id[0] < 'a' || id[0] > 'z' {
			t.Errorf("query id %q must start with a lower-case letter", id)
		}
	}
}
