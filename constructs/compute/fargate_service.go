package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecsservice"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ecstaskdefinition"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupegressrule"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcsecuritygroupingressrule"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/constructs/network"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
	computespec "github.com/pilotlight/pilotlight/spec/compute"
	"github.com/pilotlight/pilotlight/timing"
)

// ContainerName is the name of the one container in the task; the target
// group routes to it.
const ContainerName = "app"

// FargateServiceProps configures a FargateService.
type FargateServiceProps struct {
	Env awsenv.Env
	// ClusterName, ServiceName and Family name the ECS cluster, service and
	// task definition family.
	ClusterName string
	ServiceName string
	Family      string
	Image       string
	// ContainerPort is the port the container listens on; the load balancer
	// forwards to it.
	ContainerPort int
	Cpu           int
	Memory        int
	// DesiredCount is the running task count: the configured count in the
	// active region, 0 in a standby region (pilot light).
	DesiredCount int
	// ExecutionRole is what ECS starts the tasks as: it pulls the image,
	// writes the container's logs and reads the Secrets when a task starts.
	//
	// An *identity.Role in this service's stack is granted read on exactly
	// the Secrets (secretsmanager:GetSecretValue on each, kms:Decrypt on Key
	// through Secrets Manager only: identity.TaskSecretsStatements), and the
	// service waits for that grant (FargateService.SecretsGrant).
	//
	// Any other role gets nothing here; its owner grants it the same, in
	// the stack or account that creates the role: identity.TaskSecretsStatements
	// for these secrets, or identity.SecretsStatements for secrets named
	// alike in several regions, whose key is found by alias. An existing
	// role (identity.ExistingRole) is not this app's to change. A role of
	// another stack (the app's roles live in its global stack) is granted
	// there: IAM's control plane is in us-east-1, and a regional stack, a
	// failover region's above all, must plan and apply with us-east-1
	// unreachable, so it creates no IAM resource (README, "The DR rule");
	// and a grant added to the role's stack from here would name this
	// stack's key, making the role's stack depend on this one, which
	// already depends on it (cdktf refuses the cycle).
	//
	// Pulling the image and writing the logs are the caller's to grant in
	// every case (identity.TaskExecutionStatements, LogGroup.GrantWrite).
	ExecutionRole identity.RoleRef
	// TaskRole is what the application's code runs as: grant it what the
	// application uses (storage.PrivateBucket.GrantReadWrite, Role.Grant).
	TaskRole identity.RoleRef
	// Subnets are the VPC and the private subnets the tasks run in
	// (network.Vpc.PrivateSubnets, or network.ExistingSubnets for a VPC
	// from outside the app); tasks get no public IP.
	Subnets      network.SubnetsRef
	LoadBalancer *LoadBalancer
	// Environment holds plain values for the container (endpoints, names).
	// A name that looks like a credential (PASSWORD, TOKEN, SECRET, KEY) is
	// refused: pass it in Secrets.
	Environment map[string]*string
	// Secrets maps a variable name to a Secrets Manager secret's name (in
	// the task's region) or ARN; ECS injects the value at start, and it
	// never appears in the task definition. The secrets are taken to be
	// encrypted with Key, or with the AWS-managed key aws/secretsmanager,
	// which needs no grant; see ExecutionRole for who grants the read.
	Secrets map[string]string
	// LogGroup and LogRetentionDays configure the container log group.
	LogGroup         string
	LogRetentionDays int
	// Key encrypts the log group: an *encryption.RegionalKey in Env's
	// region whose LogGroupPrefix covers LogGroup (checked), or
	// encryption.ExistingKey, a key whose policy lets CloudWatch Logs use
	// it.
	Key encryption.KeyRef
}

// FargateService is an ECS cluster with Container Insights, a Fargate task
// definition logging to an encrypted log group, and a service in private
// subnets behind the load balancer that rolls back failed deployments.
type FargateService struct {
	constructs.Construct
	ClusterName string
	ServiceName string
	// ClusterArn and ServiceArn identify the cluster and service (ECS's
	// ServiceName and ClusterName CloudWatch dimensions are the names).
	ClusterArn        *string
	ServiceArn        *string
	TaskDefinitionArn *string
	SecurityGroupID   *string
	LogGroup          *logs.LogGroup
	// SecretsGrant is the read on the Secrets granted to ExecutionRole, nil
	// when none was granted here (no secrets, or a role this service cannot
	// grant to; see FargateServiceProps.ExecutionRole).
	SecretsGrant *identity.Grant
}

