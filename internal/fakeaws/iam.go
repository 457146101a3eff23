package fakeaws

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// This file is the fake's IAM: an evaluator of identity-based policy
// documents, and Server.EnforcePolicy, which checks every call against one.
// No Go module served here evaluates IAM policies (the Go libraries found
// only parse documents: github.com/micahhausler/aws-iam-policy,
// github.com/liamg/iamgo), so this is a small evaluator of the subset the
// operator policy needs, failing loudly on anything outside it:
//
//   - Effect Allow and Deny; an explicit Deny wins over any Allow, and with
//     no Allow the request is implicitly denied (IAM User Guide, "Policy
//     evaluation logic", "Determining whether a request is allowed or denied
//     within an account").
//   - Action and NotAction, Resource and NotResource, each a string or a list,
//     with the wildcards * (any run of characters) and ? (one character);
//     action names match case-insensitively, resources case-sensitively (IAM
//     User Guide, "IAM JSON policy elements: Action" and "...: Resource").
//   - Condition: every operator of a block must match, every key of an
//     operator must match, and a key matches when any of the policy's values
//     matches any of the request's (IAM User Guide, "Creating a condition with
//     multiple keys or values"). Operators: StringEquals, StringNotEquals,
//     StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike,
//     StringNotLike, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, Bool, Null,
//     and the IfExists form of each but Null. A key absent from the request
//     fails a matching operator and satisfies a negated one (StringNotEquals,
//     ...); IfExists makes an absent key satisfy any operator (IAM User
//     Guide, "IAM JSON policy elements: Condition operators").
//
// Policy variables (${aws:username}), Principal (a resource-policy element)
// and the ForAllValues:/ForAnyValue: set operators are refused when the
// document is parsed, since the fake could not evaluate them faithfully.

// IAMPolicy is a parsed identity-based policy document. Build one with
// ParseIAMPolicy.
type IAMPolicy struct {
	statements []iamStatement
}

type iamStatement struct {
	sid                       string
	deny                      bool
	actions, notActions       []string
	resources, notResources   []string
	conditions                []iamCondition
	hasResource, hasAction    bool
	hasNotResource, hasNotAct bool
}

type iamCondition struct {
	operator string // without IfExists
	ifExists bool
	key      string
	values   []string
}

// IAMRequest is what IAM authorizes for one call: an action on every
// resource the call touches, with the request's condition keys.
type IAMRequest struct {
	// Action is "service:Operation", e.g. rds:FailoverGlobalCluster.
	Action string
	// Resources are the ARNs the call acts on ("*" for an action with no
	// resource types); each must be allowed.
	Resources []string
	// Context holds the request's condition keys and their values, e.g.
	// aws:RequestedRegion and cloudwatch:namespace.
	Context map[string][]string
}

// IAMDecision is the outcome of evaluating a request.
type IAMDecision struct {
	Allowed bool
	// Resource is the first resource that was not allowed (on a denial).
	Resource string
	// ExplicitDeny names the Deny statement that matched, if one did.
	ExplicitDeny string
}

// ParseIAMPolicy parses an IAM policy document (JSON). It refuses, naming
// the statement, anything the evaluator does not implement, so a policy is
// never judged by a rule the fake does not know.
func ParseIAMPolicy(doc string) (*IAMPolicy, error) {
	var raw struct {
		Version   string
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, fmt.Errorf("IAM policy: %w", err)
	}
	if raw.Version != "2012-10-17" {
		return nil, fmt.Errorf("IAM policy: Version %q: the evaluator implements 2012-10-17 only", raw.Version)
	}
	var stmts []map[string]json.RawMessage
	if err := json.Unmarshal(raw.Statement, &stmts); err != nil {
		var one map[string]json.RawMessage
		if err2 := json.Unmarshal(raw.Statement, &one); err2 != nil {
			return nil, fmt.Errorf("IAM policy: Statement is neither an object nor a list: %w", err)
		}
		stmts = []map[string]json.RawMessage{one}
	}
	p := &IAMPolicy{}
	var errs []error
	for i, m := range stmts {
		s, err := parseStatement(m)
		if err != nil {
			name := fmt.Sprintf("statement %d", i)
			if sid, ok := m["Sid"]; ok {
				name = string(sid)
			}
			errs = append(errs, fmt.Errorf("IAM policy %s: %w", name, err))
			continue
		}
		p.statements = append(p.statements, s)
	}
	if len(stmts) == 0 {
		errs = append(errs, errors.New("IAM policy: no statements"))
	}
	return p, errors.Join(errs...)
}

