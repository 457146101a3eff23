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

func run() error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	app := cdktf.NewApp(nil)
	if _, err := stacks.New(app, cfg); err != nil {
		return err
	}
	app.Synth()
	return nil
}
