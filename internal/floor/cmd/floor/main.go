// Command floor synthesizes the benchmark baseline (see package floor) into
// cdktf.out, or into CDKTF_OUTDIR when set.
package main

import (
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/floor"
)

func main() {
	app := cdktf.NewApp(nil)
	floor.New(app, config.Default().Regions())
	app.Synth()
}
