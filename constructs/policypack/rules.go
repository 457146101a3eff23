package policypack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/distribution/reference"
)

// AwsSolutions is the pack: rules after cdk-nag's AwsSolutions pack that
// apply to this kind of system. IDs follow cdk-nag's where a rule
// corresponds; PL- rules are this library's own.
func AwsSolutions() []Rule {
	return []Rule{
		// Aurora / RDS
		{ID: "AwsSolutions-RDS2", Severity: Error, Types: []string{"aws_rds_cluster"},
			Reason: "Database storage is encrypted at rest with a customer-managed KMS key",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(truthy(r.Body["storage_encrypted"]) && r.Body["kms_key_id"] != nil, "storage_encrypted must be true with a kms_key_id")
			}},
		{ID: "AwsSolutions-RDS10", Severity: Error, Types: []string{"aws_rds_cluster", "aws_rds_global_cluster"},
			Reason: "Deletion protection keeps a database from being deleted by mistake",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(truthy(r.Body["deletion_protection"]), "deletion_protection must be true")
			}},
		{ID: "PL-RDS-BACKUP", Severity: Error, Types: []string{"aws_rds_cluster"},
			Reason: "Automated backups are kept at least 7 days, and a final snapshot is taken",
			Check: func(r Resource, _ *Stack) []Problem {
				days, _ := r.Body["backup_retention_period"].(float64)
				return require(days >= 7 && r.Body["skip_final_snapshot"] != true, "backup_retention_period must be 7 or more and skip_final_snapshot false")
			}},
		{ID: "AwsSolutions-RDS6", Severity: Error, Types: []string{"aws_rds_cluster"},
			Reason: "IAM database authentication lets clients connect without stored passwords",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(truthy(r.Body["iam_database_authentication_enabled"]), "iam_database_authentication_enabled must be true")
			}},
		{ID: "PL-RDS-PUBLIC", Severity: Error, Types: []string{"aws_rds_cluster_instance", "aws_db_instance"},
			Reason: "Database instances are never reachable from the internet",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(!truthy(r.Body["publicly_accessible"]), "publicly_accessible must be false")
			}},
		// ElastiCache
		{ID: "AwsSolutions-AEC1", Severity: Error, Types: []string{"aws_elasticache_replication_group"},
			Reason: "ElastiCache runs in a VPC, in the app's private subnets",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(r.Body["subnet_group_name"] != nil && r.Body["security_group_ids"] != nil, "subnet_group_name and security_group_ids must be set")
			}},
		{ID: "AwsSolutions-AEC3", Severity: Error, Types: []string{"aws_elasticache_replication_group"},
			Reason: "Cache data is encrypted at rest and in transit",
			Check: func(r Resource, _ *Stack) []Problem {
				if r.Body["global_replication_group_id"] != nil {
					return nil // a global datastore secondary inherits both from the primary
				}
				return require(truthy(r.Body["at_rest_encryption_enabled"]) && truthy(r.Body["transit_encryption_enabled"]), "at_rest_encryption_enabled and transit_encryption_enabled must be true")
			}},
		{ID: "AwsSolutions-AEC4", Severity: Error, Types: []string{"aws_elasticache_replication_group"},
			Reason: "Multi-AZ with automatic failover survives the loss of a node or an AZ",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(truthy(r.Body["multi_az_enabled"]) && truthy(r.Body["automatic_failover_enabled"]), "multi_az_enabled and automatic_failover_enabled must be true")
			}},
		{ID: "AwsSolutions-AEC6", Severity: Error, Types: []string{"aws_elasticache_replication_group"},
			Reason: "Clients authenticate (Redis AUTH or RBAC user groups)",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(r.Body["auth_token"] != nil || r.Body["user_group_ids"] != nil, "set auth_token or user_group_ids")
			}},
		// S3
		{ID: "AwsSolutions-S1", Severity: Error, Types: []string{"aws_s3_bucket"},
			Reason: "Server access logs record every request to a bucket",
			Check: func(r Resource, s *Stack) []Problem {
				return require(len(s.Referencing("aws_s3_bucket_logging", "bucket", r)) > 0, "no aws_s3_bucket_logging for this bucket; give it an access-log bucket (storage.PrivateBucketProps AccessLogBucket, logs.AccessLogBucket)")
			}},
		{ID: "AwsSolutions-S2", Severity: Error, Types: []string{"aws_s3_bucket"},
			Reason: "All public access to a bucket is blocked",
			Check: func(r Resource, s *Stack) []Problem {
				for _, b := range s.Referencing("aws_s3_bucket_public_access_block", "bucket", r) {
					if truthy(b.Body["block_public_acls"]) && truthy(b.Body["block_public_policy"]) && truthy(b.Body["ignore_public_acls"]) && truthy(b.Body["restrict_public_buckets"]) {
						return nil
					}
				}
				return problem("no aws_s3_bucket_public_access_block with all four settings true")
			}},
		{ID: "AwsSolutions-S10", Severity: Error, Types: []string{"aws_s3_bucket"},
			Reason: "A bucket policy refuses requests without TLS",
			Check: func(r Resource, s *Stack) []Problem {
				return require(policyDeniesInsecureTransport(s, "aws_s3_bucket_policy", "bucket", r), "no bucket policy denying aws:SecureTransport false")
			}},
		{ID: "PL-S3-ENCRYPTION", Severity: Error, Types: []string{"aws_s3_bucket"},
			Reason: "Objects are encrypted at rest by default",
			Check: func(r Resource, s *Stack) []Problem {
				return require(len(s.Referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", r)) > 0, "no aws_s3_bucket_server_side_encryption_configuration for this bucket")
			}},
		{ID: "PL-S3-PUBLIC-OBJECT", Severity: Error, Types: []string{"aws_s3_bucket_policy"},
			Reason: "Anyone may at most read single named objects (the traffic switch's), never list, write, or read a prefix",
			Check: func(r Resource, _ *Stack) []Problem {
				var out []Problem
				for _, st := range statements(r.Body["policy"]) {
					if st.Effect != "Allow" || !st.Public {
						continue
					}
					wild := false
					for _, res := range st.Resource {
						// Terraform interpolations (the account id in a
						// bucket name) are values, not wildcards.
						res = interpolation.ReplaceAllString(res, "x")
						_, key, ok := strings.Cut(strings.TrimPrefix(res, "arn:"), ":::")
						_, key, ok2 := strings.Cut(key, "/")
						wild = wild || !ok || !ok2 || key == "" || strings.ContainsAny(res, "*?$")
					}
					if !slices.Equal(st.Action, []string{"s3:GetObject"}) || len(st.Resource) == 0 || wild {
						out = append(out, Problem{Message: fmt.Sprintf("statement %q lets anyone %v on %v; allow only s3:GetObject on named object ARNs (storage.PrivateBucketProps PublicReadKey)", st.Sid, st.Action, st.Resource)})
					}
				}
				return out
			}},
		{ID: "PL-S3-VERSIONING", Severity: Error, Types: []string{"aws_s3_bucket"},
			Reason: "Every bucket keeps versions, so an overwrite or delete can be undone",
			Check: func(r Resource, s *Stack) []Problem {
				for _, v := range s.Referencing("aws_s3_bucket_versioning", "bucket", r) {
					if c, _ := v.Body["versioning_configuration"].(map[string]any); c != nil && c["status"] == "Enabled" {
						return nil
					}
					for _, c := range list(v.Body["versioning_configuration"]) {
						if c["status"] == "Enabled" {
							return nil
						}
					}
				}
				return problem("no aws_s3_bucket_versioning with status Enabled for this bucket; turn it on (storage.PrivateBucketProps Versioned)")
			}},
		// Elastic Load Balancing
		{ID: "AwsSolutions-ELB2", Severity: Error, Types: []string{"aws_lb", "aws_alb"},
			Reason: "Access logs record every request to a load balancer",
			Check: func(r Resource, _ *Stack) []Problem {
				for _, l := range list(r.Body["access_logs"]) {
					if truthy(l["enabled"]) && l["bucket"] != nil {
						return nil
					}
				}
				return problem("access_logs must be enabled with a bucket")
			}},
		{ID: "PL-ELB-DELETION", Severity: Error, Types: []string{"aws_lb", "aws_alb"},
			Reason: "Deletion protection keeps a region's entry point from being deleted by mistake",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(truthy(r.Body["enable_deletion_protection"]), "enable_deletion_protection must be true")
			}},
		// CloudFront
		{ID: "AwsSolutions-CFR4", Severity: Error, Types: []string{"aws_cloudfront_distribution"},
			Reason: "Viewers connect with TLS 1.2 or newer",
			Check: func(r Resource, _ *Stack) []Problem {
				vc, _ := r.Body["viewer_certificate"].(map[string]any)
				if truthy(vc["cloudfront_default_certificate"]) {
					return []Problem{{Severity: Warning, Message: "the default *.cloudfront.net certificate allows TLS 1.0; give the distribution a certificate and aliases (edge.FailoverDistributionProps CertificateArn, Aliases) for TLSv1.2_2021"}}
				}
				v, _ := vc["minimum_protocol_version"].(string)
				return require(strings.HasPrefix(v, "TLSv1.2") || strings.HasPrefix(v, "TLSv1.3"), "minimum_protocol_version must be TLSv1.2_2021 or newer, not "+v)
			}},
		{ID: "AwsSolutions-CFR5", Severity: Error, Types: []string{"aws_cloudfront_distribution"},
			Reason: "CloudFront reaches origins over TLS 1.2 or newer",
			Check: func(r Resource, _ *Stack) []Problem {
				var out []Problem
				for _, o := range list(r.Body["origin"]) {
					c, _ := o["custom_origin_config"].(map[string]any)
					if c == nil {
						continue
					}
					for _, p := range strs(c["origin_ssl_protocols"]) {
						if p != "TLSv1.2" {
							out = append(out, Problem{Message: fmt.Sprintf("origin %v allows %s", o["origin_id"], p)})
						}
					}
					if c["origin_protocol_policy"] != "https-only" {
						out = append(out, Problem{Severity: Warning, Message: fmt.Sprintf("origin %v is reached over plain HTTP; give each origin a domain and its load balancer a regional ACM certificate (edge.Origin.HTTPS, compute.LoadBalancerProps.CertificateArn) so CloudFront connects with TLS", o["origin_id"])})
					}
				}
				return out
			}},
		{ID: "AwsSolutions-CFR6", Severity: Error, Types: []string{"aws_cloudfront_distribution"},
			Reason: "S3 origins are reached through origin access control, never a public bucket",
			Check: func(r Resource, _ *Stack) []Problem {
				var out []Problem
				for _, o := range list(r.Body["origin"]) {
					domain, _ := o["domain_name"].(string)
					if strings.Contains(domain, ".s3.") && o["origin_access_control_id"] == nil {
						out = append(out, Problem{Message: fmt.Sprintf("S3 origin %v has no origin_access_control_id", o["origin_id"])})
					}
				}
				return out
			}},
		{ID: "PL-CFR-WRITES", Severity: Warning, Types: []string{"aws_cloudfront_distribution"},
			Reason: "Writes reach a Route 53 failover name, so moving them to another region needs no CloudFront (us-east-1) control-plane call",
			Check: func(r Resource, s *Stack) []Problem {
				failoverNames := map[string]bool{}
				for _, rec := range s.Resources {
					if rec.Type == "aws_route53_record" && len(list(rec.Body["failover_routing_policy"])) > 0 {
						if name, ok := rec.Body["name"].(string); ok {
							failoverNames[name] = true
						}
					}
				}
				domains := map[string]string{}
				for _, o := range list(r.Body["origin"]) {
					id, _ := o["origin_id"].(string)
					domains[id], _ = o["domain_name"].(string)
				}
				var out []Problem
				for _, b := range append(list(r.Body["default_cache_behavior"]), list(r.Body["ordered_cache_behavior"])...) {
					target, _ := b["target_origin_id"].(string)
					if !slices.Contains(strs(b["allowed_methods"]), "POST") || failoverNames[domains[target]] {
						continue
					}
					path, _ := b["path_pattern"].(string)
					out = append(out, Problem{Message: fmt.Sprintf("writes (%s) go to origin %s, which only a distribution update (CloudFront's control plane, in us-east-1) can move to another region; make the origin's domain a Route 53 failover name (dns.FailoverName) so a region switch moves them on the data plane", orDefault(path, "default behaviour"), target)})
				}
				return out
			}},
		{ID: "AwsSolutions-CFR3", Severity: Warning, Types: []string{"aws_cloudfront_distribution"},
			Reason: "Access logs record every request to the distribution",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(r.Body["logging_config"] != nil, "no logging_config; give the distribution a LogBucket (edge.FailoverDistributionProps) for CloudFront standard logs")
			}},
		{ID: "AwsSolutions-CFR2", Severity: Warning, Types: []string{"aws_cloudfront_distribution"},
			Reason: "A WAF web ACL filters requests before they reach the regions",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(r.Body["web_acl_id"] != nil, "no web_acl_id; give the distribution a WebAclArn (edge.FailoverDistributionProps), a WAFv2 web ACL with scope CLOUDFRONT")
			}},
		// IAM
		{ID: "AwsSolutions-IAM5", Severity: Error, Types: []string{"aws_iam_role_policy", "aws_iam_policy"},
			Reason: "Policies name their actions and resources; a wildcard needs a written reason",
			Check: func(r Resource, _ *Stack) []Problem {
				var out []Problem
				for _, st := range statements(r.Body["policy"]) {
					if st.Effect == "Deny" {
						continue
					}
					for _, a := range st.Action {
						if a == "*" || strings.HasSuffix(a, ":*") {
							out = append(out, Problem{Message: fmt.Sprintf("statement %q allows action %s", st.Sid, a)})
						}
					}
					for _, res := range st.Resource {
						if res == "*" {
							out = append(out, Problem{Message: fmt.Sprintf("statement %q applies to every resource (*)", st.Sid)})
						}
					}
				}
				return out
			}},
		{ID: "AwsSolutions-IAM4", Severity: Error, Types: []string{"aws_iam_role_policy_attachment", "aws_iam_role"},
			Reason: "Roles get scoped policies, not broad AWS-managed ones",
			Check: func(r Resource, _ *Stack) []Problem {
				var arns []string
				if v, ok := r.Body["policy_arn"].(string); ok {
					arns = append(arns, v)
				}
				arns = append(arns, strs(r.Body["managed_policy_arns"])...)
				var out []Problem
				for _, a := range arns {
					if strings.Contains(a, ":iam::aws:policy/") {
						out = append(out, Problem{Message: "attaches the AWS-managed policy " + a})
					}
				}
				return out
			}},
		// ECS
		{ID: "AwsSolutions-ECS4", Severity: Error, Types: []string{"aws_ecs_cluster"},
			Reason: "Container Insights collects the cluster's metrics",
			Check: func(r Resource, _ *Stack) []Problem {
				for _, s := range list(r.Body["setting"]) {
					if s["name"] == "containerInsights" && (s["value"] == "enabled" || s["value"] == "enhanced") {
						return nil
					}
				}
				return problem("setting containerInsights is not enabled")
			}},
		{ID: "AwsSolutions-ECS7", Severity: Error, Types: []string{"aws_ecs_task_definition"},
			Reason: "Every container sends its logs somewhere",
			Check: func(r Resource, _ *Stack) []Problem {
				var out []Problem
				for _, c := range containers(r.Body["container_definitions"]) {
					if c.LogConfiguration == nil {
						out = append(out, Problem{Message: fmt.Sprintf("container %s has no logConfiguration", c.Name)})
					}
				}
				return out
			}},
		{ID: "PL-ECS-SECRETS", Severity: Error, Types: []string{"aws_ecs_task_definition"},
			Reason: "Credentials reach containers as task secrets, never as environment values",
			Check: func(r Resource, _ *Stack) []Problem {
				var out []Problem
				for _, c := range containers(r.Body["container_definitions"]) {
					for _, e := range c.Environment {
						if LooksLikeCredential(e.Name) {
							out = append(out, Problem{Message: fmt.Sprintf("container %s has %s in its environment; move it to secrets", c.Name, e.Name)})
						}
					}
				}
				return out
			}},
		{ID: "PL-ECS-IMAGE-DIGEST", Severity: Warning, Types: []string{"aws_ecs_task_definition"},
			Reason: "A standby started during a failover pulls what the image's tag names that day; a digest makes every region run the image the primary runs",
			Check: func(r Resource, _ *Stack) []Problem {
				var out []Problem
				for _, c := range containers(r.Body["container_definitions"]) {
					if !ImagePinned(c.Image) {
						out = append(out, Problem{Message: fmt.Sprintf("container %s runs %s by tag; pin it by digest (REPOSITORY@sha256:DIGEST, from `docker buildx imagetools inspect` or the registry), so the failover region starts the same image", c.Name, c.Image)})
					}
				}
				return out
			}},
		// VPC / EC2
		{ID: "AwsSolutions-VPC7", Severity: Error, Types: []string{"aws_vpc"},
			Reason: "VPC flow logs record the network's traffic",
			Check: func(r Resource, s *Stack) []Problem {
				return require(len(s.Referencing("aws_flow_log", "vpc_id", r)) > 0, "no aws_flow_log for this VPC")
			}},
		{ID: "AwsSolutions-EC23", Severity: Error, Types: []string{"aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"},
			Reason: "No security group admits the whole internet (a public listener is suppressed with its reason)",
			Check: func(r Resource, _ *Stack) []Problem {
				open := func(v any) bool { return v == "0.0.0.0/0" || v == "::/0" }
				var out []Problem
				switch r.Type {
				case "aws_vpc_security_group_ingress_rule":
					if open(r.Body["cidr_ipv4"]) || open(r.Body["cidr_ipv6"]) {
						out = append(out, Problem{Message: "ingress from anywhere"})
					}
				case "aws_security_group_rule":
					if r.Body["type"] == "ingress" {
						for _, c := range append(strs(r.Body["cidr_blocks"]), strs(r.Body["ipv6_cidr_blocks"])...) {
							if open(c) {
								out = append(out, Problem{Message: "ingress from anywhere"})
							}
						}
					}
				case "aws_security_group":
					for _, in := range list(r.Body["ingress"]) {
						for _, c := range append(strs(in["cidr_blocks"]), strs(in["ipv6_cidr_blocks"])...) {
							if open(c) {
								out = append(out, Problem{Message: "inline ingress from anywhere"})
							}
						}
					}
				}
				return out
			}},
		// SNS (the alarm topics)
		{ID: "AwsSolutions-SNS2", Severity: Error, Types: []string{"aws_sns_topic"},
			Reason: "Topics are encrypted at rest (alarm notifications name the app's resources)",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(r.Body["kms_master_key_id"] != nil, "kms_master_key_id must be set")
			}},
		{ID: "AwsSolutions-SNS3", Severity: Error, Types: []string{"aws_sns_topic"},
			Reason: "A topic policy refuses publishing without TLS",
			Check: func(r Resource, s *Stack) []Problem {
				return require(policyDeniesInsecureTransport(s, "aws_sns_topic_policy", "arn", r), "no topic policy denying aws:SecureTransport false")
			}},
		// KMS, Secrets Manager
		{ID: "AwsSolutions-KMS5", Severity: Error, Types: []string{"aws_kms_key"},
			Reason: "Customer-managed keys rotate automatically",
			Check: func(r Resource, _ *Stack) []Problem {
				return require(truthy(r.Body["enable_key_rotation"]), "enable_key_rotation must be true")
			}},
		{ID: "AwsSolutions-SMG4", Severity: Error, Types: []string{"aws_secretsmanager_secret"},
			Reason: "Secrets rotate automatically where the service supports it",
			Check: func(r Resource, s *Stack) []Problem {
				return require(len(s.Referencing("aws_secretsmanager_secret_rotation", "secret_id", r)) > 0, "no aws_secretsmanager_secret_rotation for this secret")
			}},
	}
}

