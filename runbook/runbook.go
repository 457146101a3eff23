// Package runbook is the region switch as commands: status, switchover
// (planned, no data loss), failover (unplanned, every call to the target
// region only) and failback. It reads the app's config and derives every
// AWS identifier from config.Names, the place the synth derives them from,
// and calls AWS through aws-sdk-go-v2 clients pinned to one region each.
//
// It never starts the jsii runtime: it links none (nor does config, nor the
// spec packages it validates with), and cmd/pilotlight, the operations CLI,
// runs it.
package runbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/vclock"
)

// Exit codes of the commands.
const (
	// ExitOK: done, or nothing to do.
	ExitOK = 0
	// ExitInput: bad input (flags, region, config, credentials, lock held,
	// not confirmed); nothing was changed.
	ExitInput = 1
	// ExitUnhealthy: status found a broken replication link or lag over the
	// threshold, or a preflight check refused; nothing was changed.
	ExitUnhealthy = 2
	// ExitFailed: AWS could not be read (nothing changed; the message says
	// why, e.g. a stack never deployed), or a step failed, timed out or was
	// interrupted (AWS may be part-way: run the same command again, it
	// resumes from AWS's state).
	ExitFailed = 3
	// ExitActiveRegion: status found that the config's activeRegion is not
	// where Aurora writes (after a failover or switchover whose config
	// change has not been made), or a switch is in progress. A deploy with
	// this config would scale the writer's region's service to 0 (the
	// regional stacks set desired_count from activeRegion), so pipelines
	// must not deploy on this code: set activeRegion to the writer's region
	// first. It wins over ExitUnhealthy when both apply.
	ExitActiveRegion = 4
	// ExitNotServing: failover did every step it can, but the target
	// serves no writes yet: a step is left to the operator (with
	// network.standbyEgress: none, the deploy that creates NAT gateways
	// and starts the service). The last line of the output says what is
	// left, with the command; once it is done, run the failover again to
	// check (it exits 0 when nothing is left).
	ExitNotServing = 5
)

// Options configure a Runbook. Zero values take the defaults noted.
type Options struct {
	// Config is the app's validated config.
	Config config.Config
	// AWS is the SDK config (credentials, retry). Nil: the SDK's default
	// chain (environment, shared profile, SSO, assumed role), loaded by New.
	AWS *aws.Config
	// Endpoint, if set, is every client's BaseEndpoint (tests: the fake).
	// AWS_ENDPOINT_URL does the same for the process.
	Endpoint string
	// Out receives progress and reports; In answers the confirmation.
	Out io.Writer
	In  io.Reader
	// Yes skips the confirmation; DryRun prints the steps and calls nothing.
	Yes, DryRun bool
	// ScaleDownOld lets a planned switch scale the other regions' services
	// to 0. Off (the default), that is left to their stacks' deploys, after
	// the edge deploy has moved traffic: while the traffic step is manual,
	// scaling down first would leave requests still routed to the old
	// region with no task to serve them.
	ScaleDownOld bool
	// MaxLag is the replication-lag threshold for status and the planned
	// switch's preflight. Default 5 s.
	MaxLag time.Duration
	// Poll is the interval between state reads while waiting. Default 10 s.
	Poll time.Duration
	// StepTimeout bounds each step, its waiting included. Default 20 min.
	StepTimeout time.Duration
	// LockDir holds the lock file against concurrent runs. Default os.TempDir().
	LockDir string
	// AfterStep, if set, runs after each step that completed, with the
	// step's id (aurora, cache, compute, traffic, scale-down-REGION), one
	// call at a time; an error stops the run there, as an interruption
	// would: the steps still running are cancelled and none starts (tests).
	AfterStep func(step string) error
	// Clock is the time the run reads, waits on and measures its steps
	// with. Default vclock.Real{}; tests and drills pass a *vclock.Virtual
	// shared with the fake AWS, so minutes of AWS time take none.
	Clock vclock.Clock
	// RegionTimeout bounds the reads of one region by status and the
	// preflights (default DefaultRegionTimeout).
	RegionTimeout time.Duration
	// ConfigFile is the file the config was read from (PILOTLIGHT_CONFIG),
	// or "" for the built-in defaults: the commands printed for the
	// operator to run name it, so they run with the same config.
	ConfigFile string
}

