package awsenv

import (
	"math"
	"regexp"
)

// tokenPattern matches a cdktf token inside a string: a value known only to
// Terraform (another resource's attribute, the account id), which the
// jsii runtime hands Go as a marker string. cdktf v0.20.11 writes a string
// token as "${TfToken[KEY]}", the one element of a list token as
// "#{TfToken[KEY]}" and a map token's key as "&{TfToken[KEY]}", KEY being
// the token's display hint and number, such as TOKEN.12, of the characters
// a-zA-Z0-9:._- (lib/tokens/private/encoding.js: BEGIN_STRING_TOKEN_MARKER,
// BEGIN_LIST_TOKEN_MARKER, BEGIN_MAP_TOKEN_MARKER, END_TOKEN_MARKER,
// VALID_KEY_CHARS; token-map.js registerString and registerList). A number
// token is a float64 whose top 16 bits are 0xfdff (encoding.js,
// createTokenDouble), never a string; Token.asString turns it into a
// string token, which this matches.
var tokenPattern = regexp.MustCompile(`[$#&]\{TfToken\[[a-zA-Z0-9:._-]+\]\}`)

// IsToken reports whether s holds an unresolved cdktf token, alone or
// inside a literal (a name built from the account id), which props accept
// where Terraform does: validators check literals and leave tokens to
// Terraform. It needs no jsii runtime, so the config, the spec packages and
// the constructs share it; for a string it answers as cdktf's
// Token.isUnresolved does (whose string test is the "${TfToken[" form),
// and also for the element of a list token.
func IsToken(s string) bool { return tokenPattern.MatchString(s) }

// ReplaceTokens returns s with every cdktf token in it replaced by with,
// such as a 12-digit stand-in for the account id when a name's length is
// checked.
func ReplaceTokens(s, with string) string { return tokenPattern.ReplaceAllLiteralString(s, with) }

// IsNumberToken reports whether x is a cdktf number token, a float64 that
// stands for a number known only to Terraform (an existing cluster's port):
// cdktf encodes the token's index in a double whose top 16 bits are 0xfdff,
// or 0xfbff for the element of a number list token (encoding.js,
// DOUBLE_TOKEN_MARKER_BITS and DOUBLE_LIST_TOKEN_MARKER_BITS in
// createTokenDouble and extractTokenDouble), a NaN no literal number has.
func IsNumberToken(x float64) bool {
	top := math.Float64bits(x) >> 48
	return top == 0xfdff || top == 0xfbff
}
