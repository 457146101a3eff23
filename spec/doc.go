// Package spec holds, in its subpackages, the facts and validators shared by
// the synth, the constructs and the operations CLI: AWS names, regions,
// limits, defaults and allow-lists with their sources, and the functions that
// check a value against them.
//
// Each subpackage mirrors the construct package whose facts it holds and has
// its name (spec/data is package data, beside constructs/data), so config
// reads data.ValidateCacheNodeType either way; construct packages import their
// spec package under an alias (dataspec).
//
// No package under spec imports jsii, cdktf, constructs, a provider binding
// or an AWS SDK service package (main_test.go's TestLayers checks it), so the
// operations CLI can validate a config without linking the jsii runtime, and
// nothing a validator does can start Node during an outage. A prop that may
// be an unresolved cdktf token is judged by the construct: it leaves tokens
// to Terraform and passes literals to the validator here. (storage's
// ValidateBucketName alone reads a token inside a bucket name, by its string
// form, as the 12-digit account id it stands for.)
package spec
