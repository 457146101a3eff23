package docgen_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/docgen"
)

// Every generated page is committed as the code generates it: a change to
// the operator policy or the policy pack that was not regenerated fails.
func TestGeneratedPagesAreCurrent(t *testing.T) {
	pages, err := docgen.Generate()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		committed, err := os.ReadFile(filepath.Join("..", "..", p.Path))
		if err != nil || !bytes.Equal(committed, p.Text) {
			t.Errorf("%s is not what the code generates (%v); run go generate ./... and commit it", p.Path, err)
		}
	}
}

// A resource type the price table does not know fails the cost page, so
// the generator stops instead of publishing it as free.
func TestCostPageFailsOnAnUnpricedResource(t *testing.T) {
	dir := t.TempDir()
	stack := filepath.Join(dir, "stacks", "s")
	if err := os.MkdirAll(stack, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		filepath.Join(dir, "manifest.json"): `{"stacks": {"s": {"synthesizedStackPath": "stacks/s/cdk.tf.json"}}}`,
		filepath.Join(stack, "cdk.tf.json"): `{"provider": {"aws": [{"region": "us-west-2"}]}, "resource": {"aws_instance": {"bastion": {"instance_type": "t3.micro"}}}}`,
	}
	for path, text := range files {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := docgen.CostPage([]docgen.PricedConfig{{Title: "a bastion", Source: "test", Config: config.Default(), Outdir: dir}})
	if err == nil || !strings.Contains(err.Error(), "no price rule for resource type aws_instance") {
		t.Fatalf("err %v, want the unpriced aws_instance to fail the page", err)
	}
}

// Every key a config file can set (every yaml tag of the config types, at
// its full path) has its section in the committed configuration page, so a
// key added without regenerating the page fails here.
func TestConfigurationPageHasEveryKey(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("..", "..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	var walk func(t reflect.Type, prefix string)
	walk = func(typ reflect.Type, prefix string) {
		for i := 0; i < typ.NumField(); i++ {
			tag := strings.Split(typ.Field(i).Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			path := tag
			if prefix != "" {
				path = prefix + "." + tag
			}
			ft := typ.Field(i).Type
			switch {
			case ft.Kind() == reflect.Struct:
				walk(ft, path)
				continue
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				walk(ft.Elem(), path+"[]")
			case ft.Kind() == reflect.Map && ft.Elem().Kind() == reflect.Struct:
				walk(ft.Elem(), path+".<*>")
			}
			heading := "### `" + regexp.QuoteMeta(path) + "`\n"
			heading = strings.ReplaceAll(heading, regexp.QuoteMeta("<*>"), "<[a-z]+>")
			if !regexp.MustCompile(heading).Match(page) {
				missing = append(missing, path)
			}
		}
	}
	walk(reflect.TypeOf(config.Config{}), "")
	if len(missing) > 0 {
		t.Errorf("docs/configuration.md has no section for %s; document the keys in config's doc comments and run go generate ./...", strings.Join(missing, ", "))
	}
}

// A key whose field has no doc comment, or whose doc comment links to
// nothing the generator can read, fails the generation instead of leaving
// a gap in the page: tried on a copy of the source with each defect.
func TestConfigurationPageRefusesUndocumentedKeys(t *testing.T) {
	root, err := docgen.Root()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new, want string }{
		{"no doc comment", "\t// The port the container listens on; the load balancer forwards to it.\n\t//\n\t// Allowed: a TCP port, 1 to 65535 ([compute.ValidatePort]).\n", "", "service.containerPort (config.Service.ContainerPort) has no doc comment"},
		{"a link to nothing", "Allowed: 1 to [compute.MaxDesiredCount].", "Allowed: 1 to [compute.MaxDesiredTasks].", "[compute.MaxDesiredTasks] in package config names nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, sub := range []string{"config", "timing", "spec"} {
				copyGoFiles(t, filepath.Join(root, sub), filepath.Join(dir, sub))
			}
			os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module github.com/pilotlight/pilotlight\n"), 0o644)
			path := filepath.Join(dir, "config", "config.go")
			src, err := os.ReadFile(path)
			if err != nil || !bytes.Contains(src, []byte(tc.old)) {
				t.Fatalf("config/config.go no longer holds %q (%v); update the test", tc.old, err)
			}
			os.WriteFile(path, bytes.Replace(src, []byte(tc.old), []byte(tc.new), 1), 0o644)
			_, err = docgen.ConfigurationPage(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// copyGoFiles copies the .go files under from to to, folders included.
func copyGoFiles(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(to, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The runbook page's transcripts (and the configuration page) are the commands' output as they run now
// against the fake AWS: a change to what a command prints (or to its usage
// or exit codes) fails here until the page is regenerated. Quicker than
// TestGeneratedPagesAreCurrent, which needs a synth.
func TestPagesWithoutSynthAreCurrent(t *testing.T) {
	for _, path := range []string{"docs/runbook.md", "docs/configuration.md"} {
		p, err := docgen.GeneratePage(path)
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(filepath.Join("..", "..", p.Path))
		if err != nil || !bytes.Equal(committed, p.Text) {
			t.Errorf("%s is not what the code generates (%v); run go run ./internal/docgen/cmd/docgen -page %s (or go generate ./...) and commit it", p.Path, err, p.Path)
		}
	}
}
