package docgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
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

// ArchitecturePage is docs/architecture.md: the stacks of the app
// synthesized in outdir, the region each deploys to, what each holds and the
// order cdktf deploys them in (manifest.json's dependencies), as a Mermaid
// diagram and a table. It is drawn from the synthesized JSON, so it shows
// what the code builds.
func ArchitecturePage(outdir, config string) ([]byte, error) {
	raw, err := os.ReadFile(filepath.Join(outdir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var manifest struct {
		Stacks map[string]struct {
			SynthesizedStackPath string   `json:"synthesizedStackPath"`
			Dependencies         []string `json:"dependencies"`
		} `json:"stacks"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return nil, err
	}
	var names []string
	for n := range manifest.Stacks {
		names = append(names, n)
	}
	sort.Strings(names)
	type stack struct {
		region string
		counts map[string]int
		total  int
		desire []string
	}
	stacks := map[string]*stack{}
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join(outdir, manifest.Stacks[n].SynthesizedStackPath))
		if err != nil {
			return nil, err
		}
		var doc struct {
			Provider struct {
				AWS []struct {
					Region string `json:"region"`
				} `json:"aws"`
			} `json:"provider"`
			Resource map[string]map[string]map[string]any `json:"resource"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		s := &stack{counts: map[string]int{}}
		var regions []string
		for _, p := range doc.Provider.AWS {
			regions = append(regions, p.Region)
		}
		sort.Strings(regions)
		s.region = strings.Join(slices.Compact(regions), ", ")
		for typ, rs := range doc.Resource {
			s.counts[typ] = len(rs)
			s.total += len(rs)
			if typ == "aws_ecs_service" {
				for _, r := range rs {
					s.desire = append(s.desire, fmt.Sprint(r["desired_count"]))
				}
			}
		}
		stacks[n] = s
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
		deps := append([]string(nil), manifest.Stacks[n].Dependencies...)
		sort.Strings(deps)
		for _, d := range deps {
			fmt.Fprintf(&b, "  %s -.-> %s\n", id(n), id(d))
		}
	}
	b.WriteString("```\n\n| stack | region | resources | deploys after |\n|---|---|---|---|\n")
	for _, n := range names {
		deps := append([]string(nil), manifest.Stacks[n].Dependencies...)
		sort.Strings(deps)
		fmt.Fprintf(&b, "| `%s` | %s | %d | %s |\n", n, stacks[n].region, stacks[n].total, code(deps))
	}
	return b.Bytes(), nil
}
