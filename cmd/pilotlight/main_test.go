package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/runbook"
)

// The command line: help prints usage and exits 0; a command's --help its
// flags; bad input is one line on stderr and exit 1 (runbook.ExitInput),
// before any AWS call. None of these cases reads credentials.
func TestCommandLine(t *testing.T) {
	t.Setenv(config.EnvVar, "")
	for _, tc := range []struct {
		args     string
		code     int
		out, err string
	}{
		{"--help", runbook.ExitOK, "usage:\n  pilotlight COMMAND [flags]", ""},
		{"-h", runbook.ExitOK, "pilotlight COMMAND --help", ""},
		{"help", runbook.ExitOK, "switchover --to REGION", ""},
		{"help status", runbook.ExitOK, "usage: pilotlight status [--json] [--max-lag 5s]", ""},
		{"status --help", runbook.ExitOK, "--max-lag", ""},
		{"policy -h", runbook.ExitOK, "--account", ""},
		{"policy --account 123456789012 --command status", runbook.ExitOK, `"Sid":"ReadAurora"`, ""},
		{"", runbook.ExitInput, "", "pilotlight: give a command, one of status, switchover, failover, failback, policy, rto\nusage:"},
		{"--verbose", runbook.ExitInput, "", `unknown flag "--verbose": flags follow a command`},
		{"synth", runbook.ExitInput, "", `unknown command "synth"; use one of status, switchover, failover, failback, policy, rto`},
		{"help synth", runbook.ExitInput, "", `unknown command "help synth"`},
		{"status --to us-west-2", runbook.ExitInput, "", "status: --to does not apply to status; it takes --json, --max-lag"},
		{"failover --to us-west-2 --max-lag 1s", runbook.ExitInput, "", "--max-lag does not apply to failover"},
		{"switchover", runbook.ExitInput, "", "switchover: --to REGION is required"},
		{"policy --account 12345", runbook.ExitInput, "", `policy: --account "12345" is not an AWS account id`},
		{"policy --json", runbook.ExitInput, "", "--json does not apply to policy"},
	} {
		t.Run(tc.args, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(strings.Fields(tc.args), strings.NewReader(""), &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.err) {
				t.Errorf("stdout:\n%s\nstderr:\n%s\nwant %q on stdout and %q on stderr", stdout.String(), stderr.String(), tc.out, tc.err)
			}
			if tc.code != runbook.ExitOK && stdout.Len() != 0 {
				t.Errorf("a refusal printed on stdout: %q", stdout.String())
			}
		})
	}
}

// BenchmarkStartup times the built binary from process start to exit for
// commands that make no AWS call: `status --help` (flag parsing only) and
// `policy` (loads and validates the default config, prints the operator
// policy). What it measures is the start-up every command pays; the goal is
// under 100 ms. `status` against the fake AWS is runbook's
// BenchmarkStatusStartup.
func BenchmarkStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "pilotlight")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"status", "--help"}, {"policy"}} {
		b.Run(strings.Join(args, " "), func(b *testing.B) {
			env := []string{config.EnvVar + "=", "PATH=" + b.TempDir(), "HOME=" + b.TempDir()}
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(bin, args...)
				cmd.Env = env
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
		})
	}
}
