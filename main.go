// Command pilotlight synthesizes the pilot-light disaster-recovery app: a
// global stack (IAM), a stack per region, a replication stack and an edge
// stack (CloudFront). Run it through `npx cdktf synth`, or `go run .` to
// write cdktf.out.
//
// Region switch (package runbook; never starts the jsii runtime):
//
//	go run . status [--json] [--max-lag 5s]
//	go run . switchover|failover|failback --to REGION [--dry-run] [--yes]
//
// Configuration: built-in defaults, overridden by the YAML or JSON file that
// PILOTLIGHT_CONFIG names. Invalid configuration is reported in full, and
// nothing is written. The synthesized stacks must then pass the policy pack
// (constructs/policypack): violations are reported and nothing is written;
// warnings and suppressions are listed.
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
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintf(os.Stderr, "pilotlight: unknown command %q; run with no argument to synthesize, or one of %s\n", os.Args[1], strings.Join(runbook.Commands, ", "))
		os.Exit(runbook.ExitInput)
	}
	if err := run(os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "pilotlight:", err)
		os.Exit(1)
	}
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
