package docgen

import (
	"bytes"
	"fmt"
	"go/constant"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
	"github.com/pilotlight/pilotlight/internal/vclock"
	"github.com/pilotlight/pilotlight/runbook"
	"github.com/pilotlight/pilotlight/timing"
)

// transcriptTime is the clock of every transcript run (runbook.Options.Now
// never moves), so each step's measured time prints as 0s and the page is
// the same on every run; a real run prints each step's own time.
var transcriptTime = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

// metricsAge is how old the fake's lag data points are at transcriptTime.
const metricsAge = 30 * time.Second

// transcript is one story told with the runbook commands against the fake
// AWS (internal/fakeaws), serving a converged deployment of a config
// (fakeaws.NewDeploymentFor) with the operator role's policy enforced on
// every call, as in the runbook's tests.
type transcript struct {
	title string
	// text introduces the runs.
	text string
	// file is the config file (YAML) PILOTLIGHT_CONFIG names; empty: the
	// variable is unset and the built-in defaults apply.
	file string
	runs []run
}

// run is one command line, and what happens to AWS before it.
type run struct {
	// before changes the fake first (a region goes dark); note says so on
	// the page.
	before func(srv *fakeaws.Server, d *fakeaws.Deployment)
	note   string
	args   []string
}

// transcripts are the runs docs/runbook.md records.
var transcripts = []transcript{
	{
		title: "The defaults: status, then a failover with us-east-1 dark",
		text: "The default config: `us-east-1` primary, `us-west-2` failover, `network.standbyEgress: none`, no `dns`. " +
			"The failover's calls all go to us-west-2; with no NAT gateway standing there, starting the service is left " +
			"to the regional deploy the command prints.",
		runs: []run{
			{args: []string{"status"}},
			{args: []string{"failover", "--to", "us-west-2", "--dry-run"}},
			{
				before: func(srv *fakeaws.Server, d *fakeaws.Deployment) { srv.Dark("us-east-1", fakeaws.Drop) },
				note:   "us-east-1 goes dark: the fake drops every connection to it.",
				args:   []string{"failover", "--to", "us-west-2", "--yes"},
			},
			{args: []string{"status"}},
		},
	},
	{
		title: "With dns and NAT in the standby: a switchover",
		text: "`dns` set (the traffic switch) and `network.standbyEgress: nat`, so the standby's tasks start at once " +
			"and the traffic step is one call in us-west-2. After the switchover, `status` flags the config's " +
			"`activeRegion` until it is changed.",
		file: "dns:\n  zoneName: example.com\n  zoneId: Z0123456789ABCDEFGHIJ\n  name: origin.example.com\nnetwork:\n  standbyEgress: nat\n",
		runs: []run{
			{args: []string{"switchover", "--to", "us-west-2", "--yes"}},
			{args: []string{"status"}},
		},
	},
}

