package docgen

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pilotlight/pilotlight/constructs/policypack"
)

// notable are the resource types the architecture page draws, with the
// words it draws them in; the rest (subnets, routes, policies) are counted
// only in the stack's total.
var notable = []struct{ typ, label string }{
	{"aws_iam_role", "IAM roles"},
	{"aws_kms_key", "KMS keys"},
	{"aws_rds_global_cluster", "Aurora global database"},
	{"aws_rds_cluster", "Aurora cluster"},
	{"aws_rds_cluster_instance", "Aurora instances"},
	{"aws_elasticache_global_replication_group", "ElastiCache Global Datastore"},
	{"aws_elasticache_replication_group", "ElastiCache replication group"},
	{"aws_ecs_service", "ECS service"},
	{"aws_lb", "load balancer"},
	{"aws_nat_gateway", "NAT gateways"},
	{"aws_vpc_endpoint", "VPC endpoints"},
	{"aws_s3_bucket", "S3 buckets"},
	{"aws_s3_bucket_replication_configuration", "S3 replication rules"},
	{"aws_cloudwatch_metric_alarm", "alarms"},
	{"aws_route53_health_check", "Route 53 health checks"},
	{"aws_route53_record", "Route 53 records"},
	{"aws_acm_certificate", "ACM certificates"},
	{"aws_cloudfront_distribution", "CloudFront distribution"},
}

// ArchitecturePage is docs/architecture.md: the stacks of a synthesized
// app (policypack.ReadDir), the region each deploys to, what each holds
// and the order cdktf deploys them in (manifest.json's dependencies), as a
// Mermaid diagram and a table. It is drawn from the synthesized JSON, so it
// shows what the code builds.
func ArchitecturePage(app []policypack.Stack, config string) []byte {
	type stack struct {
		region string
		counts map[string]int
		total  int
		desire []string
		deps   []string
	}
	var names []string
	stacks := map[string]*stack{}
	for _, st := range app {
		s := &stack{counts: map[string]int{}, region: strings.Join(st.Regions, ", "), deps: st.Dependencies}
		for _, r := range st.Resources {
			s.counts[r.Type]++
			s.total++
			if r.Type == "aws_ecs_service" {
				s.desire = append(s.desire, fmt.Sprint(r.Body["desired_count"]))
			}
		}
		names = append(names, st.Name)
		stacks[st.Name] = s
	}

	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("# Architecture\n\n")
	fmt.Fprintf(&b, "What the app synthesizes for %s: each stack, the region its AWS provider deploys to, what it "+
		"holds, and the order cdktf deploys them in (an arrow points from a stack to one that deploys before it). "+
		"Drawn from the synthesized Terraform JSON by `go generate ./...`.\n\n", config)
	b.WriteString("```mermaid\nflowchart TB\n")
	id := func(n string) string { return strings.NewReplacer("-", "_", ".", "_").Replace(n) }
	for _, n := range names {
		s := stacks[n]
		fmt.Fprintf(&b, "  subgraph %s[\"%s (%s)\"]\n", id(n), n, s.region)
		for _, k := range notable {
			if c := s.counts[k.typ]; c > 0 {
				label := fmt.Sprintf("%d %s", c, k.label)
				if c == 1 {
					label = k.label
				}
				if k.typ == "aws_ecs_service" {
					label += " (desired " + strings.Join(s.desire, ", ") + ")"
				}
				fmt.Fprintf(&b, "    %s_%s[\"%s\"]\n", id(n), k.typ, label)
			}
		}
		b.WriteString("  end\n")
	}
	for _, n := range names {
		for _, d := range stacks[n].deps {
			fmt.Fprintf(&b, "  %s -.-> %s\n", id(n), id(d))
		}
	}
	b.WriteString("```\n\n| stack | region | resources | deploys after |\n|---|---|---|---|\n")
	for _, n := range names {
		fmt.Fprintf(&b, "| `%s` | %s | %d | %s |\n", n, stacks[n].region, stacks[n].total, code(stacks[n].deps))
	}
	return b.Bytes()
}
