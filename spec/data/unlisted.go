package data

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The lists in limits.go (GlobalDatabaseVersions,
// GlobalDatabaseInstanceClasses, GlobalDatastoreNodeTypes,
// CacheEngineVersions) are what AWS offered when they were last refreshed.
// A value AWS releases later is refused by its validator with an
// *UnlistedError until the list is refreshed, or until the caller opens the
// escape hatch: config's acceptUnlisted key, or AcceptUnlisted on
// constructs/data's DatabaseProps and CacheProps. Through the hatch a value
// that is well-formed and passes every rule that does not depend on the list
// (below, per validator) is accepted with a warning naming the list to
// refresh. A malformed value, or one a documented rule refuses (a burstable
// class, a Redis OSS major whose parameter group family is not known), is
// refused either way, and a listed value never warns.

// UnlistedError is the error of a value that has the shape of its kind and
// breaks none of its documented rules but is not on List: either AWS released
// it after List was refreshed, or it does not exist (a typo such as 16.5 for
// 16.4). Only AcceptUnlisted turns it into a warning.
type UnlistedError struct {
	// Value is the value refused.
	Value string
	// List names the list to refresh, such as
	// spec/data.GlobalDatabaseVersions.
	List string
	// Source is the page the list is taken from.
	Source string
	// Refresh is the command that prints what AWS offers today.
	Refresh string
	// listed is the message naming the listed values.
	listed error
}

func (e *UnlistedError) Error() string {
	return fmt.Sprintf("%v (%s is not on %s)", e.listed, e.Value, e.List)
}

// Warning is the line a caller that accepted the value prints: the value,
// the list that lacks it, where the list comes from and how to refresh it.
func (e *UnlistedError) Warning() string {
	return fmt.Sprintf("%s is not on %s (source: %s); accepted as unlisted, on trust that AWS has released it: confirm with %s, then refresh %s so it is checked again",
		e.Value, e.List, e.Source, e.Refresh, e.List)
}

// AcceptUnlisted applies the escape hatch to err, the result of one of this
// package's list validators. A nil err gives no warning. An *UnlistedError
// gives its Warning and no error when accept is true; when accept is false
// the error is returned with hatch appended, which says how to open the
// hatch where the value was given (such as "add database.engineVersion to
// acceptUnlisted"). Any other error is returned as is: the hatch does not
// open for a malformed value.
func AcceptUnlisted(err error, accept bool, hatch string) (warning string, _ error) {
	var u *UnlistedError
	switch {
	case err == nil:
		return "", nil
	case !errors.As(err, &u):
		return "", err
	case accept:
		return u.Warning(), nil
	}
	return "", fmt.Errorf("%w; if AWS has released %s since the list was refreshed, %s", err, u.Value, hatch)
}

// The sources and refresh commands of each list, as limits.go cites them.
const (
	databaseVersionsSource = `Amazon Aurora User Guide, "Supported Regions and DB engines for Aurora global databases", and the Aurora PostgreSQL Release Notes`
	databaseVersionsList   = "spec/data.GlobalDatabaseVersions"
	databaseVersionsCmd    = `aws rds describe-db-engine-versions --engine aurora-postgresql --query 'DBEngineVersions[?SupportsGlobalDatabases].EngineVersion'`

	instanceClassesSource = `Amazon Aurora User Guide, "DB instance classes" and "Aurora global databases: limitations"`
	instanceClassesList   = "spec/data.GlobalDatabaseInstanceClasses"
	instanceClassesCmd    = `aws rds describe-orderable-db-instance-options --engine aurora-postgresql --engine-version VERSION --query 'OrderableDBInstanceOptions[].DBInstanceClass'`

	nodeTypesSource = `Amazon ElastiCache User Guide, "Global Datastore: prerequisites and limitations" and "Supported node types"`
	nodeTypesList   = "spec/data.GlobalDatastoreNodeTypes"
	nodeTypesCmd    = `aws elasticache describe-reserved-cache-nodes-offerings --query 'ReservedCacheNodesOfferings[].CacheNodeType'`

	cacheVersionsSource = `Amazon ElastiCache User Guide, "Supported engines and versions" and "Parameter groups by engine version"`
	cacheVersionsList   = "spec/data.CacheEngineVersions"
	cacheVersionsCmd    = `aws elasticache describe-cache-engine-versions --engine redis --query 'CacheEngineVersions[].[EngineVersion,CacheParameterGroupFamily]'`
)

var (
	// databaseVersionShape is an Aurora PostgreSQL version as Global
	// Database takes it: MAJOR.MINOR.
	databaseVersionShape = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+$`)
	// cacheVersionShape is a Redis OSS version: MAJOR.MINOR, or
	// MAJOR.MINOR.PATCH before 6 (5.0.6).
	cacheVersionShape = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+(\.[0-9]+)?$`)
	// sizedShape is PREFIX.FAMILY.SIZE: db.r6g.large, cache.r7g.xlarge.
	sizedShape = regexp.MustCompile(`^[a-z0-9]+\.[a-z0-9]+\.[a-z0-9]+$`)
)

// smallSizes are the sizes below large, which neither Aurora Global
// Database nor Global Datastore takes (both lists start at large).
var smallSizes = []string{"nano", "micro", "small", "medium"}

// majorOf returns the major version of a version of shape MAJOR.MINOR[.PATCH].
func majorOf(version string) int {
	m, _, _ := strings.Cut(version, ".")
	n, _ := strconv.Atoi(m)
	return n
}

// CacheParameterGroup returns the default parameter group of a Redis OSS
// version's major, which the global datastore needs on a major upgrade:
// the group CacheEngineVersions gives a listed version, else the group of
// the listed versions of the same major (an unlisted minor of a known
// major), else "" (a major the list does not know, whose family this
// package cannot name).
func CacheParameterGroup(version string) string {
	if g, ok := CacheEngineVersions[version]; ok {
		return g
	}
	for _, v := range CacheVersionsInOrder() {
		if majorOf(v) == majorOf(version) {
			return CacheEngineVersions[v]
		}
	}
	return ""
}
