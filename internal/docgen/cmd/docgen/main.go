// Command docgen writes the generated pages under docs/ (see package
// docgen); `go generate ./...` runs it from the repository root.
//
//	go run ./internal/docgen/cmd/docgen                          # every page
//	go run ./internal/docgen/cmd/docgen -page docs/runbook.md    # one page that needs no synth
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pilotlight/pilotlight/internal/docgen"
)

func main() {
	page := flag.String("page", "", "write only this page (docs/configuration.md or docs/runbook.md), without the synth the others need")
	flag.Parse()
	var pages []docgen.Page
	var err error
	if *page != "" {
		var p docgen.Page
		p, err = docgen.GeneratePage(*page)
		pages = []docgen.Page{p}
	} else {
		pages, err = docgen.Generate()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
	root, err := docgen.Root()
	if err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
	for _, p := range pages {
		path := filepath.Join(root, p.Path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			err = os.WriteFile(path, p.Text, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "docgen:", err)
			os.Exit(1)
		}
	}
}
