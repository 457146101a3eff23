package stacks

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/identity"
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
}

// NewGlobalStack adds the global stack to scope.
func NewGlobalStack(scope constructs.Construct, cfg GlobalStackConfig) (*GlobalStack, error) {
	app := cfg.App
	names := app.Names()
	name := names.GlobalStack()
	stack, env := newStack(scope, name, app, GlobalRegion, Global)

	// Log groups live in the regional stacks; their names are derived from
	// the config here and there, so no regional value flows back to this stack.
	var appLogs, flowLogs, repositories []string
	for _, region := range app.Regions() {
		appLogs = append(appLogs, env.Arn("logs", region, "log-group:"+names.AppLogGroup()))
		flowLogs = append(flowLogs, env.Arn("logs", region, "log-group:"+names.FlowLogGroup()))
		if account, _, repo, ok := identity.EcrRepository(app.ImageIn(region)); ok {
			repositories = append(repositories, identity.EcrRepositoryArn(env.Partition, account, region, repo))
		}
	}
	ecsTasks := env.Arn("ecs", "*", "*")
	execution, err := identity.NewRole(stack, "ecs-task-execution", identity.RoleProps{
		Env:         env,
		Name:        names.ExecutionRole(),
		Description: "ECS task execution: pull the app image and write its logs, in every region",
		AssumedBy:   "ecs-tasks.amazonaws.com",
		SourceArn:   ecsTasks,
		Statements:  identity.TaskExecutionStatements(appLogs, repositories),
	})
	if err != nil {
		return nil, err
	}
	task, err := identity.NewRole(stack, "ecs-task", identity.RoleProps{
		Env:         env,
		Name:        names.TaskRole(),
		Description: "What the app's containers run as; grant it what the app needs",
		AssumedBy:   "ecs-tasks.amazonaws.com",
		SourceArn:   ecsTasks,
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
	return &GlobalStack{Stack: stack, Name: name, Env: env, ExecutionRole: execution, TaskRole: task, FlowLogsRole: flow}, nil
}
