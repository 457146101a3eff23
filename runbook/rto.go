package runbook

import (
	"fmt"
	"io"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/timing"
)

// rto prints cfg's RTO budget (timing.NewBudget): for a planned
// switchover and for a failover with the active region and us-east-1
// dark, each step's expected time with its sources, the critical path,
// when writes reach the standby, and the settings that shorten it, as a
// table or (asJSON) JSON. It reads the config only: no AWS call, no
// credentials. Exit ExitOK, or ExitInput when the config cannot be
// budgeted.
func rto(cfg config.Config, asJSON bool, stdout, stderr io.Writer) int {
	b, err := timing.NewBudget(cfg.Timing())
	if err != nil {
		fmt.Fprintln(stderr, "pilotlight: rto:", err)
		return ExitInput
	}
	if asJSON {
		raw, err := b.JSON()
		if err != nil {
			fmt.Fprintln(stderr, "pilotlight: rto:", err)
			return ExitFailed
		}
		fmt.Fprintf(stdout, "%s\n", raw)
		return ExitOK
	}
	if err := b.WriteText(stdout); err != nil {
		fmt.Fprintln(stderr, "pilotlight: rto:", err)
		return ExitFailed
	}
	return ExitOK
}
