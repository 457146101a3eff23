// Command pilotlight synthesizes the pilot-light disaster-recovery app: a
// global stack (IAM), a stack per region, a replication stack and an edge
// stack (CloudFront). Run it through `npx cdktf synth`, or `go run .` to
// write cdktf.out. It compiles no AWS SDK service package.
//
// The region switch (status, switchover, failover, failback, policy) is its
// own program, which links no jsii runtime (see cmd/pilotlight):
//
//	go run ./cmd/pilotlight status [--json] [--max-lag 5s]
//	go build -o pilotlight ./cmd/pilotlight && ./pilotlight --help
//
// Given one of those commands, this program prints the command line that
// runs it there and exits 1, writing nothing.
//
// Configuration: built-in defaults, overridden by the YAML or JSON file that
// PILOTLIGHT_CONFIG names. Invalid configuration is reported in full, and
// nothing is written. The synthesized stacks must then pass the policy pack
// (constructs/policypack): violations are reported and nothing is written;
// warnings and suppressions are listed, as is every value the config's
// acceptUnlisted let through that is not on its list.
//go:generate go run ./internal/docgen/cmd/docgen

package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/stacks"
)

func main() {
	if len(os.Args) > 1 {
		// Help, an operations command (see operationsCommands) or a
		// mistake: never a synth, so a stray argument cannot replace
		// cdktf.out.
		os.Exit(arguments(os.Args[1:], os.Stdout, os.Stderr))
	}
	// The policy pack's findings are the synth's report, not errors: they go
	// to stdout, where `cdktf synth` shows them as written (it prefixes
	// every stderr line of the app with [ERROR]). Errors go to stderr.
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pilotlight:", err)
		os.Exit(1)
	}
}

// usage is what `go run . --help` prints.
const usage = `usage: go run .   (npx cdktf synth runs it too)
  synthesizes every stack into cdktf.out (or $CDKTF_OUTDIR); it takes no arguments

the operations commands (status, switchover, failover, failback, policy, rto) are their own program,
which starts no jsii runtime:
  go run ./cmd/pilotlight --help
  go build -o pilotlight ./cmd/pilotlight && ./pilotlight --help

configuration: the YAML or JSON file that PILOTLIGHT_CONFIG names (unset: the built-in defaults)

exit codes: 0 done; 1 bad input (nothing changed); 2 status found a problem, or a preflight refused
  (nothing changed); 3 AWS could not be read, or a step failed (run the command again to resume);
  4 status: activeRegion is not where Aurora writes, or a switch is in progress (do not deploy);
  5 failover: writes are not served yet (the last line names the step left to you)
`

// operationsCommands are the commands of the operations CLI (runbook.Commands,
// which main_test.go holds this list to): this program links no runbook, so
// it keeps the names only to tell the user where those commands are now.
var operationsCommands = []string{"status", "switchover", "failover", "failback", "policy", "rto"}

// exitInput is the exit code of bad input, nothing written: 1, as
// runbook.ExitInput (main_test.go checks they agree).
const exitInput = 1

// arguments handles a command line that is not empty (the synth): help
// prints usage and exits 0; an operations command, or help for one, prints
// the command that runs it now (go run ./cmd/pilotlight ...) and is
// refused with exitInput, as is anything else. It writes no file and starts
// no jsii runtime.
func arguments(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		fmt.Fprint(stdout, usage)
		return 0
	case slices.Contains(operationsCommands, args[0]) || len(args) == 2 && args[0] == "help" && slices.Contains(operationsCommands, args[1]):
		line := shellQuote(args)
		fmt.Fprintf(stderr, "pilotlight: the operations commands are their own program now, which starts no jsii runtime: run go run ./cmd/pilotlight %s (or go build -o pilotlight ./cmd/pilotlight once, then ./pilotlight %s)\n", line, line)
	case strings.HasPrefix(args[0], "-"):
		fmt.Fprintf(stderr, "pilotlight: unknown flag %q: the synth takes no flags (configure it with %s); run go run . --help\n", args[0], config.EnvVar)
	default:
		name := args[0]
		if name == "help" {
			name = strings.Join(args, " ")
		}
		fmt.Fprintf(stderr, "pilotlight: unknown command %q: the synth takes no arguments, and the operations commands (%s) are go run ./cmd/pilotlight COMMAND (go run . --help)\n", name, strings.Join(operationsCommands, ", "))
	}
	return exitInput
}

// shellQuote joins args as a POSIX shell reads them back: an argument with
// anything but letters, digits and @%_+=:,./- is single-quoted.
func shellQuote(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_+=:,./-") == "" {
			out[i] = a
		} else {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}

// run validates the config before the jsii runtime starts, so bad input
// costs nothing and writes nothing. The app is synthesized into a sibling
// folder and moved into place only once the policy pack passes, so a failed
// run never leaves a half-written or non-compliant cdktf.out.
func run(log io.Writer) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	reportUnlisted(log, cfg)
	outdir := os.Getenv("CDKTF_OUTDIR")
	if outdir == "" {
		outdir = "cdktf.out"
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(outdir)), 0o755); err != nil {
		return fmt.Errorf("CDKTF_OUTDIR %s: cannot create its parent folder: %w", outdir, err)
	}
	staging := fmt.Sprintf("%s.staging-%d", filepath.Clean(outdir), os.Getpid())
	defer os.RemoveAll(staging)
	if err := synth(cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(staging)}), cfg); err != nil {
		return err
	}
	report, err := policypack.CheckDir(staging, policypack.AwsSolutions())
	if err != nil {
		return fmt.Errorf("policy pack: %w", err)
	}
	for _, f := range append(report.Warnings(), report.Suppressed()...) {
		fmt.Fprintln(log, "pilotlight:", describe(f))
	}
	if err := report.Err(); err != nil {
		return err
	}
	if err := os.RemoveAll(outdir); err != nil {
		return err
	}
	return os.Rename(staging, outdir)
}

// reportUnlisted prints a warning line for every value the config's
// acceptUnlisted let through that is not on its list (config.Warnings): on
// every synth, beside the policy pack's findings on stdout, until the list
// is refreshed.
func reportUnlisted(log io.Writer, cfg config.Config) {
	for _, w := range cfg.Warnings() {
		fmt.Fprintln(log, "pilotlight: warning:", w)
	}
}

// describe is a finding as the app reports it: the library's message,
// then the config keys that act on it.
func describe(f policypack.Finding) string {
	if keys, ok := config.PolicyKeys[f.RuleID]; ok && !f.Suppressed {
		return fmt.Sprintf("%s [config: set %s]", f, keys)
	}
	return f.String()
}

// synth builds every stack for cfg into app and writes app's outdir; if any
// stack refuses its input, nothing is written.
func synth(app cdktf.App, cfg config.Config) error {
	if _, err := stacks.New(app, cfg); err != nil {
		return err
	}
	app.Synth()
	return nil
}