// Runbook runs the commands for one config. Create it with New.
type Runbook struct {
	opt     Options
	clock   vclock.Clock
	outMu   sync.Mutex // one line at a time, while steps run together
	last    Timeline   // the last run of a step graph
	cfg     config.Config
	names   config.Names
	aws     aws.Config
	mu      sync.Mutex
	clients map[string]*clients
	account string // read once, from STS
}

type clients struct {
	s3  *s3.Client
	sts *sts.Client
	ec2 *ec2.Client
	ecr *ecr.Client
	rds *rds.Client
	ec  *elasticache.Client
	ecs *ecs.Client
	elb *elbv2.Client
	cw  *cloudwatch.Client
}

// InputError is bad input: nothing was changed. Its message is one line.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErr(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// RefusedError is a preflight refusal: nothing was changed; Fix says what
// to do about it.
type RefusedError struct{ Reason, Fix string }

func (e *RefusedError) Error() string { return "refused: " + e.Reason + "\n  fix: " + e.Fix }

// DefaultRegionTimeout is how long status and the preflights wait for one
// region's reads: a region that answers is read in a few seconds (about
// ten calls), and the SDK client allows 30 s per attempt and 3 attempts per
// call, which against endpoints that never answer would be minutes.
const DefaultRegionTimeout = 30 * time.Second

// New checks opt and, unless it is a dry run, loads credentials from the
// SDK's default chain when opt.AWS is nil. Errors are *InputError: no
// credentials, or a config the app would not synthesize.
func New(ctx context.Context, opt Options) (*Runbook, error) {
	if err := opt.Config.Validate(); err != nil {
		return nil, inputErr("config (%s): %s", config.EnvVar, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	if opt.Out == nil {
		opt.Out = io.Discard
	}
	if opt.In == nil {
		opt.In = strings.NewReader("")
	}
	if opt.MaxLag == 0 {
		opt.MaxLag = 5 * time.Second
	}
	if opt.Poll == 0 {
		opt.Poll = 10 * time.Second
	}
	if opt.StepTimeout == 0 {
		opt.StepTimeout = 20 * time.Minute
	}
	if opt.LockDir == "" {
		opt.LockDir = os.TempDir()
	}
	if opt.Clock == nil {
		opt.Clock = vclock.Real{}
	}
	if opt.RegionTimeout <= 0 {
		opt.RegionTimeout = DefaultRegionTimeout
	}
	rb := &Runbook{opt: opt, clock: opt.Clock, cfg: opt.Config, names: opt.Config.Names(), clients: map[string]*clients{}}
	if opt.DryRun {
		return rb, nil
	}
	if opt.AWS != nil {
		rb.aws = *opt.AWS
	} else {
		// A dead regional endpoint must fail fast: 5 s to connect, 30 s per
		// request, 3 attempts.
		httpClient := awshttp.NewBuildableClient().
			WithDialerOptions(func(d *net.Dialer) { d.Timeout = 5 * time.Second }).
			WithTimeout(30 * time.Second)
		c, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRetryMaxAttempts(3), awsconfig.WithLogger(logging.Nop{}), awsconfig.WithHTTPClient(httpClient))
		if err != nil {
			return nil, inputErr("AWS config: %v (check AWS_PROFILE and ~/.aws/config)", err)
		}
		rb.aws = c
	}
	if rb.aws.Credentials == nil {
		return nil, inputErr("no AWS credentials: set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or log in with aws sso login")
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := rb.aws.Credentials.Retrieve(cctx); err != nil {
		return nil, inputErr("no AWS credentials: the SDK's chain (environment, AWS_PROFILE, SSO, role) found none usable: %s", oneLine(err))
	}
	return rb, nil
}

// in returns the clients pinned to region.
func (rb *Runbook) in(region string) *clients {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if c, ok := rb.clients[region]; ok {
		return c
	}
	cfg := rb.aws.Copy()
	cfg.Region = region
	// The fake's endpoint (tests, drills) replaces every client's; set on
	// each client, not on cfg, so AWS_ENDPOINT_URL_<SERVICE> cannot
	// redirect one service elsewhere.
	endpoint := func(base **string) {
		if rb.opt.Endpoint != "" {
			*base = aws.String(rb.opt.Endpoint)
		}
	}
	c := &clients{
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			endpoint(&o.BaseEndpoint)
			if rb.opt.Endpoint != "" {
				o.UsePathStyle = true // the fake serves buckets by path
			}
		}),
		sts: sts.NewFromConfig(cfg, func(o *sts.Options) { endpoint(&o.BaseEndpoint) }),
		ec2: ec2.NewFromConfig(cfg, func(o *ec2.Options) { endpoint(&o.BaseEndpoint) }),
		ecr: ecr.NewFromConfig(cfg, func(o *ecr.Options) { endpoint(&o.BaseEndpoint) }),
		rds: rds.NewFromConfig(cfg, func(o *rds.Options) { endpoint(&o.BaseEndpoint) }),
		ec:  elasticache.NewFromConfig(cfg, func(o *elasticache.Options) { endpoint(&o.BaseEndpoint) }),
		ecs: ecs.NewFromConfig(cfg, func(o *ecs.Options) { endpoint(&o.BaseEndpoint) }),
		elb: elbv2.NewFromConfig(cfg, func(o *elbv2.Options) { endpoint(&o.BaseEndpoint) }),
		cw:  cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) { endpoint(&o.BaseEndpoint) }),
	}
	rb.clients[region] = c
	return c
}

