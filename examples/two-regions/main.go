// Command two-regions is a consumer app of the pilotlight constructs: the
// replicated data tier of a system in eu-west-1 with a pilot light in
// eu-central-1 (an Aurora Global Database, an ElastiCache Global Datastore
// and a replicated bucket pair), in the stacks a real app needs:
//
//	global (IAM) and one keys stack per region, deployed first;
//	the primary's stack, then the failover's, then links (S3 rules
//	from the primary, which need the failover bucket to exist).
//
//	go run ./examples/two-regions      # writes cdktf.out/
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/data"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/constructs/network"
	"github.com/pilotlight/pilotlight/constructs/policypack"
)

const (
	prefix   = "shop-prod"
	primary  = "eu-west-1"
	failover = "eu-central-1"
)

func main() {
	app := cdktf.NewApp(nil)
	stacks, err := build(app)
	if err == nil {
		var report policypack.Report
		if report, err = policypack.CheckStacks(policypack.AwsSolutions(), stacks...); err == nil {
			err = report.Err()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "two-regions:", err)
		os.Exit(1)
	}
	app.Synth()
}

// newStack is a stack with one AWS provider in region.
func newStack(app cdktf.App, name, region string) (cdktf.TerraformStack, awsenv.Env, error) {
	stack := cdktf.NewTerraformStack(app, jsii.String(name))
	p := provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String(region)})
	env, err := awsenv.New(stack, p, region)
	return stack, env, err
}

func build(app cdktf.App) ([]cdktf.TerraformStack, error) {
	global, genv, err := newStack(app, prefix+"-global", "us-east-1")
	if err != nil {
		return nil, err
	}
	flowLogsRole, err := identity.NewRole(global, "flow-logs", identity.RoleProps{Env: genv, Name: prefix + "-vpc-flow-logs", AssumedBy: "vpc-flow-logs.amazonaws.com"})
	if err != nil {
		return nil, err
	}
	replicationRole, err := identity.NewRole(global, "s3-replication", identity.RoleProps{
		Env: genv, Name: prefix + "-s3-replication", AssumedBy: "s3.amazonaws.com",
		UnconditionalTrustReason: "S3 replication is not documented to send aws:SourceAccount or aws:SourceArn",
	})
	if err != nil {
		return nil, err
	}
	all := []cdktf.TerraformStack{global}
	sites := map[string]data.Site{}
	for i, region := range []string{primary, failover} {
		keys, kenv, err := newStack(app, prefix+"-keys-"+region, region)
		if err != nil {
			return nil, err
		}
		key, err := encryption.NewRegionalKey(keys, "key", encryption.RegionalKeyProps{Env: kenv, Alias: "alias/" + prefix, LogGroupPrefix: "/shop/prod/"})
		if err != nil {
			return nil, err
		}
		stack, env, err := newStack(app, prefix+"-"+region, region)
		if err != nil {
			return nil, err
		}
		vpc, err := network.NewVpc(stack, "network", network.VpcProps{
			Env: env, Name: prefix, Cidr: fmt.Sprintf("10.%d.0.0/16", 50+i), AzCount: 2,
			FlowLogs: network.FlowLogsProps{LogGroup: "/shop/prod/vpc-flow-logs", RetentionDays: 90, KmsKeyArn: key.Arn, RoleArn: flowLogsRole.Arn},
		})
		if err != nil {
			return nil, err
		}
		if _, err := vpc.FlowLogGroup.GrantFlowLogs(flowLogsRole); err != nil {
			return nil, err
		}
		accessLogs, err := logs.NewAccessLogBucket(stack, "access-logs", logs.AccessLogBucketProps{
			Env: env, Name: prefix + "-access-logs-" + region, SourceBucketPrefix: prefix + "-", ExpirationDays: 90,
		})
		if err != nil {
			return nil, err
		}
		sites[region] = data.Site{Scope: stack, Env: env, KmsKeyArn: key.Arn, VpcID: vpc.ID, SubnetIDs: vpc.PrivateSubnetIDs, AccessLogBucket: accessLogs.ID}
		all = append(all, keys, stack)
	}
	links, lenv, err := newStack(app, prefix+"-links", primary)
	if err != nil {
		return nil, err
	}
	all = append(all, links)
	d, err := data.NewReplicatedData(data.ReplicatedDataProps{
		Prefix:             prefix,
		Primary:            sites[primary],
		Failovers:          []data.Site{sites[failover]},
		Links:              data.Site{Scope: links, Env: lenv},
		ReplicationRole:    replicationRole,
		DatabaseSecretName: "shop/prod/database/master",
		CacheSecretName:    "shop/prod/cache/auth-token",
		// Zero values elsewhere are the documented defaults (Aurora
		// PostgreSQL 16.4 on db.r6g.large, Redis OSS 7.1 on cache.r7g.large).
		Database: data.DatabaseProps{SecondaryInstances: 1},
		Buckets: []data.BucketProps{{
			Name: "assets", ReplicationTimeControl: true, ReverseReplication: true, NoncurrentVersionDays: 90,
			BucketNames: map[string]string{primary: prefix + "-assets-" + primary, failover: prefix + "-assets-" + failover},
		}},
	})
	if err != nil {
		return nil, err
	}
	for region, e := range d.Regions {
		cdktf.NewTerraformOutput(sites[region].Scope, jsii.String("database_host"), &cdktf.TerraformOutputConfig{Value: e.DatabaseHost})
	}
	return all, nil
}
