package config

import (
	"fmt"

	"github.com/pilotlight/pilotlight/names"
)

// Names derives every resource name the app uses from the config, in this one
// place (the identifiers and tags the runbook reads come from package
// names, which the constructs and the fake AWS build them with too). Stacks that must agree on a name without reading each other's state
// (the global stack scoping a policy to a regional log group, say) both ask
// Names, and tests check that the producer creates what Names says.
type Names struct {
	prefix string
	path   string
}

// Names returns the names for this config.
func (c Config) Names() Names {
	return Names{prefix: c.Name + "-" + c.Environment, path: "/" + c.Name + "/" + c.Environment + "/"}
}

// Prefix is name-environment, the stem of every resource name.
func (n Names) Prefix() string { return n.prefix }

// LoadBalancer names each region's ALB.
func (n Names) LoadBalancer() string { return n.prefix }

// TargetGroup names each region's target group.
func (n Names) TargetGroup() string { return names.TargetGroup(n.prefix) }

// Cluster names each region's ECS cluster.
func (n Names) Cluster() string { return names.Cluster(n.prefix) }

// Service names each region's ECS service.
func (n Names) Service() string { return names.Service(n.prefix) }

// TaskFamily names each region's task definition family.
func (n Names) TaskFamily() string { return n.prefix + "-app" }

// LogGroupPrefix starts every log group name; the regional key lets CloudWatch
// Logs encrypt groups under it.
func (n Names) LogGroupPrefix() string { return n.path }

// AppLogGroup is the container log group in every region.
func (n Names) AppLogGroup() string { return n.path + "app" }

// FlowLogGroup is the VPC flow log group in every region.
func (n Names) FlowLogGroup() string { return n.path + "vpc-flow-logs" }

// KeyAlias is the alias of each region's KMS key.
func (n Names) KeyAlias() string { return "alias/" + n.prefix }

// Vpc names each region's VPC.
func (n Names) Vpc() string { return n.prefix }

// ExecutionRole, TaskRole and FlowLogsRole name the global IAM roles.
func (n Names) ExecutionRole() string { return n.prefix + "-ecs-task-execution" }

// TaskRole is the role the application's containers run as.
func (n Names) TaskRole() string { return n.prefix + "-ecs-task" }

// OperatorRole is the optional role the runbook commands run as.
func (n Names) OperatorRole() string { return n.prefix + "-operator" }

// FlowLogsRole is the role VPC Flow Logs writes with.
func (n Names) FlowLogsRole() string { return n.prefix + "-vpc-flow-logs" }

// Stack names: the global stack, each region's stack and the edge stack.
func (n Names) GlobalStack() string { return n.prefix + "-global" }

// RegionalStack names the stack of region.
func (n Names) RegionalStack(region string) string { return fmt.Sprintf("%s-%s", n.prefix, region) }

// EdgeStack names the CloudFront stack.
func (n Names) EdgeStack() string { return n.prefix + "-edge" }

// GlobalDatabase is the Aurora global cluster's identifier; each region's
// cluster is Prefix-REGION.
func (n Names) GlobalDatabase() string { return names.GlobalDatabase(n.prefix) }

// RegionalData is the identifier of a region's Aurora cluster and
// ElastiCache replication group.
func (n Names) RegionalData(region string) string { return names.RegionalData(n.prefix, region) }

// DatabaseSecret names the secret with the Aurora master password.
func (n Names) DatabaseSecret() string { return n.path[1:] + "database/master" }

// CacheSecret names the secret with the ElastiCache AUTH token.
func (n Names) CacheSecret() string { return n.path[1:] + "cache/auth-token" }

// Bucket names a replicated bucket in region; bucket names are global, so
// the account id keeps them unique.
func (n Names) Bucket(logical, region, account string) string {
	return names.Bucket(n.prefix, logical, region, account)
}

// ReplicationRole names the role S3 replication assumes.
func (n Names) ReplicationRole() string { return n.prefix + "-s3-replication" }

// ReplicationStack names the stack that replicates primary buckets into the
// failover regions' (deployed after them).
func (n Names) ReplicationStack() string { return n.prefix + "-replication" }

