package docgen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

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