func parseStatement(m map[string]json.RawMessage) (iamStatement, error) {
	var s iamStatement
	var errs []error
	strs := func(key string) ([]string, bool) {
		raw, ok := m[key]
		if !ok {
			return nil, false
		}
		list, err := stringOrList(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
		}
		for _, v := range list {
			if strings.Contains(v, "${") {
				errs = append(errs, fmt.Errorf("%s %q: policy variables are not implemented by the fake's evaluator", key, v))
			}
		}
		return list, true
	}
	for k := range m {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition":
		default:
			errs = append(errs, fmt.Errorf("element %s is not implemented by the fake's evaluator (identity-based policies only)", k))
		}
	}
	if raw, ok := m["Sid"]; ok {
		_ = json.Unmarshal(raw, &s.sid)
	}
	var effect string
	if raw, ok := m["Effect"]; ok {
		_ = json.Unmarshal(raw, &effect)
	}
	switch effect {
	case "Allow":
	case "Deny":
		s.deny = true
	default:
		errs = append(errs, fmt.Errorf("Effect %q: must be Allow or Deny", effect))
	}
	s.actions, s.hasAction = strs("Action")
	s.notActions, s.hasNotAct = strs("NotAction")
	s.resources, s.hasResource = strs("Resource")
	s.notResources, s.hasNotResource = strs("NotResource")
	if s.hasAction == s.hasNotAct {
		errs = append(errs, errors.New("needs exactly one of Action and NotAction"))
	}
	if s.hasResource == s.hasNotResource {
		errs = append(errs, errors.New("needs exactly one of Resource and NotResource"))
	}
	if raw, ok := m["Condition"]; ok {
		var block map[string]map[string]json.RawMessage
		if err := json.Unmarshal(raw, &block); err != nil {
			errs = append(errs, fmt.Errorf("Condition: %w", err))
		}
		for op, keys := range block {
			base, ifExists := strings.CutSuffix(op, "IfExists")
			if _, ok := conditionOperators[base]; !ok || (ifExists && base == "Null") {
				errs = append(errs, fmt.Errorf("condition operator %s is not implemented by the fake's evaluator", op))
				continue
			}
			for key, rawValues := range keys {
				values, err := conditionValues(rawValues)
				if err != nil {
					errs = append(errs, fmt.Errorf("Condition %s %s: %w", op, key, err))
				}
				s.conditions = append(s.conditions, iamCondition{operator: base, ifExists: ifExists, key: key, values: values})
			}
		}
		sort.Slice(s.conditions, func(i, j int) bool {
			return s.conditions[i].operator+s.conditions[i].key < s.conditions[j].operator+s.conditions[j].key
		})
	}
	return s, errors.Join(errs...)
}

func stringOrList(raw json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errors.New("must be a string or a list of strings")
	}
	return list, nil
}

// conditionValues reads a condition's values: strings, or booleans (Bool
// and Null take "true"/"false" as JSON booleans too).
func conditionValues(raw json.RawMessage) ([]string, error) {
	if list, err := stringOrList(raw); err == nil {
		return list, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err == nil {
		return []string{fmt.Sprint(b)}, nil
	}
	var bs []bool
	if err := json.Unmarshal(raw, &bs); err == nil {
		var out []string
		for _, v := range bs {
			out = append(out, fmt.Sprint(v))
		}
		return out, nil
	}
	return nil, errors.New("values must be strings or booleans")
}

// conditionOperators: whether the operator is negated, and how one policy
// value matches one request value.
var conditionOperators = map[string]struct {
	negated bool
	match   func(pattern, value string) bool
}{
	"StringEquals":              {false, func(p, v string) bool { return p == v }},
	"StringNotEquals":           {true, func(p, v string) bool { return p == v }},
	"StringEqualsIgnoreCase":    {false, strings.EqualFold},
	"StringNotEqualsIgnoreCase": {true, strings.EqualFold},
	"StringLike":                {false, func(p, v string) bool { return wildcardMatch(p, v, false) }},
	"StringNotLike":             {true, func(p, v string) bool { return wildcardMatch(p, v, false) }},
	"ArnEquals":                 {false, arnLike},
	"ArnLike":                   {false, arnLike},
	"ArnNotEquals":              {true, arnLike},
	"ArnNotLike":                {true, arnLike},
	"Bool":                      {false, strings.EqualFold},
	"Null":                      {false, nil}, // handled in matches
}

// matches reports whether the condition holds for ctx.
func (c iamCondition) matches(ctx map[string][]string) bool {
	got, present := ctx[c.key]
	if c.operator == "Null" {
		// Null: "true" holds when the key is absent, "false" when present.
		return slices.ContainsFunc(c.values, func(v string) bool { return strings.EqualFold(v, fmt.Sprint(!present)) })
	}
	op := conditionOperators[c.operator]
	if !present {
		return c.ifExists || op.negated
	}
	hit := false
	for _, p := range c.values {
		for _, v := range got {
			if op.match(p, v) {
				hit = true
			}
		}
	}
	if op.negated {
		return !hit
	}
	return hit
}

// arnLike matches an ARN against a pattern component by component: the six
// colon-separated parts of each must match, with * and ? inside each part
// (IAM User Guide, "Condition operators", "Amazon Resource Name (ARN)
// condition operators").
func arnLike(pattern, arn string) bool {
	pp := strings.SplitN(pattern, ":", 6)
	ap := strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return false
	}
	for i := range pp {
		if !wildcardMatch(pp[i], ap[i], false) {
			return false
		}
	}
	return true
}

