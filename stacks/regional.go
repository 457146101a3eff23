package stacks

import (
	"errors"
	"fmt"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/constructs/data"
	"github.com/pilotlight/pilotlight/constructs/dns"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/constructs/monitoring"
	"github.com/pilotlight/pilotlight/constructs/network"
)

// RegionalStackConfig is what a RegionalStack is built from.
type RegionalStackConfig struct {
	App    config.Config
	Region string
	// Global supplies the roles; they reach this stack as remote state.
	Global *GlobalStack
	// Keys supplies the region's KMS key, also as remote state.
	Keys *KeysStack
}

// RegionalStack is one region's copy of the system: network, key, load
// balancer and service. The same code builds the primary and every failover
// region; only the active region runs tasks.
type RegionalStack struct {
	// Stack is the cdktf stack; Name its name in cdktf.out.
	Stack  cdktf.TerraformStack
	Name   string
	Region string
	Role   RegionRole
	// Active is true for the region that serves traffic (config activeRegion).
	Active       bool
	Env          awsenv.Env
	Key          *encryption.RegionalKey
	Network      *network.Vpc
	LoadBalancer *compute.LoadBalancer
	// AccessLogs receives the region's S3 server access logs.
	AccessLogs *logs.AccessLogBucket
	// TrafficSwitch, with dns set, is the bucket whose object hands the active
	// region's traffic to this one while it is standby.
	TrafficSwitch *dns.TrafficSwitch
	// Service is set by AddService, once the region's data exists.
	Service *compute.FargateService
	// Alarms watch the metrics published in this region: replication into
	// and out of it, and its web tier.
	Alarms *monitoring.RegionalAlarms

	app    config.Config
	global *GlobalStack
}

// DataSite is the region as ReplicatedData sees it: the stack, its key and
// private subnets.
func (r *RegionalStack) DataSite() data.Site {
	return data.Site{Scope: r.Stack, Env: r.Env, KmsKeyArn: r.Key.Arn, VpcID: r.Network.ID, SubnetIDs: r.Network.PrivateSubnetIDs, AccessLogBucket: r.AccessLogs.ID}
}

// AddService adds the Fargate service, reaching this region's data through
// endpoints: addresses in its environment, credentials as task secrets.
// Pilot light: only the active region runs tasks.
//
// hook, when not nil, may change the service's props first (more
// environment, secrets, a bigger size); its error stops the build.
func (r *RegionalStack) AddService(endpoints *data.Endpoints, hook ServiceHook) error {
	app, names := r.app, r.app.Names()
	desired := 0
	if r.Active {
		desired = app.Service.DesiredCount
	}
	// The roles are the global stack's, which grants them (the secrets by
	// name, in every region): a regional stack creates no IAM resource.
	props := compute.FargateServiceProps{
		Env:              r.Env,
		ClusterName:      names.Cluster(),
		ServiceName:      names.Service(),
		Family:           names.TaskFamily(),
		Image:            app.ImageIn(r.Region),
		ContainerPort:    app.Service.ContainerPort,
		Cpu:              app.Service.Cpu,
		Memory:           app.Service.Memory,
		DesiredCount:     desired,
		ExecutionRole:    r.global.ExecutionRole,
		TaskRole:         r.global.TaskRole,
		Subnets:          r.Network.PrivateSubnets(),
		LoadBalancer:     r.LoadBalancer,
		Environment:      endpoints.Environment(),
		Secrets:          endpoints.Secrets(),
		LogGroup:         names.AppLogGroup(),
		LogRetentionDays: app.LogRetentionDays,
		Key:              r.Key,
	}
	if hook != nil {
		if err := hook(r.Region, &props); err != nil {
			return fmt.Errorf("stack %s: service hook: %w", r.Name, err)
		}
	}
	service, err := compute.NewFargateService(r.Stack, "service", props)
	if err != nil {
		return fmt.Errorf("stack %s: %w", r.Name, err)
	}
	endpoints.AllowClients(service.SecurityGroupID)
	if endpoints.DatabaseNetwork != nil {
		existingClusterOutputs(r, service)
	}
	r.Service = service
	return nil
}

