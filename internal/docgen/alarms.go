package docgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pilotlight/pilotlight/constructs/policypack"
)

// alarmType is the resource every CloudWatch alarm of the app is.
const alarmType = "aws_cloudwatch_metric_alarm"

// Synth is one config's synthesized app, as the pages read it.
type Synth struct {
	// Config says which config, in the page's words.
	Config string
	Stacks []policypack.Stack
}

// AlarmsPage is docs/alarms.md: every CloudWatch alarm of the first synth,
// stack by stack, as its resource is synthesized (metric or metric math,
// statistic, period, evaluation, threshold, missing data, actions), with
// its description, which says what it means and what to do (the same text
// reaches the notification: monitoring.RegionalAlarms writes it). Each
// further synth (another config) adds only its alarms that differ, or
// says that none do.
func AlarmsPage(synths ...Synth) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("# Alarms\n\n")
	base := synths[0]
	fmt.Fprintf(&b, "Every CloudWatch alarm the app creates for %s, as synthesized. Each regional stack watches what "+
		"its own region publishes (CloudWatch alarms see only their region's metrics), so a dark region takes only its "+
		"own alarms with it. Thresholds come from `alarms.*` in the config ([configuration](configuration.md#alarms)); "+
		"each description is also the alarm's `alarm_description`, so the notification says the same.\n\n", base.Config)
	for _, s := range base.Stacks {
		alarms := alarmsOf(s)
		if len(alarms) == 0 {
			continue
		}
		fmt.Fprintf(&b, "| `%s` (%s) | metric | fires when |\n|---|---|---|\n", s.Name, strings.Join(s.Regions, ", "))
		for _, a := range alarms {
			fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", a.Body["alarm_name"], anchor(s.Name+"-"+short(a)), metricSummary(a), firesWhen(a))
		}
		b.WriteString("\n")
	}
	for _, s := range base.Stacks {
		alarms := alarmsOf(s)
		if len(alarms) == 0 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\nRegion %s. %s\n\n", s.Name, strings.Join(s.Regions, ", "), notifications(s))
		for _, a := range alarms {
			fmt.Fprintf(&b, "### %s-%s\n\n", s.Name, short(a))
			writeAlarm(&b, s, a)
		}
	}
	for _, other := range synths[1:] {
		var differ []string
		var diffBuf bytes.Buffer
		for _, s := range other.Stacks {
			for _, a := range alarmsOf(s) {
				if same(base, s.Name, a) {
					continue
				}
				differ = append(differ, fmt.Sprint(a.Body["alarm_name"]))
				fmt.Fprintf(&diffBuf, "### %s: %s\n\n", s.Name, a.Body["alarm_name"])
				writeAlarm(&diffBuf, s, a)
			}
		}
		if len(differ) == 0 && countAlarms(other) == countAlarms(base) {
			fmt.Fprintf(&b, "## With %s\n\nThe same alarms, resource for resource (the generator compares them).\n", other.Config)
			continue
		}
		fmt.Fprintf(&b, "## With %s\n\n%d alarms in all; those that differ from the above:\n\n", other.Config, countAlarms(other))
		b.Write(diffBuf.Bytes())
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

// notifications says where s's alarms notify and graph: its SNS topics
// (encrypted or not), their subscriptions and its dashboards, as
// synthesized.
func notifications(s policypack.Stack) string {
	var topics, subscriptions, dashboards []string
	for _, r := range s.Resources {
		switch r.Type {
		case "aws_sns_topic":
			t := fmt.Sprintf("SNS topic `%s`", r.Body["name"])
			if _, ok := r.Body["kms_master_key_id"]; ok {
				t += " (encrypted with a customer-managed KMS key)"
			}
			topics = append(topics, t)
		case "aws_sns_topic_subscription":
			subscriptions = append(subscriptions, fmt.Sprintf("%s `%s`", r.Body["protocol"], r.Body["endpoint"]))
		case "aws_cloudwatch_dashboard":
			dashboards = append(dashboards, fmt.Sprintf("`%s`", r.Body["dashboard_name"]))
		}
	}
	subs := "no subscription (`alarms.endpoints` adds them)"
	if len(subscriptions) > 0 {
		subs = "subscribed: " + strings.Join(subscriptions, ", ")
	}
	out := fmt.Sprintf("The alarms notify %s, %s.", strings.Join(topics, ", "), subs)
	if len(dashboards) > 0 {
		out += fmt.Sprintf(" Dashboard %s graphs each alarm's metrics with its threshold.", strings.Join(dashboards, ", "))
	}
	return out
}

// alarmsOf is s's alarms in name order.
func alarmsOf(s policypack.Stack) []policypack.Resource {
	var out []policypack.Resource
	for _, r := range s.Resources {
		if r.Type == alarmType {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return fmt.Sprint(out[i].Body["alarm_name"]) < fmt.Sprint(out[j].Body["alarm_name"])
	})
	return out
}

func countAlarms(s Synth) int {
	n := 0
	for _, st := range s.Stacks {
		n += len(alarmsOf(st))
	}
	return n
}

// same reports whether base has an alarm of that stack identical to a.
func same(base Synth, stack string, a policypack.Resource) bool {
	for _, s := range base.Stacks {
		if s.Name != stack {
			continue
		}
		for _, r := range alarmsOf(s) {
			x, _ := json.Marshal(r.Body)
			y, _ := json.Marshal(a.Body)
			if r.Name == a.Name && bytes.Equal(x, y) {
				return true
			}
		}
	}
	return false
}

// short is the alarm's name without the app's prefix (the construct id).
func short(a policypack.Resource) string {
	meta, _ := a.Body["//"].(map[string]any)["metadata"].(map[string]any)
	path, _ := meta["path"].(string)
	return path[strings.LastIndex(path, "/")+1:]
}

// anchor is the GitHub heading anchor of a heading text.
func anchor(heading string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r == ' ':
			return '-'
		}
		return -1
	}, heading)
}

