// Package constructs_test holds the library-wide checks: no exported
// constructor panics, whatever it is given.
package constructs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/constructs/data"
	"github.com/pilotlight/pilotlight/constructs/dns"
	"github.com/pilotlight/pilotlight/constructs/edge"
	"github.com/pilotlight/pilotlight/constructs/encryption"
	"github.com/pilotlight/pilotlight/constructs/identity"
	"github.com/pilotlight/pilotlight/constructs/logs"
	"github.com/pilotlight/pilotlight/constructs/monitoring"
	"github.com/pilotlight/pilotlight/constructs/network"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/constructs/storage"
	"github.com/pilotlight/pilotlight/internal/synthtest"
	"github.com/pilotlight/pilotlight/stacks"
)

// constructors calls each exported constructor with zero props, in scope
// under id.
var constructors = map[string]func(scope constructs.Construct, id string) error{
	"identity.NewRole": func(s constructs.Construct, id string) error {
		_, err := identity.NewRole(s, id, identity.RoleProps{})
		return err
	},
	"compute.NewLoadBalancer": func(s constructs.Construct, id string) error {
		_, err := compute.NewLoadBalancer(s, id, compute.LoadBalancerProps{})
		return err
	},
	"compute.NewFargateService": func(s constructs.Construct, id string) error {
		_, err := compute.NewFargateService(s, id, compute.FargateServiceProps{})
		return err
	},
	"edge.NewFailoverDistribution": func(s constructs.Construct, id string) error {
		_, err := edge.NewFailoverDistribution(s, id, edge.FailoverDistributionProps{})
		return err
	},
	"network.NewVpc": func(s constructs.Construct, id string) error {
		_, err := network.NewVpc(s, id, network.VpcProps{})
		return err
	},
	"logs.NewAccessLogBucket": func(s constructs.Construct, id string) error {
		_, err := logs.NewAccessLogBucket(s, id, logs.AccessLogBucketProps{})
		return err
	},
	"logs.NewLogGroup": func(s constructs.Construct, id string) error {
		_, err := logs.NewLogGroup(s, id, logs.LogGroupProps{})
		return err
	},
	"dns.NewCertificate": func(s constructs.Construct, id string) error {
		_, err := dns.NewCertificate(s, id, dns.CertificateProps{})
		return err
	},
	"dns.NewFailoverName": func(s constructs.Construct, id string) error {
		_, err := dns.NewFailoverName(s, id, dns.FailoverNameProps{})
		return err
	},
	"dns.NewTrafficSwitch": func(s constructs.Construct, id string) error {
		_, err := dns.NewTrafficSwitch(s, id, dns.TrafficSwitchProps{})
		return err
	},
	"monitoring.NewAlarmTopic": func(s constructs.Construct, id string) error {
		_, err := monitoring.NewAlarmTopic(s, id, monitoring.AlarmTopicProps{})
		return err
	},
	"monitoring.NewDashboard": func(s constructs.Construct, id string) error {
		_, err := monitoring.NewDashboard(s, id, monitoring.DashboardProps{})
		return err
	},
	"monitoring.NewRegionalAlarms": func(s constructs.Construct, id string) error {
		_, err := monitoring.NewRegionalAlarms(s, id, monitoring.RegionalAlarmsProps{})
		return err
	},
	"encryption.NewRegionalKey": func(s constructs.Construct, id string) error {
		_, err := encryption.NewRegionalKey(s, id, encryption.RegionalKeyProps{})
		return err
	},
	"storage.NewPrivateBucket": func(s constructs.Construct, id string) error {
		_, err := storage.NewPrivateBucket(s, storage.PrivateBucketProps{})
		return err
	},
	"data.NewReplicatedData": func(s constructs.Construct, id string) error {
		_, err := data.NewReplicatedData(data.ReplicatedDataProps{})
		return err
	},
	"awsenv.New": func(s constructs.Construct, id string) error {
		_, err := awsenv.New(s, nil, "")
		return err
	},
	"stacks.New": func(s constructs.Construct, id string) error {
		_, err := stacks.New(s, config.Config{})
		return err
	},
	"stacks.NewGlobalStack": func(s constructs.Construct, id string) error {
		_, err := stacks.NewGlobalStack(s, stacks.GlobalStackConfig{})
		return err
	},
	"stacks.NewKeysStack": func(s constructs.Construct, id string) error {
		_, err := stacks.NewKeysStack(s, stacks.KeysStackConfig{})
		return err
	},
	"stacks.NewRegionalStack": func(s constructs.Construct, id string) error {
		_, err := stacks.NewRegionalStack(s, stacks.RegionalStackConfig{})
		return err
	},
	"stacks.NewReplicationStack": func(s constructs.Construct, id string) error {
		_, err := stacks.NewReplicationStack(s, stacks.ReplicationStackConfig{})
		return err
	},
	"stacks.NewEdgeStack": func(s constructs.Construct, id string) error {
		_, err := stacks.NewEdgeStack(s, stacks.EdgeStackConfig{})
		return err
	},
}