// existingClusterOutputs are what the owner of an existing primary cluster
// (database.mode cluster) needs to let this region's tasks in: the app
// opens its own side only (data.Endpoints.AllowClients says why), and its
// VPC is not the cluster's, so the two VPCs must be joined (VPC peering or
// a transit gateway, with routes both ways) and the cluster's security
// group must admit the tasks on the cluster's port.
func existingClusterOutputs(r *RegionalStack, service *compute.FargateService) {
	cdktf.NewTerraformOutput(r.Stack, jsii.String("database_clients_security_group_id"), &cdktf.TerraformOutputConfig{
		Value: service.SecurityGroupID,
		Description: jsii.String("The app's tasks in this region. database.mode cluster: admit it in the existing cluster's security group on the cluster's port " +
			"(a security group reference works across a VPC peering in one region; otherwise admit database_clients_cidr)"),
	})
	cdktf.NewTerraformOutput(r.Stack, jsii.String("database_clients_cidr"), &cdktf.TerraformOutputConfig{
		Value: jsii.String(r.Network.Cidr),
		Description: jsii.String("The app's VPC in this region. database.mode cluster: join it to the existing cluster's VPC (VPC peering or a transit gateway, " +
			"with routes both ways; the CIDRs must not overlap) and admit it in the cluster's security group on the cluster's port"),
	})
}

// ServiceHook changes a region's service props before the service is
// made: the way an embedding app extends the service (environment,
// secrets, size) without forking the stacks.
type ServiceHook func(region string, props *compute.FargateServiceProps) error

// originCertificate is the region's load balancer certificate: the one
// edge.origins gives, the one the global stack creates, or none.
func originCertificate(app config.Config, region string, global *GlobalStack) *string {
	if arn := app.Edge.Origins[region].CertificateArn; arn != "" {
		return jsii.String(arn)
	}
	if c, ok := global.Certificates[region]; ok {
		return c.Arn
	}
	return nil
}

// NewRegionalStack adds the stack of cfg.Region to scope.
func NewRegionalStack(scope constructs.Construct, cfg RegionalStackConfig) (*RegionalStack, error) {
	app := cfg.App
	names := app.Names()
	role := Failover
	if cfg.Region == app.PrimaryRegion {
		role = Primary
	}
	active := cfg.Region == app.ActiveRegion
	name := names.RegionalStack(cfg.Region)
	fail := func(err error) (*RegionalStack, error) {
		return nil, fmt.Errorf("stack %s: %w", name, err)
	}
	// Before the stack exists: a refused stack leaves scope as it was.
	if cfg.Keys == nil || cfg.Keys.Region != cfg.Region || cfg.Keys.Key == nil {
		return fail(fmt.Errorf("needs the keys stack of %s (NewKeysStack)", cfg.Region))
	}
	if cfg.Global == nil || cfg.Global.FlowLogsRole == nil {
		return fail(errors.New("needs the global stack (NewGlobalStack), whose roles it uses"))
	}
	stack, env, err := newStack(scope, name, app, cfg.Region, role)
	if err != nil {
		return nil, err
	}
	key := cfg.Keys.Key
	vpc, err := network.NewVpc(stack, "network", network.VpcProps{
		Env:     env,
		Name:    names.Vpc(),
		Cidr:    app.VpcCidr(cfg.Region),
		AzCount: app.Network.AzCount,
		// Pilot light: a standby region runs no tasks, so it needs no NAT
		// until it becomes active (the switch's apply creates them).
		NatGateways: active || app.Network.StandbyEgress == config.EgressNat,
		Endpoints:   taskEndpoints(app),
		FlowLogs: network.FlowLogsProps{
			LogGroup:      names.FlowLogGroup(),
			RetentionDays: app.LogRetentionDays,
			KmsKeyArn:     key.Arn,
			RoleArn:       cfg.Global.FlowLogsRole.Arn,
		},
	})
	if err != nil {
		return fail(err)
	}
	accessLogs, err := logs.NewAccessLogBucket(stack, "access-logs", logs.AccessLogBucketProps{
		Env:                   env,
		Name:                  names.AccessLogBucket(cfg.Region, *env.AccountID),
		SourceBucketPrefix:    names.Prefix() + "-",
		ExpirationDays:        max(app.LogRetentionDays, 90),
		LoadBalancerLogPrefix: names.LoadBalancerLogPrefix(),
	})
	if err != nil {
		return fail(err)
	}
	alb, err := compute.NewLoadBalancer(stack, "load-balancer", compute.LoadBalancerProps{
		Env:             env,
		Name:            names.LoadBalancer(),
		TargetGroupName: names.TargetGroup(),
		VpcID:           vpc.ID,
		SubnetIDs:       vpc.PublicSubnetIDs,
		TargetPort:      app.Service.ContainerPort,
		HealthCheckPath: app.Service.HealthCheckPath,
		CertificateArn:  originCertificate(app, cfg.Region, cfg.Global),
		// With dns, Route 53 checks this region's origin name over HTTPS.
		AdmitRoute53HealthCheckers: app.DNS.Enabled(),
		AccessLogs: compute.LoadBalancerAccessLogs{
			Bucket:    accessLogs.ID,
			Prefix:    names.LoadBalancerLogPrefix(),
			DependsOn: []cdktf.ITerraformDependable{accessLogs.Policy},
		},
	})
	if err != nil {
		return fail(err)
	}
	var trafficSwitch *dns.TrafficSwitch
	if app.DNS.Enabled() {
		// Every region has one; the standby's is the one that counts, and
		// after a switch another region is standby.
		trafficSwitch, err = dns.NewTrafficSwitch(stack, "traffic-switch", dns.TrafficSwitchProps{
			Env:             env,
			BucketName:      names.TrafficSwitchBucket(cfg.Region, *env.AccountID),
			Key:             config.TrafficSwitchKey,
			AccessLogBucket: accessLogs.ID,
		})
		if err != nil {
			return fail(err)
		}
	}
	cdktf.NewTerraformOutput(stack, jsii.String("load_balancer_dns_name"), &cdktf.TerraformOutputConfig{
		Value:       alb.DNSName,
		Description: jsii.String("The region's ALB; reachable from CloudFront only"),
	})
	alarms, err := monitoring.NewRegionalAlarms(stack, "alarms", regionalAlarmsProps(app, cfg.Region, env, key, alb))
	if err != nil {
		return fail(err)
	}
	return &RegionalStack{Stack: stack, Name: name, Region: cfg.Region, Role: role, Active: active, Env: env, Key: key, Network: vpc, LoadBalancer: alb, AccessLogs: accessLogs, TrafficSwitch: trafficSwitch, Alarms: alarms, app: app, global: cfg.Global}, nil
}

