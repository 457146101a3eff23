// Command docgen writes the generated pages under docs/ (see package
// docgen); `go generate ./...` runs it from the repository root.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pilotlight/pilotlight/internal/docgen"
)

func main() {
	pages, err := docgen.Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
	for _, p := range pages {
		if err := os.MkdirAll(filepath.Dir(p.Path), 0o755); err == nil {
			err = os.WriteFile(p.Path, p.Text, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "docgen:", err)
			os.Exit(1)
		}
	}
}