// Validate returns every problem in p at once.
func (p FargateServiceProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	for name, v := range map[string]string{"ClusterName": p.ClusterName, "ServiceName": p.ServiceName, "Family": p.Family, "Image": p.Image} {
		if v == "" {
			errs = append(errs, fmt.Errorf("%s: required", name))
		}
	}
	if err := computespec.ValidatePort(p.ContainerPort); err != nil {
		errs = append(errs, fmt.Errorf("ContainerPort: %w", err))
	}
	if err := computespec.ValidateFargateSize(p.Cpu, p.Memory); err != nil {
		errs = append(errs, fmt.Errorf("Cpu/Memory: %w", err))
	}
	if p.DesiredCount < 0 || p.DesiredCount > computespec.MaxDesiredCount {
		errs = append(errs, fmt.Errorf("DesiredCount %d: use 0 to %d (ECS tasks per service)", p.DesiredCount, computespec.MaxDesiredCount))
	}
	if p.Image != "" {
		if err := computespec.ValidateImage(p.Image); err != nil {
			errs = append(errs, fmt.Errorf("Image: %w", err))
		}
	}
	for _, r := range []struct {
		name string
		role identity.RoleRef
	}{{"ExecutionRole", p.ExecutionRole}, {"TaskRole", p.TaskRole}} {
		if r.role == nil || r.role.RoleArn() == nil {
			errs = append(errs, fmt.Errorf("%s: required (an identity.Role, or identity.ExistingRole for a role from outside the app)", r.name))
		}
	}
	if p.Subnets == nil || p.Subnets.VpcID() == nil || len(p.Subnets.SubnetIDs()) == 0 {
		errs = append(errs, errors.New("Subnets: required (network.Vpc.PrivateSubnets, or network.ExistingSubnets for a VPC from outside the app)"))
	}
	if p.LoadBalancer == nil {
		errs = append(errs, errors.New("LoadBalancer: required"))
	}
	for name := range p.Environment {
		if policypack.LooksLikeCredential(name) {
			errs = append(errs, fmt.Errorf("Environment %s: looks like a credential; pass it in Secrets", name))
		}
		if _, dup := p.Secrets[name]; dup {
			errs = append(errs, fmt.Errorf("Environment %s: also in Secrets", name))
		}
	}
	for name, from := range p.Secrets {
		if from == "" {
			errs = append(errs, fmt.Errorf("Secrets %s: name the secret", name))
		} else if err := checkSecretArn(from); err != nil {
			errs = append(errs, fmt.Errorf("Secrets %s: %w", name, err))
		}
	}
	if err := p.logGroup().Validate(); err != nil {
		errs = append(errs, fmt.Errorf("log group: %w", err))
	}
	return errors.Join(errs...)
}

// checkSecretArn says what keeps a literal ARN from being a Secrets
// Manager secret's (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME,
// Service Authorization Reference, AWS Secrets Manager, resource type
// Secret); names and tokens pass.
func checkSecretArn(s string) error {
	if !strings.HasPrefix(s, "arn:") || awsenvspec.IsToken(s) {
		return nil
	}
	a, err := awsarn.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not an ARN (%v); give the secret's name or its ARN", s, err)
	case a.Service != "secretsmanager" || !strings.HasPrefix(a.Resource, "secret:") || a.Resource == "secret:":
		return fmt.Errorf("%q names %s resource %q, not a Secrets Manager secret", s, a.Service, a.Resource)
	case a.Region == "" || len(a.AccountID) != 12:
		return fmt.Errorf("%q: a secret's ARN has a region and a 12-digit account id", s)
	}
	return nil
}

// logGroup is the container log group's props: a RegionalKey is passed as
// such, so the log group checks its prefix and region.
func (p FargateServiceProps) logGroup() logs.LogGroupProps {
	props := logs.LogGroupProps{Env: p.Env, Name: p.LogGroup, RetentionDays: p.LogRetentionDays}
	if k, ok := p.Key.(*encryption.RegionalKey); ok && k != nil {
		props.Key = k
	} else if p.Key != nil {
		props.KmsKeyArn = p.Key.KeyArn()
	}
	return props
}

