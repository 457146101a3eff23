package fakeaws

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// postQuery sends a query-protocol call signed (in form only: the fake reads
// the credential scope, not the signature) for region and service.
func postQuery(t *testing.T, s *Server, region, service, body string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAFAKE/20261129/"+region+"/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
	return http.DefaultClient.Do(req)
}

func TestCallsAreLoggedWithTheirSigningRegion(t *testing.T) {
	s := New()
	defer s.Close()
	resp, err := postQuery(t, s, "us-west-2", "sts", "Action=GetCallerIdentity&Version=2011-06-15")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<Account>"+AccountID+"</Account>") {
		t.Errorf("GetCallerIdentity = %d %s", resp.StatusCode, body)
	}
	want := Call{Service: "sts", Action: "GetCallerIdentity", Region: "us-west-2", Host: strings.TrimPrefix(s.URL, "http://"), Status: 200}
	if calls := s.Calls(); len(calls) != 1 || calls[0] != want {
		t.Errorf("calls = %+v, want [%+v]", calls, want)
	}
}

func TestDarkRegionDropsAndOthersAnswer(t *testing.T) {
	s := New()
	defer s.Close()
	s.Dark("us-east-1", Drop)
	if _, err := postQuery(t, s, "us-east-1", "sts", "Action=GetCallerIdentity"); err == nil {
		t.Error("a call to a dark region got an answer; want the connection dropped")
	}
	if resp, err := postQuery(t, s, "us-west-2", "sts", "Action=GetCallerIdentity"); err != nil || resp.StatusCode != 200 {
		t.Errorf("a call to a lit region failed: %v", err)
	}
	s.Dark("us-west-2", Unavailable)
	if resp, err := postQuery(t, s, "us-west-2", "sts", "Action=GetCallerIdentity"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("Unavailable region: %v %v, want 503", resp, err)
	}
	s.Dark("us-east-1", 0)
	if resp, err := postQuery(t, s, "us-east-1", "sts", "Action=GetCallerIdentity"); err != nil || resp.StatusCode != 200 {
		t.Errorf("a region lit again failed: %v", err)
	}
	calls := s.Calls()
	if calls[0].Status != 0 || !strings.Contains(calls[0].String(), "dropped") {
		t.Errorf("dropped call logged as %+v", calls[0])
	}
}

func TestUnknownCallsAreUnanswered(t *testing.T) {
	s := New()
	defer s.Close()
	resp, err := postQuery(t, s, "eu-west-1", "ec2", "Action=RunInstances")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>InvalidAction</Code>") {
		t.Errorf("unknown EC2 call = %d %s, want an EC2-shaped 400", resp.StatusCode, body)
	}
	if u := s.Unanswered(); len(u) != 1 || u[0].Action != "RunInstances" {
		t.Errorf("unanswered = %v", u)
	}
}

func TestManagedPrefixListFilter(t *testing.T) {
	s := New()
	defer s.Close()
	q := url.Values{"Action": {"DescribeManagedPrefixLists"}, "Filter.1.Name": {"prefix-list-name"}, "Filter.1.Value.1": {"com.amazonaws.global.cloudfront.origin-facing"}}
	resp, err := postQuery(t, s, "us-west-2", "ec2", q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "<prefixListName>com.amazonaws.global.cloudfront.origin-facing</prefixListName>") {
		t.Errorf("prefix list not found by name: %s", body)
	}
	q.Set("Filter.1.Value.1", "com.example.none")
	resp, _ = postQuery(t, s, "us-west-2", "ec2", q.Encode())
	body, _ = io.ReadAll(resp.Body)
	if strings.Contains(string(body), "<item>") {
		t.Errorf("an unknown name matched: %s", body)
	}
}

func TestS3StateObjectsWithRangesAndLocks(t *testing.T) {
	s := New()
	defer s.Close()
	s.PutObject("eu-west-1", "state", "app/x.tfstate", []byte("0123456789"))
	get := func(rng string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/state/app/x.tfstate", nil)
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAFAKE/20261129/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=0")
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := get(""); resp.StatusCode != 200 || body != "0123456789" {
		t.Errorf("GET = %d %q", resp.StatusCode, body)
	}
	if resp, body := get("bytes=2-100"); resp.StatusCode != 206 || body != "23456789" || resp.Header.Get("Content-Range") != "bytes 2-9/10" {
		t.Errorf("ranged GET = %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Range"))
	}
	// S3 native locking: a conditional put of an existing lock file fails.
	req, _ := http.NewRequest(http.MethodPut, s.URL+"/state/app/x.tfstate.tflock", strings.NewReader("lock"))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAFAKE/20261129/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=0")
	req.Header.Set("If-None-Match", "*")
	for i, want := range []int{200, 412} {
		req.Body = io.NopCloser(strings.NewReader("lock"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != want {
			t.Errorf("lock put %d = %v %v, want %d", i+1, resp.StatusCode, err, want)
		}
	}
	if _, ok := s.GetObject("us-east-1", "state", "app/x.tfstate"); ok {
		t.Error("objects must be per region, as S3 buckets are")
	}
}