// wildcardMatch matches s against pattern, where * is any run of
// characters (also none) and ? exactly one.
func wildcardMatch(pattern, s string, foldCase bool) bool {
	if foldCase {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	// Iterative matcher with backtracking to the last *.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func (s iamStatement) appliesTo(action, resource string, ctx map[string][]string) bool {
	matchAny := func(patterns []string, v string, fold bool) bool {
		return slices.ContainsFunc(patterns, func(p string) bool { return wildcardMatch(p, v, fold) })
	}
	if s.hasAction && !matchAny(s.actions, action, true) {
		return false
	}
	if s.hasNotAct && matchAny(s.notActions, action, true) {
		return false
	}
	if s.hasResource && !matchAny(s.resources, resource, false) {
		return false
	}
	if s.hasNotResource && matchAny(s.notResources, resource, false) {
		return false
	}
	for _, c := range s.conditions {
		if !c.matches(ctx) {
			return false
		}
	}
	return true
}

// Evaluate decides req: every resource must be allowed by some Allow
// statement and denied by none.
func (p *IAMPolicy) Evaluate(req IAMRequest) IAMDecision {
	resources := req.Resources
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	for _, r := range resources {
		allowed := false
		for _, s := range p.statements {
			if !s.appliesTo(req.Action, r, req.Context) {
				continue
			}
			if s.deny {
				name := s.sid
				if name == "" {
					name = "a Deny statement"
				}
				return IAMDecision{Resource: r, ExplicitDeny: name}
			}
			allowed = true
		}
		if !allowed {
			return IAMDecision{Resource: r}
		}
	}
	return IAMDecision{Allowed: true}
}

// IAMAuthorization is one call the fake checked against the enforced
// policy.
type IAMAuthorization struct {
	IAMRequest
	Region  string
	Allowed bool
}

// EnforcePolicy makes the fake check every call against the identity-based
// policy doc (JSON), as IAM would for a caller whose only policy it is: a
// call the policy does not allow fails with AccessDenied in the wire format
// of the call's protocol, and a call the fake has no IAM mapping for (see
// iam_actions.go) fails and is logged as unanswered, so a new call cannot
// pass unchecked. sts:GetCallerIdentity is never checked: it needs no
// permission (STS API Reference, "GetCallerIdentity"). EnforcePolicy("")
// stops checking. A document the evaluator cannot judge is an error.
func (s *Server) EnforcePolicy(doc string) error {
	var p *IAMPolicy
	if doc != "" {
		var err error
		if p, err = ParseIAMPolicy(doc); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.policy = p
	return nil
}

// Authorizations returns every call checked against the enforced policy,
// in order.
func (s *Server) Authorizations() []IAMAuthorization {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]IAMAuthorization(nil), s.authorizations...)
}

// callerArn is the identity the fake's STS reports (plan.go), named in
// AccessDenied messages as AWS names the caller.
var callerArn = "arn:aws:iam::" + AccountID + ":user/pilotlight-test"

