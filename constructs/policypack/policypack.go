// Package policypack checks synthesized stacks against security rules, in
// the spirit of cdk-nag's AwsSolutions pack: every rule has an id, a
// one-line reason and a severity, and inspects the Terraform JSON that
// cdktf writes, so it sees exactly what Terraform will apply, from this
// library's constructs or any other.
//
// A finding is suppressed only by a written reason on the resource itself
// (Suppress), which lands in the resource's "//" comment block in the JSON,
// where reviewers see it. Check lists suppressions with the findings.
package policypack

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/pilotlight/pilotlight/internal/synthout"
)

// Severity says whether a finding fails the synth.
type Severity string

// Severities.
const (
	// Error fails the synth unless suppressed.
	Error Severity = "error"
	// Warning is reported and does not fail: used where the secure setting
	// needs input the defaults cannot have (a domain, a certificate).
	Warning Severity = "warning"
)

// Rule is one check.
type Rule struct {
	ID       string
	Reason   string
	Severity Severity
	// Types are the resource types the rule inspects.
	Types []string
	// Check returns what is wrong with r, nothing if it passes. A Problem
	// may lower its severity to Warning when the fix needs user input.
	Check func(r Resource, s *Stack) []Problem
}

// Problem is one thing a rule found.
type Problem struct {
	Message  string
	Severity Severity // empty: the rule's
}

// Resource is one resource of a synthesized stack.
type Resource struct {
	Type, Name string
	Body       map[string]any
}

// Address is the resource's Terraform address, type.name.
func (r Resource) Address() string { return r.Type + "." + r.Name }

// Stack is one synthesized stack.
type Stack struct {
	Name      string
	Resources []Resource
	// Regions are the regions of the stack's AWS providers, sorted, each
	// once (a stack with an alias provider per region has several).
	Regions []string
	// Dependencies are the stacks cdktf deploys before this one, sorted
	// (manifest.json; set by ReadDir, not by ParseStack).
	Dependencies []string
}

// Finding is a rule's verdict on one resource.
type Finding struct {
	RuleID   string
	Severity Severity
	Stack    string
	Resource string
	Message  string
	Reason   string
	// Suppressed findings carry the reason written on the resource.
	Suppressed        bool
	SuppressionReason string
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s %s %s/%s: %s (%s)", f.Severity, f.RuleID, f.Stack, f.Resource, f.Message, f.Reason)
	if f.Suppressed {
		s = fmt.Sprintf("suppressed %s %s/%s: %s", f.RuleID, f.Stack, f.Resource, f.SuppressionReason)
	}
	return s
}

// Report is every finding of a Check.
type Report struct {
	Findings []Finding
}

// Errors are the unsuppressed findings that fail the synth.
func (r Report) Errors() []Finding {
	return r.filter(func(f Finding) bool { return !f.Suppressed && f.Severity == Error })
}

// Warnings are the unsuppressed findings that do not fail the synth.
func (r Report) Warnings() []Finding {
	return r.filter(func(f Finding) bool { return !f.Suppressed && f.Severity == Warning })
}

// Suppressed are the findings suppressed with a written reason.
func (r Report) Suppressed() []Finding { return r.filter(func(f Finding) bool { return f.Suppressed }) }

func (r Report) filter(keep func(Finding) bool) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// Err is nil when nothing fails, else an error listing each failing
// finding on its own line.
func (r Report) Err() error {
	errs := r.Errors()
	if len(errs) == 0 {
		return nil
	}
	lines := []string{fmt.Sprintf("policy pack: %d violation(s)", len(errs))}
	for _, f := range errs {
		lines = append(lines, "  "+f.String())
	}
	return fmt.Errorf("%s", strings.Join(lines, "\n"))
}

// suppressionKey is where suppressions sit in a resource's JSON: Terraform
// ignores "//" properties, as comments.
const suppressionKey = "//"

// Suppress records on resource that rule ruleID does not apply, and why.
// The reason is required and is listed whenever the pack runs.
func Suppress(resource cdktf.TerraformResource, ruleID, reason string) error {
	if strings.TrimSpace(reason) == "" || ruleID == "" {
		return fmt.Errorf("policypack.Suppress: a rule id and a written reason are required")
	}
	resource.AddOverride(jsii.String(suppressionKey+".suppressions."+ruleID), reason)
	return nil
}

func suppressions(r Resource) map[string]string {
	out := map[string]string{}
	comment, _ := r.Body[suppressionKey].(map[string]any)
	list, _ := comment["suppressions"].(map[string]any)
	for id, reason := range list {
		if s, ok := reason.(string); ok && strings.TrimSpace(s) != "" {
			out[id] = s
		}
	}
	return out
}

