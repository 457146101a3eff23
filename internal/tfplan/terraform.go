package tfplan

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Terraform is the terraform binary with a filesystem mirror of the AWS
// provider, set up to init and plan offline.
type Terraform struct {
	Binary  string
	Mirror  string
	Version string // the AWS provider version in the mirror
	rc      string

	schemaOnce sync.Once
	schemas    *Schemas
	schemaErr  error
}

// ErrUnavailable is returned by Find when this machine cannot plan offline.
var ErrUnavailable = errors.New("terraform or the AWS provider mirror is missing")

// Skippable reports whether a test may skip on err from Find: Terraform or
// the mirror is missing, and PILOTLIGHT_REQUIRE_PLAN (which .ci/run sets
// on machines that have them) does not make that a failure.
func Skippable(err error) bool {
	return errors.Is(err, ErrUnavailable) && os.Getenv("PILOTLIGHT_REQUIRE_PLAN") == ""
}

// Find locates terraform on the PATH and the AWS provider mirror
// (PILOTLIGHT_TF_PLUGIN_MIRROR, or /opt/tf-plugins), and writes a CLI
// config into work that installs the provider from the mirror only.
func Find(work string) (*Terraform, error) {
	bin, err := exec.LookPath("terraform")
	if err != nil {
		return nil, fmt.Errorf("%w: no terraform on the PATH", ErrUnavailable)
	}
	mirror := os.Getenv("PILOTLIGHT_TF_PLUGIN_MIRROR")
	if mirror == "" {
		mirror = "/opt/tf-plugins"
	}
	version := MirrorVersion(mirror, runtime.GOOS+"_"+runtime.GOARCH)
	if version == "" {
		return nil, fmt.Errorf("%w: no AWS provider 5.x for %s_%s in the plugin mirror %s (make one with terraform providers mirror, or set PILOTLIGHT_TF_PLUGIN_MIRROR)", ErrUnavailable, runtime.GOOS, runtime.GOARCH, mirror)
	}
	tf := &Terraform{Binary: bin, Mirror: mirror, Version: version, rc: filepath.Join(work, "terraformrc")}
	err = os.WriteFile(tf.rc, []byte(`provider_installation {
  filesystem_mirror {
    path    = "`+mirror+`"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }
}
`), 0o644)
	return tf, err
}

// MirrorVersion is the newest AWS provider 5.x that the filesystem mirror
// holds for platform (such as linux_amd64), or "" if none. Terraform reads
// two layouts from a filesystem_mirror (CLI Configuration File, "Provider
// Installation"): unpacked, HOSTNAME/NAMESPACE/TYPE/VERSION/TARGET/, as an
// image may ship it; and packed,
// HOSTNAME/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_TARGET.zip, which
// `terraform providers mirror` writes beside VERSION.json and index.json
// (those index files are for network mirrors, not versions).
func MirrorVersion(mirror, platform string) string {
	dir := filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws")
	entries, _ := os.ReadDir(dir)
	best, bestParts := "", []int(nil)
	for _, e := range entries {
		version := ""
		if name := e.Name(); e.IsDir() {
			if fi, err := os.Stat(filepath.Join(dir, name, platform)); err == nil && fi.IsDir() {
				version = name
			}
		} else if v, ok := strings.CutPrefix(name, "terraform-provider-aws_"); ok {
			version, _ = strings.CutSuffix(v, "_"+platform+".zip")
			if version == v {
				version = "" // another platform's package
			}
		}
		parts := releaseParts(version)
		if parts == nil || parts[0] != 5 {
			continue
		}
		if bestParts == nil || slices.Compare(parts, bestParts) > 0 {
			best, bestParts = version, parts
		}
	}
	return best
}

// releaseParts splits a release version MAJOR.MINOR.PATCH into numbers, or
// returns nil for anything else (a pre-release, an index file's name).
func releaseParts(version string) []int {
	fields := strings.Split(version, ".")
	if len(fields) != 3 {
		return nil
	}
	parts := make([]int, 3)
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || f != strconv.Itoa(n) {
			return nil
		}
		parts[i] = n
	}
	return parts
}

// Env is how one terraform run reaches AWS: the fake's URL, and extra
// variables.
type Env struct {
	Endpoint string
	Extra    []string
}

func (tf *Terraform) env(e Env) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"TF_CLI_CONFIG_FILE=" + tf.rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"AWS_ACCESS_KEY_ID=AKIAFAKEPILOTLIGHT", "AWS_SECRET_ACCESS_KEY=fake", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt", "AWS_PROFILE=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
	if e.Endpoint != "" {
		env = append(env, "AWS_ENDPOINT_URL="+e.Endpoint)
	}
	return append(env, e.Extra...)
}

// run runs terraform in dir and returns its stdout; a non-zero exit is an
// error carrying stderr (and stdout, where terraform -json writes its
// diagnostics).
func (tf *Terraform) run(ctx context.Context, dir string, e Env, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, tf.Binary, args...)
	cmd.Dir, cmd.Env = dir, tf.env(e)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("terraform %s in %s: %v\n%s%s", strings.Join(args, " "), filepath.Base(dir), err, stderr.String(), diagnostics(stdout.Bytes()))
	}
	return stdout.Bytes(), nil
}

