package data_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/data"
	"github.com/pilotlight/pilotlight/internal/synthtest"
	dataspec "github.com/pilotlight/pilotlight/spec/data"
)

// world is a primary, a failover and a links stack in one app.
type world struct {
	primary, failover, links synthtest.Template
	data                     *data.ReplicatedData
}

func site(app cdktf.App, name, region string) data.Site {
	stack, env := synthtest.NewStackIn(app, name, region)
	return data.Site{
		Scope: stack, Env: env,
		KmsKeyArn:       jsii.String("arn:aws:kms:" + region + ":123456789012:key/" + name),
		VpcID:           jsii.String("vpc-" + name),
		SubnetIDs:       []*string{jsii.String("subnet-" + name + "-a"), jsii.String("subnet-" + name + "-b")},
		AccessLogBucket: jsii.String("access-logs-" + name),
	}
}

func defaultProps(app cdktf.App) data.ReplicatedDataProps {
	primary, failover, links := site(app, "primary", "us-east-1"), site(app, "failover", "us-west-2"), site(app, "links", "us-east-1")
	return data.ReplicatedDataProps{
		Prefix: "app-dev", Primary: primary, Failovers: []data.Site{failover}, Links: links,
		ReplicationRoleArn: jsii.String("arn:aws:iam::123456789012:role/app-dev-s3-replication"),
		DatabaseSecretName: "app/dev/database/master", CacheSecretName: "app/dev/cache/auth-token",
		Database: data.DatabaseProps{Mode: dataspec.DatabaseNew, EngineVersion: "16.4", InstanceClass: "db.r6g.large", Readers: 1, SecondaryInstances: 1,
			DatabaseName: "app", MasterUsername: "app_admin", BackupRetentionDays: 14, Port: 5432},
		Cache: data.CacheProps{NodeType: "cache.r7g.large", EngineVersion: "7.1", Replicas: 1, SnapshotRetentionDays: 7, Port: 6379},
		Buckets: []data.BucketProps{{Name: "data", BucketNames: map[string]string{"us-east-1": "app-dev-data-use1", "us-west-2": "app-dev-data-usw2"},
			DeleteMarkerReplication: false, ReplicationTimeControl: true, ReverseReplication: true, NoncurrentVersionDays: 90}},
	}
}

func build(t *testing.T, mutate func(*data.ReplicatedDataProps)) world {
	t.Helper()
	app := synthtest.NewApp(t)
	props := defaultProps(app)
	if mutate != nil {
		mutate(&props)
	}
	d, err := data.NewReplicatedData(props)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range d.Regions {
		e.AllowClients(jsii.String("sg-tasks"))
	}
	stacks := synthtest.SynthApp(t, app)
	return world{primary: stacks["primary"], failover: stacks["failover"], links: stacks["links"], data: d}
}

func ignored(r synthtest.Object) []string {
	var out []string
	list, _ := synthtest.Get(r, "lifecycle.ignore_changes").([]any)
	for _, x := range list {
		out = append(out, x.(string))
	}
	return out
}

func preventsDestroy(r synthtest.Object) bool {
	return synthtest.Get(r, "lifecycle.prevent_destroy") == true
}

func isRef(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}")
}