// RunbookPage is docs/runbook.md: the commands and flags as `--help`
// prints them (cmd/pilotlight's usage and runbook.Usage), the exit codes from
// their declarations in runbook/runbook.go, and transcripts of the
// commands run against the fake AWS, produced anew each time: a change to
// what a command prints changes the page, and TestGeneratedPagesAreCurrent
// fails until `go generate ./...` rewrites it.
func RunbookPage(root string) ([]byte, error) {
	src, err := readSource(root, "cmd/pilotlight", "runbook")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("# Runbook\n\n")
	b.WriteString("The region-switch commands, built from the same config as the stacks (`PILOTLIGHT_CONFIG`). They " +
		"call AWS with the SDK's standard credentials chain and are their own program, `./cmd/pilotlight`, which links no jsii. Run them as the built " +
		"binary (`go build -o pilotlight ./cmd/pilotlight`): `go run` turns every non-zero exit status into 1.\n\n")
	usage, ok := src.packages["main"].decls["usage"]
	if !ok || usage.kind != token.CONST {
		return nil, fmt.Errorf("docgen: cmd/pilotlight/main.go has no usage constant to show")
	}
	v, err := src.constant(usage.pkg, usage.value)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "## Commands\n\n```text\n$ pilotlight --help\n%s```\n\n", constant.StringVal(v))
	for _, cmd := range runbook.Commands {
		fmt.Fprintf(&b, "### %s\n\n```text\n$ pilotlight %s --help\n%s```\n\n", cmd, cmd, runbook.Usage(cmd))
	}
	if err := exitCodes(&b, src); err != nil {
		return nil, err
	}
	b.WriteString("## Transcripts\n\n")
	b.WriteString("Produced by the runbook's own code against the fake AWS (`internal/fakeaws`), which serves a " +
		"converged deployment of the config and enforces the operator role's policy on every call. The fake " +
		"takes for each change the time the config's RTO budget gives it (`pilotlight rto`, [rto.md](rto.md): AWS's " +
		"documented figures and the config's own values), on a virtual clock, so the times below are the budget's, not a " +
		"measurement of AWS. The traffic step ends when S3 shows the switch; Route 53 and resolvers follow in the " +
		"budget's time for it; lines of steps that reach the same moment are shown in graph order. `go generate ./...` (or, for this page alone, " +
		"`go run ./internal/docgen/cmd/docgen -page docs/runbook.md`) runs them again and rewrites this page; " +
		"`go test ./internal/docgen/` fails while the page differs from what the commands print.\n")
	for _, t := range transcripts {
		text, err := t.record()
		if err != nil {
			return nil, fmt.Errorf("transcript %q: %w", t.title, err)
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n\n", t.title, t.text)
		if t.file != "" {
			fmt.Fprintf(&b, "`pilotlight.yaml`:\n\n```yaml\n%s```\n\n", t.file)
		}
		fmt.Fprintf(&b, "```text\n%s```\n", text)
	}
	return b.Bytes(), nil
}

// exitCodes writes the table of the runbook's Exit constants, each with
// its doc comment.
func exitCodes(b *bytes.Buffer, src *goSource) error {
	type code struct {
		value int64
		name  string
		doc   string
	}
	var codes []code
	p := src.packages["runbook"]
	for name, d := range p.decls {
		if d.kind != token.CONST || !strings.HasPrefix(name, "Exit") {
			continue
		}
		v, err := src.constant(p, d.value)
		if err != nil {
			return err
		}
		n, _ := constant.Int64Val(v)
		if strings.TrimSpace(d.doc) == "" {
			return fmt.Errorf("docgen: runbook.%s has no doc comment saying what the exit status means", name)
		}
		doc := strings.Join(strings.Fields(d.doc), " ")
		doc = strings.TrimPrefix(strings.TrimPrefix(doc, name+":"), name+" ")
		codes = append(codes, code{n, name, strings.TrimSpace(doc)})
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i].value < codes[j].value })
	b.WriteString("## Exit status\n\nThe same for every command (`runbook.Exit*`); errors go to stderr, one line each, " +
		"starting `pilotlight:`.\n\n| status | name | meaning |\n|---|---|---|\n")
	for _, c := range codes {
		fmt.Fprintf(b, "| %d | `%s` | %s |\n", c.value, c.name, cell(c.doc))
	}
	b.WriteString("\n")
	return nil
}