// Prepare makes a synthesized stack folder plannable here: an override that
// pins the mirror's provider version (cdk.tf.json itself is left as
// synthesized), plus any extra override JSON, then terraform init.
func (tf *Terraform) Prepare(ctx context.Context, dir string, e Env, overrides map[string]any) error {
	pin := map[string]any{"terraform": map[string]any{"required_providers": map[string]any{"aws": map[string]any{"source": "hashicorp/aws", "version": tf.Version}}}}
	docs := map[string]any{"pilotlight_pin_override.tf.json": pin}
	if overrides != nil {
		docs["pilotlight_test_override.tf.json"] = overrides
	}
	changed := false
	for name, doc := range docs {
		text, _ := json.MarshalIndent(doc, "", "  ")
		path := filepath.Join(dir, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, text) {
			continue
		}
		changed = true
		if err := os.WriteFile(path, text, 0o644); err != nil {
			return err
		}
	}
	// A folder already initialised with the same overrides needs no second
	// init (the backend and provider are what init sets up).
	if _, err := os.Stat(filepath.Join(dir, ".terraform", "terraform.tfstate")); err == nil && !changed {
		return nil
	}
	_, err := tf.run(ctx, dir, e, "init", "-input=false", "-no-color")
	return err
}

// Result is what one plan did.
type Result struct {
	Dir string
	// Changes maps each resource address to its planned actions, such as
	// [create], [update], [delete create] (a replacement).
	Changes map[string][]string
	// Add, Change and Remove are the plan's summary counts.
	Add, Change, Remove int
	Elapsed             time.Duration
}

// Destroys lists the resources the plan deletes or replaces.
func (r *Result) Destroys() []string {
	var out []string
	for addr, actions := range r.Changes {
		for _, a := range actions {
			if a == "delete" {
				out = append(out, addr+" ("+strings.Join(actions, ", ")+")")
				break
			}
		}
	}
	return out
}

// Plan runs terraform plan in a prepared dir, writing the plan to
// dir/plan.bin, with args added (such as -refresh=false).
func (tf *Terraform) Plan(ctx context.Context, dir string, e Env, args ...string) (*Result, error) {
	start := time.Now()
	out, err := tf.run(ctx, dir, e, append([]string{"plan", "-input=false", "-no-color", "-json", "-lock=false", "-out=plan.bin"}, args...)...)
	res := &Result{Dir: dir, Changes: map[string][]string{}, Elapsed: time.Since(start)}
	for _, msg := range uiMessages(out) {
		switch msg.Type {
		case "planned_change":
			var actions []string
			switch msg.Change.Action {
			case "replace":
				actions = []string{"delete", "create"}
			default:
				actions = []string{msg.Change.Action}
			}
			res.Changes[msg.Change.Resource.Addr] = actions
		case "change_summary":
			res.Add, res.Change, res.Remove = msg.Changes.Add, msg.Changes.Change, msg.Changes.Remove
		}
	}
	return res, err
}

// uiMessage is one line of terraform's -json output, with the fields the
// harness reads.
type uiMessage struct {
	Type   string `json:"type"`
	Change struct {
		Resource struct {
			Addr string `json:"addr"`
		} `json:"resource"`
		Action string `json:"action"`
	} `json:"change"`
	Changes struct {
		Add, Change, Remove int
	} `json:"changes"`
	Diagnostic struct {
		Severity, Summary, Detail, Address string
	} `json:"diagnostic"`
}

// uiMessages decodes terraform -json output, skipping lines that are not
// JSON messages.
func uiMessages(out []byte) []uiMessage {
	var msgs []uiMessage
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var msg uiMessage
		if json.Unmarshal(sc.Bytes(), &msg) == nil {
			msgs = append(msgs, msg)
		}
	}
	return msgs
}

// diagnostics picks the error messages out of terraform -json output.
func diagnostics(out []byte) string {
	var b strings.Builder
	for _, msg := range uiMessages(out) {
		if msg.Type == "diagnostic" && msg.Diagnostic.Severity == "error" {
			fmt.Fprintf(&b, "Error: %s %s: %s\n", msg.Diagnostic.Address, msg.Diagnostic.Summary, msg.Diagnostic.Detail)
		}
	}
	return b.String()
}

// Show returns the plan written by the last Plan in dir, as JSON. With the
// s3 backend, terraform configures the backend (an STS call) even to show a
// plan file, so it needs an Env too.
func (tf *Terraform) Show(ctx context.Context, dir string, e Env) (*Plan, error) {
	out, err := tf.run(ctx, dir, e, "show", "-json", "plan.bin")
	if err != nil {
		return nil, err
	}
	return ParsePlan(out)
}

// Schemas returns the AWS provider's schemas, read once from a prepared dir.
func (tf *Terraform) Schemas(ctx context.Context, dir string, e Env) (*Schemas, error) {
	tf.schemaOnce.Do(func() {
		out, err := tf.run(ctx, dir, e, "providers", "schema", "-json")
		if err != nil {
			tf.schemaErr = err
			return
		}
		tf.schemas, tf.schemaErr = ParseSchemas(out)
	})
	return tf.schemas, tf.schemaErr
}
