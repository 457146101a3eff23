package runbook

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/pilotlight/pilotlight/config"
)

// Commands are the subcommands Main runs; cmd/pilotlight dispatches to Main
// when its first argument is one of them.
var Commands = []string{"status", "switchover", "failover", "failback", "policy", "rto"}

// IsCommand reports whether arg names a runbook subcommand.
func IsCommand(arg string) bool {
	for _, c := range Commands {
		if arg == c {
			return true
		}
	}
	return false
}

// commandFlags are the flags each command takes; any other is refused.
// failover takes no --max-lag (an unplanned failover does not wait for
// replication) and no --scale-down-old (it never calls the old region).
var commandFlags = map[string][]string{
	"status":     {"json", "max-lag"},
	"switchover": {"to", "yes", "dry-run", "scale-down-old", "max-lag", "poll", "step-timeout"},
	"failback":   {"to", "yes", "dry-run", "scale-down-old", "max-lag", "poll", "step-timeout"},
	"failover":   {"to", "yes", "dry-run", "poll", "step-timeout"},
	"policy":     {"account", "command"},
	"rto":        {"json"},
}

// commandArgs are each command's usage line after its name.
var commandArgs = map[string]string{
	"status":     "[--json] [--max-lag 5s]",
	"switchover": "--to REGION [--dry-run] [--yes] [--scale-down-old] [--max-lag 5s] [--poll 10s] [--step-timeout 20m]",
	"failback":   "--to REGION [--dry-run] [--yes] [--scale-down-old] [--max-lag 5s] [--poll 10s] [--step-timeout 20m]",
	"failover":   "--to REGION [--dry-run] [--yes] [--poll 10s] [--step-timeout 20m]",
	"policy":     "[--account 123456789012] [--command status|switchover|failover|failback]",
	"rto":        "[--json]",
}

// exitCode is an exit code and what it means for one command.
type exitCode struct {
	code    int
	meaning string
}

// commandExits are each command's exit codes, printed with its usage (the
// constants in runbook.go say each in full).
var commandExits = func() map[string][]exitCode {
	planned := []exitCode{{ExitOK, "done"}, {ExitInput, "bad input or no AWS credentials, nothing changed"}, {ExitUnhealthy, "refused by the preflight, nothing changed"},
		{ExitFailed, "AWS could not be read, or a step failed or timed out: run the same command again to resume"}}
	return map[string][]exitCode{
		"status": {{ExitOK, "healthy"}, {ExitInput, "bad input or no AWS credentials"}, {ExitUnhealthy, "a problem, listed under PROBLEMS"}, {ExitFailed, "AWS could not be read"},
			{ExitActiveRegion, "activeRegion is not where Aurora writes, or a switch is in progress: do not deploy"}},
		"switchover": planned,
		"failback":   planned,
		"failover":   append(slices.Clone(planned), exitCode{ExitNotServing, "writes are not served yet: the last line names the step left to you"}),
		"policy":     {{ExitOK, "printed"}, {ExitInput, "bad input"}},
		"rto":        {{ExitOK, "printed"}, {ExitInput, "bad input (the config)"}},
	}
}()

func exitCodes(cmd string) string {
	var out []string
	for _, c := range commandExits[cmd] {
		out = append(out, fmt.Sprintf("%d %s", c.code, c.meaning))
	}
	return strings.Join(out, "; ")
}

// accountID is an AWS account id: 12 digits.
var accountID = regexp.MustCompile(`^[0-9]{12}$`)

func flagList(names []string) string {
	var out []string
	for _, n := range names {
		out = append(out, "--"+n)
	}
	return strings.Join(out, ", ")
}

// cliFlags are every flag a command line may hold; each command takes
// the subset commandFlags names.
type cliFlags struct {
	set                         *flag.FlagSet
	to, account, forCmd         *string
	asJSON, yes, scaleDown, dry *bool
	maxLag, poll, timeout       *time.Duration
}