func writeAlarm(b *bytes.Buffer, s policypack.Stack, a policypack.Resource) {
	body := a.Body
	description, _ := resolve(s, fmt.Sprint(body["alarm_description"]))
	fmt.Fprintf(b, "`%s`: %s\n\n", body["alarm_name"], description)
	if name, ok := body["metric_name"]; ok {
		fmt.Fprintf(b, "- metric: %s\n", metric(s, body["namespace"], name, body["dimensions"]))
		fmt.Fprintf(b, "- statistic and period: %s over %s s\n", body["statistic"], number(body["period"]))
	} else {
		queries, _ := body["metric_query"].([]any)
		for _, q := range queries {
			q, _ := q.(map[string]any)
			if expr, ok := q["expression"]; ok {
				label := ""
				if l, ok := q["label"]; ok {
					label = fmt.Sprintf(" (%s)", l)
				}
				fmt.Fprintf(b, "- metric math: `%s = %s`%s, over\n", q["id"], expr, label)
			}
		}
		for _, q := range queries {
			q, _ := q.(map[string]any)
			if m, ok := q["metric"].(map[string]any); ok {
				fmt.Fprintf(b, "  - `%s`: %s, %s over %s s\n", q["id"], metric(s, m["namespace"], m["metric_name"], m["dimensions"]), m["stat"], number(m["period"]))
			}
		}
	}
	fmt.Fprintf(b, "- fires when: %s\n", firesWhen(a))
	fmt.Fprintf(b, "- missing data: `%s`\n", body["treat_missing_data"])
	if onAlarm, onOK := actions(s, body["alarm_actions"]), actions(s, body["ok_actions"]); onAlarm == onOK {
		fmt.Fprintf(b, "- actions, on ALARM and on OK: %s\n\n", onAlarm)
	} else {
		fmt.Fprintf(b, "- actions: on ALARM %s; on OK %s\n\n", onAlarm, onOK)
	}
}

