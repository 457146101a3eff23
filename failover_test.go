package main

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/compute"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

const dnsYAML = "dns:\n  zoneName: example.com\n  name: origin.example.com\n"

// failoverRecords returns the PRIMARY and SECONDARY records of the edge stack.
func failoverRecords(t *testing.T, edge synthtest.Template) (primary, secondary synthtest.Object) {
	t.Helper()
	for _, r := range edge.Resources("aws_route53_record") {
		switch synthtest.Get(r, "failover_routing_policy.type") {
		case "PRIMARY":
			primary = r
		case "SECONDARY":
			secondary = r
		}
	}
	if primary == nil || secondary == nil {
		t.Fatalf("no failover records: %v", edge.Resources("aws_route53_record"))
	}
	return primary, secondary
}

// With dns, every behaviour that takes writes reaches the active region
// through the failover name, whose records point at the active and standby
// regions' load balancers, and whose PRIMARY goes unhealthy when the
// standby's switch object exists.
func TestWritesFollowTheFailoverName(t *testing.T) {
	for _, active := range []string{"us-east-1", "us-west-2"} {
		t.Run("active "+active, func(t *testing.T) {
			cfg := mustParse(t, dnsYAML+"activeRegion: "+active+"\n")
			s := synthApp(t, cfg)
			names := cfg.Names()
			edge := s.stacks[names.EdgeStack()]
			dist := edge.Resource(t, "aws_cloudfront_distribution")
			domains := map[string]string{}
			for _, o := range dist["origin"].([]any) {
				o := o.(map[string]any)
				domains[o["origin_id"].(string)] = o["domain_name"].(string)
				if synthtest.Get(o, "custom_origin_config.origin_protocol_policy") != "https-only" {
					t.Errorf("origin %v is not reached over HTTPS", o["origin_id"])
				}
			}
			api := synthtest.Get(dist, "ordered_cache_behavior.0.target_origin_id").(string)
			if domains[api] != "origin.example.com" {
				t.Errorf("writes go to %s (%s), not the failover name", api, domains[api])
			}
			if m := originGroupMembers(t, edge); domains[m[0]] != "origin.example.com" || m[1] != cfg.StandbyRegion() {
				t.Errorf("origin group = %v", m)
			}
			primary, secondary := failoverRecords(t, edge)
			for rec, region := range map[string]string{primary["records"].([]any)[0].(string): cfg.ActiveRegion, secondary["records"].([]any)[0].(string): cfg.StandbyRegion()} {
				if !strings.Contains(rec, names.RegionalStack(region)+".outputs") || !strings.Contains(rec, "dns_name") {
					t.Errorf("record %s does not point at %s's load balancer", rec, region)
				}
			}
			var sw synthtest.Object
			for _, c := range edge.Resources("aws_route53_health_check") {
				if c["invert_healthcheck"] == true {
					sw = c
				}
			}
			fqdn, _ := sw["fqdn"].(string)
			if sw == nil || sw["type"] != "HTTPS" || sw["resource_path"] != "/"+config.TrafficSwitchKey ||
				!strings.Contains(fqdn, names.RegionalStack(cfg.StandbyRegion())+".outputs") || !strings.HasSuffix(fqdn, ".s3."+cfg.StandbyRegion()+".amazonaws.com") {
				t.Errorf("switch check = %v; want the standby %s's switch object, inverted", sw, cfg.StandbyRegion())
			}
			for _, region := range cfg.Regions() {
				// The switch bucket, named as the runbook names it, with its
				// one public key the runbook puts and deletes.
				var bucket string
				for _, b := range s.stacks[names.RegionalStack(region)].Resources("aws_s3_bucket") {
					if name, _ := b["bucket"].(string); strings.HasPrefix(name, names.TrafficSwitchBucket(region, "")) {
						bucket = name
					}
				}
				if bucket == "" {
					t.Errorf("%s: no switch bucket %s<account>", region, names.TrafficSwitchBucket(region, ""))
				}
				var public bool
				for _, p := range s.stacks[names.RegionalStack(region)].Resources("aws_s3_bucket_policy") {
					public = public || strings.Contains(p["policy"].(string), bucket+"/"+config.TrafficSwitchKey)
				}
				if !public {
					t.Errorf("%s: no bucket policy names the switch object %s/%s", region, bucket, config.TrafficSwitchKey)
				}
			}
		})
	}
}

