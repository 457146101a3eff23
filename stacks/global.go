package stacks

import (
	"fmt"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/data"
	"github.com/pilotlight/pilotlight/constructs/dns"
	"github.com/pilotlight/pilotlight/constructs/identity"
	dataspec "github.com/pilotlight/pilotlight/spec/data"
	identityspec "github.com/pilotlight/pilotlight/spec/identity"
)

// GlobalStackConfig is what the GlobalStack is built from.
type GlobalStackConfig struct {
	App config.Config
}

// GlobalStack holds the IAM roles every region uses. It is deployed first
// and depends on no other stack; regional stacks take its roles as fields.
type GlobalStack struct {
	// Stack is the cdktf stack; Name its name in cdktf.out.
	Stack cdktf.TerraformStack
	Name  string
	Env   awsenv.Env
	// ExecutionRole lets ECS pull images and write container logs in every region.
	ExecutionRole *identity.Role
	// TaskRole is what the application's containers run as.
	TaskRole *identity.Role
	// FlowLogsRole lets VPC Flow Logs write to each region's flow log group.
	FlowLogsRole *identity.Role
	// ReplicationRole is what S3 replication assumes for every bucket pair.
	ReplicationRole *identity.Role
	// OperatorRole, when operator.principals is set, is what the runbook
	// commands (status, switchover, failover, failback) run as: the
	// least-privilege policy config.OperatorPolicy derives from the config.
	OperatorRole *identity.Role
	// Certificates, with dns set, are the ACM certificates the app creates
	// for regions whose edge.origins give none, by region.
	Certificates map[string]*dns.Certificate
}

// NewGlobalStack adds the global stack to scope.
func NewGlobalStack(scope constructs.Construct, cfg GlobalStackConfig) (*GlobalStack, error) {
	app := cfg.App
	names := app.Names()
	name := names.GlobalStack()
	stack, env, err := newStack(scope, name, app, GlobalRegion, Global)
	if err != nil {
		return nil, err
	}

	// Log groups live in the regional stacks; their names are derived from
	// the config here and there, so no regional value flows back to this stack.
	var appLogs, flowLogs, repositories []string
	for _, region := range app.Regions() {
		appLogs = append(appLogs, env.Arn("logs", region, "log-group:"+names.AppLogGroup()))
		flowLogs = append(flowLogs, env.Arn("logs", region, "log-group:"+names.FlowLogGroup()))
		if account, _, repo, ok := identityspec.EcrRepository(app.ImageIn(region)); ok {
			repositories = append(repositories, identityspec.EcrRepositoryArn(env.Partition, account, region, repo))
		}
	}
	account := *env.AccountID
	secrets := []string{names.CacheSecret()}
	if app.Database.Mode == dataspec.DatabaseFromCluster {
		secrets = append(secrets, app.Database.MasterSecretName)
	} else {
		secrets = append(secrets, names.DatabaseSecret())
	}
	ecsTasks := env.Arn("ecs", "*", "*")
	execution, err := identity.NewRole(stack, "ecs-task-execution", identity.RoleProps{
		Env:         env,
		Name:        names.ExecutionRole(),
		Description: "ECS task execution: pull the app image, write its logs and read its secrets, in every region",
		AssumedBy:   "ecs-tasks.amazonaws.com",
		SourceArn:   ecsTasks,
		Statements: append(identity.TaskExecutionStatements(appLogs, repositories),
			identity.SecretsStatements(env, app.Regions(), secrets, names.KeyAlias())...),
	})
	if err != nil {
		return nil, err
	}
	// The same bucket pairs ReplicatedData builds, named with this stack's
	// account token: the regional stacks deploy after this one.
	bucketList := bucketProps(app, func(string) string { return account })
	// Each region's buckets are encrypted with that region's key, which
	// every region names by the same alias.
	var buckets []identity.RegionBuckets
	for _, region := range slices.Sorted(slices.Values(app.Regions())) {
		in := identity.RegionBuckets{Region: region, Encrypted: true, KeyAlias: names.KeyAlias()}
		for _, b := range bucketList {
			in.Names = append(in.Names, b.BucketNames[region])
		}
		buckets = append(buckets, in)
	}
	links := data.ReplicationLinks(app.PrimaryRegion, app.FailoverRegions, bucketList)
	task, err := identity.NewRole(stack, "ecs-task", identity.RoleProps{
		Env:         env,
		Name:        names.TaskRole(),
		Description: "What the app's containers run as: its region's buckets; grant it what else the app needs",
		AssumedBy:   "ecs-tasks.amazonaws.com",
		SourceArn:   ecsTasks,
		Statements:  identity.BucketStatements(env, identity.BucketReadWrite, buckets),
	})
	if err != nil {
		return nil, err
	}
	flow, err := identity.NewRole(stack, "vpc-flow-logs", identity.RoleProps{
		Env:         env,
		Name:        names.FlowLogsRole(),
		Description: "VPC Flow Logs: publish to each region's flow log group",
		AssumedBy:   "vpc-flow-logs.amazonaws.com",
		SourceArn:   env.Arn("ec2", "*", "vpc-flow-log/*"),
		Statements:  identity.FlowLogsStatements(flowLogs),
	})
	if err != nil {
		return nil, err
	}
	certs, err := originCertificates(stack, name, env, app)
	if err != nil {
		return nil, err
	}
	out := &GlobalStack{Stack: stack, Name: name, Env: env, ExecutionRole: execution, TaskRole: task, FlowLogsRole: flow, Certificates: certs}
	if len(links) > 0 {
		out.ReplicationRole, err = identity.NewRole(stack, "s3-replication", identity.RoleProps{
			Env:         env,
			Name:        names.ReplicationRole(),
			Description: "S3 replication between the app's bucket pairs",
			AssumedBy:   "s3.amazonaws.com",
			// The S3 replication guide's trust policy has no conditions, and
			// S3 is not documented to send aws:SourceAccount when it assumes
			// the role; a condition it does not meet would stop replication.
			UnconditionalTrustReason: "S3 replication is not documented to send aws:SourceAccount or aws:SourceArn",
			Statements:               identity.ReplicationStatements(env, links),
		})
		if err != nil {
			return nil, err
		}
	}
	if len(app.Operator.Principals) > 0 {
		doc, err := app.OperatorPolicy(account, "")
		if err != nil {
			return nil, fmt.Errorf("operator role: %w", err)
		}
		// Created ahead of any outage: IAM's control plane is in us-east-1.
		out.OperatorRole, err = identity.NewRole(stack, "operator", identity.RoleProps{
			Env:                 env,
			Name:                names.OperatorRole(),
			Description:         "Runs the region switch: pilotlight status, switchover, failover and failback",
			AssumedByPrincipals: app.Operator.Principals,
			Statements:          doc.Statements,
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
