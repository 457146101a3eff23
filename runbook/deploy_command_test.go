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
