package runbook

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pilotlight/pilotlight/config"
)

// Commands are the subcommands Main runs; main dispatches to Main when its
// first argument is one of them, before any jsii code runs.
var Commands = []string{"status", "switchover", "failover", "failback", "policy"}

// IsCommand reports whether arg names a runbook subcommand.
func IsCommand(arg string) bool {
	for _, c := range Commands {
		if arg == c {
			return true
		}
	}
	return false
}

// Main runs the subcommand args[0] with its flags, reading the config from
// PILOTLIGHT_CONFIG and credentials from the SDK's default chain, and
// returns the exit code (ExitOK, ExitInput, ExitUnhealthy, ExitFailed).
// Errors are printed to stderr as one line each, prefixed "pilotlight:".
// base, when non-nil, supplies the Options fields that are not flags
// (tests: AWS, Endpoint, LockDir, Poll); Config, Out and In are set here.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, base *Options) int {
	fail := func(code int, err error) int {
		fmt.Fprintln(stderr, "pilotlight:", err)
		return code
	}
	if len(args) == 0 || !IsCommand(args[0]) {
		return fail(ExitInput, fmt.Errorf("unknown command; use one of %s", strings.Join(Commands, ", ")))
	}
	cmd := args[0]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	to := fs.String("to", "", "region to switch to (switchover, failover, failback)")
	asJSON := fs.Bool("json", false, "status: print JSON")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	scaleDown := fs.Bool("scale-down-old", false, "switchover, failback: scale the other regions' services to 0 (once traffic has moved)")
	dry := fs.Bool("dry-run", false, "print every step with its API and region; call and change nothing")
	maxLag := fs.Duration("max-lag", 5*time.Second, "replication-lag threshold")
	poll := fs.Duration("poll", 0, "interval between state reads while waiting (default 10s)")
	timeout := fs.Duration("step-timeout", 20*time.Minute, "time limit of each step")
	account := fs.String("account", "ACCOUNT_ID", "policy: the AWS account id in the ARNs")
	forCmd := fs.String("command", "", "policy: only what this command needs (default: all)")
	if err := fs.Parse(args[1:]); err != nil {
		return fail(ExitInput, fmt.Errorf("%s: %v (flags: --to REGION, --json, --yes, --dry-run, --max-lag 5s, --poll 10s, --step-timeout 20m)", cmd, err))
	}
	if fs.NArg() > 0 {
		return fail(ExitInput, fmt.Errorf("%s: unexpected argument %q (flags: --to REGION, --json, --yes, --dry-run, --max-lag, --poll, --step-timeout)", cmd, fs.Arg(0)))
	}
	if cmd == "policy" {
		cfg, err := config.FromEnv()
		if err != nil {
			return fail(ExitInput, fmt.Errorf("config: %s", strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")))
		}
		doc, err := Permissions(cfg, *account, *forCmd)
		if err != nil {
			return fail(ExitInput, err)
		}
		fmt.Fprintln(stdout, doc.JSON())
		return ExitOK
	}
	if cmd == "failover" && *scaleDown {
		return fail(ExitInput, errors.New("failover: --scale-down-old does not apply: an unplanned failover never calls the old region"))
	}
	if cmd == "status" && (*to != "" || *dry || *yes || *scaleDown) {
		return fail(ExitInput, errors.New("status takes only --json and --max-lag"))
	}
	if cmd != "status" && *to == "" {
		return fail(ExitInput, fmt.Errorf("%s: --to REGION is required", cmd))
	}
	if *maxLag <= 0 || *timeout <= 0 || *poll < 0 {
		return fail(ExitInput, errors.New("--max-lag, --step-timeout and --poll must be positive durations such as 5s or 20m"))
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return fail(ExitInput, fmt.Errorf("config: %s", strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")))
	}
	var opt Options
	if base != nil {
		opt = *base
	}
	opt.Config, opt.Out, opt.In = cfg, stdout, stdin
	opt.Yes, opt.DryRun, opt.MaxLag, opt.StepTimeout, opt.ScaleDownOld = *yes, *dry, *maxLag, *timeout, *scaleDown
	if *poll > 0 {
		opt.Poll = *poll
	}
	if cmd != "status" {
		// Before credentials: bad input costs nothing.
		if err := (&Runbook{cfg: cfg}).checkTarget(*to); err != nil {
			return fail(ExitInput, err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rb, err := New(ctx, opt)
	if err != nil {
		return fail(ExitInput, err)
	}
	if cmd == "status" {
		code, err := rb.Status(ctx, *asJSON)
		if err != nil {
			return fail(code, err)
		}
		return code
	}
	switch cmd {
	case "switchover":
		err = rb.Switchover(ctx, *to)
	case "failover":
		err = rb.Failover(ctx, *to)
	case "failback":
		err = rb.Failback(ctx, *to)
	}
	switch {
	case err == nil:
		return ExitOK
	case IsInput(err):
		return fail(ExitInput, err)
	case IsRefused(err):
		return fail(ExitUnhealthy, err)
	default:
		return fail(ExitFailed, err)
	}
}