func TestGlobalDatabaseNew(t *testing.T) {
	w := build(t, nil)
	g := w.primary.Resource(t, "aws_rds_global_cluster")
	// rds_global_cluster, new: engine, version and encryption on the global cluster.
	if g["engine"] != "aurora-postgresql" || g["engine_version"] != "16.4" || g["storage_encrypted"] != true || g["deletion_protection"] != true || !preventsDestroy(g) {
		t.Errorf("global cluster = %v", g)
	}
	if g["source_db_cluster_identifier"] != nil || g["force_destroy"] != nil {
		t.Error("new mode builds no global cluster from a source")
	}
	p := w.primary.Resource(t, "aws_rds_cluster")
	if !strings.Contains(p["global_cluster_identifier"].(string), "aws_rds_global_cluster.") {
		t.Errorf("primary joins %v", p["global_cluster_identifier"])
	}
	for k, want := range map[string]any{
		"engine": "aurora-postgresql", "storage_encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/primary",
		"deletion_protection": true, "skip_final_snapshot": false, "final_snapshot_identifier": "app-dev-us-east-1-final",
		"iam_database_authentication_enabled": true, "copy_tags_to_snapshot": true, "backup_retention_period": float64(14),
		"master_username": "app_admin", "database_name": "app",
	} {
		if p[k] != want {
			t.Errorf("primary cluster %s = %v, want %v", k, p[k], want)
		}
	}
	if !slices.Equal(toStrings(p["enabled_cloudwatch_logs_exports"]), []string{"postgresql"}) {
		t.Errorf("log exports = %v", p["enabled_cloudwatch_logs_exports"])
	}
	if !isRef(p["master_password"]) || !strings.Contains(p["master_password"].(string), "aws_secretsmanager_random_password") {
		t.Errorf("master password must be generated, not written: %v", p["master_password"])
	}
	if ig := ignored(p); !slices.Contains(ig, "replication_source_identifier") || !slices.Contains(ig, "engine_version") || !slices.Contains(ig, "master_password") || !preventsDestroy(p) {
		t.Errorf("primary lifecycle = %v", p["lifecycle"])
	}
	if n := len(w.primary.Resources("aws_rds_cluster_instance")); n != 2 {
		t.Errorf("%d primary instances, want writer + 1 reader", n)
	}
	for _, i := range w.primary.Resources("aws_rds_cluster_instance") {
		// No engine_version (nor an ignored one): instances follow their
		// cluster, which the global cluster upgrades (rds_global_cluster,
		// "Upgrading Engine Versions").
		if i["engine_version"] != nil || i["lifecycle"] != nil {
			t.Errorf("instance sets or ignores engine_version: %v", i)
		}
		if i["publicly_accessible"] != false || i["engine"] != "aurora-postgresql" || i["instance_class"] != "db.r6g.large" || i["performance_insights_kms_key_id"] == nil {
			t.Errorf("instance = %v", i)
		}
	}
}

func TestSecondaryClusterLeavesOutWhatTheGlobalClusterOwns(t *testing.T) {
	w := build(t, nil)
	s := w.failover.Resource(t, "aws_rds_cluster")
	// A secondary must not set master credentials or a database name.
	for _, k := range []string{"master_username", "master_password", "database_name", "manage_master_user_password", "replication_source_identifier", "snapshot_identifier"} {
		if s[k] != nil {
			t.Errorf("secondary sets %s = %v", k, s[k])
		}
	}
	if g := s["global_cluster_identifier"].(string); !strings.Contains(g, "terraform_remote_state") {
		t.Errorf("secondary's global cluster id %q must come from the primary stack's state", g)
	}
	// Encrypted with its own region's key: keys do not cross regions.
	if s["kms_key_id"] != "arn:aws:kms:us-west-2:123456789012:key/failover" || s["storage_encrypted"] != true || s["deletion_protection"] != true {
		t.Errorf("secondary = %v", s)
	}
	if ig := ignored(s); !slices.Contains(ig, "replication_source_identifier") || !preventsDestroy(s) {
		t.Errorf("secondary lifecycle = %v", s["lifecycle"])
	}
	if n := len(w.failover.Resources("aws_rds_cluster_instance")); n != 1 {
		t.Errorf("%d secondary instances, want 1", n)
	}
}

func TestHeadlessSecondary(t *testing.T) {
	w := build(t, func(p *data.ReplicatedDataProps) { p.Database.SecondaryInstances = 0 })
	if n := len(w.failover.Resources("aws_rds_cluster_instance")); n != 0 {
		t.Errorf("headless secondary has %d instances", n)
	}
	if len(w.failover.Resources("aws_rds_cluster")) != 1 {
		t.Error("headless secondary still needs its cluster")
	}
}

func TestGlobalDatabaseFromSnapshot(t *testing.T) {
	w := build(t, func(p *data.ReplicatedDataProps) {
		p.Database.Mode, p.Database.SnapshotIdentifier = dataspec.DatabaseFromSnapshot, "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:before"
	})
	p := w.primary.Resource(t, "aws_rds_cluster")
	// A restored cluster cannot join a global cluster in the same call.
	if p["snapshot_identifier"] == nil || p["global_cluster_identifier"] != nil {
		t.Errorf("restored primary = %v", p)
	}
	if ig := ignored(p); !slices.Contains(ig, "snapshot_identifier") || !slices.Contains(ig, "global_cluster_identifier") {
		t.Errorf("restored primary must ignore the attributes its joining changes: %v", ig)
	}
	assertGlobalFromSource(t, w.primary.Resource(t, "aws_rds_global_cluster"))
}