// Every exported stack constructor, given a valid config: a second stack
// of the same name in one app, a region the app does not have, and a
// missing stack it builds on are errors, never panics, and a refused
// stack adds nothing to the app.
func TestStackConstructorsRefuseConflicts(t *testing.T) {
	cfg := config.Default()
	app := cdktf.Testing_App(nil)
	global, err := stacks.NewGlobalStack(app, stacks.GlobalStackConfig{App: cfg})
	if err != nil {
		t.Fatal(err)
	}
	var keys []*stacks.KeysStack
	var regions []*stacks.RegionalStack
	for _, r := range cfg.Regions() {
		k, err := stacks.NewKeysStack(app, stacks.KeysStackConfig{App: cfg, Region: r})
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
		rs, err := stacks.NewRegionalStack(app, stacks.RegionalStackConfig{App: cfg, Region: r, Global: global, Keys: k})
		if err != nil {
			t.Fatal(err)
		}
		regions = append(regions, rs)
	}
	if _, err := stacks.NewReplicationStack(app, stacks.ReplicationStackConfig{App: cfg}); err != nil {
		t.Fatal(err)
	}
	if _, err := stacks.NewEdgeStack(app, stacks.EdgeStackConfig{App: cfg, Regions: regions}); err != nil {
		t.Fatal(err)
	}
	children := len(*app.Node().Children())
	for name, tc := range map[string]struct {
		f    func() error
		says string
	}{
		"a second global stack": {func() error {
			_, err := stacks.NewGlobalStack(app, stacks.GlobalStackConfig{App: cfg})
			return err
		}, "already holds"},
		"a second keys stack": {func() error {
			_, err := stacks.NewKeysStack(app, stacks.KeysStackConfig{App: cfg, Region: "us-west-2"})
			return err
		}, "already holds"},
		"a second regional stack": {func() error {
			_, err := stacks.NewRegionalStack(app, stacks.RegionalStackConfig{App: cfg, Region: "us-west-2", Global: global, Keys: keys[1]})
			return err
		}, "already holds"},
		"a second replication stack": {func() error {
			_, err := stacks.NewReplicationStack(app, stacks.ReplicationStackConfig{App: cfg})
			return err
		}, "already holds"},
		"a second edge stack": {func() error {
			_, err := stacks.NewEdgeStack(app, stacks.EdgeStackConfig{App: cfg, Regions: regions})
			return err
		}, "already holds"},
		"keys of a region not the app's": {func() error {
			_, err := stacks.NewKeysStack(app, stacks.KeysStackConfig{App: cfg, Region: "eu-west-1"})
			return err
		}, "none of the app's regions"},
		"a regional stack without its keys": {func() error {
			_, err := stacks.NewRegionalStack(app, stacks.RegionalStackConfig{App: cfg, Region: "us-west-2", Global: global})
			return err
		}, "needs the keys stack"},
		"a regional stack with another region's keys": {func() error {
			_, err := stacks.NewRegionalStack(app, stacks.RegionalStackConfig{App: cfg, Region: "us-west-2", Global: global, Keys: keys[0]})
			return err
		}, "needs the keys stack of us-west-2"},
		"a regional stack without the global stack": {func() error {
			_, err := stacks.NewRegionalStack(app, stacks.RegionalStackConfig{App: cfg, Region: "us-west-2", Keys: keys[1]})
			return err
		}, "needs the global stack"},
		"an edge stack without the standby region": {func() error {
			_, err := stacks.NewEdgeStack(app, stacks.EdgeStackConfig{App: cfg, Regions: regions[:1]})
			return err
		}, "needs the regional stack of us-west-2"},
		"a global stack on an invalid config": {func() error {
			bad := cfg
			bad.FailoverRegions = nil
			_, err := stacks.NewGlobalStack(cdktf.Testing_App(nil), stacks.GlobalStackConfig{App: bad})
			return err
		}, "failoverRegions: required"},
	} {
		t.Run(name, func(t *testing.T) {
			err := call(t, name, tc.f)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("want an error saying %q, got %v", tc.says, err)
			}
		})
	}
	if got := len(*app.Node().Children()); got != children {
		t.Errorf("refused stacks changed the app: %d children, was %d", got, children)
	}
}

