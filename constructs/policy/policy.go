// Package policy builds IAM and resource policy documents as typed Go values.
//
// Documents are rendered with encoding/json, so Terraform tokens (an account
// id read at plan time, say) can stand inside ARNs. A statement that grants on
// every resource ("*") must say why in WildcardReason, in the spirit of
// cdk-nag's written suppressions: Validate refuses it otherwise.
package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Document is an IAM policy document.
type Document struct {
	Statements []Statement
}

// Statement is one statement of a Document. Effect defaults to Allow.
type Statement struct {
	Sid       string
	Effect    string
	Principal map[string][]string // e.g. {"Service": {"ecs-tasks.amazonaws.com"}}
	Actions   []string
	Resources []string
	// Condition maps an operator to keys and their values, as IAM does:
	// {"StringEquals": {"aws:SourceAccount": {"123456789012"}}}.
	Condition map[string]map[string][]string
	// WildcardReason must explain a Resources entry of "*" or an action such
	// as "s3:*"; it is not rendered.
	WildcardReason string
}

// Validate returns every problem in d at once.
func (d Document) Validate() error {
	var errs []error
	if len(d.Statements) == 0 {
		errs = append(errs, errors.New("policy has no statements"))
	}
	for i, s := range d.Statements {
		name := s.Sid
		if name == "" {
			name = fmt.Sprintf("statement %d", i)
		}
		if len(s.Actions) == 0 {
			errs = append(errs, fmt.Errorf("%s: no actions", name))
		}
		wild := slices.Contains(s.Resources, "*")
		for _, a := range s.Actions {
			if a == "*" || strings.HasSuffix(a, ":*") {
				wild = true
			}
		}
		if wild && s.WildcardReason == "" && s.Principal == nil {
			errs = append(errs, fmt.Errorf("%s: grants a wildcard action or resource without a WildcardReason; scope it or say why it cannot be scoped", name))
		}
	}
	return errors.Join(errs...)
}

// JSON renders d as a policy document string.
func (d Document) JSON() string {
	type statement struct {
		Sid       string                         `json:"Sid,omitempty"`
		Effect    string                         `json:"Effect"`
		Principal map[string][]string            `json:"Principal,omitempty"`
		Action    []string                       `json:"Action"`
		Resource  []string                       `json:"Resource,omitempty"`
		Condition map[string]map[string][]string `json:"Condition,omitempty"`
	}
	out := struct {
		Version   string      `json:"Version"`
		Statement []statement `json:"Statement"`
	}{Version: "2012-10-17"}
	for _, s := range d.Statements {
		effect := s.Effect
		if effect == "" {
			effect = "Allow"
		}
		out.Statement = append(out.Statement, statement{s.Sid, effect, s.Principal, s.Actions, s.Resources, s.Condition})
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err) // only strings, slices and maps: cannot fail
	}
	return string(b)
}

// DenyInsecureTransport is the bucket policy that refuses requests without
// TLS, or with TLS older than 1.2, to bucket arn and its objects.
func DenyInsecureTransport(arn string) []Statement {
	deny := func(sid string, condition map[string]map[string][]string) Statement {
		return Statement{Sid: sid, Effect: "Deny", Principal: map[string][]string{"AWS": {"*"}},
			Actions: []string{"s3:*"}, Resources: []string{arn, arn + "/*"}, Condition: condition}
	}
	return []Statement{
		deny("DenyPlainHTTP", map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}}),
		deny("DenyOldTLS", map[string]map[string][]string{"NumericLessThan": {"s3:TlsVersion": {"1.2"}}}),
	}
}