func TestGlobalDatabaseFromExistingCluster(t *testing.T) {
	w := build(t, func(p *data.ReplicatedDataProps) {
		p.Database.Mode = dataspec.DatabaseFromCluster
		p.Database.SourceClusterArn = "arn:aws:rds:us-east-1:123456789012:cluster:legacy"
		p.Database.MasterSecretName = "legacy/master"
	})
	if n := len(w.primary.Resources("aws_rds_cluster")); n != 0 {
		t.Errorf("the existing primary is not managed here, got %d clusters", n)
	}
	g := w.primary.Resource(t, "aws_rds_global_cluster")
	assertGlobalFromSource(t, g)
	if g["source_db_cluster_identifier"] != "arn:aws:rds:us-east-1:123456789012:cluster:legacy" {
		t.Errorf("source = %v", g["source_db_cluster_identifier"])
	}
	if len(w.primary.DataSources("aws_rds_cluster")) != 1 {
		t.Error("the primary's endpoint comes from a data source")
	}
	if got := w.data.Regions["us-west-2"].DatabasePasswordSecret; got != "legacy/master" {
		t.Errorf("password secret = %s", got)
	}
	if n := len(w.primary.Resources("aws_secretsmanager_secret")); n != 1 {
		t.Errorf("%d secrets; only the cache token is generated in cluster mode", n)
	}
}

func assertGlobalFromSource(t *testing.T, g synthtest.Object) {
	t.Helper()
	// rds_global_cluster with source_db_cluster_identifier: engine and the
	// rest come from the source and must be left out; force_destroy is required.
	for _, k := range []string{"engine", "engine_version", "database_name", "storage_encrypted"} {
		if g[k] != nil {
			t.Errorf("global cluster from a source sets %s", k)
		}
	}
	if g["force_destroy"] != true || !slices.Contains(ignored(g), "source_db_cluster_identifier") || !preventsDestroy(g) {
		t.Errorf("global cluster from a source = %v", g)
	}
}

func TestGlobalDatastore(t *testing.T) {
	w := build(t, nil)
	p := w.primary.Resource(t, "aws_elasticache_replication_group")
	for k, want := range map[string]any{
		"engine": "redis", "node_type": "cache.r7g.large", "num_cache_clusters": float64(2), "automatic_failover_enabled": true, "multi_az_enabled": true,
		"at_rest_encryption_enabled": "true", "transit_encryption_enabled": true, "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/primary",
	} {
		if p[k] != want {
			t.Errorf("primary group %s = %v, want %v", k, p[k], want)
		}
	}
	if !isRef(p["auth_token"]) || !slices.Contains(ignored(p), "auth_token") || !preventsDestroy(p) {
		t.Errorf("auth token must be generated and then owned by Secrets Manager: %v %v", p["auth_token"], p["lifecycle"])
	}
	g := w.primary.Resource(t, "aws_elasticache_global_replication_group")
	// elasticache_global_replication_group, "Managing Redis OSS engine
	// versions": once a group is a member, the global group manages every
	// member's version, members ignore engine_version, and a major upgrade
	// needs parameter_group_name. cache_node_type scales every member
	// (ModifyGlobalReplicationGroup), in place.
	if g["cache_node_type"] != "cache.r7g.large" || g["engine_version"] != "7.1" || g["parameter_group_name"] != "default.redis7" {
		t.Errorf("the global group must own node type, version and parameter group: %v", g)
	}
	if ig := ignored(p); !slices.Contains(ig, "engine_version") || !slices.Contains(ig, "node_type") {
		t.Errorf("primary must leave version and node type to the global group: %v", ig)
	}
	if p["data_tiering_enabled"] != nil || s0(w)["data_tiering_enabled"] != nil {
		t.Error("data tiering is for r6gd only")
	}
	// After FailoverGlobalReplicationGroup another member is primary; a diff
	// on primary_replication_group_id would replace the datastore.
	if !strings.Contains(g["primary_replication_group_id"].(string), "aws_elasticache_replication_group.") || !slices.Contains(ignored(g), "primary_replication_group_id") || !preventsDestroy(g) {
		t.Errorf("global group = %v", g)
	}
	s := w.failover.Resource(t, "aws_elasticache_replication_group")
	// A secondary inherits these from the global datastore and must not set them.
	for _, k := range []string{"engine", "engine_version", "node_type", "parameter_group_name", "num_node_groups", "at_rest_encryption_enabled", "transit_encryption_enabled", "transit_encryption_mode", "security_group_names", "snapshot_arns", "snapshot_name"} {
		if s[k] != nil {
			t.Errorf("secondary sets %s = %v", k, s[k])
		}
	}
	if id := s["global_replication_group_id"].(string); !strings.Contains(id, "terraform_remote_state") {
		t.Errorf("the datastore id is AWS-assigned and must come from the primary's state: %s", id)
	}
	// It inherits Multi-AZ automatic failover, which needs two nodes.
	if s["num_cache_clusters"].(float64) < 2 || s["automatic_failover_enabled"] != true {
		t.Errorf("secondary = %v", s)
	}
	if tok := s["auth_token"].(string); !strings.Contains(tok, "data.aws_secretsmanager_secret_version.") {
		t.Errorf("secondary token must come from its own region's secret replica: %s", tok)
	}
	if !preventsDestroy(s) {
		t.Error("secondary must not be destroyable by a plan")
	}
}

