// Package examples_test builds and runs the consumer apps in examples/,
// which import only the public packages, and holds them to what docs/constructs.md
// promises of the library.
package examples_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
	"github.com/pilotlight/pilotlight/internal/tfplan"
)

var apps = []string{"one-region", "two-regions", "embedded"}

// Each app builds, synthesizes (after checking the policy pack itself), and
// its output passes the pack: no errors, and no suppression the app wrote
// itself; its source imports no internal package, assembles no ARN and
// looks up no construct by id.
func TestExamplesSynthesize(t *testing.T) {
	bin := t.TempDir()
	args := []string{"build", "-o", bin + string(filepath.Separator)}
	for _, a := range apps {
		args = append(args, "./"+a)
	}
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	forbidden := regexp.MustCompile(`"arn:|TryFindChild|policypack\.Suppress|pilotlight/internal/`)
	for _, a := range apps {
		t.Run(a, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(filepath.Join(a, "main.go"))
			if err != nil {
				t.Fatal(err)
			}
			if m := forbidden.FindAllString(string(src), -1); len(m) > 0 {
				t.Errorf("%s uses %v; a consumer app wires by typed handles and grants", a, m)
			}
			out := synth(t, filepath.Join(bin, a))
			report, err := policypack.CheckDir(out, policypack.AwsSolutions())
			if err != nil {
				t.Fatal(err)
			}
			if err := report.Err(); err != nil {
				t.Error(err)
			}
			for _, f := range report.Suppressed() {
				if a != "embedded" && f.RuleID != "AwsSolutions-EC23" && f.RuleID != "AwsSolutions-SMG4" && f.RuleID != "AwsSolutions-S1" && f.RuleID != "AwsSolutions-IAM5" {
					t.Errorf("suppression the constructs do not document: %v", f)
				}
			}
		})
	}
}

// synth runs an example binary with its outdir in a temporary folder.
func synth(t *testing.T, binary string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(binary)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CDKTF_OUTDIR="+filepath.Join(dir, "cdktf.out"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(binary), err, out)
	}
	return filepath.Join(dir, "cdktf.out")
}

// The one-region app's stack plans with Terraform and the AWS provider
// against the fake AWS: what it synthesizes is valid Terraform.
func TestOneRegionPlans(t *testing.T) {
	work := t.TempDir()
	tf, err := tfplan.Find(work)
	if err != nil {
		if tfplan.Skippable(err) {
			t.Skipf("%v", err)
		}
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "one-region")
	if out, err := exec.Command("go", "build", "-o", bin, "./one-region").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	stack := filepath.Join(synth(t, bin), "stacks", "shop-dev")
	fake := fakeaws.New()
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	env := tfplan.Env{Endpoint: fake.URL}
	if err := tf.Prepare(ctx, stack, env, nil); err != nil {
		t.Fatal(err)
	}
	result, err := tf.Plan(ctx, stack, env)
	if err != nil {
		t.Fatal(err)
	}
	if result.Add == 0 || len(result.Destroys()) > 0 {
		t.Errorf("plan: +%d, destroys %v", result.Add, result.Destroys())
	}
	for _, c := range fake.Calls() {
		if c.Unanswered || !strings.HasPrefix(c.Region, "eu-west-1") {
			t.Errorf("call %s", c)
		}
	}
}
