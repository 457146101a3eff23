package runbook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pilotlight/pilotlight/config"
)

// rtoConfig is the defaults with dns set and standbyEgress nat.
const rtoConfig = "name: pilotlight\nenvironment: dev\ndns:\n  zoneName: example.com\n  name: origin.example.com\nnetwork:\n  standbyEgress: nat\n"

func rtoConfigFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pilotlight.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// `pilotlight rto` prints both scenarios' steps with their start, end and
// duration, the critical path, each part with a numbered source, and the
// settings that shorten it.
func TestRTOTable(t *testing.T) {
	t.Setenv(config.EnvVar, rtoConfigFile(t, rtoConfig))
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"rto"}, strings.NewReader(""), &stdout, &stderr, nil); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"RTO budget: us-east-1 -> us-west-2; dns set (ttl 60 s, health checks 3 x 10 s), standbyEgress nat, secondaryInstances 1\n",
		"failover us-east-1 -> us-west-2 with us-east-1 dark (writes): writes reach us-west-2 after 2m40s\n",
		"planned switchover us-east-1 -> us-west-2, every region up: writes reach us-west-2 after 2m40s (every step done after 3m40s)\n",
		"  STEP       NEEDS                 START  END    TAKES  WHAT\n",
		"* traffic  aurora,cache,compute  1m0s   2m40s  1m40s  Traffic: set the switch in us-west-2",
		"  critical path (*): aurora -> traffic = 2m40s\n",
		"  critical path (*): aurora -> traffic -> scaledown = 3m40s\n",
		"1m0s  resolvers, CloudFront among them, drop the cached answer: TTL 60s (dns.ttl) [",
		"dns.ttl: 60 -> 30  saves failover -30s, switchover -30s\n",
		"sources:\n  [1] Aurora User Guide",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rto output lacks %q:\n%s", want, out)
		}
	}
	// Every part cites a source that the list names.
	n, cited := strings.Count(out[strings.Index(out, "sources:"):], "\n  ["), 0
	for _, line := range strings.Split(out, "\n") {
		if i := strings.LastIndex(line, " ["); strings.HasPrefix(line, "    ") && i > 0 && !strings.Contains(line, "nothing to wait for") {
			var k int
			if _, err := fmt.Sscanf(line[i+1:], "[%d]", &k); err != nil || k < 1 || k > n {
				t.Errorf("part %q cites [%d] of %d sources", line, k, n)
			}
			cited++
		}
	}
	if cited < 10 {
		t.Errorf("%d parts cite a source:\n%s", cited, out)
	}
}