// Check runs rules over stacks.
func Check(stacks []Stack, rules []Rule) Report {
	var report Report
	for i := range stacks {
		s := &stacks[i]
		for _, r := range s.Resources {
			sup := suppressions(r)
			for _, rule := range rules {
				if !slices.Contains(rule.Types, r.Type) {
					continue
				}
				for _, p := range rule.Check(r, s) {
					sev := rule.Severity
					if p.Severity != "" {
						sev = p.Severity
					}
					f := Finding{RuleID: rule.ID, Severity: sev, Stack: s.Name, Resource: r.Address(), Message: p.Message, Reason: rule.Reason}
					if reason, ok := sup[rule.ID]; ok {
						f.Suppressed, f.SuppressionReason = true, reason
					}
					report.Findings = append(report.Findings, f)
				}
			}
		}
	}
	sort.SliceStable(report.Findings, func(i, j int) bool {
		a, b := report.Findings[i], report.Findings[j]
		return a.Stack+a.Resource+a.RuleID < b.Stack+b.Resource+b.RuleID
	})
	return report
}

// ParseStack reads one stack's synthesized Terraform JSON.
func ParseStack(name string, text []byte) (Stack, error) {
	var doc struct {
		Provider struct {
			AWS []struct {
				Region string `json:"region"`
			} `json:"aws"`
		} `json:"provider"`
		Resource map[string]map[string]map[string]any `json:"resource"`
	}
	if err := json.Unmarshal(text, &doc); err != nil {
		return Stack{}, fmt.Errorf("stack %s: %w", name, err)
	}
	s := Stack{Name: name}
	for _, p := range doc.Provider.AWS {
		if !slices.Contains(s.Regions, p.Region) {
			s.Regions = append(s.Regions, p.Region)
		}
	}
	sort.Strings(s.Regions)
	for typ, byName := range doc.Resource {
		for n, body := range byName {
			s.Resources = append(s.Resources, Resource{Type: typ, Name: n, Body: body})
		}
	}
	sort.Slice(s.Resources, func(i, j int) bool { return s.Resources[i].Address() < s.Resources[j].Address() })
	return s, nil
}

// ReadDir reads every stack of a synthesized cdktf output folder, sorted by
// name, with the dependencies manifest.json gives it.
func ReadDir(outdir string) ([]Stack, error) {
	synthesized, err := synthout.Read(outdir)
	if err != nil {
		return nil, err
	}
	out := make([]Stack, 0, len(synthesized))
	for _, st := range synthesized {
		s, err := ParseStack(st.Name, st.JSON)
		if err != nil {
			return nil, err
		}
		s.Dependencies = st.Dependencies
		out = append(out, s)
	}
	return out, nil
}

// CheckDir runs rules over a synthesized cdktf output folder.
func CheckDir(outdir string, rules []Rule) (Report, error) {
	stacks, err := ReadDir(outdir)
	if err != nil {
		return Report{}, err
	}
	return Check(stacks, rules), nil
}

// Referencing returns the resources of type typ whose attribute attr
// refers to r (its id, arn, or any attribute of it).
func (s *Stack) Referencing(typ, attr string, r Resource) []Resource {
	var out []Resource
	prefix := "${" + r.Address() + "."
	for _, x := range s.Resources {
		if x.Type != typ {
			continue
		}
		if v, ok := x.Body[attr].(string); ok && strings.HasPrefix(v, prefix) {
			out = append(out, x)
		}
	}
	return out
}

// stackValidation checks one stack's Terraform when cdktf validates the app
// (during app.Synth), so apps that never call CheckDir still get the pack.
type stackValidation struct {
	stack cdktf.TerraformStack
	rules []Rule
}

// Validate implements constructs.IValidation: one message per unsuppressed
// error; warnings and suppressions do not fail.
func (v *stackValidation) Validate() *[]*string {
	raw, err := json.Marshal(v.stack.ToTerraform())
	if err != nil {
		return &[]*string{jsii.String("policy pack: " + err.Error())}
	}
	s, err := ParseStack(*v.stack.Node().Id(), raw)
	if err != nil {
		return &[]*string{jsii.String("policy pack: " + err.Error())}
	}
	var out []*string
	for _, f := range Check([]Stack{s}, v.rules).Errors() {
		out = append(out, jsii.String(f.String()))
	}
	return &out
}

// CheckStacks checks stacks as they are in memory, before anything is
// written: call it before app.Synth() and stop on report.Err(), so a
// violation is an error value naming the rule, the resource and the fix.
func CheckStacks(rules []Rule, stacks ...cdktf.TerraformStack) (Report, error) {
	var parsed []Stack
	for _, st := range stacks {
		if st == nil {
			return Report{}, errors.New("policypack.CheckStacks: a nil stack")
		}
		raw, err := json.Marshal(st.ToTerraform())
		if err != nil {
			return Report{}, fmt.Errorf("policypack.CheckStacks: %w", err)
		}
		s, err := ParseStack(*st.Node().Id(), raw)
		if err != nil {
			return Report{}, err
		}
		parsed = append(parsed, s)
	}
	return Check(parsed, rules), nil
}

// Enforce adds the rules to stack as a construct validation: cdktf then
// refuses to synthesize the app while the stack violates one. In Go, a
// failed cdktf validation surfaces as a panic from app.Synth (whose advice,
// to turn validation off, is not this library's); prefer CheckStacks
// before app.Synth, which returns the same findings as values.
func Enforce(stack cdktf.TerraformStack, rules []Rule) {
	stack.Node().AddValidation(&stackValidation{stack: stack, rules: rules})
}
