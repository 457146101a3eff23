// Package fakeaws is a loopback fake of the AWS APIs that pilotlight's
// Terraform plans and runbook commands call, for tests on a machine with no
// AWS account. It speaks the services' real wire protocols (query/XML, EC2
// XML, JSON 1.1, REST, Smithy RPC v2 CBOR), so the AWS provider and the AWS SDK for Go v2 run
// against it unmodified through AWS_ENDPOINT_URL or BaseEndpoint.
//
// Every request is logged as a Call with its service, action and region; the
// region and service are read from the SigV4 credential scope, which is how
// the caller chose them. Any region can be made dark: its requests have their
// connection dropped (as a dead regional endpoint looks to a client) or get a
// 503. A request the fake has no answer for gets an error and is logged as
// unanswered, so a test can insist that every call was understood.
package fakeaws

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// AccountID is the account every fake answer belongs to.
const AccountID = "123456789012"

// Darkness is how a dark region's endpoints fail.
type Darkness int

const (
	// Drop closes the connection without answering: a dead endpoint.
	Drop Darkness = iota + 1
	// Unavailable answers 503 Service Unavailable.
	Unavailable
	// Hang accepts the request and never answers, until the caller gives
	// up. AWS documents nothing of how an endpoint fails in an outage; a
	// black-holed endpoint is the adversarial reading, and the costliest
	// for a client that waits out its timeouts.
	Hang
)

// Call is one request the fake received.
type Call struct {
	Service string // the SigV4 signing name: sts, ec2, secretsmanager, cloudfront, s3, ...
	Action  string // the API operation, e.g. GetCallerIdentity; for REST, METHOD /path
	Region  string // the SigV4 signing region
	Host    string
	// Status is the HTTP status answered; 0 when the connection was dropped.
	Status int
	// Unanswered is set when no handler knew the call, or when an enforced
	// IAM policy (EnforcePolicy) could not be checked for want of a mapping.
	Unanswered bool
	// Denied is set when the enforced IAM policy refused the call.
	Denied bool
}

func (c Call) String() string {
	s := fmt.Sprintf("%s %s %s", c.Region, c.Service, c.Action)
	switch {
	case c.Status == 0:
		s += " (dropped: region dark)"
	case c.Unanswered:
		s += " (unanswered)"
	case c.Denied:
		s += " (AccessDenied)"
	}
	return s
}

// Request is what a handler sees of one call.
type Request struct {
	Service, Action, Region string
	HTTP                    *http.Request
	Body                    []byte
	// Params holds the form values of a query-protocol call (Action=...&...).
	Params url.Values
	// noListBucket is set on an S3 object read whose caller the enforced
	// policy does not allow s3:ListBucket on the bucket: an absent key then
	// answers 403, not 404 (S3 API Reference, HeadObject, "Permissions").
	noListBucket bool
}

// Response is a handler's answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Handler answers one service's calls; it returns nil for a call it does
// not know, which the fake then answers with an error and logs as unanswered.
type Handler func(*Request) *Response

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	URL string

	http     *httptest.Server
	mu       sync.Mutex
	calls    []Call
	dark     map[string]Darkness
	handlers map[string]Handler
	s3       *s3Store

	policy         *IAMPolicy // enforced on every call when set (iam.go)
	authorizations []IAMAuthorization
	zones          int // availability zones per region (0: 3)
}

// New starts a fake on a loopback port with the handlers the Terraform plans
// of pilotlight's stacks need (see plan.go). Close it when done.
func New() *Server {
	s := &Server{dark: map[string]Darkness{}, handlers: map[string]Handler{}}
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.http.URL
	registerPlanHandlers(s)
	return s
}

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

// SetAvailabilityZones makes DescribeAvailabilityZones answer n zones (1
// to 3; 3 when never set) in every region, as an account that sees fewer
// zones, or a region that has fewer, would.
func (s *Server) SetAvailabilityZones(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zones = min(max(n, 1), 3)
}

func (s *Server) availabilityZones() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.zones == 0 {
		return 3
	}
	return s.zones
}

// Handle sets the handler of a service, by its SigV4 signing name; it
// replaces any handler set before, so a test can extend the fake.
func (s *Server) Handle(service string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[service] = h
}

// Dark makes region's endpoints fail as d says; Dark(region, 0) lights it again.
func (s *Server) Dark(region string, d Darkness) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d == 0 {
		delete(s.dark, region)
	} else {
		s.dark[region] = d
	}
}

