package runbook

import (
	"bufio"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

// binary builds the operations CLI (./cmd/pilotlight, the program the
// README tells operators to build) into tb's temp dir, which the test
// removes when it ends; the build cache makes every build after the first
// a link.
func binary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "pilotlight")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/pilotlight").CombinedOutput(); err != nil {
		tb.Fatalf("go build ./cmd/pilotlight: %v\n%s", err, out)
	}
	return bin
}

// statusCmd runs `pilotlight status` against the fake with no node on the
// PATH: had the jsii runtime started, it could not have found node.
func statusCmd(tb testing.TB, bin string, e *env, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, append([]string{"status"}, args...)...)
	cmd.Env = []string{
		"PATH=" + tb.TempDir(), // no node, no go: jsii could not start
		"HOME=" + tb.TempDir(),
		"AWS_ENDPOINT_URL=" + e.srv.URL,
		"AWS_ACCESS_KEY_ID=AKIAFAKE", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_EC2_METADATA_DISABLED=true",
		"TMPDIR=" + tb.TempDir(),
	}
	return cmd
}

func TestStatusProcessStartsNoJsii(t *testing.T) {
	e := setup(t, true)
	bin := binary(t)
	out, err := statusCmd(t, bin, e).CombinedOutput()
	if err != nil {
		t.Fatalf("pilotlight status: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "writer in us-east-1") || strings.Contains(string(out), "jsii") {
		t.Errorf("output:\n%s", out)
	}
	e.d.Set(func(d *fakeaws.Deployment) { d.CacheLagSec[failover] = 60 })
	out, err = statusCmd(t, bin, e, "--json").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != ExitUnhealthy {
		t.Errorf("lagging status: want exit %d, got %v\n%s", ExitUnhealthy, err, out)
	}
}

// BenchmarkStatusStartup times `pilotlight status` from process start to
// its first line of output (ms/first-output), and to exit (ns/op), against
// the fake on loopback, without a jsii kernel.
func BenchmarkStatusStartup(b *testing.B) {
	e := setup(b, true)
	bin := binary(b)
	var first time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := statusCmd(b, bin, e)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		r := bufio.NewReader(stdout)
		if _, err := r.ReadString('\n'); err != nil {
			b.Fatal(err)
		}
		first += time.Since(t0)
		r.WriteTo(io.Discard)
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "ms/first-output")
}
