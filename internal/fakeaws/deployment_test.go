package fakeaws

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// post sends a query-protocol call signed for region and service (only the
// credential scope matters to the fake).
func post(t *testing.T, s *Server, region, service, body string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/"+region+"/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// Deploy keeps the plan handlers' RDS answers (the legacy cluster), and a
// switchover takes Polls describes to finish.
func TestDeploymentKeepsPlanHandlersAndTakesPolls(t *testing.T) {
	s := New()
	defer s.Close()
	d := NewDeployment("app-dev", []string{"us-east-1", "us-west-2"}, "app-dev", "app-dev-app", "app-dev-app", 2)
	s.Deploy(d)
	if out := post(t, s, "us-east-1", "rds", url.Values{"Action": {"DescribeDBClusters"}, "DBClusterIdentifier": {"legacy"}}.Encode()); !strings.Contains(out, "<DBClusterIdentifier>legacy</DBClusterIdentifier>") {
		t.Errorf("plan handler lost: %s", out)
	}
	out := post(t, s, "us-west-2", "rds", url.Values{"Action": {"SwitchoverGlobalCluster"}, "GlobalClusterIdentifier": {"app-dev"}, "TargetDbClusterIdentifier": {"arn:aws:rds:us-west-2:" + AccountID + ":cluster:app-dev-us-west-2"}}.Encode())
	if !strings.Contains(out, "<Status>switching-over</Status>") {
		t.Fatalf("switchover answer: %s", out)
	}
	for i := 1; i <= d.Polls; i++ {
		out := post(t, s, "us-west-2", "rds", url.Values{"Action": {"DescribeGlobalClusters"}, "GlobalClusterIdentifier": {"app-dev"}}.Encode())
		if done := strings.Contains(out, "<Status>available</Status>"); done != (i == d.Polls) {
			t.Errorf("poll %d: available=%v: %s", i, done, out)
		}
	}
	if d.State().Writer != "us-west-2" {
		t.Errorf("writer %s", d.State().Writer)
	}
	if u := s.Unanswered(); len(u) > 0 {
		t.Errorf("unanswered: %s", Summary(u))
	}
}