// record runs t's command lines in order against one fake and returns
// what a terminal would show: each command line, its output (stdout and
// stderr as they interleave) and its exit status.
func (t transcript) record() (string, error) {
	dir, err := os.MkdirTemp("", "pilotlight-transcript-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	restore, err := setConfig(dir, t.file)
	if err != nil {
		return "", err
	}
	defer restore()
	cfg, err := config.FromEnv()
	if err != nil {
		return "", err
	}
	srv := fakeaws.New()
	defer srv.Close()
	d := fakeaws.NewDeploymentFor(cfg)
	d.MetricsAt = transcriptTime.Add(-metricsAge)
	srv.Deploy(d)
	awsCfg := aws.Config{Region: cfg.PrimaryRegion, Credentials: credentials.NewStaticCredentialsProvider("AKIAFAKE", "secret", ""), RetryMaxAttempts: 1}
	base := &runbook.Options{
		AWS: &awsCfg, Endpoint: srv.URL, LockDir: dir,
		// The runbook's default poll, on a virtual clock: no real waiting.
		Poll: 10 * time.Second,
	}
	// The fake takes the budget's times (AWS's documented figures and the
	// config's values, package timing), so the transcripts show them.
	budget, err := timing.NewBudget(cfg.Timing())
	if err != nil {
		return "", err
	}
	durations := fakeaws.DurationsOf(budget)
	d.Durations = &durations
	var out bytes.Buffer
	for i, r := range t.runs {
		// Each command starts its clock at the same moment, so its times
		// read from 00:00.
		clock := vclock.NewVirtual(transcriptTime)
		d.Clock, base.Clock = clock, clock
		if r.before != nil {
			r.before(srv, d)
		}
		if i > 0 {
			out.WriteString("\n")
		}
		if r.note != "" {
			fmt.Fprintf(&out, "# %s\n", r.note)
		}
		// Each command runs as the operator role with its own policy.
		doc, err := cfg.OperatorPolicy(fakeaws.AccountID, r.args[0])
		if err != nil {
			return "", err
		}
		if err := srv.EnforcePolicy(doc.JSON()); err != nil {
			return "", err
		}
		line := "pilotlight " + strings.Join(r.args, " ")
		if t.file != "" {
			line = "PILOTLIGHT_CONFIG=pilotlight.yaml " + line
		}
		fmt.Fprintf(&out, "$ %s\n", line)
		code := runbook.Main(r.args, strings.NewReader(""), &out, &out, base)
		fmt.Fprintf(&out, "(exit status %d)\n", code)
	}
	if u := srv.Unanswered(); len(u) > 0 {
		return "", fmt.Errorf("calls the fake did not know: %s", fakeaws.Summary(u))
	}
	// The fake's port changes from run to run, and the config file lives in
	// a temporary folder.
	text := strings.ReplaceAll(inGraphOrder(out.String()), srv.URL, "http://127.0.0.1:PORT")
	return strings.ReplaceAll(text, filepath.Join(dir, "pilotlight.yaml"), "pilotlight.yaml"), nil
}

// setConfig points PILOTLIGHT_CONFIG at text written to a file in dir, or
// unsets it for empty text (the defaults), as a user would before running
// the commands; restore puts the variable back as it was.
func setConfig(dir, text string) (restore func(), err error) {
	old, had := os.LookupEnv(config.EnvVar)
	restore = func() {
		if had {
			os.Setenv(config.EnvVar, old)
		} else {
			os.Unsetenv(config.EnvVar)
		}
	}
	if text == "" {
		return restore, os.Unsetenv(config.EnvVar)
	}
	path := filepath.Join(dir, "pilotlight.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return restore, err
	}
	return restore, os.Setenv(config.EnvVar, path)
}

// eventLine is one line of a run's progress: "mm:ss  step  text".
var eventLine = regexp.MustCompile(`^(\d\d:\d\d)  (\S+)  `)

// stepOrder is the failover and switchover graphs' order of steps.
var stepOrder = []string{timing.StepAurora, timing.StepCache, timing.StepCompute, timing.StepTraffic}

// inGraphOrder sorts the progress lines that share a moment by step, in
// graph order (a step's own lines keep theirs): steps running together
// reach the same moment in whatever order the Go scheduler runs them, and
// the page must not change from one generation to the next.
func inGraphOrder(text string) string {
	lines := strings.Split(text, "\n")
	rank := func(line string) (string, int) {
		m := eventLine.FindStringSubmatch(line)
		if i := slices.Index(stepOrder, m[2]); i >= 0 {
			return m[1], i
		}
		return m[1], len(stepOrder)
	}
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && eventLine.MatchString(lines[j]) {
			j++
		}
		if j == i {
			i++
			continue
		}
		slices.SortStableFunc(lines[i:j], func(a, b string) int {
			ta, ra := rank(a)
			tb, rb := rank(b)
			if c := strings.Compare(ta, tb); c != 0 {
				return c
			}
			return ra - rb
		})
		i = j
	}
	return strings.Join(lines, "\n")
}
