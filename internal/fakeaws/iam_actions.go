package fakeaws

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/smithy-go/encoding/cbor"
)

// iamActions maps each call the fake authorizes, keyed "SIGNING-NAME
// Operation", to the IAM request AWS authorizes for it: the action, the
// resource ARN(s) and the condition keys the call carries. A call missing
// here fails loudly under EnforcePolicy; adding one is one line.
//
// Sources, from the Service Authorization Reference (SAR), the page
// "Actions, resources, and condition keys for <service>", table "Actions
// defined by <service>" (resource types marked * are required; the others
// apply when the call names such a resource), and its table "Resource
// types defined by <service>" for the ARN formats. Read 2026-12-05 in the
// SAR's machine-readable copy (github.com/iann0036/iam-dataset,
// aws/iam_definition.json); rows marked (read) were read there, the others
// are the SAR's long-standing entries, not re-read.
//   - Amazon RDS: DescribeGlobalClusters -> global-cluster (read);
//     DescribeDBClusters -> cluster; FailoverGlobalCluster and
//     SwitchoverGlobalCluster -> cluster* and global-cluster* (read). The
//     SAR does not say which member cluster is checked; the request names
//     only the target (TargetDbClusterIdentifier), so the fake checks that
//     one. ARNs: arn:${Partition}:rds:${Region}:${Account}:cluster:${DbClusterInstanceName}
//     (read), arn:${Partition}:rds::${Account}:global-cluster:${GlobalCluster}.
//   - Amazon ElastiCache: DescribeReplicationGroups -> replicationgroup*;
//     DescribeGlobalReplicationGroups -> globalreplicationgroup*;
//     FailoverGlobalReplicationGroup -> globalreplicationgroup* only, not
//     the replication groups it names (all read). ARNs:
//     arn:${Partition}:elasticache:${Region}:${Account}:replicationgroup:${ReplicationGroupId},
//     arn:${Partition}:elasticache::${Account}:globalreplicationgroup:${GlobalReplicationGroupId}.
//   - Amazon Elastic Container Service: DescribeServices and UpdateService ->
//     service*, condition key ecs:cluster, the cluster's ARN (read). ARN:
//     arn:${Partition}:ecs:${Region}:${Account}:service/${ClusterName}/${ServiceName}.
//     ListTasks -> container-instance*, DescribeTasks -> task*, both with
//     ecs:cluster. ARN: arn:${Partition}:ecs:${Region}:${Account}:task/${ClusterName}/${TaskId}.
//   - Amazon Elastic Container Registry: DescribeImages -> repository*. ARN:
//     arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}.
//   - Amazon EC2: DescribeNatGateways, DescribeVpcEndpoints -> no resource
//     types ("*").
//   - Elastic Load Balancing V2: DescribeTargetGroups, DescribeTargetHealth
//     -> no resource types ("*") (read).
//   - Amazon CloudWatch: GetMetricData -> "*" (its queries name no
//     resource).
//   - Amazon S3: GetBucketReplication is authorized as
//     s3:GetReplicationConfiguration on the bucket; PutObject, DeleteObject
//     and GetObject (and HeadObject, which the S3 API Reference says needs
//     s3:GetObject) on the object; an allowed object read also checks
//     s3:ListBucket on the bucket, which decides 404 or 403 for an absent
//     key (HeadObject, "Permissions"). ARNs: arn:${Partition}:s3:::${BucketName},
//     arn:${Partition}:s3:::${BucketName}/${ObjectName}.
//   - Every request carries the global key aws:RequestedRegion, the region
//     it was signed for (IAM User Guide, "AWS global condition context
//     keys").
var iamActions = map[string]func(c *iamCall) IAMRequest{
	"rds DescribeGlobalClusters": func(c *iamCall) IAMRequest {
		return c.on("rds:DescribeGlobalClusters", c.rdsGlobalCluster("GlobalClusterIdentifier"))
	},
	"rds DescribeDBClusters": func(c *iamCall) IAMRequest {
		return c.on("rds:DescribeDBClusters", c.rdsCluster("DBClusterIdentifier"))
	},
	"rds FailoverGlobalCluster": func(c *iamCall) IAMRequest {
		return c.on("rds:FailoverGlobalCluster", c.rdsGlobalCluster("GlobalClusterIdentifier"), c.rdsCluster("TargetDbClusterIdentifier"))
	},
	"rds SwitchoverGlobalCluster": func(c *iamCall) IAMRequest {
		return c.on("rds:SwitchoverGlobalCluster", c.rdsGlobalCluster("GlobalClusterIdentifier"), c.rdsCluster("TargetDbClusterIdentifier"))
	},
	"elasticache DescribeReplicationGroups": func(c *iamCall) IAMRequest {
		return c.on("elasticache:DescribeReplicationGroups", c.cacheGroup("ReplicationGroupId"))
	},
	"elasticache DescribeGlobalReplicationGroups": func(c *iamCall) IAMRequest {
		return c.on("elasticache:DescribeGlobalReplicationGroups", c.cacheGlobal("GlobalReplicationGroupId"))
	},
	"elasticache FailoverGlobalReplicationGroup": func(c *iamCall) IAMRequest {
		return c.on("elasticache:FailoverGlobalReplicationGroup", c.cacheGlobal("GlobalReplicationGroupId"))
	},
	"ecs DescribeServices": func(c *iamCall) IAMRequest {
		return c.withCluster(c.on("ecs:DescribeServices", c.ecsArns("services", "service")...))
	},
	"ecs UpdateService": func(c *iamCall) IAMRequest {
		return c.withCluster(c.on("ecs:UpdateService", c.ecsArns("service", "service")...))
	},
	// ListTasks names no container instance here; which resource AWS then
	// checks is not documented, so the fake takes the reading aws-cdk's
	// drain hook was fixed to (aws/aws-cdk#3199): "*" with ecs:cluster. A
	// policy scoped to container-instance ARNs alone is refused.
	"ecs ListTasks": func(c *iamCall) IAMRequest { return c.withCluster(c.on("ecs:ListTasks", "*")) },
	"ecs DescribeTasks": func(c *iamCall) IAMRequest {
		return c.withCluster(c.on("ecs:DescribeTasks", c.ecsArns("tasks", "task")...))
	},
	"ecr DescribeImages":                        func(c *iamCall) IAMRequest { return c.on("ecr:DescribeImages", c.ecrRepository()) },
	"ec2 DescribeNatGateways":                   func(c *iamCall) IAMRequest { return c.on("ec2:DescribeNatGateways", "*") },
	"ec2 DescribeVpcEndpoints":                  func(c *iamCall) IAMRequest { return c.on("ec2:DescribeVpcEndpoints", "*") },
	"elasticloadbalancing DescribeTargetGroups": func(c *iamCall) IAMRequest { return c.on("elasticloadbalancing:DescribeTargetGroups", "*") },
	"elasticloadbalancing DescribeTargetHealth": func(c *iamCall) IAMRequest { return c.on("elasticloadbalancing:DescribeTargetHealth", "*") },
	"monitoring GetMetricData":                  func(c *iamCall) IAMRequest { return c.on("cloudwatch:GetMetricData", "*") },
	"s3 GetBucketReplication":                   func(c *iamCall) IAMRequest { return c.on("s3:GetReplicationConfiguration", c.s3Bucket()) },
	"s3 PutObject":                              func(c *iamCall) IAMRequest { return c.on("s3:PutObject", c.s3Object()) },
	"s3 DeleteObject":                           func(c *iamCall) IAMRequest { return c.on("s3:DeleteObject", c.s3Object()) },
	"s3 GetObject":                              func(c *iamCall) IAMRequest { return c.on("s3:GetObject", c.s3Object()) },
	"s3 HeadObject":                             func(c *iamCall) IAMRequest { return c.on("s3:GetObject", c.s3Object()) },
}

