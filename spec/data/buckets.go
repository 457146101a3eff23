package data

import (
	"fmt"
	"regexp"
)

var logicalName = regexp.MustCompile(`^[a-z][a-z0-9]{0,19}$`)

// ValidateBucketLogicalName reports whether name can name a replicated
// bucket: 1 to 20 lower-case letters and digits, starting with a letter.
// It appears in bucket names, whose 63 characters it shares with the
// prefix, region and account id, and in environment variable names.
func ValidateBucketLogicalName(name string) error {
	if !logicalName.MatchString(name) {
		return fmt.Errorf("%q must be 1 to 20 lower-case letters and digits, starting with a letter", name)
	}
	return nil
}