// AccessLogBucket names the bucket that receives a region's S3 server
// access logs.
func (n Names) AccessLogBucket(region, account string) string {
	return fmt.Sprintf("%s-access-logs-%s-%s", n.prefix, region, account)
}

// LoadBalancerLogPrefix is where each region's ALB writes its access logs
// in the region's access-log bucket.
func (n Names) LoadBalancerLogPrefix() string { return "alb/" + n.prefix }

// KeysStack names the stack that holds region's KMS key, deployed before
// every regional stack.
func (n Names) KeysStack(region string) string { return fmt.Sprintf("%s-keys-%s", n.prefix, region) }

// DatabaseCluster is the identifier of region's Aurora cluster in the
// global cluster: Prefix-REGION, except the primary's in cluster mode, which
// is the existing cluster database.sourceClusterArn names. It is a Config
// method because that one identifier comes from the config, not the prefix.
func (c Config) DatabaseCluster(region string) string {
	if c.Database.Mode == "cluster" && region == c.PrimaryRegion && c.Database.SourceClusterArn != "" {
		arn := c.Database.SourceClusterArn
		for i := len(arn) - 1; i >= 0; i-- {
			if arn[i] == ':' {
				return arn[i+1:]
			}
		}
		return arn
	}
	return c.Names().RegionalData(region)
}

// CacheGroup is the identifier of region's ElastiCache replication group
// (a Global Datastore member).
func (n Names) CacheGroup(region string) string { return n.RegionalData(region) }

// GlobalCacheSuffix is the Global Datastore's id suffix; AWS prefixes it
// with a region-group code it chooses, so the full id is read from a member
// group (GlobalReplicationGroupInfo).
func (n Names) GlobalCacheSuffix() string { return names.GlobalCacheSuffix(n.prefix) }

// NatGatewayPrefix starts the Name tag of each NAT gateway in a region's
// VPC (network.Vpc tags them VPC-nat-N, N the AZ's index).
func (n Names) NatGatewayPrefix() string { return names.NatGatewayPrefix(n.Vpc()) }

// VpcEndpoint is the Name tag of the VPC endpoint for service (an entry of
// TaskInterfaceEndpoints, or TaskGatewayEndpoint) in each region's VPC.
func (n Names) VpcEndpoint(service string) string { return names.VpcEndpoint(n.Vpc(), service) }

// VpcEndpointPrefix starts the Name tag of every VPC endpoint the app makes.
func (n Names) VpcEndpointPrefix() string { return names.VpcEndpointPrefix(n.Vpc()) }

// The traffic switch (docs/decisions/traffic-switch.md): each regional stack has a
// bucket, TrafficSwitchBucket, whose one public object is TrafficSwitchKey.
// With dns set, a Route 53 HTTPS health check reads that object in the
// standby region, inverted: the active region's failover record is healthy
// only while the object is absent. Putting the object in the standby region
// (s3:PutObject, a regional data-plane call) moves traffic to the standby;
// deleting it gives traffic back. The object has no content: what it says
// is that it exists.
const TrafficSwitchKey = names.TrafficSwitchKey

// TrafficSwitchBucket names region's traffic-switch bucket; bucket names
// are global, so the account id keeps it unique, as for Bucket.
func (n Names) TrafficSwitchBucket(region, account string) string {
	return names.TrafficSwitchBucket(n.prefix, region, account)
}

// PolicyKeys names, for a policy-pack rule whose warning asks for input, the
// config keys that give it: the library's messages name construct props,
// and the app adds these.
var PolicyKeys = map[string]string{
	"AwsSolutions-CFR2":   "edge.webAclArn",
	"AwsSolutions-CFR3":   "edge.logBucket",
	"AwsSolutions-CFR4":   "edge.certificateArn and edge.aliases",
	"AwsSolutions-CFR5":   "edge.origins, or dns (which creates them)",
	"PL-CFR-WRITES":       "dns.zoneName and dns.name",
	"PL-ECS-IMAGE-DIGEST": "service.image",
}
