package data

import "fmt"

// ValidateCacheReplicas reports whether each region's group can have n
// replicas beside its primary node.
func ValidateCacheReplicas(n int) error {
	if n < 1 || n > 5 {
		return fmt.Errorf("%d: 1 to 5 (Multi-AZ with automatic failover needs a replica in every region; a group has at most 6 nodes)", n)
	}
	return nil
}

// ValidateSnapshotRetentionDays reports whether days is an ElastiCache
// snapshot retention.
func ValidateSnapshotRetentionDays(days int) error {
	if days < 1 || days > 35 {
		return fmt.Errorf("%d: 1 to 35", days)
	}
	return nil
}