func TestSecretsAreGeneratedAndReplicated(t *testing.T) {
	w := build(t, nil)
	secrets := w.primary.Resources("aws_secretsmanager_secret")
	if len(secrets) != 2 {
		t.Fatalf("want database and cache secrets, got %d", len(secrets))
	}
	for _, s := range secrets {
		// Each replica under its own region's customer-managed key, not the
		// AWS-managed aws/secretsmanager key (secretsmanager_secret,
		// replica.kms_key_id: a key in the replica's region).
		if synthtest.Get(s, "replica.0.kms_key_id") != "arn:aws:kms:us-west-2:123456789012:key/failover" {
			t.Errorf("replica key = %v", s["replica"])
		}
		if synthtest.Get(s, "replica.0.region") != "us-west-2" || s["kms_key_id"] != "arn:aws:kms:us-east-1:123456789012:key/primary" || !preventsDestroy(s) {
			t.Errorf("secret = %v", s)
		}
	}
	for _, v := range w.primary.Resources("aws_secretsmanager_secret_version") {
		if !isRef(v["secret_string"]) || !slices.Contains(ignored(v), "secret_string") {
			t.Errorf("secret version = %v", v)
		}
	}
}

func TestBucketPair(t *testing.T) {
	w := build(t, nil)
	for name, tpl := range map[string]synthtest.Template{"primary": w.primary, "failover": w.failover} {
		b := tpl.Resource(t, "aws_s3_bucket")
		if b["force_destroy"] != false || !preventsDestroy(b) {
			t.Errorf("%s bucket = %v", name, b)
		}
		if v := tpl.Resource(t, "aws_s3_bucket_versioning"); synthtest.Get(v, "versioning_configuration.status") != "Enabled" {
			t.Errorf("%s versioning = %v", name, v)
		}
		enc := tpl.Resource(t, "aws_s3_bucket_server_side_encryption_configuration")
		if synthtest.Get(enc, "rule.0.apply_server_side_encryption_by_default.sse_algorithm") != "aws:kms" || !strings.Contains(synthtest.Get(enc, "rule.0.apply_server_side_encryption_by_default.kms_master_key_id").(string), "key/"+name) {
			t.Errorf("%s encryption = %v", name, enc)
		}
		pab := tpl.Resource(t, "aws_s3_bucket_public_access_block")
		for _, k := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
			if pab[k] != true {
				t.Errorf("%s public access block %s = %v", name, k, pab[k])
			}
		}
		pol := synthtest.Policy(t, tpl.Resource(t, "aws_s3_bucket_policy")["policy"])
		if synthtest.Get(pol, "Statement.0.Condition.Bool.aws:SecureTransport.0") != "false" || synthtest.Get(pol, "Statement.0.Effect") != "Deny" {
			t.Errorf("%s bucket policy is not TLS-only: %v", name, pol)
		}
		lc := tpl.Resource(t, "aws_s3_bucket_lifecycle_configuration")
		if synthtest.Get(lc, "rule.0.noncurrent_version_expiration.noncurrent_days") != float64(90) || synthtest.Get(lc, "rule.0.filter") == nil {
			t.Errorf("%s lifecycle = %v", name, lc)
		}
	}
	if n := len(w.primary.Resources("aws_s3_bucket_replication_configuration")); n != 0 {
		t.Errorf("forward replication must wait for the failover buckets: %d configurations in the primary stack", n)
	}
	fwd := w.links.Resource(t, "aws_s3_bucket_replication_configuration")
	rule := synthtest.Get(fwd, "rule.0").(map[string]any)
	assertRule(t, "forward", rule, "key/failover")
	if !strings.Contains(fwd["bucket"].(string), "terraform_remote_state") {
		t.Errorf("forward source bucket must reference the primary stack: %v", fwd["bucket"])
	}
	rev := w.failover.Resource(t, "aws_s3_bucket_replication_configuration")
	assertRule(t, "reverse", synthtest.Get(rev, "rule.0").(map[string]any), "key/primary")
	// Versioning must be on before a replication configuration.
	if d := synthtest.Get(rev, "depends_on.0"); d == nil || !strings.HasPrefix(d.(string), "aws_s3_bucket_versioning.") {
		t.Errorf("reverse replication depends_on = %v", rev["depends_on"])
	}
}

