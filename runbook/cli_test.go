package runbook

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
)

// Each command takes its own flags: --help prints them and exits 0; a flag
// another command takes is refused, not ignored; policy --account takes a
// 12-digit account id only. None of these reaches AWS (base is nil: a call
// would need credentials the test does not have).
func TestCommandFlags(t *testing.T) {
	t.Setenv(config.EnvVar, "")
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"status", "--help"}, ExitOK, "usage: pilotlight status [--json] [--max-lag 5s]\n  --json", ""},
		{[]string{"switchover", "-h"}, ExitOK, "--scale-down-old", ""},
		{[]string{"failover", "--help"}, ExitOK, "usage: pilotlight failover --to REGION", ""},
		{[]string{"failover", "-h"}, ExitOK, "5 writes are not served yet: the last line names the step left to you", ""},
		{[]string{"status", "-h"}, ExitOK, "4 activeRegion is not where Aurora writes", ""},
		{[]string{"policy", "--account", "123456789012", "--command", "status"}, ExitOK, `"Version"`, ""},
		{[]string{"policy"}, ExitOK, "ACCOUNT_ID", ""},
		{[]string{"rto", "--help"}, ExitOK, "usage: pilotlight rto [--json]\n  --json            status, rto: print JSON", ""},
		{[]string{"rto"}, ExitOK, "failover us-east-1 -> us-west-2 with us-east-1 dark (writes): writes reach us-west-2 after unbounded", ""},
		{[]string{"rto", "--yes"}, ExitInput, "", "--yes does not apply to rto; it takes --json"},
		{[]string{"policy", "--account", "ACCOUNT_ID"}, ExitInput, "", "is not an AWS account id: give the 12 digits"},
		{[]string{"policy", "--account", "1234567890123"}, ExitInput, "", "not an AWS account id"},
		{[]string{"policy", "--account", "arn:aws:iam::123456789012:root"}, ExitInput, "", "not an AWS account id"},
		{[]string{"policy", "--to", "us-west-2"}, ExitInput, "", "policy: --to does not apply to policy; it takes --account, --command"},
		{[]string{"status", "--dry-run"}, ExitInput, "", "--dry-run does not apply to status"},
		{[]string{"status", "--step-timeout", "1m"}, ExitInput, "", "--step-timeout does not apply to status"},
		{[]string{"switchover", "--to", "us-west-2", "--json"}, ExitInput, "", "--json does not apply to switchover"},
		{[]string{"failover", "--to", "us-west-2", "--max-lag", "1s"}, ExitInput, "", "--max-lag does not apply to failover"},
		{[]string{"failover", "--to", "us-west-2", "--scale-down-old"}, ExitInput, "", "never calls the old region"},
		{[]string{"failback", "--to", "us-east-1", "--account", "123456789012"}, ExitInput, "", "--account does not apply to failback"},
		{[]string{"status", "--colour"}, ExitInput, "", "status takes --json, --max-lag"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(tc.args, strings.NewReader(""), &stdout, &stderr, nil)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.err) {
				t.Errorf("stdout:\n%s\nstderr:\n%s\nwant %q on stdout and %q on stderr", stdout.String(), stderr.String(), tc.out, tc.err)
			}
		})
	}
}
