package data

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// GlobalDatabaseMinimumVersions is, per Aurora PostgreSQL major version, the
// first minor version that Aurora Global Database supports (AWS Aurora User
// Guide, "Supported Regions and DB engines for Aurora global databases").
var GlobalDatabaseMinimumVersions = map[int]string{
	11: "11.9", 12: "12.7", 13: "13.3", 14: "14.3", 15: "15.2", 16: "16.1", 17: "17.4",
}

// GlobalDatabaseInstanceFamilies are the memory-optimized instance families
// Aurora Global Database runs on ("requires DB instance classes that are
// optimized for memory-intensive applications"; burstable db.t* classes are
// refused with "not supported by global databases").
var GlobalDatabaseInstanceFamilies = []string{"r5", "r6g", "r6gd", "r6i", "r6id", "r7g", "r7i", "r8g", "r8gd", "x2g"}

// GlobalDatastoreNodeFamilies are the ElastiCache node families Global
// Datastore supports, in sizes large and up (ElastiCache User Guide, Global
// Datastore prerequisites).
var GlobalDatastoreNodeFamilies = []string{"m5", "m6g", "m7g", "r5", "r6g", "r6gd", "r7g", "c7gn"}

// GlobalDatastoreMinimumVersion is the oldest Redis OSS version Global
// Datastore supports.
const GlobalDatastoreMinimumVersion = "5.0.6"

// MinimumBackupRetentionDays is the shortest backup retention this library
// allows for stateful resources (Aurora allows 1 to 35 days).
const MinimumBackupRetentionDays = 7

// ValidateDatabaseEngineVersion reports whether version is an Aurora
// PostgreSQL version that Aurora Global Database supports.
func ValidateDatabaseEngineVersion(version string) error {
	major, minor, ok := splitVersion(version)
	min, known := GlobalDatabaseMinimumVersions[major]
	if !ok || !known {
		return fmt.Errorf("Aurora PostgreSQL %q is not a version Aurora Global Database supports; use a version at or above %s", version, supportedVersions())
	}
	_, minMinor, _ := splitVersion(min)
	if minor < minMinor {
		return fmt.Errorf("Aurora PostgreSQL %s is older than %s, the first %d.x that Aurora Global Database supports; supported: %s", version, min, major, supportedVersions())
	}
	return nil
}

func supportedVersions() string {
	var out []string
	for major := 11; major <= 17; major++ {
		out = append(out, GlobalDatabaseMinimumVersions[major]+"+")
	}
	return strings.Join(out, ", ")
}

func splitVersion(v string) (major, minor int, ok bool) {
	parts := strings.Split(v, ".")
	if len(parts) != 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}

var instanceClass = regexp.MustCompile(`^db\.([a-z0-9]+)\.([0-9]*x?large|metal[-0-9a-z]*)$`)

// ValidateDatabaseInstanceClass reports whether class is an instance class
// Aurora Global Database runs on.
func ValidateDatabaseInstanceClass(class string) error {
	m := instanceClass.FindStringSubmatch(class)
	if m == nil || !slices.Contains(GlobalDatabaseInstanceFamilies, m[1]) {
		return fmt.Errorf("%q is not an instance class Aurora Global Database supports; use a memory-optimized db.<family>.large or bigger, family one of %s (burstable db.t* classes are refused)", class, strings.Join(GlobalDatabaseInstanceFamilies, ", "))
	}
	return nil
}

var nodeType = regexp.MustCompile(`^cache\.([a-z0-9]+)\.([0-9]*x?large)$`)

// ValidateCacheNodeType reports whether node is a node type Global Datastore supports.
func ValidateCacheNodeType(node string) error {
	m := nodeType.FindStringSubmatch(node)
	if m == nil || !slices.Contains(GlobalDatastoreNodeFamilies, m[1]) {
		return fmt.Errorf("%q is not a node type Global Datastore supports; use cache.<family>.large or bigger, family one of %s", node, strings.Join(GlobalDatastoreNodeFamilies, ", "))
	}
	return nil
}

// ValidateCacheEngineVersion reports whether version is a Redis OSS version
// Global Datastore supports (5.0.6 or newer, given as major.minor or
// major.minor.patch).
func ValidateCacheEngineVersion(version string) error {
	parts := strings.Split(version, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return fmt.Errorf("Redis OSS version %q: use major.minor such as 7.1", version)
	}
	var n []int
	for _, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return fmt.Errorf("Redis OSS version %q: use major.minor such as 7.1", version)
		}
		n = append(n, v)
	}
	for len(n) < 3 {
		n = append(n, 0)
	}
	if n[0] < 5 || (n[0] == 5 && n[1] == 0 && n[2] < 6) {
		return fmt.Errorf("Redis OSS %s is older than %s, the first version Global Datastore supports", version, GlobalDatastoreMinimumVersion)
	}
	return nil
}

var (
	bucketName    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	identifier    = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)
	accountLength = 12
)

// ValidateBucketName reports whether name (with an account id of 12 digits
// standing in for any token) is a valid S3 bucket name without dots (dots
// break TLS to virtual-hosted bucket addresses).
func ValidateBucketName(name string) error {
	name = tokenPattern.ReplaceAllString(name, AccountPlaceholder)
	if !bucketName.MatchString(name) || strings.HasPrefix(name, "xn--") || strings.HasSuffix(name, "-s3alias") || strings.HasSuffix(name, "--ol-s3") {
		return fmt.Errorf("S3 bucket name %q (%d characters) must be 3 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit", name, len(name))
	}
	return nil
}

// ValidateReplicationGroupID reports whether id is a valid ElastiCache
// replication group id: 1 to 40 lower-case letters, digits and hyphens,
// starting with a letter, without two hyphens in a row or a trailing one.
func ValidateReplicationGroupID(id string) error {
	if len(id) > 40 || !identifier.MatchString(id) || strings.Contains(id, "--") {
		return fmt.Errorf("ElastiCache replication group id %q (%d characters) must be 1 to 40 lower-case letters, digits and single hyphens, starting with a letter", id, len(id))
	}
	return nil
}

// ValidateClusterIdentifier reports whether id is a valid Aurora cluster or
// global cluster identifier: 1 to 63 letters, digits and single hyphens,
// starting with a letter.
func ValidateClusterIdentifier(id string) error {
	if len(id) > 63 || !identifier.MatchString(id) || strings.Contains(id, "--") {
		return fmt.Errorf("Aurora cluster identifier %q (%d characters) must be 1 to 63 lower-case letters, digits and single hyphens, starting with a letter", id, len(id))
	}
	return nil
}

// tokenPattern matches a cdktf string token, which stands for a value known
// only at plan time (the account id, in bucket names).
var tokenPattern = regexp.MustCompile(`\$\{TfToken\[[^\]]*\]\}`)

// AccountPlaceholder stands in for the account id when checking the length
// of names that end with it.
var AccountPlaceholder = strings.Repeat("0", accountLength)