func assertRule(t *testing.T, name string, rule map[string]any, destKey string) {
	t.Helper()
	if rule["status"] != "Enabled" || rule["filter"] == nil || synthtest.Get(rule, "delete_marker_replication.status") != "Disabled" {
		t.Errorf("%s rule = %v", name, rule)
	}
	// SSE-KMS objects replicate only when enabled, and need the replica key.
	if synthtest.Get(rule, "source_selection_criteria.sse_kms_encrypted_objects.status") != "Enabled" || !strings.Contains(fmt.Sprint(synthtest.Get(rule, "destination.encryption_configuration.replica_kms_key_id")), destKey) {
		t.Errorf("%s rule KMS = %v", name, rule)
	}
	// Replication Time Control requires metrics.
	if synthtest.Get(rule, "destination.replication_time.status") != "Enabled" || synthtest.Get(rule, "destination.replication_time.time.minutes") != float64(15) ||
		synthtest.Get(rule, "destination.metrics.status") != "Enabled" || synthtest.Get(rule, "destination.metrics.event_threshold.minutes") != float64(15) {
		t.Errorf("%s rule RTC = %v", name, rule["destination"])
	}
	if synthtest.Get(rule, "source_selection_criteria.replica_modifications.status") != "Enabled" {
		t.Errorf("%s rule: two-way replication needs replica modification sync", name)
	}
}

func TestWithoutReplicationTimeControl(t *testing.T) {
	w := build(t, func(p *data.ReplicatedDataProps) {
		p.Buckets[0].ReplicationTimeControl, p.Buckets[0].ReverseReplication, p.Buckets[0].DeleteMarkerReplication = false, false, true
	})
	rule := synthtest.Get(w.links.Resource(t, "aws_s3_bucket_replication_configuration"), "rule.0")
	if synthtest.Get(rule, "destination.replication_time") != nil || synthtest.Get(rule, "delete_marker_replication.status") != "Enabled" {
		t.Errorf("rule = %v", rule)
	}
	// Replication metrics stay on without RTC (S3 User Guide: they can be
	// enabled independently): the alarms on ReplicationLatency and
	// OperationsFailedReplication need them. The event threshold belongs
	// to RTC and is left out.
	if synthtest.Get(rule, "destination.metrics.status") != "Enabled" || synthtest.Get(rule, "destination.metrics.event_threshold") != nil {
		t.Errorf("rule metrics = %v", synthtest.Get(rule, "destination.metrics"))
	}
	if synthtest.Get(rule, "id") != data.ReplicationRuleID("us-west-2") {
		t.Errorf("rule id = %v, want %s (the RuleId its metrics carry)", synthtest.Get(rule, "id"), data.ReplicationRuleID("us-west-2"))
	}
	if n := len(w.failover.Resources("aws_s3_bucket_replication_configuration")); n != 0 {
		t.Errorf("no reverse rule asked for, got %d", n)
	}
}

