// Package names builds every AWS identifier and tag that the runbook reads,
// in one place: the constructs and stacks create resources with these
// names, config.Names hands them to the stacks and the runbook, and the
// fake AWS answers with them. It imports nothing but the standard library,
// so the runbook (no jsii) and the constructs (no AWS SDK) can both use it.
//
// A stem is what a name is built from: prefix is config.Names().Prefix()
// (name-environment), vpc a VPC's Name tag.
package names

import "fmt"

// GlobalDatabase is the Aurora global cluster's identifier.
func GlobalDatabase(prefix string) string { return prefix }

// RegionalData is the identifier of region's Aurora cluster and ElastiCache
// replication group (the construct's own; an existing cluster brought in
// keeps its identifier).
func RegionalData(prefix, region string) string { return prefix + "-" + region }

// GlobalCacheSuffix is the Global Datastore's id suffix; AWS prefixes it
// with a region-group code it chooses, so the full id is read from a member
// group (GlobalReplicationGroupInfo).
func GlobalCacheSuffix(prefix string) string { return prefix }

// Cluster names each region's ECS cluster.
func Cluster(prefix string) string { return prefix }

// Service names each region's ECS service.
func Service(prefix string) string { return prefix + "-app" }

// TargetGroup names each region's ALB target group.
func TargetGroup(prefix string) string { return prefix + "-app" }

// NatGatewayPrefix starts the Name tag of every NAT gateway (and its
// Elastic IP) in the VPC named vpc.
func NatGatewayPrefix(vpc string) string { return vpc + "-nat-" }

// NatGateway is the Name tag of the NAT gateway in the VPC's index-th
// availability zone (index from 0).
func NatGateway(vpc string, index int) string {
	return fmt.Sprintf("%s%d", NatGatewayPrefix(vpc), index)
}

// VpcEndpointPrefix starts the Name tag of every VPC endpoint the app makes
// in the VPC named vpc.
func VpcEndpointPrefix(vpc string) string { return vpc + "-endpoint-" }

// VpcEndpoint is the Name tag of the VPC endpoint for service (ecr.api, s3,
// ...; the last part of com.amazonaws.REGION.SERVICE).
func VpcEndpoint(vpc, service string) string { return VpcEndpointPrefix(vpc) + service }

// Bucket names a replicated bucket in region; bucket names are global, so
// the account id keeps them unique.
func Bucket(prefix, logical, region, account string) string {
	return fmt.Sprintf("%s-%s-%s-%s", prefix, logical, region, account)
}

// TrafficSwitchKey is the one object of each region's traffic-switch bucket
// (docs/decisions/traffic-switch.md): present in the standby region, it moves traffic
// there.
const TrafficSwitchKey = "standby-takes-over"

// TrafficSwitchBucket names region's traffic-switch bucket; bucket names are
// global, so the account id keeps it unique, as for Bucket.
func TrafficSwitchBucket(prefix, region, account string) string {
	return fmt.Sprintf("%s-switch-%s-%s", prefix, region, account)
}
