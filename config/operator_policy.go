package config

import (
	"fmt"
	"slices"

	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/spec/awsenv"
	"github.com/pilotlight/pilotlight/spec/identity"
)

const datastoreReason = "AWS prefixes the Global Datastore's id with a region-group code it chooses; the suffix is the app's"

// OperatorPolicy is the least-privilege IAM policy an operator role needs
// to run the runbook's command (status, switchover, failover or failback;
// "" for all four) for cfg in account. The global stack gives it to the
// operator role and `pilotlight policy` prints it; it lives here, beside
// the names it is built from, so the stacks need no runbook package. Resources are scoped to the app's names, except the
// calls IAM cannot scope (CloudWatch GetMetricData, EC2 and ELB Describe*), which
// carry their reason. The Global Datastore's id starts with a prefix AWS
// chooses, hence the "*-SUFFIX" there. An unknown command is an error.
// Each call's resource ARNs and condition keys are those the Service
// Authorization Reference lists for it; the runbook's tests run every
// command with the fake enforcing this policy per call
// (internal/fakeaws/iam_actions.go), so a wrong pattern fails a test, not a
// failover.
func (cfg Config) OperatorPolicy(account, command string) (policy.Document, error) {
	n := cfg.Names()
	p := awsenv.PartitionOf(cfg.PrimaryRegion)
	var clusters, groups, services, buckets, tasks, ecsClusters []string
	for _, r := range cfg.Regions() {
		for _, b := range cfg.Buckets {
			buckets = append(buckets, "arn:"+p+":s3:::"+n.Bucket(b.Name, r, account))
		}
		clusters = append(clusters, fmt.Sprintf("arn:%s:rds:%s:%s:cluster:%s", p, r, account, cfg.DatabaseCluster(r)))
		groups = append(groups, fmt.Sprintf("arn:%s:elasticache:%s:%s:replicationgroup:%s", p, r, account, n.CacheGroup(r)))
		services = append(services, fmt.Sprintf("arn:%s:ecs:%s:%s:service/%s/%s", p, r, account, n.Cluster(), n.Service()))
		tasks = append(tasks, fmt.Sprintf("arn:%s:ecs:%s:%s:task/%s/*", p, r, account, n.Cluster()))
		ecsClusters = append(ecsClusters, fmt.Sprintf("arn:%s:ecs:%s:%s:cluster/%s", p, r, account, n.Cluster()))
	}
	global := fmt.Sprintf("arn:%s:rds::%s:global-cluster:%s", p, account, n.GlobalDatabase())
	datastore := fmt.Sprintf("arn:%s:elasticache::%s:globalreplicationgroup:*-%s", p, account, n.GlobalCacheSuffix())
	read := []policy.Statement{
		{Sid: "ReadAurora", Actions: []string{"rds:DescribeGlobalClusters", "rds:DescribeDBClusters"}, Resources: append([]string{global}, clusters...)},
		{Sid: "ReadElastiCache", Actions: []string{"elasticache:DescribeReplicationGroups", "elasticache:DescribeGlobalReplicationGroups"}, Resources: append([]string{datastore}, groups...),
			WildcardReason: datastoreReason},
		{Sid: "ReadService", Actions: []string{"ecs:DescribeServices"}, Resources: services},
		{Sid: "ReadBucketReplication", Actions: []string{"s3:GetReplicationConfiguration"}, Resources: buckets},
		{Sid: "ReadLagMetrics", Actions: []string{"cloudwatch:GetMetricData"}, Resources: []string{"*"},
			WildcardReason: "CloudWatch GetMetricData has no resource-level permissions"},
		{Sid: "ReadEgress", Actions: []string{"ec2:DescribeNatGateways", "ec2:DescribeVpcEndpoints"}, Resources: []string{"*"},
			WildcardReason: "EC2 Describe* actions have no resource-level permissions"},
		{Sid: "ReadTargets", Actions: []string{"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"}, Resources: []string{"*"},
			WildcardReason: "ELB Describe* actions have no resource-level permissions"},
	}
	var switchBuckets, switchObjects, repositories []string
	for _, r := range cfg.Regions() {
		b := "arn:" + p + ":s3:::" + n.TrafficSwitchBucket(r, account)
		switchBuckets, switchObjects = append(switchBuckets, b), append(switchObjects, b+"/"+TrafficSwitchKey)
		if acct, from, repo, ok := identity.EcrRepository(cfg.ImageIn(r)); ok {
			repositories = append(repositories, identity.EcrRepositoryArn(p, acct, from, repo))
		}
	}
	if len(repositories) > 0 {
		read = append(read, policy.Statement{Sid: "ReadImage", Actions: []string{"ecr:DescribeImages"}, Resources: repositories})
	}
	var flip []policy.Statement
	if cfg.DNS.Enabled() {
		// HeadObject needs s3:GetObject; s3:ListBucket makes S3 answer an
		// absent key with 404 rather than 403 (S3 API Reference,
		// HeadObject, "Permissions"), so the switch reads OFF, not an error.
		read = append(read,
			policy.Statement{Sid: "ReadTrafficSwitch", Actions: []string{"s3:GetObject"}, Resources: switchObjects},
			policy.Statement{Sid: "ListTrafficSwitch", Actions: []string{"s3:ListBucket"}, Resources: switchBuckets})
		flip = append(flip, policy.Statement{Sid: "FlipTrafficSwitch", Actions: []string{"s3:PutObject", "s3:DeleteObject"}, Resources: switchObjects})
	}
	// A scale step that sees tasks fail to start reads why. DescribeTasks
	// is authorized on the tasks (Service Authorization Reference, Amazon
	// ECS: task*, ecs:cluster). ListTasks is listed on container-instance*,
	// but a call that names no instance is not documented; aws-cdk grants
	// it on "*" limited by ecs:cluster (aws/aws-cdk#3199), which holds under
	// either reading.
	scale := []policy.Statement{{Sid: "ScaleService", Actions: []string{"ecs:UpdateService"}, Resources: services},
		{Sid: "ListStoppedTasks", Actions: []string{"ecs:ListTasks"}, Resources: []string{"*"},
			Condition:      map[string]map[string][]string{"ArnEquals": {"ecs:cluster": ecsClusters}},
			WildcardReason: "a ListTasks naming no container instance has no documented resource; the ecs:cluster condition limits it to the app's clusters"},
		{Sid: "ReadStoppedTasks", Actions: []string{"ecs:DescribeTasks"}, Resources: tasks, WildcardReason: "the failed tasks' ids are AWS's, not known in advance"}}
	// FailoverGlobalReplicationGroup is authorized on the Global Datastore
	// alone, not on the replication groups it names (Service Authorization
	// Reference, "Actions, resources, and condition keys for Amazon
	// ElastiCache": resource type globalreplicationgroup*).
	cache := policy.Statement{Sid: "PromoteCache", Actions: []string{"elasticache:FailoverGlobalReplicationGroup"}, Resources: []string{datastore},
		WildcardReason: datastoreReason}
	switchover := policy.Statement{Sid: "SwitchoverAurora", Actions: []string{"rds:SwitchoverGlobalCluster"}, Resources: append([]string{global}, clusters...)}
	failover := policy.Statement{Sid: "FailoverAurora", Actions: []string{"rds:FailoverGlobalCluster"}, Resources: append([]string{global}, clusters...)}
	if len(buckets) == 0 {
		read = append(read[:3], read[4:]...) // no buckets: no S3 statement
	}
	var doc policy.Document
	switch command {
	case "status":
		doc.Statements = read
	case "switchover", "failback":
		doc.Statements = slices.Concat(read, scale, []policy.Statement{switchover, cache}, flip)
	case "failover":
		doc.Statements = slices.Concat(read, scale, []policy.Statement{failover, cache}, flip)
	case "":
		doc.Statements = slices.Concat(read, scale, []policy.Statement{switchover, failover, cache}, flip)
	default:
		return policy.Document{}, fmt.Errorf("no permissions for %q: use status, switchover, failover or failback", command)
	}
	return doc, doc.Validate()
}