func call(t *testing.T, name string, f func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s panicked: %v", name, r)
			err = fmt.Errorf("panic")
		}
	}()
	return f()
}

// Zero props, a nil scope, and an id already taken: an error each time,
// never a panic.
func TestNoConstructorPanics(t *testing.T) {
	for name, newX := range constructors {
		t.Run(name, func(t *testing.T) {
			stack, _ := synthtest.NewStack("us-east-1")
			if err := call(t, name, func() error { return newX(stack, "x") }); err == nil {
				t.Errorf("zero props: no error")
			}
			if err := call(t, name, func() error { return newX(nil, "x") }); err == nil {
				t.Errorf("nil scope: no error")
			}
			taken, _ := synthtest.NewStack("us-east-1")
			constructs.NewConstruct(taken, jsii.String("x"))
			constructs.NewConstruct(taken, jsii.String("bucket"))
			err := call(t, name, func() error { return newX(taken, "x") })
			if err == nil {
				t.Errorf("taken id: no error")
			}
		})
	}
}

// The same construct twice in one scope is refused by name, with both
// sets of props otherwise valid.
func TestDuplicatesAreErrors(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	role := func() error {
		_, err := identity.NewRole(stack, "role", identity.RoleProps{Env: env, Name: "r", AssumedBy: "ecs-tasks.amazonaws.com"})
		return err
	}
	bucket := func() error {
		_, err := storage.NewPrivateBucket(stack, storage.PrivateBucketProps{Env: env, Name: "shop-b"})
		return err
	}
	second := func() error {
		_, err := awsenv.New(stack, env.Provider, "us-east-1")
		return err
	}
	for name, f := range map[string]func() error{"role": role, "bucket": bucket, "awsenv.New": second} {
		if err := call(t, name, f); err != nil {
			t.Fatalf("%s, first: %v", name, err)
		}
		err := call(t, name, f)
		if name == "awsenv.New" {
			if err != nil {
				t.Errorf("a second Env in one stack: %v", err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "already holds") {
			t.Errorf("%s twice: %v", name, err)
		}
	}
	// Links in the primary's own scope.
	site := data.Site{Scope: stack, Env: env, KmsKeyArn: jsii.String("k"), VpcID: jsii.String("v"), SubnetIDs: []*string{jsii.String("a"), jsii.String("b")}}
	other, otherEnv := synthtest.NewStack("us-west-2")
	_, err := data.NewReplicatedData(data.ReplicatedDataProps{Primary: site, Links: site,
		Failovers: []data.Site{{Scope: other, Env: otherEnv, KmsKeyArn: jsii.String("k"), VpcID: jsii.String("v"), SubnetIDs: site.SubnetIDs}}})
	if err == nil || !strings.Contains(err.Error(), "the same scope") {
		t.Errorf("Links = Primary: %v", err)
	}
	// Conflicting props: an error naming both, never a panic.
	conflicts := map[string]func() error{
		"Role with a service and principals": func() error {
			_, err := identity.NewRole(stack, "both", identity.RoleProps{Env: env, Name: "x", AssumedBy: "ecs-tasks.amazonaws.com", AssumedByPrincipals: []string{"arn:aws:iam::123456789012:root"}})
			return err
		},
		"LogGroup with a key and a key ARN": func() error {
			_, err := logs.NewLogGroup(stack, "group", logs.LogGroupProps{Env: env, Name: "/x/y", RetentionDays: 7, KmsKeyArn: jsii.String("k"), Key: &encryption.RegionalKey{LogGroupPrefix: "/x/"}})
			return err
		},
		"LoadBalancer checked by Route 53 without HTTPS": func() error {
			_, err := compute.NewLoadBalancer(stack, "lb", compute.LoadBalancerProps{AdmitRoute53HealthCheckers: true})
			return err
		},
		"ReplicatedData with a role and a role ARN": func() error {
			_, err := data.NewReplicatedData(data.ReplicatedDataProps{ReplicationRole: &identity.Role{}, ReplicationRoleArn: jsii.String("r")})
			return err
		},
	}
	for name, f := range conflicts {
		if err := call(t, name, f); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A stack the pack refuses is an error value from CheckStacks, not a panic.
	if _, err := policypack.CheckStacks(policypack.AwsSolutions(), cdktf.TerraformStack(nil)); err == nil {
		t.Error("CheckStacks(nil): no error")
	}
}
