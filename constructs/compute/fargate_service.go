package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

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
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/constructs/policypack"
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
	// ExecutionRoleArn lets ECS pull the image and write logs; TaskRoleArn is
	// what the application's code runs as.
	ExecutionRoleArn *string
	TaskRoleArn      *string
	VpcID            *string
	// SubnetIDs are private subnets; tasks get no public IP.
	SubnetIDs    []*string
	LoadBalancer *LoadBalancer
	// Environment holds plain values for the container (endpoints, names).
	// A name that looks like a credential (PASSWORD, TOKEN, SECRET, KEY) is
	// refused: pass it in Secrets.
	Environment map[string]*string
	// Secrets maps a variable name to a Secrets Manager secret's name (or
	// ARN) in the task's region; ECS injects the value at start, and it never
	// appears in the task definition. The execution role must be allowed to
	// read it.
	Secrets map[string]string
	// LogGroup, LogRetentionDays and KmsKeyArn configure the container log group.
	LogGroup         string
	LogRetentionDays int
	KmsKeyArn        *string
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
	if p.ExecutionRoleArn == nil || p.TaskRoleArn == nil {
		errs = append(errs, errors.New("ExecutionRoleArn and TaskRoleArn: required"))
	}
	if p.VpcID == nil || len(p.SubnetIDs) == 0 {
		errs = append(errs, errors.New("VpcID and SubnetIDs: required"))
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
		}
	}
	if err := p.logGroup().Validate(); err != nil {
		errs = append(errs, fmt.Errorf("log group: %w", err))
	}
	return errors.Join(errs...)
}

func (p FargateServiceProps) logGroup() logs.LogGroupProps {
	return logs.LogGroupProps{Env: p.Env, Name: p.LogGroup, RetentionDays: p.LogRetentionDays, KmsKeyArn: p.KmsKeyArn}
}

// NewFargateService adds the cluster, task definition, service, its security
// group and log group to scope.
func NewFargateService(scope constructs.Construct, id string, props FargateServiceProps) (*FargateService, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("compute.FargateService %s: %w", id, err)
	}
	env := props.Env
	c := constructs.NewConstruct(scope, jsii.String(id))
	group, err := logs.NewLogGroup(c, "logs", props.logGroup())
	if err != nil {
		return nil, err
	}

	sg := securitygroup.NewSecurityGroup(c, jsii.String("sg"), &securitygroup.SecurityGroupConfig{
		Provider:    env.Provider,
		Name:        jsii.String(props.ServiceName + "-tasks"),
		Description: jsii.String("Tasks: app port from the ALB only; HTTPS out"),
		VpcId:       props.VpcID,
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
		ExecutionRoleArn:        props.ExecutionRoleArn,
		TaskRoleArn:             props.TaskRoleArn,
		RuntimePlatform: &ecstaskdefinition.EcsTaskDefinitionRuntimePlatform{
			OperatingSystemFamily: jsii.String("LINUX"),
			CpuArchitecture:       jsii.String("X86_64"),
		},
		ContainerDefinitions: jsii.String(string(containers)),
	})
	service := ecsservice.NewEcsService(c, jsii.String("service"), &ecsservice.EcsServiceConfig{
		Provider:       env.Provider,
		Name:           jsii.String(props.ServiceName),
		Cluster:        cluster.Arn(),
		TaskDefinition: task.Arn(),
		DesiredCount:   jsii.Number(props.DesiredCount),
		LaunchType:     jsii.String("FARGATE"),
		NetworkConfiguration: &ecsservice.EcsServiceNetworkConfiguration{
			Subnets:        &props.SubnetIDs,
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
		// The target group must be attached to the load balancer (through the
		// listener) before a service can register with it.
		DependsOn: &[]cdktf.ITerraformDependable{props.LoadBalancer.Listener},
	})
	return &FargateService{Construct: c, ClusterName: props.ClusterName, ServiceName: props.ServiceName, ClusterArn: cluster.Arn(), ServiceArn: service.Id(), TaskDefinitionArn: task.Arn(), SecurityGroupID: sg.Id(), LogGroup: group}, nil
}
