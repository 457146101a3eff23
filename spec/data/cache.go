package data

import "fmt"

// ValidateCacheReplicas reports whether each region's group can have n
// replicas beside its primary node: MinCacheReplicas to MaxCacheReplicas.
func ValidateCacheReplicas(n int) error {
	if n < MinCacheReplicas || n > MaxCacheReplicas {
		return fmt.Errorf("%d: %d to %d (Multi-AZ with automatic failover needs a replica in every region; a group has at most 6 nodes)", n, MinCacheReplicas, MaxCacheReplicas)
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

// The replicas a region's group has beside its primary node: at least
// one, because Multi-AZ with automatic failover needs a replica to promote
// (the construct turns both on); at most five: "Each shard has a primary
// node and up to 5 read-only replica nodes" (CloudFormation Template
// Reference, AWS::ElastiCache::ReplicationGroup).
const (
	MinCacheReplicas = 1
	MaxCacheReplicas = 5
)