// authorize checks r against the enforced policy: nil to go on, or the
// answer to give instead (AccessDenied, or an error for an unmapped call,
// with unmapped set).
func (s *Server) authorize(r *Request) (resp *Response, denied, unmapped bool) {
	s.mu.Lock()
	p := s.policy
	s.mu.Unlock()
	if p == nil || (r.Service == "sts" && r.Action == "GetCallerIdentity") {
		return nil, false, false
	}
	req, err := iamRequestOf(r)
	if err != nil {
		return unknownOperationMsg(r, fmt.Sprintf("fakeaws enforces an IAM policy but cannot authorize %s %s in %s: %v", r.Service, r.Action, r.Region, err)), false, true
	}
	d := p.Evaluate(req)
	s.mu.Lock()
	s.authorizations = append(s.authorizations, IAMAuthorization{IAMRequest: req, Region: r.Region, Allowed: d.Allowed})
	s.mu.Unlock()
	if d.Allowed {
		if r.Service == "s3" && req.Action == "s3:GetObject" {
			s.checkListBucket(p, r, req)
		}
		return nil, false, false
	}
	return accessDenied(r, req.Action, d), true, false
}

// checkListBucket evaluates s3:ListBucket on the bucket of an allowed
// object read, which decides whether S3 tells the caller an absent key is
// absent (404) or answers 403 (S3 API Reference, HeadObject and GetObject,
// "Permissions"). The check is recorded with the other authorizations.
func (s *Server) checkListBucket(p *IAMPolicy, r *Request, read IAMRequest) {
	object := strings.TrimPrefix(read.Resources[0], "arn:aws:s3:::")
	bucket, _, _ := strings.Cut(object, "/")
	list := IAMRequest{Action: "s3:ListBucket", Resources: []string{"arn:aws:s3:::" + bucket}, Context: read.Context}
	d := p.Evaluate(list)
	r.noListBucket = !d.Allowed
	s.mu.Lock()
	s.authorizations = append(s.authorizations, IAMAuthorization{IAMRequest: list, Region: r.Region, Allowed: d.Allowed})
	s.mu.Unlock()
}

// accessDeniedMessage is the message IAM gives (IAM User Guide,
// "Troubleshoot access denied error messages"): the caller, the action, the
// resource, and whether no Allow or an explicit Deny decided it.
func accessDeniedMessage(action string, d IAMDecision) string {
	msg := "User: " + callerArn + " is not authorized to perform: " + action
	if d.Resource != "" && d.Resource != "*" {
		msg += " on resource: " + d.Resource
	}
	if d.ExplicitDeny != "" {
		return msg + " with an explicit deny in an identity-based policy"
	}
	return msg + " because no identity-based policy allows the " + action + " action"
}

// accessDenied answers a refused call as the service does, by protocol:
//   - EC2: HTTP 403, code UnauthorizedOperation (EC2 API Reference, "Error
//     codes for the Amazon EC2 API", client error codes).
//   - S3 (REST-XML): HTTP 403, code AccessDenied (S3 API Reference, "Error
//     responses", list of error codes).
//   - JSON 1.1 (ECS, ECR): HTTP 400, __type AccessDeniedException (ECS API
//     Reference, "Common Errors"; ECR API Reference, "Common Errors").
//   - Smithy RPC v2 CBOR (CloudWatch): HTTP 400, __type
//     AccessDeniedException, and the header x-amzn-query-error:
//     AccessDenied;Sender, which clients of a service marked
//     awsQueryCompatible (CloudWatch, once a query service) report as the
//     error code, so callers see the code CloudWatch's query API returned.
//   - Query (RDS, ElastiCache, ELBv2): HTTP 403, code AccessDenied, the code
//     these services return for an IAM refusal.
func accessDenied(r *Request, action string, d IAMDecision) *Response {
	msg := accessDeniedMessage(action, d)
	switch {
	case r.HTTP.Header.Get("Smithy-Protocol") == "rpc-v2-cbor":
		resp := cborError(http.StatusBadRequest, "AccessDeniedException", msg)
		resp.Header.Set("X-Amzn-Query-Error", "AccessDenied;Sender")
		return resp
	case r.HTTP.Header.Get("X-Amz-Target") != "":
		return JSONError(http.StatusBadRequest, "AccessDeniedException", msg)
	case r.Service == "ec2":
		return EC2Error(http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation. "+msg)
	case r.Service == "s3":
		return s3Error(http.StatusForbidden, "AccessDenied", msg)
	default:
		return QueryError(http.StatusForbidden, "AccessDenied", msg)
	}
}