// newFlags declares the flags for cmd, with the words its usage prints.
func newFlags(cmd string) cliFlags {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return cliFlags{
		set:       fs,
		to:        fs.String("to", "", "region to switch to (switchover, failover, failback)"),
		asJSON:    fs.Bool("json", false, "status, rto: print JSON"),
		yes:       fs.Bool("yes", false, "do not ask for confirmation"),
		scaleDown: fs.Bool("scale-down-old", false, "switchover, failback: scale the other regions' services to 0 (once traffic has moved)"),
		dry:       fs.Bool("dry-run", false, "print the step graph: each step, its API and region, and what it waits for; call and change nothing"),
		maxLag:    fs.Duration("max-lag", 5*time.Second, "replication-lag threshold"),
		poll:      fs.Duration("poll", 0, "interval between state reads while waiting (default 10s)"),
		timeout:   fs.Duration("step-timeout", 20*time.Minute, "time limit of each step"),
		account:   fs.String("account", "ACCOUNT_ID", "policy: the AWS account id in the ARNs"),
		forCmd:    fs.String("command", "", "policy: only what this command needs (default: all)"),
	}
}

// Usage is what `pilotlight CMD --help` prints for a runbook command: its
// usage line and each flag it takes. docs/runbook.md shows the same text.
func Usage(cmd string) string {
	var b strings.Builder
	fs := newFlags(cmd).set
	fmt.Fprintf(&b, "usage: pilotlight %s %s\n", cmd, commandArgs[cmd])
	for _, name := range commandFlags[cmd] {
		fmt.Fprintf(&b, "  --%-15s %s\n", name, fs.Lookup(name).Usage)
	}
	fmt.Fprintf(&b, "exit codes: %s\n", exitCodes(cmd))
	return b.String()
}

// Main runs the subcommand args[0] with its flags, reading the config from
// PILOTLIGHT_CONFIG and credentials from the SDK's default chain, and
// returns the exit code (ExitOK, ExitInput, ExitUnhealthy, ExitFailed,
// ExitActiveRegion from status, ExitNotServing from failover).
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
	f := newFlags(cmd)
	fs := f.set
	to, asJSON, yes, scaleDown, dry := f.to, f.asJSON, f.yes, f.scaleDown, f.dry
	maxLag, poll, timeout, account, forCmd := f.maxLag, f.poll, f.timeout, f.account, f.forCmd
	takes := commandFlags[cmd]
	if err := fs.Parse(args[1:]); errors.Is(err, flag.ErrHelp) {
		// --help, -h: the command's usage, and nothing else runs.
		fmt.Fprint(stdout, Usage(cmd))
		return ExitOK
	} else if err != nil {
		return fail(ExitInput, fmt.Errorf("%s: %v (%s takes %s)", cmd, err, cmd, flagList(takes)))
	}
	if fs.NArg() > 0 {
		return fail(ExitInput, fmt.Errorf("%s: unexpected argument %q (%s takes %s)", cmd, fs.Arg(0), cmd, flagList(takes)))
	}
	if cmd == "failover" && *scaleDown {
		return fail(ExitInput, errors.New("failover: --scale-down-old does not apply: an unplanned failover never calls the old region"))
	}
	// A flag the command does not use is refused, not ignored: the user
	// meant something by it.
	var unused []string
	fs.Visit(func(f *flag.Flag) {
		if !slices.Contains(takes, f.Name) {
			unused = append(unused, "--"+f.Name)
		}
	})
	if len(unused) > 0 {
		return fail(ExitInput, fmt.Errorf("%s: %s does not apply to %s; it takes %s", cmd, strings.Join(unused, ", "), cmd, flagList(takes)))
	}
	if cmd == "policy" {
		accountSet := false
		fs.Visit(func(f *flag.Flag) { accountSet = accountSet || f.Name == "account" })
		if accountSet && !accountID.MatchString(*account) {
			return fail(ExitInput, fmt.Errorf("policy: --account %q is not an AWS account id: give the 12 digits (aws sts get-caller-identity --query Account), or leave it out for an ACCOUNT_ID placeholder", *account))
		}
		cfg, err := config.FromEnv()
		if err != nil {
			return fail(ExitInput, fmt.Errorf("config: %s", strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")))
		}
		doc, err := cfg.OperatorPolicy(*account, *forCmd)
		if err != nil {
			return fail(ExitInput, err)
		}
		fmt.Fprintln(stdout, doc.JSON())
		return ExitOK
	}
	if cmd == "rto" {
		cfg, err := config.FromEnv()
		if err != nil {
			return fail(ExitInput, fmt.Errorf("config: %s", strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")))
		}
		return rto(cfg, *asJSON, stdout, stderr)
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
	opt.Config, opt.Out, opt.In, opt.ConfigFile = cfg, stdout, stdin, os.Getenv(config.EnvVar)
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
	case IsNotServing(err):
		// The output's last line says it already, with what is left.
		return ExitNotServing
	default:
		return fail(ExitFailed, err)
	}
}
