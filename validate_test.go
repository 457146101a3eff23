package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerraformValidate runs `terraform validate` on every synthesized stack
// when this machine has Terraform and a local mirror of the AWS provider
// (the registry is unreachable here). The mirror may hold a newer 5.x than
// the pinned 5.84.0; the stacks are validated against that version's schema.
func TestTerraformValidate(t *testing.T) {
	terraform, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not installed; the JSON tests still run")
	}
	mirror := os.Getenv("PILOTLIGHT_TF_PLUGIN_MIRROR")
	if mirror == "" {
		mirror = "/opt/tf-plugins"
	}
	versions, _ := filepath.Glob(filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws", "5.*"))
	if len(versions) == 0 {
		t.Skipf("no AWS provider 5.x in the plugin mirror %s (set PILOTLIGHT_TF_PLUGIN_MIRROR); the JSON tests still run", mirror)
	}
	version := filepath.Base(versions[len(versions)-1])
	work := t.TempDir()
	rc := filepath.Join(work, "terraformrc")
	os.WriteFile(rc, []byte(`provider_installation {
  filesystem_mirror {
    path    = "`+mirror+`"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }
}
`), 0o644)

	full, err := os.ReadFile(filepath.Join("config", "testdata", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// A stack whose JSON is byte-identical to one already validated (the
	// keys stacks, say, across configs with the same regions) is not run again.
	validated := map[string]string{}
	for name, yaml := range map[string]string{
		"defaults":          "",
		"full":              string(full),
		"cluster mode":      "database:\n  mode: cluster\n  sourceClusterArn: arn:aws:rds:us-east-1:123456789012:cluster:legacy\n  masterSecretName: legacy/master\n",
		"switched, s3, tls": "activeRegion: us-west-2\nfailoverRegions: [us-west-2, us-east-2]\nbackend:\n  type: s3\n  bucket: state\n  region: eu-west-1\nedge:\n  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0b7f5f2c-9d6c\n  aliases: [shop.example.com]\n",
	} {
		s := synthApp(t, mustParse(t, yaml))
		for stack, st := range s.manifest.Stacks {
			t.Run(name+"/"+stack, func(t *testing.T) {
				text, err := os.ReadFile(filepath.Join(s.dir, st.SynthesizedStackPath))
				if err != nil {
					t.Fatal(err)
				}
				dir := filepath.Join(work, name, stack)
				os.MkdirAll(dir, 0o755)
				if first, ok := validated[string(text)]; ok {
					t.Skipf("same JSON as %s, validated", first)
				}
				validated[string(text)] = name + "/" + stack
				text = bytes.Replace(text, []byte(`"version": "5.84.0"`), []byte(`"version": "`+version+`"`), 1)
				if err := os.WriteFile(filepath.Join(dir, "cdk.tf.json"), text, 0o644); err != nil {
					t.Fatal(err)
				}
				env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
				for _, args := range [][]string{{"init", "-backend=false", "-input=false", "-no-color"}, {"validate", "-no-color"}} {
					cmd := exec.Command(terraform, args...)
					cmd.Dir, cmd.Env = dir, env
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("terraform %s (provider %s): %v\n%s", strings.Join(args, " "), version, err, out)
					}
				}
			})
		}
	}
}
