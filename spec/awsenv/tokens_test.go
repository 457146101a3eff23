package awsenv

import (
	"math"
	"testing"
)

// cdktf's marker strings are tokens wherever they sit; anything else is a
// literal. (constructs/awsenv TestTokenChecksAgreeWithCdktf holds these
// checks to cdktf's own on tokens the runtime made.)
func TestIsToken(t *testing.T) {
	for s, want := range map[string]bool{
		"${TfToken[TOKEN.12]}":             true,
		"app-${TfToken[TOKEN.3]}-use1":     true,
		"#{TfToken[TOKEN.7]}":              true,
		"&{TfToken[TOKEN.8]}":              true,
		"${TfToken[]}":                     false,
		"${var.x}":                         false,
		"arn:aws:iam::123456789012:role/x": false,
		"":                                 false,
	} {
		if IsToken(s) != want {
			t.Errorf("IsToken(%q) = %v", s, !want)
		}
	}
	if got := ReplaceTokens("app-${TfToken[TOKEN.3]}-x-${TfToken[TOKEN.4]}", "0"); got != "app-0-x-0" {
		t.Errorf("ReplaceTokens = %q", got)
	}
	if !IsNumberToken(math.Float64frombits(0xfdff<<48|12)) || IsNumberToken(5432) || IsNumberToken(math.NaN()) {
		t.Error("IsNumberToken: 0xfdff-topped doubles are tokens, 5432 and an ordinary NaN are not")
	}
}