func require(ok bool, message string) []Problem {
	if ok {
		return nil
	}
	return problem(message)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func problem(message string) []Problem { return []Problem{{Message: message}} }

func truthy(v any) bool { return v == true || v == "true" }

func list(v any) []map[string]any {
	var out []map[string]any
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case map[string]any:
		out = append(out, x)
	}
	return out
}

func strs(v any) []string {
	var out []string
	items, _ := v.([]any)
	for _, e := range items {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// statement is an IAM statement with Action and Resource as lists.
var interpolation = regexp.MustCompile(`\$\{[^}]*\}`)

type statement struct {
	Sid, Effect      string
	Action, Resource []string
	Condition        map[string]map[string]any
	// Public: the principal is anyone ("*", or {"AWS": "*"}, which IAM
	// treats alike: IAM User Guide, "AWS JSON policy elements: Principal",
	// anonymous principals).
	Public bool
}

func statements(policy any) []statement {
	text, _ := policy.(string)
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(text), &doc) != nil {
		return nil
	}
	var raw []map[string]any
	if json.Unmarshal(doc.Statement, &raw) != nil {
		var one map[string]any
		if json.Unmarshal(doc.Statement, &one) != nil {
			return nil
		}
		raw = []map[string]any{one}
	}
	var out []statement
	for _, m := range raw {
		st := statement{Action: oneOrMany(m["Action"]), Resource: oneOrMany(m["Resource"])}
		st.Sid, _ = m["Sid"].(string)
		st.Effect, _ = m["Effect"].(string)
		switch p := m["Principal"].(type) {
		case string:
			st.Public = p == "*"
		case map[string]any:
			st.Public = slices.Contains(oneOrMany(p["AWS"]), "*")
		}
		if c, ok := m["Condition"].(map[string]any); ok {
			st.Condition = map[string]map[string]any{}
			for op, v := range c {
				st.Condition[op], _ = v.(map[string]any)
			}
		}
		out = append(out, st)
	}
	return out
}

func oneOrMany(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	return strs(v)
}

// policyDeniesInsecureTransport reports whether a policy resource of
// policyType whose attr refers to r denies requests without TLS.
func policyDeniesInsecureTransport(s *Stack, policyType, attr string, r Resource) bool {
	for _, p := range s.Referencing(policyType, attr, r) {
		if deniesInsecureTransport(p.Body["policy"]) {
			return true
		}
	}
	return false
}

func deniesInsecureTransport(policy any) bool {
	for _, st := range statements(policy) {
		if st.Effect != "Deny" {
			continue
		}
		if b := st.Condition["Bool"]; b != nil {
			v := b["aws:SecureTransport"]
			if v == "false" || v == false || fmt.Sprint(v) == "[false]" {
				return true
			}
		}
	}
	return false
}

type container struct {
	Name             string
	Image            string
	LogConfiguration map[string]any `json:"logConfiguration"`
	Environment      []struct{ Name, Value string }
}

func containers(defs any) []container {
	text, _ := defs.(string)
	var out []container
	json.Unmarshal([]byte(text), &out)
	return out
}

// ImagePinned reports whether ref names its image by digest
// (REPOSITORY@sha256:...; parsed with the OCI distribution reference
// grammar), so every pull, in any region and on any day, gets the same
// image; a tag (or none, which means latest) can be moved.
func ImagePinned(ref string) bool {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return false
	}
	_, digested := named.(reference.Digested)
	return digested
}

// LooksLikeCredential reports whether an environment variable's name
// suggests it holds a credential.
func LooksLikeCredential(name string) bool {
	upper := strings.ToUpper(name)
	for _, w := range []string{"PASSWORD", "TOKEN", "SECRET", "_KEY", "CREDENTIAL"} {
		if strings.Contains(upper, w) {
			return true
		}
	}
	return false
}