func TestClientsReachOnlyTheirPorts(t *testing.T) {
	w := build(t, nil)
	ports := map[float64]bool{}
	for _, r := range w.failover.Resources("aws_vpc_security_group_ingress_rule") {
		if r["referenced_security_group_id"] != "sg-tasks" {
			t.Errorf("data ingress from %v", r)
		}
		ports[r["from_port"].(float64)] = true
	}
	if !ports[5432] || !ports[6379] || len(ports) != 2 {
		t.Errorf("ingress ports = %v", ports)
	}
}

func TestEndpointsForTasks(t *testing.T) {
	w := build(t, nil)
	e := w.data.Regions["us-west-2"]
	env := e.Environment()
	for _, k := range []string{"DATABASE_HOST", "DATABASE_PORT", "CACHE_HOST", "BUCKET_DATA"} {
		if env[k] == nil {
			t.Errorf("environment lacks %s", k)
		}
	}
	for k := range env {
		if strings.Contains(k, "PASSWORD") || strings.Contains(k, "TOKEN") {
			t.Errorf("credential %s in the environment", k)
		}
	}
	if *env["BUCKET_DATA"] != "app-dev-data-usw2" {
		t.Errorf("bucket = %s", *env["BUCKET_DATA"])
	}
	if s := e.Secrets(); s["DATABASE_PASSWORD"] != "app/dev/database/master" || s["CACHE_AUTH_TOKEN"] != "app/dev/cache/auth-token" {
		t.Errorf("secrets = %v", s)
	}
}

func TestNoPlaintextSecrets(t *testing.T) {
	w := build(t, nil)
	for name, tpl := range map[string]synthtest.Template{"primary": w.primary, "failover": w.failover, "links": w.links} {
		for _, p := range synthtest.LiteralSecrets(tpl) {
			t.Errorf("%s: %s holds a literal", name, p)
		}
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func s0(w world) synthtest.Object {
	for _, r := range w.failover.Resources("aws_elasticache_replication_group") {
		return r
	}
	return nil
}

// elasticache_replication_group, data_tiering_enabled: "must be set to true
// when using r6gd nodes"; the provider takes it on secondaries too.
func TestDataTieringOnR6gd(t *testing.T) {
	w := build(t, func(p *data.ReplicatedDataProps) { p.Cache.NodeType = "cache.r6gd.xlarge" })
	if p := w.primary.Resource(t, "aws_elasticache_replication_group"); p["data_tiering_enabled"] != true || p["node_type"] != "cache.r6gd.xlarge" {
		t.Errorf("primary = %v", p)
	}
	if s := s0(w); s["data_tiering_enabled"] != true {
		t.Errorf("secondary = %v", s)
	}
	if g := w.primary.Resource(t, "aws_elasticache_global_replication_group"); g["cache_node_type"] != "cache.r6gd.xlarge" {
		t.Errorf("global = %v", g)
	}
	err := data.CacheProps{NodeType: "cache.r6gd.xlarge", EngineVersion: "6.0", Replicas: 1, SnapshotRetentionDays: 1, Port: 6379}.Validate()
	if err == nil || !strings.Contains(err.Error(), "6.2 or newer") {
		t.Errorf("r6gd on Redis OSS 6.0 accepted: %v", err)
	}
}

// A major upgrade carries the new major's default parameter group.
func TestCacheMajorUpgrade(t *testing.T) {
	for version, group := range map[string]string{"6.2": "default.redis6.x", "5.0.6": "default.redis5.0"} {
		w := build(t, func(p *data.ReplicatedDataProps) { p.Cache.EngineVersion = version })
		g := w.primary.Resource(t, "aws_elasticache_global_replication_group")
		if g["engine_version"] != version || g["parameter_group_name"] != group {
			t.Errorf("%s: global = %v", version, g)
		}
	}
}

// A replication group's members are GROUP-001 up to its node count: the
// CacheClusterId values its node metrics carry.
func TestCacheNodeIDs(t *testing.T) {
	if got := data.CacheNodeIDs("app-dev-us-west-2", 2); !slices.Equal(got, []string{"app-dev-us-west-2-001", "app-dev-us-west-2-002", "app-dev-us-west-2-003"}) {
		t.Errorf("CacheNodeIDs = %v", got)
	}
}