// regionalAlarmsProps is what region watches. Every name comes from the
// config (config.Names, data's naming rules), never from another stack, so
// a failover stack plans with the primary region dark. The data tier's
// alarms depend on primaryRegion only, and every region has the web-tier
// alarms, so a region switch changes no alarm.
func regionalAlarmsProps(app config.Config, region string, env awsenv.Env, key *encryption.RegionalKey, alb *compute.LoadBalancer) monitoring.RegionalAlarmsProps {
	names := app.Names()
	thresholds := app.Alarms.Thresholds()
	bucket := func(logical, r string) string { return names.Bucket(logical, r, *env.AccountID) }
	rule := func(logical, from, to string) monitoring.S3Rule {
		return monitoring.S3Rule{Name: fmt.Sprintf("%s-%s-to-%s", logical, from, to), SourceBucket: bucket(logical, from), DestinationBucket: bucket(logical, to), RuleID: data.ReplicationRuleID(to)}
	}
	// ReplicationLatency is published in the destination bucket's region,
	// OperationsFailedReplication in the source bucket's.
	var into, from []monitoring.S3Rule
	for _, b := range app.Buckets {
		for _, f := range app.FailoverRegions {
			forward := rule(b.Name, app.PrimaryRegion, f)
			reverse := rule(b.Name, f, app.PrimaryRegion)
			switch region {
			case app.PrimaryRegion:
				from = append(from, forward)
				if *b.ReverseReplication {
					into = append(into, reverse)
				}
			case f:
				into = append(into, forward)
				if *b.ReverseReplication {
					from = append(from, reverse)
				}
			}
		}
	}
	return monitoring.RegionalAlarmsProps{
		Env:                 env,
		Name:                names.Prefix(),
		KmsKeyArn:           key.Arn,
		Endpoints:           app.Alarms.Endpoints,
		Thresholds:          &thresholds,
		AuroraCluster:       app.DatabaseCluster(region),
		AuroraSourceRegions: slices.DeleteFunc(app.Regions(), func(r string) bool { return r == region }),
		CacheNodes:          data.CacheNodeIDs(names.CacheGroup(region), app.Cache.Replicas),
		ReplicationInto:     into,
		ReplicationFrom:     from,
		LoadBalancer:        monitoring.LoadBalancer{ArnSuffix: *alb.ArnSuffix, TargetGroupArnSuffix: *alb.TargetGroupArnSuffix},
		Service:             monitoring.Service{Cluster: names.Cluster(), Service: names.Service(), LogGroup: names.AppLogGroup()},
	}
}

// taskEndpoints are the VPC endpoints a region's tasks start with when NAT
// is not there yet (standbyEgress: endpoints). Every region has them, the
// active one too: a region switch then changes only the NAT parts, and
// never removes endpoints from under tasks that run on them.
func taskEndpoints(app config.Config) network.EndpointsProps {
	if app.Network.StandbyEgress != config.EgressEndpoints {
		return network.EndpointsProps{}
	}
	return network.EndpointsProps{Interface: config.TaskInterfaceEndpoints, Gateway: []string{config.TaskGatewayEndpoint}}
}
