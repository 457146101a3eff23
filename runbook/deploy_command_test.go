package runbook

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
)

// Every deploy the runbook prints names some stacks without those they
// depend on (a failover region's stacks depend on the global and primary
// stacks), which cdktf deploy refuses without the flag: copied as printed,
// each must run.
func TestPrintedDeploysIgnoreMissingDependencies(t *testing.T) {
	t.Setenv(config.EnvVar, "")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAFAKE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake")
	for _, cmd := range []string{"failover", "switchover"} {
		var stdout, stderr bytes.Buffer
		Main([]string{cmd, "--to", "us-west-2", "--dry-run"}, strings.NewReader(""), &stdout, &stderr, nil)
		deploys := 0
		for _, line := range strings.Split(stdout.String()+stderr.String(), "\n") {
			for _, part := range strings.Split(line, "npx cdktf deploy ")[1:] {
				deploys++
				if !strings.Contains(part, IgnoreMissingDependencies) {
					t.Errorf("%s prints a deploy cdktf refuses (no %s): %s", cmd, IgnoreMissingDependencies, strings.TrimSpace(line))
				}
			}
		}
		if deploys == 0 {
			t.Errorf("%s --dry-run printed no deploy:\n%s%s", cmd, stdout.String(), stderr.String())
		}
	}
}

// A dry-run failover to the region the config already names active says
// so instead of reading like a move (it cannot read AWS to know more).
func TestDryRunFailoverToTheActiveRegionSaysSo(t *testing.T) {
	t.Setenv(config.EnvVar, "")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAFAKE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"failover", "--to", "us-east-1", "--dry-run"}, strings.NewReader(""), &stdout, &stderr, nil)
	if code != ExitOK || !strings.Contains(stdout.String(), "note: us-east-1 is already activeRegion") {
		t.Errorf("exit %d; want the note that us-east-1 is already active:\n%s%s", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	Main([]string{"failover", "--to", "us-west-2", "--dry-run"}, strings.NewReader(""), &stdout, &stderr, nil)
	if strings.Contains(stdout.String(), "already activeRegion") {
		t.Errorf("a failover to the standby says it is already active:\n%s", stdout.String())
	}
}
