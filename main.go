// Command pilotlight synthesizes the pilot-light disaster-recovery app: a
// global stack (IAM), a stack per region, and an edge stack (CloudFront).
// Run it through `npx cdktf synth`, or `go run .` to write cdktf.out.
//
// Configuration: built-in defaults, overridden by the YAML or JSON file that
// PILOTLIGHT_CONFIG names. Invalid configuration is reported in full, and
// nothing is written.
package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/stacks"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pilotlight:", err)
		os.Exit(1)
	}
}

// run validates the config before the jsii runtime starts, so bad input
// costs nothing and writes nothing.
func run() error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	return synth(cdktf.NewApp(nil), cfg)
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
