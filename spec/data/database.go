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

// ValidateReaders reports whether n readers fit beside a cluster's writer:
// 0 to MaxReaders.
func ValidateReaders(n int) error {
	if n < 0 || n > MaxReaders {
		return fmt.Errorf("%d: 0 to %d (a cluster has at most %d replicas)", n, MaxReaders, MaxReaders)
	}
	return nil
}

// ValidateSecondaryInstances reports whether a secondary cluster can run n
// instances: 0 (headless) to MaxSecondaryInstances.
func ValidateSecondaryInstances(n int) error {
	if n < 0 || n > MaxSecondaryInstances {
		return fmt.Errorf("%d: 0 (headless) to %d", n, MaxSecondaryInstances)
	}
	return nil
}

// ValidateBackupRetentionDays reports whether days is a backup retention
// this library allows: MinimumBackupRetentionDays to MaxBackupRetentionDays.
func ValidateBackupRetentionDays(days int) error {
	if days < MinimumBackupRetentionDays || days > MaxBackupRetentionDays {
		return fmt.Errorf("%d: %d to %d days", days, MinimumBackupRetentionDays, MaxBackupRetentionDays)
	}
	return nil
}

// ValidateDatabaseName reports whether name can name the initial database:
// 1 to MaxDatabaseName letters, digits and underscores, starting with a
// letter.
func ValidateDatabaseName(name string) error {
	if !identifierLike(name, MaxDatabaseName) {
		return fmt.Errorf("%q: 1 to %d letters, digits and underscores, starting with a letter", name, MaxDatabaseName)
	}
	return nil
}

// ValidateMasterUsername reports whether name can be Aurora PostgreSQL's
// master user: 1 to MaxMasterUsername letters, digits and underscores,
// starting with a letter, and not a name the engine reserves (postgres,
// rdsadmin, admin).
func ValidateMasterUsername(name string) error {
	if !identifierLike(name, MaxMasterUsername) || name == "postgres" || name == "rdsadmin" || name == "admin" {
		return fmt.Errorf("%q: 1 to %d letters, digits and underscores, starting with a letter, and not a reserved name (postgres, rdsadmin, admin)", name, MaxMasterUsername)
	}
	return nil
}

// ValidateDatabasePort reports whether port is one Aurora listens on:
// MinDatabasePort to MaxDatabasePort.
func ValidateDatabasePort(port int) error {
	if port < MinDatabasePort || port > MaxDatabasePort {
		return fmt.Errorf("%d: Aurora takes %d to %d", port, MinDatabasePort, MaxDatabasePort)
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

// MaxReaders is the most readers a cluster has beside its writer: "Each
// Aurora DB cluster can have up to 15 Aurora Replicas in addition to the
// primary DB instance" (Aurora User Guide, "Amazon Aurora DB clusters").
const MaxReaders = 15

// MaxSecondaryInstances is the most read-only instances a secondary cluster
// of a global database runs: 16 (Aurora User Guide, "Configuration
// requirements of an Amazon Aurora global database", the table's
// read-only instances per secondary cluster).
const MaxSecondaryInstances = 16

// MaxBackupRetentionDays is the longest backup retention Aurora keeps:
// CreateDBCluster's BackupRetentionPeriod "Must be a value from 1 to 35"
// (RDS API Reference); this library's floor is MinimumBackupRetentionDays.
const MaxBackupRetentionDays = 35

// MaxDatabaseName is the longest name of the initial database of Aurora
// PostgreSQL: "1 to 63 alphanumeric characters", starting with a letter,
// then letters, underscores or digits (RDS API Reference, CreateDBInstance,
// DBName, Amazon Aurora PostgreSQL).
const MaxDatabaseName = 63

// MaxMasterUsername is the longest master user name: CreateDBCluster's
// MasterUsername "Must be 1 to 16 letters or numbers", the first a letter,
// not a reserved word (RDS API Reference, CreateDBCluster); the RDS User
// Guide ("Understanding PostgreSQL roles and permissions") gives the same
// 1 to 16 for PostgreSQL, and CreateDBInstance's MasterUsername admits
// underscores.
const MaxMasterUsername = 16

// The ports an Aurora cluster listens on: CreateDBCluster's Port "Valid
// Values: 1150-65535" (RDS API Reference).
const (
	MinDatabasePort = 1150
	MaxDatabasePort = 65535
)
