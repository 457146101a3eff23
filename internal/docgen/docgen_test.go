package docgen_test

import (
	"bytes"
	"os"
	"path/filepath"
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
