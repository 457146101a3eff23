package awsenv_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
)

// spec/awsenv's jsii-free token checks answer as cdktf's Token.isUnresolved
// does, on tokens cdktf made here and on literals: the one implementation
// every validator uses agrees with the runtime it stands in for.
func TestTokenChecksAgreeWithCdktf(t *testing.T) {
	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(t.TempDir())})
	stack := cdktf.NewTerraformStack(app, jsii.String("tokens"))
	str := cdktf.NewTerraformVariable(stack, jsii.String("s"), &cdktf.TerraformVariableConfig{Type: jsii.String("string")})
	num := cdktf.NewTerraformVariable(stack, jsii.String("n"), &cdktf.TerraformVariableConfig{Type: jsii.String("number")})
	strings := map[string]*string{
		"string variable":        str.StringValue(),
		"number as string":       cdktf.Token_AsString(num.NumberValue(), nil),
		"token inside a literal": jsii.String("app-" + *str.StringValue() + "-use1"),
		"join":                   cdktf.Fn_Join(jsii.String("-"), &[]*string{str.StringValue(), jsii.String("x")}),
		"arn":                    jsii.String("arn:aws:acm:us-east-1:123456789012:certificate/abc"),
		"empty":                  jsii.String(""),
		"terraform expression":   jsii.String("${var.s}"),
		"marker without a key":   jsii.String("${TfToken[]}"),
		"marker words":           jsii.String("TfToken[TOKEN.1]"),
	}
	for name, s := range strings {
		want := *cdktf.Token_IsUnresolved(s)
		if got := awsenvspec.IsToken(*s); got != want {
			t.Errorf("%s %q: IsToken %v, cdktf %v", name, *s, got, want)
		}
	}
	if !awsenvspec.IsToken(*str.StringValue()) {
		t.Errorf("a string variable's token %q is not recognised", *str.StringValue())
	}
	// The element of a list token: cdktf's string test does not know it,
	// IsToken does (it is a value known only to Terraform).
	if l := str.ListValue(); l == nil || len(*l) != 1 || !awsenvspec.IsToken(*(*l)[0]) {
		t.Errorf("list token element not recognised: %v", l)
	}
	numbers := map[string]*float64{
		"number variable":  num.NumberValue(),
		"string as number": cdktf.Token_AsNumber(str.StringValue()),
		"port":             jsii.Number(5432),
		"zero":             jsii.Number(0),
		"negative":         jsii.Number(-1.5),
	}
	for name, x := range numbers {
		want := *cdktf.Token_IsUnresolved(x)
		if got := awsenvspec.IsNumberToken(*x); got != want {
			t.Errorf("%s %v: IsNumberToken %v, cdktf %v", name, *x, got, want)
		}
	}
	if !awsenvspec.IsNumberToken(*num.NumberValue()) {
		t.Error("a number variable's token is not recognised")
	}
}