// The ALB admits CloudFront, and Route 53 health checkers on the HTTPS
// listener through a group of their own; nothing else.
func TestHealthCheckersReachOnlyTheListener(t *testing.T) {
	cfg := mustParse(t, dnsYAML)
	s := synthApp(t, cfg)
	for _, region := range cfg.Regions() {
		tpl := s.stacks[cfg.Names().RegionalStack(region)]
		lists := map[string]bool{}
		for _, pl := range tpl.DataSources("aws_ec2_managed_prefix_list") {
			lists[pl["name"].(string)] = true
		}
		if !lists[compute.Route53HealthChecksPrefixList(region)] || !lists[compute.CloudFrontOriginFacingPrefixList] || len(lists) != 2 {
			t.Errorf("%s prefix lists = %v", region, lists)
		}
		rules := map[string]synthtest.Object{}
		for id, r := range tpl.Resources("aws_vpc_security_group_ingress_rule") {
			if strings.HasPrefix(id, "load-balancer_") {
				rules[id] = r
			}
		}
		if len(rules) != 2 {
			t.Errorf("%s: %d ingress rules on the ALB; want CloudFront's and the health checkers'", region, len(rules))
		}
		for id, r := range rules {
			if r["from_port"] != 443.0 || r["to_port"] != 443.0 || r["prefix_list_id"] == nil || r["cidr_ipv4"] != nil {
				t.Errorf("%s %s = %v", region, id, r)
			}
		}
		listener := tpl.Resource(t, "aws_lb_listener")
		if listener["protocol"] != "HTTPS" || !strings.Contains(listener["certificate_arn"].(string), "certificate_arn") {
			t.Errorf("%s listener = %v; want HTTPS with the global stack's validated certificate", region, listener)
		}
		if groups := synthtest.Get(tpl.Resource(t, "aws_lb"), "security_groups").([]any); len(groups) != 2 {
			t.Errorf("%s ALB groups = %v", region, groups)
		}
	}
}

// With dns, the pack has nothing to say about where writes go; without it,
// it warns, and the app names the keys.
func TestWritesWarningNamesTheDNSKeys(t *testing.T) {
	for yaml, want := range map[string]bool{"": true, dnsYAML: false} {
		s := synthApp(t, mustParse(t, yaml))
		report, err := policypack.CheckDir(s.dir, policypack.AwsSolutions())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range report.Warnings() {
			if f.RuleID == "PL-CFR-WRITES" {
				got = append(got, describe(f))
			}
		}
		if want && (len(got) != 1 || !strings.Contains(got[0], "dns.zoneName and dns.name")) {
			t.Errorf("defaults: PL-CFR-WRITES = %v", got)
		}
		if !want && len(got) != 0 {
			t.Errorf("with dns: PL-CFR-WRITES = %v", got)
		}
		if err := report.Err(); err != nil {
			t.Errorf("%q: %v", yaml, err)
		}
	}
}

// A region switch with dns updates the failover records in place: the same
// resources, so Route 53 never holds two records with one identifier.
func TestRegionSwitchKeepsTheFailoverRecords(t *testing.T) {
	before := synthApp(t, mustParse(t, dnsYAML))
	after := synthApp(t, mustParse(t, dnsYAML+"activeRegion: us-west-2\n"))
	edge := before.stacks["pilotlight-dev-edge"]
	for _, typ := range []string{"aws_route53_record", "aws_route53_health_check", "aws_cloudfront_distribution"} {
		for id, r := range edge.Resources(typ) {
			other, ok := after.stacks["pilotlight-dev-edge"].Resources(typ)[id]
			if !ok {
				t.Errorf("%s.%s is replaced by the switch", typ, id)
				continue
			}
			if r["set_identifier"] != other["set_identifier"] {
				t.Errorf("%s.%s set_identifier %v -> %v", typ, id, r["set_identifier"], other["set_identifier"])
			}
		}
	}
}

// Every config hint the app adds is for a rule the pack has.
func TestPolicyKeysNameRealRules(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range policypack.AwsSolutions() {
		ids[r.ID] = true
	}
	for id := range config.PolicyKeys {
		if !ids[id] {
			t.Errorf("config.PolicyKeys names %s, which the pack does not have", id)
		}
	}
}

// With dns, an edge alias in the zone gets A and AAAA alias records to the
// distribution in the edge stack (one zone lookup shared with the failover
// name); an alias outside the zone is the user's to point.
func TestEdgeAliasesInTheZoneGetRecords(t *testing.T) {
	s := synthApp(t, mustParse(t, dnsYAML+`edge:
  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0b7f5f2c-9d6c
  aliases: [shop.example.com, shop.example.org]
`))
	edge := s.stacks["pilotlight-dev-edge"]
	got := map[string]bool{}
	for _, r := range edge.Resources("aws_route53_record") {
		if a, ok := r["alias"].(map[string]any); ok && strings.Contains(a["name"].(string), "aws_cloudfront_distribution") {
			got[r["name"].(string)+" "+r["type"].(string)] = true
			if a["evaluate_target_health"] != false || !strings.Contains(a["zone_id"].(string), "hosted_zone_id") {
				t.Errorf("alias record %v", r)
			}
		}
	}
	if len(got) != 2 || !got["shop.example.com A"] || !got["shop.example.com AAAA"] {
		t.Errorf("alias records %v, want A and AAAA for shop.example.com only", got)
	}
	if n := len(edge.DataSources("aws_route53_zone")); n != 1 {
		t.Errorf("%d zone lookups in the edge stack, want 1", n)
	}
}
