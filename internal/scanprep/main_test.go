package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestDropsOnlyProviders(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(src, "stacks", "a"), 0o755)
	in := `{"provider":{"aws":[{"alias":"primary"}]},"resource":{"aws_lb":{"x":{"provider":"aws.primary","drop_invalid_header_fields":true}}},"data":{"aws_region":{"r":{"provider":"aws.primary"}}}}`
	os.WriteFile(filepath.Join(src, "stacks", "a", "cdk.tf.json"), []byte(in), 0o644)
	os.WriteFile(filepath.Join(src, "manifest.json"), []byte(`{"x":1}`), 0o644)
	if err := copyTree(src, dst); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	raw, _ := os.ReadFile(filepath.Join(dst, "stacks", "a", "cdk.tf.json"))
	json.Unmarshal(raw, &out)
	lb := out["resource"].(map[string]any)["aws_lb"].(map[string]any)["x"].(map[string]any)
	if lb["provider"] != nil || lb["drop_invalid_header_fields"] != true {
		t.Errorf("resource = %v", lb)
	}
	if out["provider"] == nil {
		t.Error("provider blocks must stay")
	}
	if m, _ := os.ReadFile(filepath.Join(dst, "manifest.json")); string(m) != `{"x":1}` {
		t.Errorf("other files must be copied as they are: %s", m)
	}
}
