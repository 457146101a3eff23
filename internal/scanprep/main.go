// Command scanprep copies a synthesized cdktf.out for Trivy, dropping the
// `provider` meta-argument from resources and data sources. Trivy 0.74
// mis-evaluates `"provider": "aws.alias"` in Terraform JSON and then reads
// none of that resource's attributes, reporting settings that are there as
// missing (drop_invalid_header_fields, storage_encrypted, ...). Which
// provider a resource uses does not change any misconfiguration check.
//
// Usage: go run ./internal/scanprep SRC DST
package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: scanprep SRC DST")
		os.Exit(2)
	}
	if err := copyTree(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "scanprep:", err)
		os.Exit(1)
	}
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".tf.json") {
			if data, err = dropProviders(data); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func dropProviders(data []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	for _, kind := range []string{"resource", "data"} {
		byType, _ := doc[kind].(map[string]any)
		for _, items := range byType {
			byName, _ := items.(map[string]any)
			for _, body := range byName {
				if b, ok := body.(map[string]any); ok {
					delete(b, "provider")
				}
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}