// NewFargateService adds the cluster, task definition, service, its security
// group and log group to scope.
func NewFargateService(scope constructs.Construct, id string, props FargateServiceProps) (*FargateService, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("compute.FargateService %s: %w", id, err)
	}
	env := props.Env
	// Granted before anything is added, so a refused grant leaves scope as
	// it was.
	secretsGrant, err := grantSecrets(scope, props)
	if err != nil {
		return nil, fmt.Errorf("compute.FargateService %s: %w", id, err)
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	group, err := logs.NewLogGroup(c, "logs", props.logGroup())
	if err != nil {
		return nil, err
	}

	sg := securitygroup.NewSecurityGroup(c, jsii.String("sg"), &securitygroup.SecurityGroupConfig{
		Provider:    env.Provider,
		Name:        jsii.String(props.ServiceName + "-tasks"),
		Description: jsii.String("Tasks: app port from the ALB only; HTTPS out"),
		VpcId:       props.Subnets.VpcID(),
		Tags:        &map[string]*string{"Name": jsii.String(props.ServiceName + "-tasks")},
	})
	port := jsii.Number(props.ContainerPort)
	vpcsecuritygroupingressrule.NewVpcSecurityGroupIngressRule(c, jsii.String("from-alb"), &vpcsecuritygroupingressrule.VpcSecurityGroupIngressRuleConfig{
		Provider:                  env.Provider,
		SecurityGroupId:           sg.Id(),
		Description:               jsii.String("App port from the load balancer"),
		IpProtocol:                jsii.String("tcp"),
		FromPort:                  port,
		ToPort:                    port,
		ReferencedSecurityGroupId: props.LoadBalancer.SecurityGroupID,
	})
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(c, jsii.String("alb-to-tasks"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
		Provider:                  env.Provider,
		SecurityGroupId:           props.LoadBalancer.SecurityGroupID,
		Description:               jsii.String("App port to the tasks"),
		IpProtocol:                jsii.String("tcp"),
		FromPort:                  port,
		ToPort:                    port,
		ReferencedSecurityGroupId: sg.Id(),
	})
	vpcsecuritygroupegressrule.NewVpcSecurityGroupEgressRule(c, jsii.String("https-out"), &vpcsecuritygroupegressrule.VpcSecurityGroupEgressRuleConfig{
		Provider:        env.Provider,
		SecurityGroupId: sg.Id(),
		// Image pulls and AWS APIs (logs, secrets) are HTTPS endpoints with
		// no fixed addresses.
		Description: jsii.String("HTTPS to image registries and AWS APIs"),
		IpProtocol:  jsii.String("tcp"),
		FromPort:    jsii.Number(443),
		ToPort:      jsii.Number(443),
		CidrIpv4:    jsii.String("0.0.0.0/0"),
	})

	cluster := ecscluster.NewEcsCluster(c, jsii.String("cluster"), &ecscluster.EcsClusterConfig{
		Provider: env.Provider,
		Name:     jsii.String(props.ClusterName),
		Setting: []*ecscluster.EcsClusterSetting{{
			Name:  jsii.String("containerInsights"),
			Value: jsii.String("enabled"),
		}},
	})
	var environment, secrets []map[string]any
	for _, name := range slices.Sorted(maps.Keys(props.Environment)) {
		environment = append(environment, map[string]any{"name": name, "value": props.Environment[name]})
	}
	for _, name := range slices.Sorted(maps.Keys(props.Secrets)) {
		secrets = append(secrets, map[string]any{"name": name, "valueFrom": props.Secrets[name]})
	}
	container := map[string]any{
		"name":         ContainerName,
		"image":        props.Image,
		"essential":    true,
		"portMappings": []map[string]any{{"containerPort": props.ContainerPort, "protocol": "tcp"}},
		"logConfiguration": map[string]any{
			"logDriver": "awslogs",
			"options": map[string]string{
				"awslogs-group":         group.Name,
				"awslogs-region":        env.Region,
				"awslogs-stream-prefix": props.ServiceName,
			},
		},
	}
	if len(environment) > 0 {
		container["environment"] = environment
	}
	if len(secrets) > 0 {
		container["secrets"] = secrets
	}
	containers, _ := json.Marshal([]map[string]any{container})
	task := ecstaskdefinition.NewEcsTaskDefinition(c, jsii.String("task"), &ecstaskdefinition.EcsTaskDefinitionConfig{
		Provider:                env.Provider,
		Family:                  jsii.String(props.Family),
		RequiresCompatibilities: jsii.Strings("FARGATE"),
		NetworkMode:             jsii.String("awsvpc"),
		Cpu:                     jsii.String(fmt.Sprint(props.Cpu)),
		Memory:                  jsii.String(fmt.Sprint(props.Memory)),
		ExecutionRoleArn:        props.ExecutionRole.RoleArn(),
		TaskRoleArn:             props.TaskRole.RoleArn(),
		RuntimePlatform: &ecstaskdefinition.EcsTaskDefinitionRuntimePlatform{
			OperatingSystemFamily: jsii.String("LINUX"),
			CpuArchitecture:       jsii.String("X86_64"),
		},
		ContainerDefinitions: jsii.String(string(containers)),
	})
	subnets := props.Subnets.SubnetIDs()
	// The target group must be attached to the load balancer (through the
	// listener) before a service can register with it; and tasks read
	// their secrets when they start, so the grant comes first too.
	dependsOn := []cdktf.ITerraformDependable{props.LoadBalancer.Listener}
	if secretsGrant != nil {
		dependsOn = append(dependsOn, secretsGrant.Policy)
	}
	service := ecsservice.NewEcsService(c, jsii.String("service"), &ecsservice.EcsServiceConfig{
		Provider:       env.Provider,
		Name:           jsii.String(props.ServiceName),
		Cluster:        cluster.Arn(),
		TaskDefinition: task.Arn(),
		DesiredCount:   jsii.Number(props.DesiredCount),
		LaunchType:     jsii.String("FARGATE"),
		NetworkConfiguration: &ecsservice.EcsServiceNetworkConfiguration{
			Subnets:        &subnets,
			SecurityGroups: &[]*string{sg.Id()},
			AssignPublicIp: jsii.Bool(false),
		},
		LoadBalancer: []*ecsservice.EcsServiceLoadBalancer{{
			TargetGroupArn: props.LoadBalancer.TargetGroupArn,
			ContainerName:  jsii.String(ContainerName),
			ContainerPort:  port,
		}},
		HealthCheckGracePeriodSeconds: jsii.Number(timing.ServiceHealthCheckGracePeriod.Seconds()),
		DeploymentCircuitBreaker: &ecsservice.EcsServiceDeploymentCircuitBreaker{
			Enable:   jsii.Bool(true),
			Rollback: jsii.Bool(true),
		},
		DeploymentMinimumHealthyPercent: jsii.Number(100),
		DeploymentMaximumPercent:        jsii.Number(200),
		EnableEcsManagedTags:            jsii.Bool(true),
		PropagateTags:                   jsii.String("SERVICE"),
		DependsOn:                       &dependsOn,
	})
	return &FargateService{Construct: c, ClusterName: props.ClusterName, ServiceName: props.ServiceName, ClusterArn: cluster.Arn(), ServiceArn: service.Id(), TaskDefinitionArn: task.Arn(), SecurityGroupID: sg.Id(), LogGroup: group, SecretsGrant: secretsGrant}, nil
}

