// Package synthout reads what cdktf synthesized into an outdir:
// manifest.json and each stack's cdk.tf.json. It imports nothing outside
// the standard library, so jsii-free readers (the cost estimate) and the
// policy pack share it.
package synthout

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// Stack is one synthesized stack: its name, its Terraform JSON and the
// stacks cdktf deploys before it (manifest.json), sorted.
type Stack struct {
	Name         string
	JSON         []byte
	Dependencies []string
}

// Read returns every stack manifest.json in outdir lists, sorted by name.
// Errors name the file that could not be read or parsed.
func Read(outdir string) ([]Stack, error) {
	raw, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Stacks map[string]struct {
			SynthesizedStackPath string   `json:"synthesizedStackPath"`
			Dependencies         []string `json:"dependencies"`
		} `json:"stacks"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	names := make([]string, 0, len(manifest.Stacks))
	for n := range manifest.Stacks {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]Stack, 0, len(names))
	for _, n := range names {
		entry := manifest.Stacks[n]
		text, err := os.ReadFile(filepath.Join(outdir, entry.SynthesizedStackPath))
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", n, err)
		}
		out = append(out, Stack{Name: n, JSON: text, Dependencies: slices.Sorted(slices.Values(entry.Dependencies))})
	}
	return out, nil
}
