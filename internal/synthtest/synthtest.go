// Package synthtest synthesizes stacks in tests and reads the Terraform JSON,
// so construct tests assert on what Terraform will see, not on Go values.
package synthtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
)

// Template is one stack's synthesized Terraform JSON.
type Template map[string]any

// Object is a JSON object from a Template.
type Object = map[string]any

// NewStack returns a test stack with an aliased AWS provider in region and
// the Env for it, as the app's stacks have.
func NewStack(region string) (cdktf.TerraformStack, awsenv.Env) {
	return NewStackIn(cdktf.Testing_App(nil), "test", region)
}

// NewStackIn adds a stack named name to app, as NewStack does; for
// constructs that span stacks.
func NewStackIn(app cdktf.App, name, region string) (cdktf.TerraformStack, awsenv.Env) {
	stack := cdktf.NewTerraformStack(app, jsii.String(name))
	p := provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{
		Region: jsii.String(region),
		Alias:  jsii.String("test"),
	})
	env, err := awsenv.New(stack, p, region)
	if err != nil {
		panic(err) // test set-up: stack, provider and region are all given
	}
	return stack, env
}

// Synth synthesizes stack with cdktf's validations and parses the result.
func Synth(t testing.TB, stack cdktf.TerraformStack) Template {
	t.Helper()
	return Parse(t, *cdktf.Testing_Synth(stack, jsii.Bool(true)))
}

// Parse reads synthesized Terraform JSON.
func Parse(t testing.TB, text string) Template {
	t.Helper()
	var out Template
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		t.Fatalf("synthesized JSON does not parse: %v", err)
	}
	return out
}

func (tpl Template) block(kind, typ string) map[string]Object {
	out := map[string]Object{}
	byType, _ := tpl[kind].(map[string]any)
	items, _ := byType[typ].(map[string]any)
	for name, v := range items {
		out[name] = v.(map[string]any)
	}
	return out
}

// Resources returns the resources of type typ by logical name.
func (tpl Template) Resources(typ string) map[string]Object { return tpl.block("resource", typ) }

// DataSources returns the data sources of type typ by logical name.
func (tpl Template) DataSources(typ string) map[string]Object { return tpl.block("data", typ) }

// Resource returns the only resource of type typ, failing if there is not
// exactly one.
func (tpl Template) Resource(t testing.TB, typ string) Object {
	t.Helper()
	all := tpl.Resources(typ)
	if len(all) != 1 {
		t.Fatalf("want exactly one %s, got %d: %v", typ, len(all), slices.Sorted(maps.Keys(all)))
	}
	for _, r := range all {
		return r
	}
	return nil
}

// Types lists every resource type in the template, with count.
func (tpl Template) Types(kind string) map[string]int {
	out := map[string]int{}
	byType, _ := tpl[kind].(map[string]any)
	for typ, items := range byType {
		out[typ] = len(items.(map[string]any))
	}
	return out
}

// Providers returns the configurations of provider name (such as "aws").
func (tpl Template) Providers(name string) []Object {
	ps, _ := tpl["provider"].(map[string]any)
	list, _ := ps[name].([]any)
	var out []Object
	for _, p := range list {
		out = append(out, p.(map[string]any))
	}
	return out
}

// Policy parses a policy document held as a JSON string attribute.
func Policy(t testing.TB, v any) Object {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("policy is %T, want a JSON string", v)
	}
	var doc Object
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("policy does not parse: %v\n%s", err, s)
	}
	return doc
}

// Get walks v by a dotted path of object keys and list indexes, such as
// "origin_group.0.member.1.origin_id"; it returns nil where the path ends.
func Get(v any, path string) any {
	if tpl, ok := v.(Template); ok {
		v = map[string]any(tpl)
	}
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// NewApp returns an app that synthesizes into a temporary folder of t, for
// constructs whose resources span stacks (cross-stack references resolve
// only in a whole-app synth).
func NewApp(t testing.TB) cdktf.App {
	return cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
}

// SynthApp synthesizes app (made by NewApp) and returns each stack's
// template by stack name.
func SynthApp(t testing.TB, app cdktf.App) map[string]Template {
	t.Helper()
	app.Synth()
	dir := *app.Outdir()
	out := map[string]Template{}
	entries, err := os.ReadDir(filepath.Join(dir, "stacks"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		text, err := os.ReadFile(filepath.Join(dir, "stacks", e.Name(), "cdk.tf.json"))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = Parse(t, string(text))
	}
	return out
}

// SecretAttributes are the attributes that hold passwords and tokens.
var SecretAttributes = []string{"master_password", "auth_token", "secret_string", "password"}

// LiteralSecrets lists the paths in v where a SecretAttributes attribute
// holds anything but a whole Terraform reference ("${...}"): a secret
// written into the JSON.
func LiteralSecrets(v any) []string {
	var out []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case Template:
			walk(path, map[string]any(x))
		case map[string]any:
			for k, c := range x {
				if slices.Contains(SecretAttributes, k) {
					if s, ok := c.(string); !ok || !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") {
						out = append(out, fmt.Sprintf("%s.%s = %v", path, k, c))
					}
				}
				walk(path+"."+k, c)
			}
		case []any:
			for _, c := range x {
				walk(path, c)
			}
		}
	}
	walk("", v)
	sort.Strings(out)
	return out
}