// regions is the app's regions, primary first.
func (rb *Runbook) regions() []string {
	return append([]string{rb.cfg.PrimaryRegion}, rb.cfg.FailoverRegions...)
}

// checkTarget refuses a --to that is empty or not one of the app's regions.
func (rb *Runbook) checkTarget(to string) error {
	if to == "" {
		return inputErr("--to REGION is required: one of %s", strings.Join(rb.regions(), ", "))
	}
	if !slices.Contains(rb.regions(), to) {
		return inputErr("--to %s: not one of this app's regions (%s); check %s", to, strings.Join(rb.regions(), ", "), config.EnvVar)
	}
	return nil
}

func (rb *Runbook) printf(format string, args ...any) {
	rb.outMu.Lock()
	defer rb.outMu.Unlock()
	fmt.Fprintf(rb.opt.Out, format, args...)
}

// Timeline is the last run of a command's steps as it went: each step's
// start, end and state, the critical path and the total (zero before any
// run, and after a dry run).
func (rb *Runbook) Timeline() Timeline {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return rb.last
}

func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// NotServingError is a failover that did every step it can while the
// target serves no writes yet: Left says what is left to the operator,
// with the commands. Main exits ExitNotServing on it.
type NotServingError struct {
	To   string
	Left string
}

func (e *NotServingError) Error() string {
	return fmt.Sprintf("%s serves no writes yet; left: %s", e.To, e.Left)
}

// IsNotServing reports whether err is a *NotServingError.
func IsNotServing(err error) bool {
	var ne *NotServingError
	return errors.As(err, &ne)
}

// IsInput reports whether err is bad input (nothing changed).
func IsInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// IsRefused reports whether err is a preflight refusal (nothing changed).
func IsRefused(err error) bool {
	var re *RefusedError
	return errors.As(err, &re)
}