// grantSecrets grants props.ExecutionRole read on props.Secrets when the
// role is an *identity.Role in scope's stack; nil otherwise (see
// FargateServiceProps.ExecutionRole).
func grantSecrets(scope constructs.Construct, props FargateServiceProps) (*identity.Grant, error) {
	role, ok := props.ExecutionRole.(*identity.Role)
	if !ok || len(props.Secrets) == 0 {
		return nil, nil
	}
	if role.Construct == nil {
		return nil, errors.New("ExecutionRole: an identity.Role not made by identity.NewRole; for a role by ARN use identity.ExistingRole")
	}
	if !sameStack(role, scope) {
		return nil, nil
	}
	var secrets []string
	for _, name := range slices.Sorted(maps.Keys(props.Secrets)) {
		if !slices.Contains(secrets, props.Secrets[name]) {
			secrets = append(secrets, props.Secrets[name])
		}
	}
	return role.Grant(identity.GrantName("task-secrets", props.ServiceName), identity.TaskSecretsStatements(props.Env, secrets, *props.Key.KeyArn())...)
}

// sameStack reports whether role is in scope's stack, so a grant there
// adds no cross-stack reference and no IAM resource to another stack.
func sameStack(role *identity.Role, scope constructs.Construct) bool {
	return *cdktf.TerraformStack_Of(role.Construct).Node().Path() == *cdktf.TerraformStack_Of(scope).Node().Path()
}