// iamRequestOf is the IAM request AWS would authorize for r.
func iamRequestOf(r *Request) (IAMRequest, error) {
	op := r.Action
	if r.Service == "s3" {
		op = s3Operation(r)
	}
	m, ok := iamActions[r.Service+" "+op]
	if !ok {
		return IAMRequest{}, fmt.Errorf("no IAM mapping for %s %s: add one to iamActions in internal/fakeaws/iam_actions.go, with its source", r.Service, op)
	}
	c := &iamCall{r: r}
	req := m(c)
	return req, errors.Join(c.errs...)
}

// s3Operation names a path-style S3 REST call by its API operation.
func s3Operation(r *Request) string {
	path := strings.TrimPrefix(r.HTTP.URL.Path, "/")
	_, key, _ := strings.Cut(path, "/")
	q := r.HTTP.URL.Query()
	q.Del("x-id") // the SDK names some operations in the query: ?x-id=PutObject
	switch m := r.HTTP.Method; {
	case key == "" && m == http.MethodGet && q.Has("replication"):
		return "GetBucketReplication"
	case key != "" && m == http.MethodPut && !q.Has("tagging") && !q.Has("acl"):
		return "PutObject"
	case key != "" && m == http.MethodDelete && len(q) == 0:
		return "DeleteObject"
	case key != "" && m == http.MethodGet && len(q) == 0:
		return "GetObject"
	case key != "" && m == http.MethodHead:
		return "HeadObject"
	}
	return r.Action
}

// iamCall reads one call's parameters, whatever its protocol.
type iamCall struct {
	r       *Request
	decoded bool
	json    map[string]any
	cbor    cbor.Map
	errs    []error
}

func (c *iamCall) fail(format string, args ...any) string {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
	return ""
}

func (c *iamCall) decode() {
	if c.decoded {
		return
	}
	c.decoded = true
	switch {
	case c.r.HTTP.Header.Get("Smithy-Protocol") == "rpc-v2-cbor":
		body := c.r.Body
		if c.r.HTTP.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err == nil {
				body, err = io.ReadAll(zr)
			}
			if err != nil {
				c.fail("gzip body: %v", err)
				return
			}
		}
		v, err := cbor.Decode(body)
		m, ok := v.(cbor.Map)
		if err != nil || !ok {
			c.fail("body is not a CBOR map")
			return
		}
		c.cbor = m
	case c.r.HTTP.Header.Get("X-Amz-Target") != "":
		if err := json.Unmarshal(c.r.Body, &c.json); err != nil {
			c.fail("body is not a JSON object: %v", err)
		}
	}
}