// `pilotlight rto --json`: the settings, both scenarios with their steps,
// needs, times and sources, and the suggestions.
func TestRTOJSON(t *testing.T) {
	t.Setenv(config.EnvVar, rtoConfigFile(t, rtoConfig))
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"rto", "--json"}, strings.NewReader(""), &stdout, &stderr, nil); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var doc struct {
		Settings struct {
			From          string `json:"from"`
			To            string `json:"to"`
			DNS           bool   `json:"dns"`
			TTL           int    `json:"ttl_seconds"`
			Interval      int    `json:"health_check_interval_seconds"`
			Threshold     int    `json:"failure_threshold"`
			StandbyEgress string `json:"standby_egress"`
			Secondaries   int    `json:"secondary_instances"`
		} `json:"settings"`
		Scenarios []struct {
			Name         string   `json:"name"`
			Title        string   `json:"title"`
			From         string   `json:"from"`
			To           string   `json:"to"`
			Writes       *int     `json:"writes_seconds"`
			Total        *int     `json:"total_seconds"`
			CriticalPath []string `json:"critical_path"`
			Steps        []struct {
				ID       string   `json:"id"`
				Title    string   `json:"title"`
				Manual   bool     `json:"manual"`
				Blocked  string   `json:"blocked"`
				Needs    []string `json:"needs"`
				Start    *int     `json:"start_seconds"`
				End      *int     `json:"end_seconds"`
				Duration *int     `json:"duration_seconds"`
				Critical bool     `json:"critical"`
				Parts    []struct {
					What    string `json:"what"`
					Seconds *int   `json:"seconds"`
					Source  string `json:"source"`
					Assumed string `json:"assumed"`
				} `json:"parts"`
			} `json:"steps"`
		} `json:"scenarios"`
		Shorten []struct {
			Key   string `json:"key"`
			From  string `json:"from"`
			To    string `json:"to"`
			Costs string `json:"costs"`
			Saves map[string]struct {
				Seconds       *int `json:"seconds"`
				FromUnbounded bool `json:"from_unbounded"`
			} `json:"saves"`
		} `json:"shorten"`
	}
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("rto --json: %v", err)
	}
	s := doc.Settings
	if s.From != "us-east-1" || s.To != "us-west-2" || !s.DNS || s.TTL != 60 || s.StandbyEgress != "nat" {
		t.Errorf("settings: %+v", s)
	}
	if len(doc.Scenarios) != 2 {
		t.Fatalf("scenarios: %+v", doc.Scenarios)
	}
	f := doc.Scenarios[1]
	if f.Name != "failover" || f.Writes == nil || *f.Writes != 160 || strings.Join(f.CriticalPath, ",") != "aurora,traffic" {
		t.Errorf("failover: %+v", f)
	}
	ids := []string{}
	for _, st := range f.Steps {
		ids = append(ids, st.ID)
		if st.Start == nil || st.End == nil || st.Duration == nil || *st.End != *st.Start+*st.Duration || len(st.Parts) == 0 || st.Needs == nil {
			t.Errorf("step %+v", st)
		}
		sum := 0
		for _, p := range st.Parts {
			sum += *p.Seconds
			if p.Source == "" || p.What == "" {
				t.Errorf("%s: part without a source: %+v", st.ID, p)
			}
		}
		if sum != *st.Duration {
			t.Errorf("%s: parts add to %d s, the step takes %d s", st.ID, sum, *st.Duration)
		}
	}
	if strings.Join(ids, ",") != "aurora,cache,compute,traffic" {
		t.Errorf("failover steps %v", ids)
	}
	if len(doc.Shorten) == 0 || doc.Shorten[0].Costs == "" {
		t.Errorf("shorten: %+v", doc.Shorten)
	}
}

// rto takes --json only, and a config it cannot read is bad input.
func TestRTOInput(t *testing.T) {
	t.Setenv(config.EnvVar, rtoConfigFile(t, "name: pilotlight\nenvironment: dev\nnetwork:\n  standbyEgress: vpn\n"))
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"rto"}, strings.NewReader(""), &stdout, &stderr, nil); code != ExitInput || !strings.Contains(stderr.String(), "network.standbyEgress") {
		t.Errorf("bad config: exit %d, %s", code, stderr.String())
	}
	stderr.Reset()
	if code := Main([]string{"rto", "--to", "us-west-2"}, strings.NewReader(""), &stdout, &stderr, nil); code != ExitInput || !strings.Contains(stderr.String(), "--to does not apply to rto; it takes --json") {
		t.Errorf("--to: exit %d, %s", code, stderr.String())
	}
}

// The built binary's rto makes no AWS call (every endpoint points at a
// server that counts requests; no credentials are set) and starts no jsii
// (no node on the PATH).
func TestRTOProcessCallsNoAWSAndStartsNoJsii(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	cfgPath := rtoConfigFile(t, rtoConfig)
	for _, args := range [][]string{{"rto"}, {"rto", "--json"}} {
		cmd := exec.Command(binary(t), args...)
		cmd.Env = []string{
			"PATH=" + t.TempDir(), // no node: jsii could not start
			"HOME=" + t.TempDir(),
			"TMPDIR=" + t.TempDir(),
			"AWS_ENDPOINT_URL=" + srv.URL,
			"AWS_EC2_METADATA_DISABLED=true",
			config.EnvVar + "=" + cfgPath,
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pilotlight %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		if !strings.Contains(string(out), "us-west-2") || strings.Contains(string(out), "jsii") {
			t.Errorf("pilotlight %s:\n%s", strings.Join(args, " "), out)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("rto made %d AWS calls", n)
	}
}
