package fakeaws

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// NewDeploymentFromStates is the deployment that the regional stacks'
// states describe once applied: states maps each region (primary first in
// regions) to its regional stack's Terraform state (JSON, format 4, as
// `terraform show -json` cannot give it for a plan: tfplan.Plan.State
// builds it). Every identifier and tag the runbook looks up is read from
// the states, never built here: the global cluster (aws_rds_global_cluster),
// each region's Aurora cluster and instances, replication group and the
// Global Datastore's suffix, the ECS cluster, service (and its
// desired_count, tasks running as desired) and target group names, each
// NAT gateway's and VPC endpoint's Name tag, and the traffic switch's
// bucket and key (from the bucket policy that lets anyone read that key). A renamed resource in a construct therefore shows up here as the
// runbook not finding it.
//
// The Aurora writer and the datastore's primary are the regions whose
// stacks create the global cluster and the global replication group (the
// primary's, as AWS makes the source cluster and group the first writer:
// Aurora User Guide, "Creating an Amazon Aurora global database";
// ElastiCache User Guide, "Creating a global datastore using the primary
// cluster"). Lag is the healthy steady state NewDeployment uses.
//
// It fails when a state is not a Terraform state or lacks a resource the
// runbook needs (naming the type and the region).
func NewDeploymentFromStates(regions []string, states map[string][]byte) (*Deployment, error) {
	if len(regions) == 0 {
		return nil, fmt.Errorf("fakeaws: no regions")
	}
	d := NewDeployment("", regions, "", "", "", 0)
	d.ClusterIDs, d.CacheGroups = map[string]string{}, map[string]string{}
	d.NatGatewayNames, d.VpcEndpointNames = map[string][]string{}, map[string]map[string]string{}
	d.Writer, d.CachePrimary = "", ""
	for _, region := range regions {
		raw, ok := states[region]
		if !ok {
			return nil, fmt.Errorf("fakeaws: no state for %s", region)
		}
		var state struct {
			Version   int `json:"version"`
			Resources []struct {
				Mode      string `json:"mode"`
				Type      string `json:"type"`
				Instances []struct {
					Attributes map[string]any `json:"attributes"`
				} `json:"instances"`
			} `json:"resources"`
		}
		if err := json.Unmarshal(raw, &state); err != nil || state.Version != 4 {
			return nil, fmt.Errorf("fakeaws: the state of %s is not a Terraform state (format 4): %v", region, err)
		}
		d.Instances[region] = 0
		d.Desired[region], d.Running[region] = 0, 0
		d.NatGatewayNames[region] = nil
		d.VpcEndpointNames[region] = map[string]string{}
		d.VpcEndpoints[region] = nil
		found := map[string]bool{}
		for _, r := range state.Resources {
			if r.Mode != "managed" {
				continue
			}
			for _, inst := range r.Instances {
				a := inst.Attributes
				str := func(k string) string { s, _ := a[k].(string); return s }
				found[r.Type] = true
				switch r.Type {
				case "aws_rds_global_cluster":
					d.GlobalCluster, d.Writer = str("global_cluster_identifier"), region
				case "aws_rds_cluster":
					d.ClusterIDs[region] = str("cluster_identifier")
				case "aws_rds_cluster_instance":
					d.Instances[region]++
				case "aws_elasticache_global_replication_group":
					// AWS prefixes the suffix with a region-group code it
					// chooses (ElastiCache API Reference,
					// CreateGlobalReplicationGroup, GlobalReplicationGroupIdSuffix).
					d.CacheGlobalID, d.CachePrimary = "fake-"+str("global_replication_group_id_suffix"), region
				case "aws_elasticache_replication_group":
					d.CacheGroups[region] = str("replication_group_id")
				case "aws_ecs_cluster":
					d.Cluster = str("name")
				case "aws_ecs_service":
					d.Service = str("name")
					n, _ := a["desired_count"].(float64)
					d.Desired[region], d.Running[region] = int(n), int(n)
				case "aws_lb_target_group":
					d.TargetGroup = str("name")
				case "aws_nat_gateway":
					d.NatGatewayNames[region] = append(d.NatGatewayNames[region], tag(a, "Name"))
				case "aws_vpc_endpoint":
					svc := str("service_name")
					svc = svc[strings.LastIndex(svc, "."+region+".")+len(region)+2:]
					d.VpcEndpoints[region] = append(d.VpcEndpoints[region], svc)
					d.VpcEndpointNames[region][svc] = tag(a, "Name")
				case "aws_s3_bucket_policy":
					// The traffic switch is the one object anyone may read
					// (storage.PrivateBucket's PublicReadKey).
					// The policy names the bucket in its ARN; the
					// resource's bucket attribute is the bucket's id, not
					// known until apply.
					if bucket, key, ok := publicObject(str("policy")); ok {
						d.SwitchBuckets[region], d.SwitchKey = bucket, key
					}
				}
			}
		}
		for _, typ := range []string{"aws_rds_cluster", "aws_elasticache_replication_group", "aws_ecs_cluster", "aws_ecs_service", "aws_lb_target_group"} {
			if !found[typ] {
				return nil, fmt.Errorf("fakeaws: the state of %s has no %s", region, typ)
			}
		}
		sort.Strings(d.NatGatewayNames[region])
		sort.Strings(d.VpcEndpoints[region])
	}
	for _, r := range regions[1:] {
		d.Sync[r], d.AuroraLagMs[r], d.CacheLagSec[r] = "connected", 20, 0.5
	}
	if d.GlobalCluster == "" || d.CacheGlobalID == "" {
		return nil, fmt.Errorf("fakeaws: no state has the aws_rds_global_cluster and the aws_elasticache_global_replication_group")
	}
	// Prefix only fills messages and the replication role's name here;
	// every identifier the runbook looks up was read above.
	d.Prefix = d.GlobalCluster
	return d, nil
}

// publicObject is the bucket and key of the one object a bucket policy
// lets anyone read (an Allow of s3:GetObject to every principal on a single
// object ARN), if the policy has one.
func publicObject(doc string) (bucket, key string, ok bool) {
	var p struct {
		Statement []struct {
			Effect    string
			Principal any
			Action    any
			Resource  any
		}
	}
	if json.Unmarshal([]byte(doc), &p) != nil {
		return "", "", false
	}
	list := func(v any) []string {
		switch v := v.(type) {
		case string:
			return []string{v}
		case []any:
			var out []string
			for _, e := range v {
				s, _ := e.(string)
				out = append(out, s)
			}
			return out
		}
		return nil
	}
	for _, st := range p.Statement {
		anyone := st.Principal == "*"
		if m, ok := st.Principal.(map[string]any); ok {
			anyone = len(list(m["AWS"])) == 1 && list(m["AWS"])[0] == "*"
		}
		actions, resources := list(st.Action), list(st.Resource)
		if st.Effect != "Allow" || !anyone || len(actions) != 1 || actions[0] != "s3:GetObject" || len(resources) != 1 {
			continue
		}
		object, ok := strings.CutPrefix(resources[0], "arn:aws:s3:::")
		bucket, key, _ := strings.Cut(object, "/")
		if ok && bucket != "" && key != "" && !strings.ContainsAny(object, "*?$") {
			return bucket, key, true
		}
	}
	return "", "", false
}

// tag is the resource's tag key, from tags (or tags_all, which adds the
// provider's default tags).
func tag(attrs map[string]any, key string) string {
	for _, k := range []string{"tags", "tags_all"} {
		if m, ok := attrs[k].(map[string]any); ok {
			if v, ok := m[key].(string); ok {
				return v
			}
		}
	}
	return ""
}