// Calls returns every call so far, in the order received.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Regions returns the regions that calls went to, sorted.
func (s *Server) Regions() []string {
	seen := map[string]bool{}
	for _, c := range s.Calls() {
		seen[c.Region] = true
	}
	var out []string
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Summary is the calls in order, repeats of the same call folded into one
// entry with a count, for error messages.
func Summary(calls []Call) string {
	var b strings.Builder
	for i := 0; i < len(calls); {
		j := i + 1
		for j < len(calls) && calls[j] == calls[i] {
			j++
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(calls[i].String())
		if j-i > 1 {
			fmt.Fprintf(&b, " x%d", j-i)
		}
		i = j
	}
	return b.String()
}

// Unanswered returns the calls no handler knew.
func (s *Server) Unanswered() []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Unanswered {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

var rpcv2Op = regexp.MustCompile(`^/service/[^/]+/operation/([A-Za-z0-9]+)$`)

var scope = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := &Request{HTTP: r, Body: body}
	if m := scope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		req.Region, req.Service = m[1], m[2]
	} else if m := scope.FindStringSubmatch(r.URL.Query().Get("X-Amz-Credential")); m != nil {
		req.Region, req.Service = m[1], m[2]
	}
	switch target := r.Header.Get("X-Amz-Target"); {
	case target != "":
		req.Action = target[strings.LastIndex(target, ".")+1:]
	case r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		req.Params, _ = url.ParseQuery(string(body))
		req.Action = req.Params.Get("Action")
	case r.Header.Get("Smithy-Protocol") == "rpc-v2-cbor" && rpcv2Op.MatchString(r.URL.Path):
		// Smithy RPC v2 CBOR (CloudWatch): POST /service/SERVICE/operation/OP.
		req.Action = rpcv2Op.FindStringSubmatch(r.URL.Path)[1]
	default:
		req.Action = r.Method + " " + r.URL.Path
	}
	call := Call{Service: req.Service, Action: req.Action, Region: req.Region, Host: r.Host}

	s.mu.Lock()
	dark := s.dark[req.Region]
	h := s.handlers[req.Service]
	s.mu.Unlock()

	switch dark {
	case Drop:
		s.record(call)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case Unavailable:
		call.Status = http.StatusServiceUnavailable
		s.record(call)
		http.Error(w, "Service Unavailable", call.Status)
		return
	case Hang:
		s.record(call)
		<-r.Context().Done()
		return
	}

	resp, denied, unmapped := s.authorize(req)
	call.Denied, call.Unanswered = denied, unmapped
	if resp == nil && h != nil {
		resp = h(req)
	}
	if resp == nil {
		call.Unanswered = true
		resp = unknownOperation(req)
	}
	call.Status = resp.Status
	s.record(call)
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.Status)
	w.Write(resp.Body)
}

// unknownOperation answers a call no handler knew, in the shape of the
// call's protocol, with a non-retryable error so the client stops at once.
func unknownOperation(r *Request) *Response {
	return unknownOperationMsg(r, fmt.Sprintf("fakeaws has no answer for %s %s in %s", r.Service, r.Action, r.Region))
}

func unknownOperationMsg(r *Request, msg string) *Response {
	switch {
	case r.HTTP.Header.Get("Smithy-Protocol") == "rpc-v2-cbor":
		return cborError(http.StatusBadRequest, "UnknownOperationException", msg)
	case r.HTTP.Header.Get("X-Amz-Target") != "":
		return JSONError(http.StatusBadRequest, "UnknownOperationException", msg)
	case r.Service == "ec2":
		return EC2Error(http.StatusBadRequest, "InvalidAction", msg)
	default:
		return QueryError(http.StatusBadRequest, "InvalidAction", msg)
	}
}

const requestID = "00000000-0000-4000-8000-000000000000"

// QueryResult answers a query-protocol call (STS, IAM, RDS, ElastiCache,
// ELBv2, CloudWatch, SNS) with result as the inner XML of <ActionResult>.
func QueryResult(action, namespace, result string) *Response {
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<%[1]sResponse xmlns="%[2]s"><%[1]sResult>%[3]s</%[1]sResult><ResponseMetadata><RequestId>%[4]s</RequestId></ResponseMetadata></%[1]sResponse>`,
		action, namespace, result, requestID)
	return &Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"text/xml"}}, Body: []byte(body)}
}

// QueryError is a query-protocol error.
func QueryError(status int, code, message string) *Response {
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		code, xmlEscape(message), requestID)
	return &Response{Status: status, Header: http.Header{"Content-Type": {"text/xml"}}, Body: []byte(body)}
}

// EC2Result answers an EC2 call; inner is the response's elements.
func EC2Result(action, inner string) *Response {
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<%[1]sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>%[2]s</requestId>%[3]s</%[1]sResponse>`, action, requestID, inner)
	return &Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"text/xml"}}, Body: []byte(body)}
}

// EC2Error is an EC2 error.
func EC2Error(status int, code, message string) *Response {
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>`, code, xmlEscape(message), requestID)
	return &Response{Status: status, Header: http.Header{"Content-Type": {"text/xml"}}, Body: []byte(body)}
}

// JSONResult answers a JSON-protocol call with body, already encoded.
func JSONResult(body string) *Response {
	return &Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}}, Body: []byte(body)}
}

// JSONError is a JSON-protocol error of the given type.
func JSONError(status int, errType, message string) *Response {
	body := fmt.Sprintf(`{"__type":%q,"message":%q}`, errType, message)
	return &Response{Status: status, Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Errortype": {errType}}, Body: []byte(body)}
}

// XMLResult answers a REST-XML call (CloudFront, S3, Route 53) with body.
func XMLResult(status int, body string) *Response {
	return &Response{Status: status, Header: http.Header{"Content-Type": {"text/xml"}}, Body: []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + body)}
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
