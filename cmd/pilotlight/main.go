// Command pilotlight is the operations CLI: the region switch of package
// runbook, as the commands status, switchover, failover, failback, policy
// and rto. It links no jsii, cdktf or provider package, so it never starts
// Node.js and answers in milliseconds, during an outage too. The stacks are
// synthesized by the cdktf app at the module root (npx cdktf synth, or
// go run .), from the same config.
//
//	go build -o pilotlight ./cmd/pilotlight
//	./pilotlight status [--json] [--max-lag 5s]
//	./pilotlight switchover|failover|failback --to REGION [--dry-run] [--yes]
//	./pilotlight policy [--account ID] [--command C]
//	./pilotlight rto [--json]
//	./pilotlight --help
//
// Build the binary rather than go run ./cmd/pilotlight where the exit code
// matters (a pipeline's deploy gate): go run reports any non-zero code as 1.
//
// Configuration: the YAML or JSON file that PILOTLIGHT_CONFIG names (unset:
// the built-in defaults). Credentials: the AWS SDK's default chain.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pilotlight/pilotlight/runbook"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// usage is what `pilotlight --help` prints.
const usage = `usage:
  pilotlight COMMAND [flags]
  pilotlight COMMAND --help the command's flags

commands (region switch):
  status                    replication, lag and service state of every region
  switchover --to REGION    planned switch, no data loss
  failover --to REGION      unplanned switch when the active region is failing
  failback --to REGION      planned switch back after a failover
  policy                    the IAM policy the commands need
  rto [--json]              the config's RTO budget: each step's expected time and source, the critical path, what shortens it

configuration: the YAML or JSON file that PILOTLIGHT_CONFIG names (unset: the built-in defaults)
the stacks are synthesized by the cdktf app at the module root: npx cdktf synth (or go run .)
`

// run runs the command line args and returns the exit code (runbook's
// Exit* codes). A runbook command goes to runbook.Main; help prints usage
// and returns 0; anything else, no command included, is refused with
// ExitInput before any AWS call.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) > 0 && runbook.IsCommand(args[0]):
		return runbook.Main(args, stdin, stdout, stderr, nil)
	case len(args) == 0:
		fmt.Fprintf(stderr, "pilotlight: give a command, one of %s\n%s", strings.Join(runbook.Commands, ", "), usage)
	case len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		fmt.Fprint(stdout, usage)
		return runbook.ExitOK
	case len(args) == 2 && args[0] == "help" && runbook.IsCommand(args[1]):
		return runbook.Main([]string{args[1], "--help"}, stdin, stdout, stderr, nil)
	case strings.HasPrefix(args[0], "-"):
		fmt.Fprintf(stderr, "pilotlight: unknown flag %q: flags follow a command (pilotlight COMMAND --help lists them); commands: %s\n", args[0], strings.Join(runbook.Commands, ", "))
	default:
		name := args[0]
		if name == "help" {
			name = strings.Join(args, " ")
		}
		fmt.Fprintf(stderr, "pilotlight: unknown command %q; use one of %s (pilotlight --help)\n", name, strings.Join(runbook.Commands, ", "))
	}
	return runbook.ExitInput
}
