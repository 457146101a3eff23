package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultsAreValid(t *testing.T) {
	t.Setenv(EnvVar, "")
	cfg, err := FromEnv()
	if err != nil {
		t.Fatalf("defaults must validate: %v", err)
	}
	if cfg.Name != "pilotlight" || cfg.Environment != "dev" || cfg.PrimaryRegion != "us-east-1" ||
		!reflect.DeepEqual(cfg.FailoverRegions, []string{"us-west-2"}) || cfg.ActiveRegion != "us-east-1" {
		t.Errorf("defaults are not the documented ones: %+v", cfg)
	}
	if cfg.Backend.Type != BackendLocal {
		t.Errorf("default backend = %q, want local (works offline)", cfg.Backend.Type)
	}
}

func TestFullFileLoads(t *testing.T) {
	cfg, err := Load(filepath.Join("testdata", "full.yaml"))
	if err != nil {
		t.Fatalf("full.yaml: %v", err)
	}
	if cfg.ActiveRegion != "eu-central-1" || cfg.Service.Cpu != 1024 || cfg.Network.AzCount != 3 || cfg.Network.StandbyEgress != EgressEndpoints || cfg.Edge.PriceClass != "PriceClass_All" {
		t.Errorf("values not read: %+v", cfg)
	}
	if cfg.StandbyRegion() != "eu-west-1" {
		t.Errorf("standby with a failover region active = %s, want the primary eu-west-1", cfg.StandbyRegion())
	}
	if cfg.Backend.UseLockfile == nil || !*cfg.Backend.UseLockfile {
		t.Error("s3 backend without a DynamoDB table must default to S3 native locking")
	}
	if cfg.Database.Mode != "snapshot" || cfg.Cache.Replicas != 2 || len(cfg.Buckets) != 2 || *cfg.Buckets[1].ReplicationTimeControl {
		t.Errorf("data settings not read: %+v %+v %+v", cfg.Database, cfg.Cache, cfg.Buckets)
	}
	if !*cfg.Buckets[0].ReverseReplication || cfg.Buckets[0].NoncurrentVersionDays != 90 {
		t.Errorf("bucket defaults not applied: %+v", cfg.Buckets[0])
	}
	if len(cfg.Operator.Principals) != 1 || cfg.Operator.Principals[0] != "arn:aws:iam::123456789012:role/oncall" {
		t.Errorf("operator.principals = %v", cfg.Operator.Principals)
	}
	a := cfg.Alarms
	if a.AuroraReplicationLagSeconds != 10 || a.AuroraRpoLagSeconds != 20 || a.S3ReplicationLatencySeconds != 1800 || a.TasksBelowDesiredMinutes != 10 || len(a.Endpoints) != 3 {
		t.Errorf("alarms not read: %+v", a)
	}
	if d := Default().Alarms; d.AuroraReplicationLagSeconds != 5 || d.S3ReplicationLatencySeconds != 900 || d.Alb5xxPerMinute != 10 || len(d.Endpoints) != 0 {
		t.Errorf("alarm defaults are not the documented ones: %+v", d)
	}
	if cfg.Provider.MaxRetries != 8 {
		t.Errorf("provider.maxRetries = %d, want 8", cfg.Provider.MaxRetries)
	}
	if got := cfg.ImageIn("eu-north-1"); got != "123456789012.dkr.ecr.eu-north-1.amazonaws.com/shop:1.4.2" {
		t.Errorf("ImageIn = %s", got)
	}
}

