// Command pilotlight synthesizes the pilot-light disaster-recovery app: a
// global stack (IAM), a stack per region, a replication stack and an edge
// stack (CloudFront). Run it through `npx cdktf synth`, or `go run .` to
// write cdktf.out.
//
// Region switch (package runbook; never starts the jsii runtime):
//
//	go run . status [--json] [--max-lag 5s]
//	go run . switchover|failover|failback --to REGION [--dry-run] [--yes]
//	go run . --help
//
// Configuration: built-in defaults, overridden by the YAML or JSON file that
// PILOTLIGHT_CONFIG names. Invalid configuration is reported in full, and
// nothing is written. The synthesized stacks must then pass the policy pack
// (constructs/policypack): violations are reported and nothing is written;
// warnings and suppressions are listed.
//go:generate go run ./internal/docgen/cmd/docgen

package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/runbook"
	"github.com/pilotlight/pilotlight/stacks"
)

func main() {
	// Runbook subcommands never start the jsii runtime: they are dispatched
	// before any cdktf call (see runbook.Main).
	if len(os.Args) > 1 && runbook.IsCommand(os.Args[1]) {
		os.Exit(runbook.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, nil))
	}
	if len(os.Args) > 1 {
		// Anything else is help or a mistake: never a synth, so a stray
		// argument cannot replace cdktf.out.
		os.Exit(arguments(os.Args[1:], os.Stdout, os.Stderr))
	}
	if err := run(os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "pilotlight:", err)
		os.Exit(1)
	}
}

// usage is what `pilotlight --help` prints.
const usage = `usage:
  pilotlight                synthesize every stack into cdktf.out (or $CDKTF_OUTDIR)
  pilotlight COMMAND [flags]
  pilotlight COMMAND --help the command's flags

commands (region switch; they never synthesize):
  status                    replication, lag and service state of every region
  switchover --to REGION    planned switch, no data loss
  failover --to REGION      unplanned switch when the active region is failing
  failback --to REGION      planned switch back after a failover
  policy                    the IAM policy the commands need

configuration: the YAML or JSON file that PILOTLIGHT_CONFIG names (unset: the built-in defaults)

exit codes: 0 done; 1 bad input (nothing changed); 2 status found a problem, or a preflight refused
  (nothing changed); 3 AWS could not be read, or a step failed (run the command again to resume);
  4 status: activeRegion is not where Aurora writes, or a switch is in progress (do not deploy);
  5 failover: writes are not served yet (the last line names the step left to you)
`

// arguments handles a command line that is neither empty (the synth) nor
// a runbook command: help prints usage and exits 0, anything else is
// refused with ExitInput. It writes nothing and starts no jsii runtime.
func arguments(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		fmt.Fprint(stdout, usage)
		return 0
	case len(args) == 2 && args[0] == "help" && runbook.IsCommand(args[1]):
		return runbook.Main([]string{args[1], "--help"}, os.Stdin, stdout, stderr, nil)
	case strings.HasPrefix(args[0], "-"):
		fmt.Fprintf(stderr, "pilotlight: unknown flag %q: the synth takes no flags (configure it with %s); run pilotlight --help\n", args[0], config.EnvVar)
	default:
		name := args[0]
		if name == "help" {
			name = strings.Join(args, " ")
		}
		fmt.Fprintf(stderr, "pilotlight: unknown command %q; run with no argument to synthesize, or one of %s (pilotlight --help)\n", name, strings.Join(runbook.Commands, ", "))
	}
	return runbook.ExitInput
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
