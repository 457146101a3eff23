package data

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// GlobalDatabaseVersions are the Aurora PostgreSQL versions that Aurora
// Global Database supports, by major version.
//
// Source: Amazon Aurora User Guide, "Supported Regions and DB engines for
// Aurora global databases" (which majors and minors Global Database takes)
// and the Aurora PostgreSQL Release Notes (which minors were released),
// through 17.5 and 16.8. Major 11 is past the end of standard support and
// left out.
//
// Stale when Aurora releases or deprecates a minor version. Refresh with
// `aws rds describe-db-engine-versions --engine aurora-postgresql
// --query 'DBEngineVersions[?SupportsGlobalDatabases].EngineVersion'`.
//
// A value AWS released after the last refresh is refused until then, unless
// the caller accepts it as unlisted (config's acceptUnlisted, the props'
// AcceptUnlisted; see AcceptUnlisted), which warns with this list's name.
var GlobalDatabaseVersions = map[int][]string{
	12: {"12.9", "12.11", "12.12", "12.13", "12.14", "12.15", "12.16", "12.17", "12.18", "12.19", "12.20", "12.22"},
	13: {"13.7", "13.8", "13.9", "13.10", "13.11", "13.12", "13.13", "13.14", "13.15", "13.16", "13.18", "13.20"},
	14: {"14.3", "14.4", "14.5", "14.6", "14.7", "14.8", "14.9", "14.10", "14.11", "14.12", "14.13", "14.15", "14.17"},
	15: {"15.2", "15.3", "15.4", "15.5", "15.6", "15.7", "15.8", "15.10", "15.12"},
	16: {"16.1", "16.2", "16.3", "16.4", "16.6", "16.8"},
	17: {"17.4", "17.5"},
}