func TestJSONIsAccepted(t *testing.T) {
	cfg, err := Parse("cfg.json", []byte(`{"environment": "prod", "failoverRegions": ["us-west-2", "us-east-2"], "activeRegion": "us-east-2"}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Environment != "prod" || cfg.ActiveRegion != "us-east-2" || cfg.Name != "pilotlight" {
		t.Errorf("JSON not merged over defaults: %+v", cfg)
	}
}

// What the file does not say is never read as the defaults by accident: a
// file that sets nothing, a second YAML document, and a key with no value
// are refused; a file that sets something, however little, is read over
// the defaults.
func TestUnreadSettingsAreRefused(t *testing.T) {
	right := []struct{ name, yaml, env string }{
		{"one setting", "environment: prod\n", "prod"},
		{"a leading ---", "---\nenvironment: prod\n", "prod"},
		{"a document end marker", "environment: prod\n...\n", "prod"},
		{"JSON", `{"environment": "prod"}`, "prod"},
		{"an explicit empty map of tags", "environment: prod\ntags: {}\n", "prod"},
	}
	for _, tc := range right {
		t.Run("right/"+tc.name, func(t *testing.T) {
			cfg, err := Parse("ok.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatalf("refused:\n%v", err)
			}
			if cfg.Environment != tc.env || cfg.Name != "pilotlight" {
				t.Errorf("read %s-%s, want pilotlight-%s", cfg.Name, cfg.Environment, tc.env)
			}
		})
	}
	refused := []struct{ name, yaml, key, says string }{
		{"empty file", "", "(file)", "sets nothing"},
		{"comments only", "# name: shop\n", "(file)", "unset PILOTLIGHT_CONFIG"},
		{"a bare ---", "---\n", "(file)", "the app pilotlight-dev"},
		{"null", "null\n", "(file)", "sets nothing"},
		{"an empty mapping", "{}\n", "(file)", "sets nothing"},
		{"a second document", "name: shop\n---\nenvironment: prod\n", "(file)", "line 2: a second YAML document"},
		{"a trailing ---", "name: shop\n---\n", "(file)", "second YAML document"},
		{"a file cut off after a block key", "name: shop\nservice:\n", "service", "line 2: has no value"},
		{"a key set to ~", "name: shop\nactiveRegion: ~\n", "activeRegion", "remove the key to keep its default"},
		{"a list with no value", "name: shop\nbuckets:\n", "buckets", "has no value"},
		{"a list item with no value", "name: shop\nfailoverRegions: [us-west-2, null]\n", "failoverRegions[1]", "has no value"},
		{"a map value with no value", "name: shop\ntags:\n  team:\n", "tags.team", "has no value"},
		{"a nested key with no value", "name: shop\nservice:\n  image:\n", "service.image", "has no value"},
	}
	for _, tc := range refused {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.yaml))
			var problems *Problems
			if !errors.As(err, &problems) {
				t.Fatalf("want *Problems, got %v", err)
			}
			for _, p := range problems.List {
				if p.Key == tc.key && strings.Contains(p.Message, tc.says) {
					return
				}
			}
			t.Errorf("no problem for key %q saying %q; got:\n%v", tc.key, tc.says, err)
		})
	}
}

func TestActiveRegionFollowsPrimary(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("primaryRegion: eu-west-1\nfailoverRegions: [eu-central-1]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ActiveRegion != "eu-west-1" {
		t.Errorf("activeRegion = %s, want the primary region when unset", cfg.ActiveRegion)
	}
}

// Every config error the app refuses, one case each: the message must name
// the key and say enough to fix it.
func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name, yaml string
		key        string // the key the problem must name
		says       string // a phrase the message must contain
	}{
		{"unknown top-level key", "regoin: us-east-1\n", "regoin", "unknown key"},
		{"typo gets a suggestion", "failoverRegion: [us-west-2]\n", "failoverRegion", `did you mean "failoverRegions"`},
		{"unknown nested key", "service:\n  cpus: 512\n", "service.cpus", `did you mean "cpu"`},
		{"key set twice", "name: a\nname: b\n", "name", "set twice"},
		{"malformed YAML", "name: [unclosed\n", "(file)", "not valid YAML"},
		{"wrong type", "service:\n  cpu: lots\n", "service.cpu", `"lots" is text; this key takes a whole number`},
		{"top level not a mapping", "- a\n- b\n", "(file)", "must be a mapping"},
		{"same region twice", "failoverRegions: [us-east-1]\n", "failoverRegions[0]", "already primaryRegion"},
		{"duplicate failover", "failoverRegions: [us-west-2, us-west-2]\n", "failoverRegions[1]", "already failoverRegions[0]"},
		{"active outside regions", "activeRegion: eu-west-1\n", "activeRegion", "neither primaryRegion nor"},
		{"three failover regions", "failoverRegions: [us-west-2, us-east-2, us-west-1]\n", "failoverRegions", "at most 2"},
		{"no failover region", "failoverRegions: []\n", "failoverRegions", "required"},
		{"malformed primary region", "primaryRegion: US-EAST-1\n", "primaryRegion", "not an AWS region name"},
		{"malformed failover region", "failoverRegions: [uswest2]\n", "failoverRegions[0]", "not an AWS region name"},
		{"regions across partitions", "failoverRegions: [cn-north-1]\n", "failoverRegions", "partitions"},
		{"name too long for an ALB", "name: a-very-long-system-name-here\n", "name/environment", "32 characters"},
		{"bad name characters", "name: My_App\n", "name", "lower-case letter"},
		{"bad environment", "environment: -dev\n", "environment", "lower-case letter"},
		{"fargate size", "service:\n  cpu: 256\n  memory: 4096\n", "service.cpu/service.memory", "use 512 to 2048"},
		{"fargate cpu", "service:\n  cpu: 300\n", "service.cpu/service.memory", "not a Fargate task size"},
		{"port", "service:\n  containerPort: 70000\n", "service.containerPort", "not a port"},
		{"desired count", "service:\n  desiredCount: 0\n", "service.desiredCount", "at least 1"},
		{"health check path", "service:\n  healthCheckPath: health\n", "service.healthCheckPath", "start with /"},
		{"image pinned to one region", "service:\n  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1\n", "service.image", "{region}"},
		{"empty image", "service:\n  image: ''\n", "service.image", "required"},
		{"retention", "logRetentionDays: 10\n", "logRetentionDays", "not a CloudWatch Logs retention"},
		{"az count", "network:\n  azCount: 1\n", "network.azCount", "2 or 3"},
		{"standby egress", "network:\n  standbyEgress: vpn\n", "network.standbyEgress", "none, nat, endpoints"},
		{"endpoints with a public image", "network:\n  standbyEgress: endpoints\n", "network.standbyEgress", "only the region's private ECR registry"},
		{"endpoints in the China regions", "primaryRegion: cn-north-1\nfailoverRegions: [cn-northwest-1]\nservice:\n  image: 123456789012.dkr.ecr.{region}.amazonaws.com.cn/app:1\nnetwork:\n  standbyEgress: endpoints\n", "network.standbyEgress", "not available in the China regions"},
		{"the replaced standbyNatGateways", "network:\n  standbyNatGateways: true\n", "network.standbyNatGateways", "standbyEgress: nat"},
		{"cidr not private", "network:\n  vpcCidrs:\n    us-east-1: 8.8.0.0/16\n", "network.vpcCidrs.us-east-1", "RFC 1918"},
		{"cidr malformed", "network:\n  vpcCidrs:\n    us-east-1: 10.0.0.0\n", "network.vpcCidrs.us-east-1", "not an IPv4 CIDR"},
		{"cidr too small", "network:\n  vpcCidrs:\n    us-east-1: 10.0.0.0/26\n", "network.vpcCidrs.us-east-1", "/16 to /24"},
		{"cidrs overlap", "network:\n  vpcCidrs:\n    us-west-2: 10.10.0.0/20\n", "network.vpcCidrs.us-west-2", "overlaps"},
		{"cidr for unknown region", "network:\n  vpcCidrs:\n    eu-west-1: 10.40.0.0/16\n", "network.vpcCidrs.eu-west-1", "not one of the app's regions"},
		{"price class", "edge:\n  priceClass: cheap\n", "edge.priceClass", "PriceClass_100"},
		{"api path", "edge:\n  apiPathPattern: api/*\n", "edge.apiPathPattern", "start with /"},
		{"failover status", "edge:\n  failoverStatusCodes: [501]\n", "edge.failoverStatusCodes", "not a status code"},
		{"certificate region", "edge:\n  certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc\n", "edge.certificateArn", "us-east-1"},
		{"aliases without certificate", "edge:\n  aliases: [www.example.com]\n", "edge.aliases", "certificateArn"},
		{"backend type", "backend:\n  type: consul\n", "backend.type", "local or s3"},
		{"s3 without bucket and region", "backend:\n  type: s3\n", "backend.bucket", "required"},
		{"s3 without region", "backend:\n  type: s3\n  bucket: acme-state\n", "backend.region", "required"},
		{"state in the primary region", "backend:\n  type: s3\n  bucket: acme-state\n  region: us-east-1\n", "backend.region", "losing us-east-1"},
		{"state in a failover region", "backend:\n  type: s3\n  bucket: acme-state\n  region: us-west-2\n", "backend.region", "outside"},
		{"two locks", "backend:\n  type: s3\n  bucket: acme-state\n  region: us-east-2\n  dynamodbTable: t\n  useLockfile: true\n", "backend.useLockfile", "choose one lock"},
		{"s3 keys on local", "backend:\n  bucket: b\n", "backend.bucket", "s3 only"},
		{"aws tag", "tags:\n  aws:x: y\n", "tags.aws:x", "aws:"},
		{"database mode", "database:\n  mode: clone\n", "database.mode", "new, snapshot or cluster"},
		{"unsupported engine version", "database:\n  engineVersion: '14.2'\n", "database.engineVersion", "14.3"},
		{"burstable instance class", "database:\n  instanceClass: db.t4g.medium\n", "database.instanceClass", "burstable"},
		{"snapshot mode without snapshot", "database:\n  mode: snapshot\n", "database.snapshotIdentifier", "required"},
		{"cluster mode without arn", "database:\n  mode: cluster\n  masterSecretName: s\n", "database.sourceClusterArn", "ARN"},
		{"cluster mode without secret", "database:\n  mode: cluster\n  sourceClusterArn: arn:aws:rds:us-east-1:123456789012:cluster:old\n", "database.masterSecretName", "required"},
		{"source cluster in another region", "database:\n  mode: cluster\n  masterSecretName: s\n  sourceClusterArn: arn:aws:rds:eu-west-1:123456789012:cluster:old\n", "database.sourceClusterArn", "not in primaryRegion"},
		{"secret name outside cluster mode", "database:\n  masterSecretName: s\n", "database.masterSecretName", "cluster only"},
		{"short backups", "database:\n  backupRetentionDays: 3\n", "database.backupRetentionDays", "7 to 35"},
		{"reserved master user", "database:\n  masterUsername: postgres\n", "database.masterUsername", "reserved"},
		{"secondary instances", "database:\n  secondaryInstances: -1\n", "database.secondaryInstances", "headless"},
		{"cache node type", "cache:\n  nodeType: cache.t4g.medium\n", "cache.nodeType", "m5, m6g"},
		{"cache node size", "cache:\n  nodeType: cache.r6gd.large\n", "cache.nodeType", "cache.r6gd comes in xlarge"},
		{"r6gd before Redis OSS 6.2", "cache:\n  nodeType: cache.r6gd.xlarge\n  engineVersion: '6.0'\n", "cache.nodeType", "data tiering, which needs Redis OSS 6.2"},
		{"cache version", "cache:\n  engineVersion: '4.0.10'\n", "cache.engineVersion", "5.0.6"},
		{"cache version not released", "cache:\n  engineVersion: '7.3'\n", "cache.engineVersion", "7.0, 7.1"},
		{"database version not released", "database:\n  engineVersion: '16.5'\n", "database.engineVersion", "16.4, 16.6"},
		{"instance class size", "database:\n  instanceClass: db.r6g.24xlarge\n", "database.instanceClass", "db.r6g comes in"},
		{"region that does not exist", "failoverRegions: [us-west-3]\n", "failoverRegions[0]", "nearest real regions: us-west-1, us-west-2"},
		{"primary region that does not exist", "primaryRegion: eu-north-2\nfailoverRegions: [eu-west-1]\n", "primaryRegion", "eu-north-1"},
		{"backend region that does not exist", "backend:\n  type: s3\n  bucket: acme-state\n  region: eu-west-4\n", "backend.region", "nearest real regions"},
		{"cache replicas", "cache:\n  replicas: 0\n", "cache.replicas", "Multi-AZ"},
		{"bucket name", "buckets:\n  - name: My_Data\n", "buckets[0].name", "lower-case"},
		{"bucket twice", "buckets:\n  - name: a\n  - name: a\n", "buckets[1].name", "twice"},
		{"bucket name too long", "name: abcdefghijklmnopqrst\nenvironment: x\nbuckets:\n  - name: abcdefghijklmnopqrst\n", "name/environment", "63"},
		{"unknown bucket key", "buckets:\n  - name: a\n    rtc: true\n", "buckets[0].rtc", "unknown key"},
		{"operator principal", "operator:\n  principals: [oncall]\n", "operator.principals[0]", "IAM role, user or account ARN"},
		{"provider retries zero", "provider:\n  maxRetries: 0\n", "provider.maxRetries", "1 to 25"},
		{"dns zone id malformed", "dns:\n  zoneId: /hostedzone/Z123\n  zoneName: example.com\n  name: origin.example.com\n", "dns.zoneId", "without /hostedzone/"},
		{"dns zone id without a name", "dns:\n  zoneId: Z0123456789\n  name: origin.example.com\n", "dns.zoneName", "required with dns"},
		{"dns zone name with trailing dot", "dns:\n  zoneName: example.com.\n  name: origin.example.com\n", "dns.zoneName", "no trailing dot"},
		{"dns name missing", "dns:\n  zoneName: example.com\n", "dns.name", "origin.example.com"},
		{"dns name outside the zone", "dns:\n  zoneName: example.com\n  name: origin.example.org\n", "dns.name", "not in the hosted zone example.com"},
		{"dns name at the apex", "dns:\n  zoneName: example.com\n  name: example.com\n", "dns.name", "apex"},
		{"dns name is a viewer alias", "dns:\n  zoneName: example.com\n  name: origin.example.com\nedge:\n  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0b7f5f2c-9d6c-4c58-8e4a-2c1f6a9b3d10\n  aliases: [origin.example.com]\n", "dns.name", "must differ"},
		{"dns ttl out of range", "dns:\n  zoneName: example.com\n  name: origin.example.com\n  ttl: 3600\n", "dns.ttl", "1 to 300"},
		{"dns interval", "dns:\n  zoneName: example.com\n  name: origin.example.com\n  healthCheckInterval: 15\n", "dns.healthCheckInterval/dns.failureThreshold", "10 or 30"},
		{"dns failure threshold", "dns:\n  zoneName: example.com\n  name: origin.example.com\n  failureThreshold: 0\n", "dns.healthCheckInterval/dns.failureThreshold", "1 to 10"},
		{"origin certificate in the wrong region", "dns:\n  zoneName: example.com\n  name: origin.example.com\nedge:\n  origins:\n    us-west-2:\n      domain: west.origin.example.com\n      certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc\n", "edge.origins.us-west-2.certificateArn", "ACM certificate in us-west-2"},
		{"origin outside the zone", "dns:\n  zoneName: example.com\n  name: origin.example.com\nedge:\n  origins:\n    us-west-2:\n      domain: west.example.org\n", "edge.origins.us-west-2.domain", "not in the hosted zone"},
		{"dns name too long for a certificate", "dns:\n  zoneName: example.com\n  name: " + strings.Repeat("a", 60) + ".example.com\n", "dns.name", "at most 64"},
		{"origin is the failover name", "dns:\n  zoneName: example.com\n  name: origin.example.com\nedge:\n  origins:\n    us-west-2:\n      domain: origin.example.com\n", "edge.origins.us-west-2.domain", "a name of its own"},
		{"a fraction where a whole number goes", "alarms:\n  tasksBelowDesiredMinutes: 2.5\n", "alarms.tasksBelowDesiredMinutes", "not a whole number"},
		{"alias with a trailing dot", "edge:\n  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0b7f5f2c-9d6c-4c58-8e4a-2c1f6a9b3d10\n  aliases: [shop.example.com.]\n", "edge.aliases[0]", "no trailing dot"},
		{"alias that is an origin name", "dns:\n  zoneName: example.com\n  name: origin.example.com\nedge:\n  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0b7f5f2c-9d6c-4c58-8e4a-2c1f6a9b3d10\n  aliases: [us-east-1.origin.example.com]\n", "edge.aliases", "origin name"},
		{"two regions, one origin name", "dns:\n  zoneName: example.com\n  name: origin.example.com\nedge:\n  origins:\n    us-east-1:\n      domain: same.example.com\n    us-west-2:\n      domain: same.example.com\n", "edge.origins.us-west-2.domain", "a name of its own"},
		{"dns name without a zone", "dns:\n  name: origin.example.com\n", "dns.zoneName", "required with dns"},
		{"zone that is a TLD", "dns:\n  zoneName: com\n  name: origin.com\n", "dns.zoneName", "two labels"},
		{"provider retries too many", "provider:\n  maxRetries: 100\n", "provider.maxRetries", "1 to 25"},
		{"aurora lag below typical", "alarms:\n  auroraReplicationLagSeconds: 0.5\n", "alarms.auroraReplicationLagSeconds", "use 1 to 3600"},
		{"rpo lag too long", "alarms:\n  auroraRpoLagSeconds: 7200\n", "alarms.auroraRpoLagSeconds", "out of range"},
		{"cache lag zero", "alarms:\n  cacheReplicationLagSeconds: 0\n", "alarms.cacheReplicationLagSeconds", "out of range"},
		{"s3 latency below a minute", "alarms:\n  s3ReplicationLatencySeconds: 30\n", "alarms.s3ReplicationLatencySeconds", "use 60 to 86400"},
		{"negative failed operations", "alarms:\n  s3FailedOperations: -1\n", "alarms.s3FailedOperations", "out of range"},
		{"5xx rate zero", "alarms:\n  alb5xxPerMinute: 0\n", "alarms.alb5xxPerMinute", "use 1 to"},
		{"unhealthy targets negative", "alarms:\n  unhealthyTargets: -2\n", "alarms.unhealthyTargets", "out of range"},
		{"tasks below desired zero", "alarms:\n  tasksBelowDesiredMinutes: 0\n", "alarms.tasksBelowDesiredMinutes", "use 1 to 1440"},
		{"endpoint not an address", "alarms:\n  endpoints: [oncall]\n", "alarms.endpoints[0]", "not an email address, an https:// URL"},
		{"plain http endpoint", "alarms:\n  endpoints: [http://hooks.example.com/x]\n", "alarms.endpoints[0]", "https://"},
		{"sns topic endpoint", "alarms:\n  endpoints: ['arn:aws:sns:us-east-1:123456789012:t']\n", "alarms.endpoints[0]", "SQS queue"},
		{"endpoint twice", "alarms:\n  endpoints: [a@example.com, a@example.com]\n", "alarms.endpoints[1]", "listed twice"},
		{"unknown alarms key", "alarms:\n  auroraLagSeconds: 3\n", "alarms.auroraLagSeconds", "unknown key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.yaml))
			var problems *Problems
			if !errors.As(err, &problems) {
				t.Fatalf("want *Problems, got %v", err)
			}
			for _, p := range problems.List {
				if p.Key == tc.key && strings.Contains(p.Message, tc.says) {
					return
				}
			}
			t.Errorf("no problem for key %q saying %q; got:\n%v", tc.key, tc.says, err)
		})
	}
}

func TestDNSDefaultsOriginsAndCertificates(t *testing.T) {
	cfg, err := Parse("dns.yaml", []byte("dns:\n  zoneName: example.com\n  name: origin.example.com\nedge:\n  origins:\n    us-east-1:\n      domain: east.example.com\n      certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.DNS.Enabled() || cfg.DNS.TTL != 60 || cfg.DNS.HealthCheckInterval != 10 || cfg.DNS.FailureThreshold != 3 {
		t.Errorf("dns defaults: %+v", cfg.DNS)
	}
	if o := cfg.Edge.Origins["us-west-2"]; o.Domain != "us-west-2.origin.example.com" || o.CertificateArn != "" {
		t.Errorf("us-west-2 origin = %+v; want REGION.<dns.name> and a certificate the app creates", o)
	}
	if o := cfg.Edge.Origins["us-east-1"]; o.Domain != "east.example.com" {
		t.Errorf("a given origin was overwritten: %+v", o)
	}
	if Default().DNS.Enabled() {
		t.Error("dns is on by default")
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	_, err := Parse("bad.yaml", []byte("primaryRegion: nowhere\nfailoverRegions: [a, b, c]\nlogRetentionDays: 2\nservice:\n  cpu: 3\n"))
	var problems *Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want *Problems, got %v", err)
	}
	keys := map[string]bool{}
	for _, p := range problems.List {
		keys[p.Key] = true
	}
	for _, k := range []string{"primaryRegion", "failoverRegions", "failoverRegions[0]", "logRetentionDays", "service.cpu/service.memory"} {
		if !keys[k] {
			t.Errorf("problem for %s missing from:\n%v", k, err)
		}
	}
	lines := strings.Split(err.Error(), "\n")
	if !strings.Contains(lines[0], "bad.yaml") || len(lines) != len(problems.List)+1 {
		t.Errorf("want a header naming the file and one line per problem, got:\n%v", err)
	}
}

// Every alarm problem in one file is reported at once, with its key.
func TestAllAlarmProblemsAtOnce(t *testing.T) {
	_, err := Parse("bad.yaml", []byte("alarms:\n  auroraReplicationLagSeconds: 0\n  s3ReplicationLatencySeconds: 5\n  alb5xxPerMinute: 0\n  endpoints: [nobody, 'http://x.example.com']\n"))
	for _, key := range []string{"alarms.auroraReplicationLagSeconds", "alarms.s3ReplicationLatencySeconds", "alarms.alb5xxPerMinute", "alarms.endpoints[0]", "alarms.endpoints[1]"} {
		if err == nil || !strings.Contains(err.Error(), "\n  "+key+": ") {
			t.Errorf("problem for %s missing from:\n%v", key, err)
		}
	}
}

func TestAllUnknownKeysAtOnce(t *testing.T) {
	_, err := Parse("bad.yaml", []byte("nmae: x\nservice:\n  imgae: y\nedge:\n  alias: [z]\n"))
	for _, key := range []string{"nmae", "service.imgae", "edge.alias"} {
		if err == nil || !strings.Contains(err.Error(), key+": line") {
			t.Errorf("unknown key %s not reported with its line:\n%v", key, err)
		}
	}
}

func TestUnreadableFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !strings.Contains(err.Error(), EnvVar) {
		t.Errorf("missing file must name %s: %v", EnvVar, err)
	}
}

func TestFromEnvReadsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yml")
	if err := os.WriteFile(path, []byte("environment: staging\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvVar, path)
	cfg, err := FromEnv()
	if err != nil || cfg.Environment != "staging" {
		t.Fatalf("FromEnv = %+v, %v", cfg.Environment, err)
	}
}

func TestNamesStayWithinLimits(t *testing.T) {
	n := Default().Names()
	if n.LoadBalancer() != "pilotlight-dev" || n.TargetGroup() != "pilotlight-dev-app" || n.AppLogGroup() != "/pilotlight/dev/app" {
		t.Errorf("names changed; renaming replaces live resources: %+v", n)
	}
}

func TestDerivedCidrs(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("failoverRegions: [us-west-2, us-east-2]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"us-east-1": "10.10.0.0/16", "us-west-2": "10.11.0.0/16", "us-east-2": "10.12.0.0/16"}
	for r, cidr := range want {
		if got := cfg.VpcCidr(r); got != cidr {
			t.Errorf("VpcCidr(%s) = %s, want %s", r, got, cidr)
		}
	}
}

// A failover region equal to the primary is one mistake: one line, not also
// a CIDR overlap of the region with itself.
func TestRegionListedTwiceIsOneProblem(t *testing.T) {
	_, err := Parse("bad.yaml", []byte("failoverRegions: [us-east-1]\n"))
	var problems *Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want *Problems, got %v", err)
	}
	if len(problems.List) != 1 || problems.List[0].Key != "failoverRegions[0]" || !strings.Contains(problems.List[0].Message, "listed twice") {
		t.Errorf("want one problem, failoverRegions[0] listed twice; got:\n%v", err)
	}
}

// A region that does not exist is refused by validation, once, naming the
// key and the nearest real regions; nothing derived from it is checked.
func TestRegionThatDoesNotExist(t *testing.T) {
	_, err := Parse("bad.yaml", []byte("failoverRegions: [us-west-3]\n"))
	var problems *Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want *Problems, got %v", err)
	}
	if len(problems.List) != 1 || problems.List[0].Key != "failoverRegions[0]" || !strings.Contains(problems.List[0].Message, "us-west-1, us-west-2") {
		t.Errorf("want one problem naming us-west-1 and us-west-2; got:\n%v", err)
	}
}

// Keys inside map values (edge.origins.REGION) are checked like any other:
// a typo is an error naming the full path, never a dropped setting.
func TestMapValuesAreChecked(t *testing.T) {
	const zone = "dns:\n  zoneName: example.com\n  name: origin.example.com\n"
	right := []struct{ name, yaml string }{
		{"origin domain", zone + "edge:\n  origins:\n    us-west-2:\n      domain: west.example.com\n"},
		{"origin domain and certificate", zone + "edge:\n  origins:\n    us-west-2:\n      domain: west.example.com\n      certificateArn: arn:aws:acm:us-west-2:123456789012:certificate/abc\n"},
		{"a CIDR per region", "network:\n  vpcCidrs:\n    us-east-1: 10.20.0.0/16\n    us-west-2: 10.21.0.0/16\n"},
		{"tags", "tags:\n  CostCenter: '42'\n  team: payments\n"},
	}
	for _, tc := range right {
		t.Run("right/"+tc.name, func(t *testing.T) {
			if _, err := Parse("ok.yaml", []byte(tc.yaml)); err != nil {
				t.Errorf("refused:\n%v", err)
			}
		})
	}
	refused := []struct{ name, yaml, key, says string }{
		{"misspelt origin key", zone + "edge:\n  origins:\n    us-west-2:\n      domian: west.example.com\n", "edge.origins.us-west-2.domian", `did you mean "domain"`},
		{"unknown origin key", zone + "edge:\n  origins:\n    us-west-2:\n      port: 8443\n", "edge.origins.us-west-2.port", "known keys here: certificateArn, domain"},
		{"region twice under origins", zone + "edge:\n  origins:\n    us-west-2:\n      domain: a.example.com\n    us-west-2:\n      domain: b.example.com\n", "edge.origins.us-west-2", "set twice"},
		{"region twice under vpcCidrs", "network:\n  vpcCidrs:\n    us-east-1: 10.20.0.0/16\n    us-east-1: 10.30.0.0/16\n", "network.vpcCidrs.us-east-1", "set twice"},
		{"tag twice", "tags:\n  team: a\n  team: b\n", "tags.team", "set twice"},
	}
	for _, tc := range refused {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.yaml))
			var problems *Problems
			if !errors.As(err, &problems) {
				t.Fatalf("want *Problems, got %v", err)
			}
			for _, p := range problems.List {
				if p.Key == tc.key && strings.Contains(p.Message, tc.says) {
					return
				}
			}
			t.Errorf("no problem for key %q saying %q; got:\n%v", tc.key, tc.says, err)
		})
	}
}

// A value of the wrong type names its key, what was written and what the
// key takes, in YAML's terms (never Go's); the other keys are still
// checked, so every problem is reported at once.
func TestTypeErrorsNameTheKey(t *testing.T) {
	right := []struct{ name, yaml string }{
		{"a version written as a number", "database:\n  engineVersion: 16.4\n"},
		{"a whole number written with a point", "service:\n  desiredCount: 3.0\n"},
		{"a whole number for a threshold", "alarms:\n  auroraReplicationLagSeconds: 10\n"},
		{"a fraction for a threshold", "alarms:\n  auroraReplicationLagSeconds: 2.5\n"},
		{"a switch", "buckets:\n  - name: data\n    reverseReplication: false\n"},
		{"a number as a tag value", "tags:\n  CostCenter: 42\n"},
		{"an anchor and its alias", "failoverRegions: &f [us-west-2]\nnetwork:\n  azCount: 3\n"},
	}
	for _, tc := range right {
		t.Run("right/"+tc.name, func(t *testing.T) {
			if _, err := Parse("ok.yaml", []byte(tc.yaml)); err != nil {
				t.Errorf("refused:\n%v", err)
			}
		})
	}
	refused := []struct{ name, yaml, key, says string }{
		{"text for a whole number", "service:\n  cpu: lots\n", "service.cpu", `line 2: "lots" is text; this key takes a whole number`},
		{"text for a number", "alarms:\n  alb5xxPerMinute: many\n", "alarms.alb5xxPerMinute", "this key takes a number"},
		{"a fraction for a whole number", "service:\n  desiredCount: 2.5\n", "service.desiredCount", "2.5 is not a whole number"},
		{"too large", "service:\n  desiredCount: 99999999999999999999\n", "service.desiredCount", "is too large"},
		{"yes for a switch", "buckets:\n  - name: data\n    reverseReplication: yes\n", "buckets[0].reverseReplication", `"yes" is text; this key takes true or false`},
		{"a single region for a list", "failoverRegions: us-west-2\n", "failoverRegions", "this key takes a list"},
		{"a mapping for a list", "buckets:\n  name: data\n", "buckets", "is a mapping of keys; this key takes a list"},
		{"a list for text", "name: [a, b]\n", "name", "is a list; this key takes text"},
		{"text for a block", "service: nginx\n", "service", "this key takes a mapping of keys"},
		{"a list for a map", "tags: [a, b]\n", "tags", "this key takes a mapping of names to text values"},
		{"text for a map value's block", "dns:\n  zoneName: example.com\n  name: origin.example.com\nedge:\n  origins:\n    us-west-2: west.example.com\n", "edge.origins.us-west-2", "this key takes a mapping of keys"},
		{"a number for a switch", "buckets:\n  - name: data\n    reverseReplication: 1\n", "buckets[0].reverseReplication", "1 is a number; this key takes true or false"},
		{"text in a list of numbers", "edge:\n  failoverStatusCodes: [500, five]\n", "edge.failoverStatusCodes[1]", "this key takes a whole number"},
	}
	for _, tc := range refused {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.yaml))
			var problems *Problems
			if !errors.As(err, &problems) {
				t.Fatalf("want *Problems, got %v", err)
			}
			for _, p := range problems.List {
				if strings.Contains(p.Message, "config.") || strings.Contains(p.Message, "[]") || strings.Contains(p.Message, "unmarshal") {
					t.Errorf("%s: message speaks Go: %s", p.Key, p.Message)
				}
				if p.Key == tc.key && strings.Contains(p.Message, tc.says) {
					return
				}
			}
			t.Errorf("no problem for key %q saying %q; got:\n%v", tc.key, tc.says, err)
		})
	}
}

// Type errors, unknown keys and invalid values in one file: all reported
// in one run, and nothing reported twice for one mistake.
func TestEveryKindOfProblemAtOnce(t *testing.T) {
	_, err := Parse("bad.yaml", []byte("service:\n  cpu: lots\n  imgae: x\nnetwork:\n  azCount: 7\nbuckets: data\nlogRetentionDays: 2\n"))
	var problems *Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want *Problems, got %v", err)
	}
	want := map[string]string{
		"service.cpu":      "takes a whole number",
		"service.imgae":    "unknown key",
		"buckets":          "takes a list",
		"network.azCount":  "2 or 3",
		"logRetentionDays": "retention",
	}
	got := map[string]int{}
	for _, p := range problems.List {
		got[p.Key]++
		if says, ok := want[p.Key]; ok && !strings.Contains(p.Message, says) {
			t.Errorf("%s: %s; want it to say %q", p.Key, p.Message, says)
		}
	}
	for key := range want {
		if got[key] != 1 {
			t.Errorf("%s reported %d times, want once:\n%v", key, got[key], err)
		}
	}
	if len(problems.List) != len(want) {
		t.Errorf("want exactly %d problems (no consequences of a value not read), got:\n%v", len(want), err)
	}
}

// A setting another setting makes meaningless is refused, even when it
// equals the default: the user meant something by writing it.
func TestSettingsAnotherSettingIgnores(t *testing.T) {
	const cluster = "database:\n  mode: cluster\n  sourceClusterArn: arn:aws:rds:us-east-1:123456789012:cluster:old\n  masterSecretName: s\n"
	const zone = "dns:\n  zoneName: example.com\n  name: origin.example.com\n"
	right := []struct{ name, yaml string }{
		{"snapshot with its mode", "database:\n  mode: snapshot\n  snapshotIdentifier: before-move\n"},
		{"cluster with its keys", cluster},
		{"readers beside a new writer", "database:\n  readers: 1\n"},
		{"readers beside a restored writer", "database:\n  mode: snapshot\n  snapshotIdentifier: s\n  readers: 2\n"},
		{"dns with its timings", zone + "  ttl: 30\n  healthCheckInterval: 30\n  failureThreshold: 2\n"},
		{"s3 backend with its lock", "backend:\n  type: s3\n  bucket: acme-state\n  region: us-east-2\n  useLockfile: true\n"},
	}
	for _, tc := range right {
		t.Run("right/"+tc.name, func(t *testing.T) {
			if _, err := Parse("ok.yaml", []byte(tc.yaml)); err != nil {
				t.Errorf("refused:\n%v", err)
			}
		})
	}
	refused := []struct{ name, yaml, key, says string }{
		{"snapshot under mode new", "database:\n  snapshotIdentifier: before-move\n", "database.snapshotIdentifier", "applies to database.mode snapshot only"},
		{"snapshot under mode cluster", strings.Replace(cluster, "database:\n", "database:\n  snapshotIdentifier: s\n", 1), "database.snapshotIdentifier", "set database.mode: snapshot, or remove it"},
		{"an empty snapshot under mode new", "database:\n  snapshotIdentifier: ''\n", "database.snapshotIdentifier", "with mode new it would be ignored"},
		{"source cluster under mode new", "database:\n  sourceClusterArn: arn:aws:rds:us-east-1:123456789012:cluster:old\n", "database.sourceClusterArn", "applies to database.mode cluster only"},
		{"source cluster under mode snapshot", "database:\n  mode: snapshot\n  snapshotIdentifier: s\n  sourceClusterArn: arn:aws:rds:us-east-1:123456789012:cluster:old\n", "database.sourceClusterArn", "with mode snapshot it would be ignored"},
		{"secret under mode snapshot", "database:\n  mode: snapshot\n  snapshotIdentifier: s\n  masterSecretName: m\n", "database.masterSecretName", "applies to database.mode cluster only"},
		{"readers under mode cluster", strings.Replace(cluster, "database:\n", "database:\n  readers: 2\n", 1), "database.readers", "existing primary cluster"},
		{"readers: 0 written under mode cluster", strings.Replace(cluster, "database:\n", "database:\n  readers: 0\n", 1), "database.readers", "does not apply to database.mode cluster"},
		{"dns ttl without dns", "dns:\n  ttl: 30\n", "dns.ttl", "applies with dns only"},
		{"dns ttl at its default without dns", "dns:\n  ttl: 60\n", "dns.ttl", "applies with dns only"},
		{"health check interval without dns", "dns:\n  healthCheckInterval: 30\n", "dns.healthCheckInterval", "applies with dns only"},
		{"failure threshold without dns", "dns:\n  failureThreshold: 1\n", "dns.failureThreshold", "remove dns.failureThreshold"},
		{"lockfile on a local backend", "backend:\n  useLockfile: true\n", "backend.useLockfile", "applies to backend.type s3 only"},
	}
	for _, tc := range refused {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.yaml))
			var problems *Problems
			if !errors.As(err, &problems) {
				t.Fatalf("want *Problems, got %v", err)
			}
			for _, p := range problems.List {
				if p.Key == tc.key && strings.Contains(p.Message, tc.says) {
					return
				}
			}
			t.Errorf("no problem for key %q saying %q; got:\n%v", tc.key, tc.says, err)
		})
	}
	// A Config built in code has no file: a value other than the default
	// counts as set.
	cfg := Default()
	cfg.Database.SnapshotIdentifier = "before-move"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "database.snapshotIdentifier: applies to database.mode snapshot only") {
		t.Errorf("a snapshot under mode new in code: %v", err)
	}
}

// Tags: the user's Project, Environment and ManagedBy are accepted (they
// win over the app's, stacks.TestUserTagsAreKept); the pilotlight: keys
// that name each stack are the app's.
func TestTagKeys(t *testing.T) {
	for _, yaml := range []string{"tags:\n  Project: retail\n", "tags:\n  Environment: production\n  ManagedBy: platform\n", "tags:\n  pilotlightx: y\n"} {
		if _, err := Parse("ok.yaml", []byte(yaml)); err != nil {
			t.Errorf("%q refused:\n%v", yaml, err)
		}
	}
	for _, key := range []string{"pilotlight:role", "pilotlight:stack", "pilotlight:owner"} {
		_, err := Parse("bad.yaml", []byte("tags:\n  "+key+": x\n"))
		if err == nil || !strings.Contains(err.Error(), "tags."+key+": keys starting pilotlight: are the app's own") {
			t.Errorf("%s: %v", key, err)
		}
	}
}

// Limits AWS enforces at apply time, checked before anything is written;
// each limit's source is beside the code that checks it.
func TestLimitsAWSEnforces(t *testing.T) {
	const zone = "dns:\n  zoneName: example.com\n  name: origin.example.com\n"
	const snapshot = "database:\n  mode: snapshot\n  snapshotIdentifier: "
	var manyTags strings.Builder
	manyTags.WriteString("tags:\n")
	for i := 0; i < MaxTagsPerResource-len(appTagKeys); i++ {
		fmt.Fprintf(&manyTags, "  t%02d: v\n", i)
	}
	right := []struct{ name, yaml string }{
		{"the most tags beside the app's own", manyTags.String()},
		{"the user's Project does not add a tag", manyTags.String() + "  Project: retail\n"},
		{"tag key of 128 characters", "tags:\n  " + strings.Repeat("k", 128) + ": v\n"},
		{"tag value of 256 characters, letters of any script", "tags:\n  team: " + strings.Repeat("é", 256) + "\n"},
		{"tag with every allowed symbol", "tags:\n  'a+b-c=d.e_f:g/h@i j': 'x+y-z=.:/@ _'\n"},
		{"an empty tag value", "tags:\n  team: ''\n"},
		{"state bucket with dots", "backend:\n  type: s3\n  bucket: state.acme.example\n  region: us-east-2\n"},
		{"health check path of 255 with dns", zone + "service:\n  healthCheckPath: /" + strings.Repeat("h", 254) + "\n"},
		{"health check path of 1024 without dns", "service:\n  healthCheckPath: /" + strings.Repeat("h", 1023) + "\n"},
		{"snapshot by name", snapshot + "before-move\n"},
		{"automated snapshot by name", snapshot + "rds:shop-2026-01-01-03-00\n"},
		{"snapshot ARN in the primary region", snapshot + "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:before-move\n"},
		{"image pinned to a digest", "service:\n  image: public.ecr.aws/nginx/nginx@sha256:" + strings.Repeat("a", 64) + "\n"},
		{"image by bare name", "service:\n  image: nginx\n"},
		{"image with a registry port", "service:\n  image: registry.example.com:5000/team/app:1.2\n"},
		{"image per region", "service:\n  image: 123456789012.dkr.ecr.{region}.amazonaws.com/app:1\n"},
		{"the most tasks", "service:\n  desiredCount: 5000\n"},
	}
	for _, tc := range right {
		t.Run("right/"+tc.name, func(t *testing.T) {
			if _, err := Parse("ok.yaml", []byte(tc.yaml)); err != nil {
				t.Errorf("refused:\n%v", err)
			}
		})
	}
	refused := []struct{ name, yaml, key, says string }{
		{"one tag too many", manyTags.String() + "  extra: v\n", "tags", "51 tags with the app's own 6"},
		{"tag key of 129 characters", "tags:\n  " + strings.Repeat("k", 129) + ": v\n", "tags." + strings.Repeat("k", 129), "129 characters: tag keys take at most 128"},
		{"tag value of 257 characters", "tags:\n  team: " + strings.Repeat("v", 257) + "\n", "tags.team", "the value has 257 characters"},
		{"tag key with a comma", "tags:\n  'a,b': v\n", "tags.a,b", "a character AWS tags do not take"},
		{"tag value with a semicolon", "tags:\n  team: 'a;b'\n", "tags.team", `the value "a;b" holds a character`},
		{"tag key in capitals AWS:", "tags:\n  'AWS:x': y\n", "tags.AWS:x", "reserved for AWS"},
		{"bucket name with a reserved prefix", "name: sthree\n", "name/environment", "starts with sthree-, a prefix S3 reserves"},
		{"bucket name with the demo prefix", "name: amzn-s3-demo\n", "name/environment", "amzn-s3-demo-"},
		{"state bucket too short", "backend:\n  type: s3\n  bucket: b\n  region: us-east-2\n", "backend.bucket", "3 to 63"},
		{"state bucket with a reserved prefix", "backend:\n  type: s3\n  bucket: xn--state\n  region: us-east-2\n", "backend.bucket", "xn--"},
		{"state bucket with a reserved suffix", "backend:\n  type: s3\n  bucket: state-s3alias\n  region: us-east-2\n", "backend.bucket", "ends with -s3alias"},
		{"state bucket of a directory bucket's form", "backend:\n  type: s3\n  bucket: state--x-s3\n  region: us-east-2\n", "backend.bucket", "--x-s3"},
		{"state bucket like an IP address", "backend:\n  type: s3\n  bucket: 192.168.5.4\n  region: us-east-2\n", "backend.bucket", "IP address"},
		{"state bucket with adjacent dots", "backend:\n  type: s3\n  bucket: state..acme\n  region: us-east-2\n", "backend.bucket", "adjacent dots"},
		{"state bucket in capitals", "backend:\n  type: s3\n  bucket: State\n  region: us-east-2\n", "backend.bucket", "lower-case"},
		{"health check path of 256 with dns", zone + "service:\n  healthCheckPath: /" + strings.Repeat("h", 255) + "\n", "service.healthCheckPath", "at most 255 characters: Route 53"},
		{"snapshot ARN in another region", snapshot + "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:s\n", "database.snapshotIdentifier", "copy it to us-east-1 first"},
		{"snapshot ARN in another partition", snapshot + "arn:aws-cn:rds:us-east-1:123456789012:cluster-snapshot:s\n", "database.snapshotIdentifier", "partition aws-cn"},
		{"a DB instance snapshot", snapshot + "arn:aws:rds:us-east-1:123456789012:snapshot:s\n", "database.snapshotIdentifier", "not an Aurora cluster snapshot ARN"},
		{"image with a space", "service:\n  image: 'nginx: stable'\n", "service.image", "not a container image reference"},
		{"image in capitals", "service:\n  image: Nginx:stable\n", "service.image", "REGISTRY/REPOSITORY:TAG"},
		{"image with an empty tag", "service:\n  image: 'nginx:'\n", "service.image", "not a container image reference"},
		{"image with a bad digest", "service:\n  image: nginx@sha256:abc\n", "service.image", "not a container image reference"},
		{"too many tasks", "service:\n  desiredCount: 5001\n", "service.desiredCount", "at most 5000 tasks"},
	}
	for _, tc := range refused {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tc.yaml))
			var problems *Problems
			if !errors.As(err, &problems) {
				t.Fatalf("want *Problems, got %v", err)
			}
			for _, p := range problems.List {
				if p.Key == tc.key && strings.Contains(p.Message, tc.says) {
					return
				}
			}
			t.Errorf("no problem for key %q saying %q; got:\n%v", tc.key, tc.says, err)
		})
	}
}

// Partitions: the app builds the commercial partition only (its global and
// edge stacks are managed from us-east-1 with arn:aws: ARNs); every other
// partition is refused by name, with why, before anything is synthesized.
func TestPartitions(t *testing.T) {
	for _, tc := range []struct {
		partition, yaml, says string
	}{
		{"aws", "primaryRegion: eu-west-1\nfailoverRegions: [eu-central-1]\n", ""},
		{"aws, us-east-1 as a failover region", "primaryRegion: us-west-2\nfailoverRegions: [us-east-1]\n", ""},
		{"aws-cn", "primaryRegion: cn-north-1\nfailoverRegions: [cn-northwest-1]\nservice:\n  image: public.ecr.aws/nginx/nginx:stable\n", "cn-north-1 is in the aws-cn partition, which the app does not build correctly: its IAM endpoint is in cn-north-1"},
		{"aws-us-gov", "primaryRegion: us-gov-west-1\nfailoverRegions: [us-gov-east-1]\n", "us-gov-west-1 is in the aws-us-gov partition, which the app does not build correctly: AWS GovCloud (US) has no CloudFront"},
		{"aws-iso", "primaryRegion: us-iso-east-1\nfailoverRegions: [us-iso-west-1]\n", "us-iso-east-1 is in the aws-iso partition"},
		{"aws-iso-b", "primaryRegion: us-isob-east-1\nfailoverRegions: [us-isob-west-1]\n", "us-isob-east-1 is in the aws-iso-b partition"},
	} {
		t.Run(tc.partition, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tc.yaml))
			if tc.says == "" {
				if err != nil {
					t.Errorf("refused:\n%v", err)
				}
				return
			}
			var problems *Problems
			if !errors.As(err, &problems) {
				t.Fatalf("want *Problems, got %v", err)
			}
			for _, p := range problems.List {
				if p.Key == "primaryRegion" && strings.Contains(p.Message, tc.says) && strings.Contains(p.Message, "Use regions of the aws partition") {
					return
				}
			}
			t.Errorf("no primaryRegion problem saying %q; got:\n%v", tc.says, err)
		})
	}
}

// The s3 backend always locks: S3 native locking by default, or the
// DynamoDB table given; turning both off is refused. (The synthesized
// use_lockfile is read in stacks.TestS3BackendLayout and TestDynamoDBLock.)
func TestStateIsLocked(t *testing.T) {
	const s3 = "backend:\n  type: s3\n  bucket: acme-state\n  region: us-east-2\n"
	for _, tc := range []struct {
		name, yaml string
		lockfile   bool
		says       string
	}{
		{"default: S3 native lock", s3, true, ""},
		{"S3 native lock, said", s3 + "  useLockfile: true\n", true, ""},
		{"a DynamoDB table", s3 + "  dynamodbTable: locks\n", false, ""},
		{"a DynamoDB table, lock file off", s3 + "  dynamodbTable: locks\n  useLockfile: false\n", false, ""},
		{"no lock at all", s3 + "  useLockfile: false\n", false, "leaves the state unlocked"},
		{"both locks", s3 + "  dynamodbTable: locks\n  useLockfile: true\n", false, "choose one lock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("b.yaml", []byte(tc.yaml))
			if tc.says != "" {
				if err == nil || !strings.Contains(err.Error(), "backend.useLockfile: ") || !strings.Contains(err.Error(), tc.says) {
					t.Errorf("want backend.useLockfile saying %q, got %v", tc.says, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused:\n%v", err)
			}
			if got := *cfg.Backend.UseLockfile; got != tc.lockfile {
				t.Errorf("useLockfile = %v, want %v", got, tc.lockfile)
			}
		})
	}
}
