// Package data holds the facts the data tier is checked against: the Aurora
// PostgreSQL versions and instance classes Aurora Global Database supports,
// the ElastiCache node types and Redis OSS versions Global Datastore
// supports, the database creation modes, the defaults of every database and
// cache setting, and the limits of each. It is the jsii-free half of
// constructs/data (see package spec).
package data

import "fmt"

// Database creation modes.
const (
	// DatabaseNew starts an empty global cluster with a new primary cluster.
	DatabaseNew = "new"
	// DatabaseFromSnapshot restores the primary cluster from a snapshot and
	// builds the global cluster from it.
	DatabaseFromSnapshot = "snapshot"
	// DatabaseFromCluster builds the global cluster from an existing primary
	// cluster that stays managed outside this construct.
	DatabaseFromCluster = "cluster"
)

// Database and cache defaults: what a zero field of constructs/data's
// DatabaseProps and CacheProps means. Readers and SecondaryInstances have
// none (0 is a choice: no readers, a headless secondary), so a zero value
// there is taken as given.
const (
	DefaultDatabaseEngineVersion = "16.4"
	DefaultDatabaseInstanceClass = "db.r6g.large"
	DefaultDatabaseName          = "app"
	DefaultMasterUsername        = "app_admin"
	DefaultBackupRetentionDays   = 14
	DefaultDatabasePort          = 5432
	DefaultCacheNodeType         = "cache.r7g.large"
	DefaultCacheEngineVersion    = "7.1"
	DefaultCacheReplicas         = 1
	DefaultSnapshotRetentionDays = 7
	DefaultCachePort             = 6379
)

// ValidateReaders reports whether n readers fit beside a cluster's writer.
func ValidateReaders(n int) error {
	if n < 0 || n > 15 {
		return fmt.Errorf("%d: 0 to 15 (a cluster has at most 15 replicas)", n)
	}
	return nil
}

// ValidateSecondaryInstances reports whether a secondary cluster can run n
// instances (0 makes it headless).
func ValidateSecondaryInstances(n int) error {
	if n < 0 || n > 16 {
		return fmt.Errorf("%d: 0 (headless) to 16", n)
	}
	return nil
}

// ValidateBackupRetentionDays reports whether days is a backup retention
// this library allows (Aurora takes 1 to 35; fewer than 7 is refused).
func ValidateBackupRetentionDays(days int) error {
	if days < MinimumBackupRetentionDays || days > 35 {
		return fmt.Errorf("%d: %d to 35 days", days, MinimumBackupRetentionDays)
	}
	return nil
}

// ValidateDatabaseName reports whether name can name the initial database.
func ValidateDatabaseName(name string) error {
	if !identifierLike(name, 63) {
		return fmt.Errorf("%q: 1 to 63 letters, digits and underscores, starting with a letter", name)
	}
	return nil
}

// ValidateMasterUsername reports whether name can be Aurora PostgreSQL's
// master user.
func ValidateMasterUsername(name string) error {
	if !identifierLike(name, 63) || name == "postgres" || name == "rdsadmin" || name == "admin" {
		return fmt.Errorf("%q: 1 to 63 letters, digits and underscores, starting with a letter, and not a reserved name (postgres, rdsadmin, admin)", name)
	}
	return nil
}

// ValidateDatabasePort reports whether port is one Aurora listens on.
func ValidateDatabasePort(port int) error {
	if port < 1150 || port > 65535 {
		return fmt.Errorf("%d: Aurora takes 1150 to 65535", port)
	}
	return nil
}

func identifierLike(s string, max int) bool {
	if s == "" || len(s) > max || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