// values returns the call's parameter name: a query parameter, or a
// string or list of strings in a JSON or CBOR body.
func (c *iamCall) values(name string) []string {
	if c.r.Params != nil {
		if v := c.r.Params.Get(name); v != "" {
			return []string{v}
		}
		var out []string
		for i := 1; c.r.Params.Has(fmt.Sprintf("%s.member.%d", name, i)); i++ {
			out = append(out, c.r.Params.Get(fmt.Sprintf("%s.member.%d", name, i)))
		}
		return out
	}
	c.decode()
	switch {
	case c.json != nil:
		switch v := c.json[name].(type) {
		case string:
			return []string{v}
		case []any:
			var out []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
			return out
		}
	case c.cbor != nil:
		switch v := c.cbor[name].(type) {
		case cbor.String:
			return []string{string(v)}
		case cbor.List:
			var out []string
			for _, e := range v {
				if s, ok := e.(cbor.String); ok {
					out = append(out, string(s))
				}
			}
			return out
		}
	}
	return nil
}

func (c *iamCall) value(name string) string {
	v := c.values(name)
	if len(v) != 1 || v[0] == "" {
		return c.fail("parameter %s: want one value, got %q", name, v)
	}
	return v[0]
}

// on is action on resources, with the keys every request carries.
func (c *iamCall) on(action string, resources ...string) IAMRequest {
	return IAMRequest{Action: action, Resources: resources, Context: map[string][]string{"aws:RequestedRegion": {c.r.Region}}}
}

// withKey adds the condition key key, read from parameter param.
func (c *iamCall) withKey(req IAMRequest, key, param string) IAMRequest {
	req.Context[key] = []string{c.value(param)}
	return req
}

// withCluster adds ecs:cluster, the cluster's ARN.
func (c *iamCall) withCluster(req IAMRequest) IAMRequest {
	req.Context["ecs:cluster"] = []string{fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", c.r.Region, AccountID, c.ecsCluster())}
	return req
}

// arnOr is v when it is already an ARN, else the ARN format makes.
func (c *iamCall) arnOr(v, format string, args ...any) string {
	if v == "" || strings.HasPrefix(v, "arn:") {
		return v
	}
	return fmt.Sprintf(format, args...)
}

func (c *iamCall) rdsCluster(param string) string {
	id := c.value(param)
	return c.arnOr(id, "arn:aws:rds:%s:%s:cluster:%s", c.r.Region, AccountID, id)
}

func (c *iamCall) rdsGlobalCluster(param string) string {
	id := c.value(param)
	return c.arnOr(id, "arn:aws:rds::%s:global-cluster:%s", AccountID, id)
}

func (c *iamCall) cacheGroup(param string) string {
	id := c.value(param)
	return c.arnOr(id, "arn:aws:elasticache:%s:%s:replicationgroup:%s", c.r.Region, AccountID, id)
}

func (c *iamCall) cacheGlobal(param string) string {
	id := c.value(param)
	return c.arnOr(id, "arn:aws:elasticache::%s:globalreplicationgroup:%s", AccountID, id)
}

// ecsCluster is the call's cluster name ("default" when omitted, as ECS
// assumes: ECS API Reference, UpdateService, "cluster").
func (c *iamCall) ecsCluster() string {
	v := c.values("cluster")
	if len(v) == 0 {
		return "default"
	}
	if i := strings.LastIndex(v[0], "/"); strings.HasPrefix(v[0], "arn:") && i >= 0 {
		return v[0][i+1:]
	}
	return v[0]
}

// ecsArns is the ARNs of the kind ("service" or "task") named in param;
// names and ids become ARNs in the call's cluster
// (arn:${Partition}:ecs:${Region}:${Account}:KIND/${ClusterName}/${Name}).
func (c *iamCall) ecsArns(param, kind string) []string {
	var out []string
	for _, v := range c.values(param) {
		out = append(out, c.arnOr(v, "arn:aws:ecs:%s:%s:%s/%s/%s", c.r.Region, AccountID, kind, c.ecsCluster(), v))
	}
	if len(out) == 0 {
		c.fail("parameter %s: no %s named", param, kind)
	}
	return out
}

func (c *iamCall) ecrRepository() string {
	registry := AccountID
	if v := c.values("registryId"); len(v) == 1 && v[0] != "" {
		registry = v[0]
	}
	return fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", c.r.Region, registry, c.value("repositoryName"))
}

func (c *iamCall) s3Bucket() string {
	bucket, _, _ := strings.Cut(strings.TrimPrefix(c.r.HTTP.URL.Path, "/"), "/")
	return "arn:aws:s3:::" + bucket
}

func (c *iamCall) s3Object() string {
	return "arn:aws:s3:::" + strings.TrimPrefix(c.r.HTTP.URL.Path, "/")
}