// metricSummary is the metric's name, or the metric-math expression over
// the named metrics, for the index table.
func metricSummary(a policypack.Resource) string {
	if name, ok := a.Body["metric_name"]; ok {
		return fmt.Sprintf("`%s` `%s`", a.Body["namespace"], name)
	}
	queries, _ := a.Body["metric_query"].([]any)
	var names []string
	expr := ""
	for _, q := range queries {
		q, _ := q.(map[string]any)
		if m, ok := q["metric"].(map[string]any); ok {
			n := fmt.Sprint(m["metric_name"])
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		} else {
			expr = fmt.Sprint(q["expression"])
		}
	}
	return fmt.Sprintf("`%s` of `%s`", expr, strings.Join(names, "`, `"))
}

var comparisons = map[string]string{
	"GreaterThanThreshold":          ">",
	"GreaterThanOrEqualToThreshold": ">=",
	"LessThanThreshold":             "<",
	"LessThanOrEqualToThreshold":    "<=",
}

func firesWhen(a policypack.Resource) string {
	body := a.Body
	period := body["period"]
	if period == nil {
		queries, _ := body["metric_query"].([]any)
		for _, q := range queries {
			if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
				period = m["period"]
			}
		}
	}
	op := fmt.Sprint(body["comparison_operator"])
	return fmt.Sprintf("%s %s (`%s`) in %s of %s periods of %s s", symbolOr(op), number(body["threshold"]), op,
		number(body["datapoints_to_alarm"]), number(body["evaluation_periods"]), number(period))
}

func symbolOr(op string) string {
	if s, ok := comparisons[op]; ok {
		return s
	}
	return op
}

func number(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func metric(s policypack.Stack, namespace, name, dimensions any) string {
	dims, _ := dimensions.(map[string]any)
	var parts []string
	for _, k := range slices.Sorted(mapKeys(dims)) {
		parts = append(parts, fmt.Sprintf("`%s` = %s", k, value(s, fmt.Sprint(dims[k]))))
	}
	return fmt.Sprintf("`%s` `%s` (%s)", namespace, name, strings.Join(parts, ", "))
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func actions(s policypack.Stack, v any) string {
	list, _ := v.([]any)
	if len(list) == 0 {
		return "nothing"
	}
	var out []string
	for _, a := range list {
		out = append(out, value(s, fmt.Sprint(a)))
	}
	return strings.Join(out, ", ")
}

// reference is a Terraform reference in a synthesized value.
var reference = regexp.MustCompile(`\$\{([^}]*)\}`)

// value renders a synthesized value as code, or in words when it is an
// attribute of a resource of the stack (see resolve).
func value(s policypack.Stack, v string) string {
	out, words := resolve(s, v)
	if words {
		return out
	}
	return "`" + out + "`"
}

// resolve writes the Terraform references in a synthesized value in
// words: the account id as ACCOUNT_ID, an attribute of a resource of the
// stack by the resource's name ("the arn of aws_sns_topic
// `pilotlight-dev-alarms`"; words is then true).
func resolve(s policypack.Stack, v string) (out string, words bool) {
	out = reference.ReplaceAllStringFunc(v, func(t string) string {
		ref := reference.FindStringSubmatch(t)[1]
		parts := strings.Split(ref, ".")
		if len(parts) == 4 && parts[0] == "data" && parts[1] == "aws_caller_identity" && parts[3] == "account_id" {
			return "ACCOUNT_ID"
		}
		if len(parts) == 3 {
			for _, r := range s.Resources {
				if r.Type == parts[0] && r.Name == parts[1] {
					if name, ok := r.Body["name"].(string); ok {
						words = true
						return fmt.Sprintf("the %s of %s `%s`", parts[2], parts[0], name)
					}
				}
			}
		}
		return t
	})
	return out, words
}
