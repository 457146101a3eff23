package policypack

import (
	"encoding/json"
	"strings"
	"testing"
)

// fixture is a stack written as Terraform JSON resources: "type.name" to body.
type fixture map[string]map[string]any

func (f fixture) stack() Stack {
	s := Stack{Name: "fixture"}
	for addr, body := range f {
		typ, name, _ := strings.Cut(addr, ".")
		s.Resources = append(s.Resources, Resource{Type: typ, Name: name, Body: body})
	}
	return s
}

func policyJSON(statements ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(b)
}

func containerJSON(c ...map[string]any) string {
	b, _ := json.Marshal(c)
	return string(b)
}

var cluster = map[string]any{
	"storage_encrypted": true, "kms_key_id": "arn:k", "deletion_protection": true, "backup_retention_period": 14.0,
	"skip_final_snapshot": false, "iam_database_authentication_enabled": true,
}

func with(base map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for a, b := range base {
		out[a] = b
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}

var cache = map[string]any{
	"subnet_group_name": "${aws_elasticache_subnet_group.s.name}", "security_group_ids": []any{"sg"},
	"at_rest_encryption_enabled": "true", "transit_encryption_enabled": true, "multi_az_enabled": true,
	"automatic_failover_enabled": true, "auth_token": "${data.x.y}",
}

func secureBucket() fixture {
	return fixture{
		"aws_s3_bucket.b":                                      {"bucket": "b"},
		"aws_s3_bucket_logging.l":                              {"bucket": "${aws_s3_bucket.b.id}", "target_bucket": "logs"},
		"aws_s3_bucket_public_access_block.p":                  {"bucket": "${aws_s3_bucket.b.id}", "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true},
		"aws_s3_bucket_policy.t":                               {"bucket": "${aws_s3_bucket.b.id}", "policy": policyJSON(map[string]any{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}})},
		"aws_s3_bucket_server_side_encryption_configuration.e": {"bucket": "${aws_s3_bucket.b.id}"},
		"aws_s3_bucket_versioning.v":                           {"bucket": "${aws_s3_bucket.b.id}", "versioning_configuration": map[string]any{"status": "Enabled"}},
	}
}

var loadBalancer = map[string]any{"enable_deletion_protection": true, "access_logs": map[string]any{"enabled": true, "bucket": "logs", "prefix": "alb"}}

func without(f fixture, addr string) fixture {
	out := fixture{}
	for k, v := range f {
		if k != addr {
			out[k] = v
		}
	}
	return out
}

var distribution = map[string]any{
	"viewer_certificate": map[string]any{"acm_certificate_arn": "arn:c", "minimum_protocol_version": "TLSv1.2_2021"},
	"origin":             []any{map[string]any{"origin_id": "a", "domain_name": "a.example.com", "custom_origin_config": map[string]any{"origin_protocol_policy": "https-only", "origin_ssl_protocols": []any{"TLSv1.2"}}}},
	"logging_config":     map[string]any{"bucket": "logs.s3.amazonaws.com"}, "web_acl_id": "arn:waf",
}

// writes is a distribution whose API path takes POST to origin a.
var writes = with(distribution, "ordered_cache_behavior", []any{map[string]any{"path_pattern": "/api/*", "target_origin_id": "a", "allowed_methods": []any{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}}})

// Every rule has a passing and a failing fixture.
var cases = map[string]struct{ pass, fail fixture }{
	"AwsSolutions-RDS2":  {fixture{"aws_rds_cluster.c": cluster}, fixture{"aws_rds_cluster.c": with(cluster, "kms_key_id", nil)}},
	"AwsSolutions-RDS10": {fixture{"aws_rds_global_cluster.g": {"deletion_protection": true}}, fixture{"aws_rds_cluster.c": with(cluster, "deletion_protection", false)}},
	"PL-RDS-BACKUP":      {fixture{"aws_rds_cluster.c": cluster}, fixture{"aws_rds_cluster.c": with(cluster, "backup_retention_period", 1.0)}},
	"AwsSolutions-RDS6":  {fixture{"aws_rds_cluster.c": cluster}, fixture{"aws_rds_cluster.c": with(cluster, "iam_database_authentication_enabled", nil)}},
	"PL-RDS-PUBLIC":      {fixture{"aws_rds_cluster_instance.i": {"publicly_accessible": false}}, fixture{"aws_rds_cluster_instance.i": {"publicly_accessible": true}}},
	"AwsSolutions-AEC1":  {fixture{"aws_elasticache_replication_group.r": cache}, fixture{"aws_elasticache_replication_group.r": with(cache, "subnet_group_name", nil)}},
	"AwsSolutions-AEC3":  {fixture{"aws_elasticache_replication_group.r": with(with(cache, "at_rest_encryption_enabled", nil), "global_replication_group_id", "g")}, fixture{"aws_elasticache_replication_group.r": with(cache, "transit_encryption_enabled", false)}},
	"AwsSolutions-AEC4":  {fixture{"aws_elasticache_replication_group.r": cache}, fixture{"aws_elasticache_replication_group.r": with(cache, "multi_az_enabled", nil)}},
	"AwsSolutions-AEC6":  {fixture{"aws_elasticache_replication_group.r": with(with(cache, "auth_token", nil), "user_group_ids", []any{"u"})}, fixture{"aws_elasticache_replication_group.r": with(cache, "auth_token", nil)}},
	"AwsSolutions-S1":    {secureBucket(), without(secureBucket(), "aws_s3_bucket_logging.l")},
	"AwsSolutions-S2": {secureBucket(), func() fixture {
		f := secureBucket()
		f["aws_s3_bucket_public_access_block.p"] = with(f["aws_s3_bucket_public_access_block.p"], "block_public_policy", false)
		return f
	}()},
	"AwsSolutions-S10": {secureBucket(), without(secureBucket(), "aws_s3_bucket_policy.t")},
	"PL-S3-PUBLIC-OBJECT": {
		fixture{"aws_s3_bucket_policy.p": {"policy": policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": []any{"*"}}, "Action": []any{"s3:GetObject"}, "Resource": []any{"arn:aws:s3:::b-${data.aws_caller_identity.a.account_id}/standby-takes-over"}},
			map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"})}},
		fixture{"aws_s3_bucket_policy.p": {"policy": policyJSON(map[string]any{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})}},
	},
	"PL-S3-ENCRYPTION": {secureBucket(), without(secureBucket(), "aws_s3_bucket_server_side_encryption_configuration.e")},
	"PL-S3-VERSIONING": {secureBucket(), func() fixture {
		f := secureBucket()
		f["aws_s3_bucket_versioning.v"] = map[string]any{"bucket": "${aws_s3_bucket.b.id}", "versioning_configuration": map[string]any{"status": "Suspended"}}
		return f
	}()},
	"AwsSolutions-ELB2": {fixture{"aws_lb.l": loadBalancer}, fixture{"aws_lb.l": with(loadBalancer, "access_logs", map[string]any{"enabled": false, "bucket": "logs"})}},
	"PL-ELB-DELETION":   {fixture{"aws_lb.l": loadBalancer}, fixture{"aws_lb.l": with(loadBalancer, "enable_deletion_protection", false)}},
	"AwsSolutions-CFR4": {fixture{"aws_cloudfront_distribution.d": distribution}, fixture{"aws_cloudfront_distribution.d": with(distribution, "viewer_certificate", map[string]any{"acm_certificate_arn": "arn:c", "minimum_protocol_version": "TLSv1_2016"})}},
	"AwsSolutions-CFR5": {fixture{"aws_cloudfront_distribution.d": distribution}, fixture{"aws_cloudfront_distribution.d": with(distribution, "origin", []any{map[string]any{"origin_id": "a", "custom_origin_config": map[string]any{"origin_protocol_policy": "https-only", "origin_ssl_protocols": []any{"TLSv1.1", "TLSv1.2"}}}})}},
	"AwsSolutions-CFR6": {fixture{"aws_cloudfront_distribution.d": with(distribution, "origin", []any{map[string]any{"origin_id": "s3", "domain_name": "b.s3.us-east-1.amazonaws.com", "origin_access_control_id": "oac"}})}, fixture{"aws_cloudfront_distribution.d": with(distribution, "origin", []any{map[string]any{"origin_id": "s3", "domain_name": "b.s3.us-east-1.amazonaws.com"}})}},
	"AwsSolutions-CFR3": {fixture{"aws_cloudfront_distribution.d": distribution}, fixture{"aws_cloudfront_distribution.d": with(distribution, "logging_config", nil)}},
	"PL-CFR-WRITES": {
		fixture{"aws_cloudfront_distribution.d": writes, "aws_route53_record.p": {"name": "a.example.com", "failover_routing_policy": map[string]any{"type": "PRIMARY"}}},
		fixture{"aws_cloudfront_distribution.d": writes, "aws_route53_record.p": {"name": "a.example.com"}},
	},
	"AwsSolutions-CFR2": {fixture{"aws_cloudfront_distribution.d": distribution}, fixture{"aws_cloudfront_distribution.d": with(distribution, "web_acl_id", nil)}},
	"AwsSolutions-IAM5": {
		fixture{"aws_iam_role_policy.p": {"policy": policyJSON(map[string]any{"Effect": "Allow", "Action": []any{"s3:GetObject"}, "Resource": []any{"arn:aws:s3:::b/*"}})}},
		fixture{"aws_iam_role_policy.p": {"policy": policyJSON(map[string]any{"Effect": "Allow", "Action": "s3:*", "Resource": "*"})}},
	},
	"AwsSolutions-IAM4": {fixture{"aws_iam_role_policy_attachment.a": {"policy_arn": "arn:aws:iam::123456789012:policy/scoped"}}, fixture{"aws_iam_role_policy_attachment.a": {"policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}}},
	"AwsSolutions-ECS4": {fixture{"aws_ecs_cluster.c": {"setting": []any{map[string]any{"name": "containerInsights", "value": "enabled"}}}}, fixture{"aws_ecs_cluster.c": {}}},
	"AwsSolutions-ECS7": {
		fixture{"aws_ecs_task_definition.t": {"container_definitions": containerJSON(map[string]any{"name": "app", "logConfiguration": map[string]any{"logDriver": "awslogs"}})}},
		fixture{"aws_ecs_task_definition.t": {"container_definitions": containerJSON(map[string]any{"name": "app"})}},
	},
	"PL-ECS-SECRETS": {
		fixture{"aws_ecs_task_definition.t": {"container_definitions": containerJSON(map[string]any{"name": "app", "environment": []any{map[string]any{"name": "DATABASE_HOST", "value": "h"}}})}},
		fixture{"aws_ecs_task_definition.t": {"container_definitions": containerJSON(map[string]any{"name": "app", "environment": []any{map[string]any{"name": "DATABASE_PASSWORD", "value": "hunter2"}}})}},
	},
	"PL-ECS-IMAGE-DIGEST": {
		fixture{"aws_ecs_task_definition.t": {"container_definitions": containerJSON(map[string]any{"name": "app", "image": "public.ecr.aws/nginx/nginx@sha256:" + strings.Repeat("ab", 32)})}},
		fixture{"aws_ecs_task_definition.t": {"container_definitions": containerJSON(map[string]any{"name": "app", "image": "public.ecr.aws/nginx/nginx:stable"})}},
	},
	"AwsSolutions-VPC7": {fixture{"aws_vpc.v": {}, "aws_flow_log.f": {"vpc_id": "${aws_vpc.v.id}"}}, fixture{"aws_vpc.v": {}}},
	"AwsSolutions-EC23": {fixture{"aws_vpc_security_group_ingress_rule.r": {"prefix_list_id": "pl-1"}}, fixture{"aws_vpc_security_group_ingress_rule.r": {"cidr_ipv4": "0.0.0.0/0"}}},
	"AwsSolutions-SNS2": {fixture{"aws_sns_topic.t": {"kms_master_key_id": "arn:aws:kms:us-east-1:123456789012:key/k"}}, fixture{"aws_sns_topic.t": {}}},
	"AwsSolutions-SNS3": {
		fixture{"aws_sns_topic.t": {}, "aws_sns_topic_policy.p": {"arn": "${aws_sns_topic.t.arn}", "policy": `{"Statement":[{"Effect":"Deny","Action":["SNS:Publish"],"Condition":{"Bool":{"aws:SecureTransport":["false"]}}}]}`}},
		fixture{"aws_sns_topic.t": {}, "aws_sns_topic_policy.p": {"arn": "${aws_sns_topic.t.arn}", "policy": `{"Statement":[{"Effect":"Allow","Action":["SNS:Publish"]}]}`}},
	},
	"AwsSolutions-KMS5": {fixture{"aws_kms_key.k": {"enable_key_rotation": true}}, fixture{"aws_kms_key.k": {}}},
	"AwsSolutions-SMG4": {fixture{"aws_secretsmanager_secret.s": {}, "aws_secretsmanager_secret_rotation.r": {"secret_id": "${aws_secretsmanager_secret.s.id}"}}, fixture{"aws_secretsmanager_secret.s": {}}},
}

func findingsOf(rule Rule, f fixture) []Finding {
	return Check([]Stack{f.stack()}, []Rule{rule}).Findings
}

func TestEveryRuleHasFixtures(t *testing.T) {
	for _, rule := range AwsSolutions() {
		if rule.ID == "" || rule.Reason == "" || len(rule.Types) == 0 || (rule.Severity != Error && rule.Severity != Warning) {
			t.Errorf("rule %+v lacks an id, reason, types or severity", rule.ID)
		}
		c, ok := cases[rule.ID]
		if !ok {
			t.Errorf("rule %s has no fixtures", rule.ID)
			continue
		}
		if f := findingsOf(rule, c.pass); len(f) != 0 {
			t.Errorf("%s: passing fixture reported %v", rule.ID, f)
		}
		if f := findingsOf(rule, c.fail); len(f) == 0 {
			t.Errorf("%s: failing fixture not reported", rule.ID)
		}
	}
	if len(cases) != len(AwsSolutions()) {
		t.Errorf("%d fixtures for %d rules", len(cases), len(AwsSolutions()))
	}
}

func TestWarningsNeedInputTheDefaultsLack(t *testing.T) {
	rule := ruleByID(t, "AwsSolutions-CFR4")
	f := findingsOf(rule, fixture{"aws_cloudfront_distribution.d": with(distribution, "viewer_certificate", map[string]any{"cloudfront_default_certificate": true})})
	if len(f) != 1 || f[0].Severity != Warning || !strings.Contains(f[0].Message, "CertificateArn") {
		t.Errorf("default certificate: %v", f)
	}
}

// An image is pinned only by digest: a tag, none (latest) or a tag beside
// a digest's absence can move between the primary's deploy and a failover.
func TestImagePinned(t *testing.T) {
	digest := "sha256:" + strings.Repeat("0f", 32)
	for ref, want := range map[string]bool{
		"public.ecr.aws/nginx/nginx@" + digest:                           true,
		"123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.0@" + digest: true,
		"nginx@" + digest:                   true,
		"public.ecr.aws/nginx/nginx:stable": false,
		"nginx":                             false,
		"nginx:latest":                      false,
		"123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.0": false,
		"${aws_ecr_repository.app.repository_url}:1.0":         false,
		"public.ecr.aws/nginx/nginx@sha256:short":              false,
	} {
		if got := ImagePinned(ref); got != want {
			t.Errorf("ImagePinned(%q) = %v, want %v", ref, got, want)
		}
	}
	f := findingsOf(ruleByID(t, "PL-ECS-IMAGE-DIGEST"), cases["PL-ECS-IMAGE-DIGEST"].fail)
	if len(f) != 1 || f[0].Severity != Warning || !strings.Contains(f[0].Message, "pin it by digest") {
		t.Errorf("a tagged image: %v", f)
	}
}

func TestSuppressionNeedsAReasonAndIsListed(t *testing.T) {
	rule := ruleByID(t, "AwsSolutions-KMS5")
	report := Check([]Stack{fixture{"aws_kms_key.k": {"//": map[string]any{"suppressions": map[string]any{"AwsSolutions-KMS5": "imported key, rotated by its owner"}}}}.stack()}, []Rule{rule})
	if len(report.Errors()) != 0 || len(report.Suppressed()) != 1 || report.Suppressed()[0].SuppressionReason != "imported key, rotated by its owner" {
		t.Errorf("suppression not honoured or not listed: %+v", report)
	}
	blank := Check([]Stack{fixture{"aws_kms_key.k": {"//": map[string]any{"suppressions": map[string]any{"AwsSolutions-KMS5": "  "}}}}.stack()}, []Rule{rule})
	if len(blank.Errors()) != 1 {
		t.Error("a suppression without a reason must not count")
	}
	if err := report.Err(); err != nil {
		t.Errorf("Err with only suppressed findings: %v", err)
	}
	if err := blank.Err(); err == nil || !strings.Contains(err.Error(), "AwsSolutions-KMS5") {
		t.Errorf("Err = %v", err)
	}
}

func ruleByID(t *testing.T, id string) Rule {
	for _, r := range AwsSolutions() {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %s", id)
	return Rule{}
}
