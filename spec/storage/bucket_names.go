// Package storage holds the S3 bucket naming rules every bucket name is
// checked against. It is the jsii-free half of constructs/storage (see
// package spec).
package storage

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/pilotlight/pilotlight/spec/awsenv"
)

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

// AccountPlaceholder stands in for the account id (12 digits) when
// checking the length of names that end with it.
var AccountPlaceholder = strings.Repeat("0", 12)

// ValidateBucketName reports whether name (with an account id of 12 digits
// standing in for any token) is a valid S3 bucket name without dots (dots
// break TLS to virtual-hosted bucket addresses; S3 User Guide, "Bucket
// naming rules").
func ValidateBucketName(name string) error {
	// A token stands for a value known only at plan time: the account id,
	// in bucket names.
	name = awsenv.ReplaceTokens(name, AccountPlaceholder)
	if !bucketName.MatchString(name) {
		return fmt.Errorf("S3 bucket name %q (%d characters) must be 3 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit", name, len(name))
	}
	return reservedBucketName(name)
}

// ValidateExistingBucketName reports whether name can name a general
// purpose bucket that exists already (the state backend's): the S3 naming
// rules, dots allowed (S3 User Guide, "General purpose bucket naming
// rules").
func ValidateExistingBucketName(name string) error {
	switch {
	case !existingBucketName.MatchString(name):
		return fmt.Errorf("S3 bucket name %q (%d characters) must be 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit", name, len(name))
	case strings.Contains(name, ".."):
		return fmt.Errorf("S3 bucket name %q has two adjacent dots", name)
	case net.ParseIP(name) != nil:
		return fmt.Errorf("S3 bucket name %q is formatted as an IP address", name)
	}
	return reservedBucketName(name)
}

var existingBucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// The prefixes and suffixes S3 reserves (S3 User Guide, "General purpose
// bucket naming rules": xn--, sthree- (which covers sthree-configurator),
// amzn-s3-demo-; -s3alias (access point aliases), --ol-s3 (Object Lambda
// access point aliases), .mrap (Multi-Region Access Points), --x-s3
// (directory buckets); and --table-s3, reserved for table buckets ("Amazon
// S3 table bucket, table, and namespace naming rules")).
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

func reservedBucketName(name string) error {
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(name, p) {
			return fmt.Errorf("S3 bucket name %q starts with %s, a prefix S3 reserves (S3 User Guide, \"General purpose bucket naming rules\")", name, p)
		}
	}
	for _, sfx := range reservedBucketSuffixes {
		if strings.HasSuffix(name, sfx) {
			return fmt.Errorf("S3 bucket name %q ends with %s, a suffix S3 reserves (S3 User Guide, \"General purpose bucket naming rules\")", name, sfx)
		}
	}
	return nil
}
