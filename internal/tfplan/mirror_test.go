package tfplan_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pilotlight/pilotlight/internal/tfplan"
)

// The mirror's provider version is found in either layout Terraform reads:
// the unpacked one an image ships, and the packed one `terraform providers
// mirror` writes (zips beside VERSION.json and index.json, which are not
// versions); the newest 5.x release for the platform wins, numerically.
func TestMirrorVersion(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string // under registry.terraform.io/hashicorp/aws; a trailing / is a folder
		want  string
	}{
		{"unpacked", []string{"5.100.0/linux_amd64/"}, "5.100.0"},
		{"packed, as terraform providers mirror writes it", []string{"terraform-provider-aws_5.100.0_linux_amd64.zip", "5.100.0.json", "index.json"}, "5.100.0"},
		{"newest by number, not by name", []string{"5.84.0/linux_amd64/", "terraform-provider-aws_5.100.0_linux_amd64.zip", "5.100.0.json"}, "5.100.0"},
		{"another platform only", []string{"5.100.0/darwin_arm64/", "terraform-provider-aws_5.99.0_darwin_arm64.zip"}, ""},
		{"not 5.x", []string{"6.0.0/linux_amd64/", "terraform-provider-aws_4.67.0_linux_amd64.zip"}, ""},
		{"a pre-release is not a release", []string{"terraform-provider-aws_5.101.0-beta1_linux_amd64.zip", "5.84.0/linux_amd64/"}, "5.84.0"},
		{"empty", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mirror := t.TempDir()
			dir := filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range tc.files {
				path := filepath.Join(dir, f)
				if f[len(f)-1] == '/' {
					if err := os.MkdirAll(path, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.WriteFile(path, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := tfplan.MirrorVersion(mirror, "linux_amd64"); got != tc.want {
				t.Errorf("MirrorVersion(%v) = %q, want %q", tc.files, got, tc.want)
			}
		})
	}
}
