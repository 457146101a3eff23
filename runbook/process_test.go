package runbook

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// TestMain removes the app binary that binary builds (about 80 MB): it lives
// outside any t.TempDir because every test of the package shares it.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds the app's main package once per test binary.
func binary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "pilotlight-bin")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "pilotlight")
		out, err := exec.Command("go", "build", "-o", binPath, "..").CombinedOutput()
		if err != nil {
			buildErr = err
			tb.Logf("%s", out)
		}
	})
	if buildErr != nil {
		tb.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

// statusCmd runs `pilotlight status` against the fake with no node on the
// PATH: had the jsii runtime started, it could not have found node.
func statusCmd(tb testing.TB, e *env, args ...string) *exec.Cmd {
	cmd := exec.Command(binary(tb), append([]string{"status"}, args...)...)
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
	out, err := statusCmd(t, e).CombinedOutput()
	if err != nil {
		t.Fatalf("pilotlight status: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "writer in us-east-1") || strings.Contains(string(out), "jsii") {
		t.Errorf("output:\n%s", out)
	}
	e.d.Set(func(d *fakeaws.Deployment) { d.CacheLagSec[failover] = 60 })
	out, err = statusCmd(t, e, "--json").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != ExitUnhealthy {
		t.Errorf("lagging status: want exit %d, got %v\n%s", ExitUnhealthy, err, out)
	}
}

// BenchmarkStatusStartup times `pilotlight status` from process start to
// its first line of output (ms/first-output), and to exit (ns/op), against
// the fake on loopback, without a jsii kernel.
func BenchmarkStatusStartup(b *testing.B) {
	e := setup(b, true)
	binary(b)
	var first time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := statusCmd(b, e)
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