// GlobalDatabaseInstanceClasses are the DB instance classes, by family,
// that Aurora PostgreSQL runs and Aurora Global Database accepts: memory
// optimized, large and up (burstable db.t* classes are refused with "not
// supported by global databases"; db.r6gd and db.r6id, the Optimized Reads
// classes, start at xlarge).
//
// Source: Amazon Aurora User Guide, "DB instance classes" ("Supported DB
// engines for DB instance classes" and "Hardware specifications"), and
// "Aurora global databases: limitations" (memory-optimized classes only).
// The families tflint-ruleset-aws v0.36.0 also lists
// (rules/aws_db_instance_invalid_type.go) agree.
//
// Stale when AWS adds a family or size. Refresh with
// `aws rds describe-orderable-db-instance-options --engine aurora-postgresql
// --engine-version VERSION --query 'OrderableDBInstanceOptions[].DBInstanceClass'`.
//
// A value AWS released after the last refresh is refused until then, unless
// the caller accepts it as unlisted (config's acceptUnlisted, the props'
// AcceptUnlisted; see AcceptUnlisted), which warns with this list's name.
var GlobalDatabaseInstanceClasses = map[string][]string{
	"r5":   {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"},
	"r6g":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"r6gd": {"xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"r6i":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"},
	"r6id": {"xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge"},
	"r7g":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"r7i":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"},
	"r8g":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"},
	"x2g":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
}

// GlobalDatastoreNodeTypes are the ElastiCache node types, by family, that
// Global Datastore supports.
//
// Source: Amazon ElastiCache User Guide, "Global Datastore: prerequisites
// and limitations" (families M5, M6g, M7g, R5, R6g, R6gd, R7g and C7gn,
// large and up) and "Supported node types" (the sizes of each family; r6gd
// starts at xlarge). Cut to the types tflint-ruleset-aws v0.36.0 accepts
// (rules/utils.go, validElastiCacheNodeTypes), which .ci/scan enforces: it
// lists c7gn only up to xlarge.
//
// Stale when AWS adds a family or size. Refresh with
// `aws elasticache describe-reserved-cache-nodes-offerings
// --query 'ReservedCacheNodesOfferings[].CacheNodeType'` and the Global
// Datastore prerequisites page.
//
// A value AWS released after the last refresh is refused until then, unless
// the caller accepts it as unlisted (config's acceptUnlisted, the props'
// AcceptUnlisted; see AcceptUnlisted), which warns with this list's name.
var GlobalDatastoreNodeTypes = map[string][]string{
	"m5":   {"large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"},
	"m6g":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"m7g":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"r5":   {"large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"},
	"r6g":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"r6gd": {"xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"r7g":  {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"},
	"c7gn": {"large", "xlarge"},
}

// DataTieringFamily is the node family whose nodes keep data on SSD as well
// as in memory: a replication group of it must set data_tiering_enabled
// (provider docs, elasticache_replication_group, data_tiering_enabled: "must
// be set to true when using r6gd nodes"), on Redis OSS 6.2 or newer
// (ElastiCache User Guide, "Data tiering": "available ... Redis OSS version
// 6.2 and above").
const DataTieringFamily = "r6gd"

// DataTieringMinimumVersion is the oldest Redis OSS version with data tiering.
const DataTieringMinimumVersion = "6.2"

// CacheEngineVersions are the Redis OSS versions Global Datastore supports
// (5.0.6 and newer), each with the default parameter group of its major
// version, which the global datastore needs on a major upgrade.
//
// Source: Amazon ElastiCache User Guide, "Supported engines and versions"
// (Redis OSS 7.1, 7.0, 6.2, 6.0, 5.0.6; from 6 on the version is given as
// major.minor), "Global Datastore: prerequisites" (Redis OSS 5.0.6 or later)
// and "Parameter groups by engine version" (families redis5.0, redis6.x,
// redis7; defaults named default.FAMILY). Redis OSS 7.1 is the last; newer
// ElastiCache versions are Valkey, which this construct does not use.
//
// Stale if ElastiCache adds or retires a Redis OSS version. Refresh with
// `aws elasticache describe-cache-engine-versions --engine redis
// --query 'CacheEngineVersions[].[EngineVersion,CacheParameterGroupFamily]'`.
//
// A value AWS released after the last refresh is refused until then, unless
// the caller accepts it as unlisted (config's acceptUnlisted, the props'
// AcceptUnlisted; see AcceptUnlisted), which warns with this list's name.
var CacheEngineVersions = map[string]string{
	"5.0.6": "default.redis5.0",
	"6.0":   "default.redis6.x",
	"6.2":   "default.redis6.x",
	"7.0":   "default.redis7",
	"7.1":   "default.redis7",
}

// MinimumBackupRetentionDays is the shortest backup retention this library
// allows for stateful resources (Aurora allows 1 to 35 days).
const MinimumBackupRetentionDays = 7

// ValidateDatabaseEngineVersion reports whether version is an Aurora
// PostgreSQL version that Aurora Global Database supports (one of
// GlobalDatabaseVersions). A version of shape MAJOR.MINOR that is not listed,
// of a listed major or a newer one, gives an *UnlistedError (see
// AcceptUnlisted); a malformed version, or a major older than the list's
// (past the end of standard support), is refused outright.
func ValidateDatabaseEngineVersion(version string) error {
	major, _, _ := strings.Cut(version, ".")
	var listed error
	for m, versions := range GlobalDatabaseVersions {
		if slices.Contains(versions, version) {
			return nil
		}
		if strconv.Itoa(m) == major {
			listed = fmt.Errorf("Aurora PostgreSQL %q is not a %d.x version Aurora Global Database supports; use one of %s", version, m, strings.Join(versions, ", "))
		}
	}
	generic := fmt.Errorf("Aurora PostgreSQL %q is not a version Aurora Global Database supports; use major.minor, from %s", version, supportedVersions())
	if !databaseVersionShape.MatchString(version) || majorOf(version) < slices.Min(slices.Collect(maps.Keys(GlobalDatabaseVersions))) {
		return generic
	}
	if listed == nil {
		listed = generic
	}
	return &UnlistedError{Value: version, List: databaseVersionsList, Source: databaseVersionsSource, Refresh: databaseVersionsCmd, listed: listed}
}

func supportedVersions() string {
	var out []string
	for _, major := range slices.Sorted(maps.Keys(GlobalDatabaseVersions)) {
		v := GlobalDatabaseVersions[major]
		out = append(out, v[0]+" to "+v[len(v)-1])
	}
	return strings.Join(out, ", ")
}

// ValidateDatabaseInstanceClass reports whether class is an instance class
// Aurora Global Database runs on (one of GlobalDatabaseInstanceClasses). A
// class of shape db.FAMILY.SIZE that is not listed gives an *UnlistedError
// (see AcceptUnlisted) when it keeps the rules the list encodes: a
// memory-optimized family (r or x: "Aurora global databases: limitations"),
// large or bigger; a burstable db.t* class, another family, a size below
// large or a malformed class is refused outright.
func ValidateDatabaseInstanceClass(class string) error {
	return validateSized("db", class, GlobalDatabaseInstanceClasses,
		"an instance class Aurora Global Database supports; use a memory-optimized class (burstable db.t* classes are refused)",
		func(family string) bool { return strings.HasPrefix(family, "r") || strings.HasPrefix(family, "x") },
		&UnlistedError{List: instanceClassesList, Source: instanceClassesSource, Refresh: instanceClassesCmd})
}

// ValidateCacheNodeType reports whether node is a node type Global Datastore
// supports (one of GlobalDatastoreNodeTypes). A node type of shape
// cache.FAMILY.SIZE that is not listed gives an *UnlistedError (see
// AcceptUnlisted) when it is large or bigger and not burstable (cache.t*:
// Global Datastore prerequisites list no T family); otherwise, or malformed,
// it is refused outright. Data tiering is turned on for DataTieringFamily
// only: an unlisted family with data tiering needs the lists refreshed.
func ValidateCacheNodeType(node string) error {
	return validateSized("cache", node, GlobalDatastoreNodeTypes, "a node type Global Datastore supports",
		func(family string) bool { return !strings.HasPrefix(family, "t") },
		&UnlistedError{List: nodeTypesList, Source: nodeTypesSource, Refresh: nodeTypesCmd})
}

// validateSized checks prefix.family.size against a list of sizes by
// family. A value not listed whose family passes allowedFamily and whose
// size is large or bigger is returned as unlisted, filled in.
func validateSized(prefix, value string, sizes map[string][]string, what string, allowedFamily func(string) bool, unlisted *UnlistedError) error {
	families := slices.Sorted(maps.Keys(sizes))
	parts := strings.Split(value, ".")
	familyErr := fmt.Errorf("%q is not %s: %s.FAMILY.SIZE with family one of %s", value, what, prefix, strings.Join(families, ", "))
	if !sizedShape.MatchString(value) || parts[0] != prefix || !allowedFamily(parts[1]) {
		return familyErr
	}
	if sizes[parts[1]] != nil && slices.Contains(sizes[parts[1]], parts[2]) {
		return nil
	}
	listed := familyErr
	if sizes[parts[1]] != nil {
		listed = fmt.Errorf("%q is not %s: %s.%s comes in %s (large or bigger)", value, what, prefix, parts[1], strings.Join(sizes[parts[1]], ", "))
	}
	if slices.Contains(smallSizes, parts[2]) {
		return listed
	}
	unlisted.Value, unlisted.listed = value, listed
	return unlisted
}

// NodeFamily returns the family of an ElastiCache node type or DB instance
// class, such as r6gd for cache.r6gd.xlarge.
func NodeFamily(nodeType string) string {
	parts := strings.Split(nodeType, ".")
	if len(parts) != 3 {
		return ""
	}
	return parts[1]
}

// ValidateCacheEngineVersion reports whether version is a Redis OSS version
// Global Datastore supports (one of CacheEngineVersions). A version of shape
// MAJOR.MINOR[.PATCH] that is not listed, not older than 5.0.6 (Global
// Datastore prerequisites) and of a major the list knows gives an
// *UnlistedError (see AcceptUnlisted): the global datastore is given its
// major's default parameter group (CacheParameterGroup). A newer major is
// refused outright, because its parameter group family cannot be named
// without the list; so is a malformed or older version.
func ValidateCacheEngineVersion(version string) error {
	if _, ok := CacheEngineVersions[version]; ok {
		return nil
	}
	listed := fmt.Errorf("Redis OSS version %q is not one Global Datastore supports (5.0.6 or newer); use one of %s", version, strings.Join(CacheVersionsInOrder(), ", "))
	switch {
	case !cacheVersionShape.MatchString(version) || compareVersions(version, CacheVersionsInOrder()[0]) < 0:
		return listed
	case CacheParameterGroup(version) == "":
		return fmt.Errorf("%w: Redis OSS %d is a major %s does not know, so its default parameter group (which the global datastore needs on a major upgrade) cannot be named; add the version and its group to the list (%s)", listed, majorOf(version), cacheVersionsList, cacheVersionsCmd)
	}
	return &UnlistedError{Value: version, List: cacheVersionsList, Source: cacheVersionsSource, Refresh: cacheVersionsCmd, listed: listed}
}

// CacheVersionsInOrder lists CacheEngineVersions oldest first.
func CacheVersionsInOrder() []string {
	return slices.SortedFunc(maps.Keys(CacheEngineVersions), compareVersions)
}

// compareVersions orders dotted version numbers numerically.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// ValidateDataTiering reports whether nodeType and version can run
// together: r6gd (data tiering) needs Redis OSS 6.2 or newer.
func ValidateDataTiering(nodeType, version string) error {
	if NodeFamily(nodeType) == DataTieringFamily && compareVersions(version, DataTieringMinimumVersion) < 0 {
		return fmt.Errorf("%s nodes use data tiering, which needs Redis OSS %s or newer, not %s; use engine version 6.2 or newer, or another family", nodeType, DataTieringMinimumVersion, version)
	}
	return nil
}

var identifier = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)

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
