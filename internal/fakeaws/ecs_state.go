package fakeaws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// ecs answers DescribeServices and UpdateService (desiredCount only). Each
// DescribeServices moves the running count one task toward the desired one,
// so tasks take polls to start and stop.
func (d *Deployment) ecs(r *Request) *Response {
	var in struct {
		Cluster      string   `json:"cluster"`
		Services     []string `json:"services"`
		Service      string   `json:"service"`
		DesiredCount *int     `json:"desiredCount"`
	}
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return JSONError(http.StatusBadRequest, "InvalidParameterException", err.Error())
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if in.Cluster != d.Cluster {
		return JSONError(http.StatusBadRequest, "ClusterNotFoundException", "Cluster not found.")
	}
	switch r.Action {
	case "DescribeServices":
		out := map[string]any{"services": []any{}, "failures": []any{}}
		for _, name := range in.Services {
			if name != d.Service {
				out["failures"] = append(out["failures"].([]any), map[string]string{"arn": d.serviceArn(r.Region, name), "reason": "MISSING"})
				continue
			}
			switch run, want := d.Running[r.Region], d.Desired[r.Region]; {
			case run < want:
				d.Running[r.Region]++
			case run > want:
				d.Running[r.Region]--
			}
			out["services"] = append(out["services"].([]any), d.serviceJSON(r.Region))
		}
		b, _ := json.Marshal(out)
		return JSONResult(string(b))
	case "UpdateService":
		if in.Service != d.Service {
			return JSONError(http.StatusBadRequest, "ServiceNotFoundException", "Service not found.")
		}
		if in.DesiredCount != nil {
			d.mutated(r)
			d.Desired[r.Region] = *in.DesiredCount
		}
		b, _ := json.Marshal(map[string]any{"service": d.serviceJSON(r.Region)})
		return JSONResult(string(b))
	}
	return nil
}

func (d *Deployment) serviceArn(region, name string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:service/%s/%s", region, AccountID, d.Cluster, name)
}

func (d *Deployment) serviceJSON(region string) map[string]any {
	return map[string]any{
		"serviceArn": d.serviceArn(region, d.Service), "serviceName": d.Service,
		"clusterArn":   fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", region, AccountID, d.Cluster),
		"status":       "ACTIVE",
		"desiredCount": d.Desired[region], "runningCount": d.Running[region], "pendingCount": 0,
		"launchType": "FARGATE",
	}
}

const elbv2NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

// elbv2 answers DescribeTargetGroups (by name) and DescribeTargetHealth:
// every running task is a healthy target.
func (d *Deployment) elbv2(r *Request) *Response {
	d.mu.Lock()
	defer d.mu.Unlock()
	arn := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/0123456789abcdef", r.Region, AccountID, d.TargetGroup)
	switch r.Action {
	case "DescribeTargetGroups":
		if name := r.Params.Get("Names.member.1"); name != d.TargetGroup {
			return QueryError(http.StatusBadRequest, "TargetGroupNotFound", "One or more target groups not found")
		}
		return QueryResult(r.Action, elbv2NS, fmt.Sprintf("<TargetGroups><member><TargetGroupArn>%s</TargetGroupArn><TargetGroupName>%s</TargetGroupName><Protocol>HTTP</Protocol><Port>80</Port><TargetType>ip</TargetType></member></TargetGroups>", arn, d.TargetGroup))
	case "DescribeTargetHealth":
		if r.Params.Get("TargetGroupArn") != arn {
			return QueryError(http.StatusBadRequest, "TargetGroupNotFound", "One or more target groups not found")
		}
		var b strings.Builder
		for i := 0; i < d.Running[r.Region]; i++ {
			fmt.Fprintf(&b, "<member><Target><Id>10.0.0.%d</Id><Port>80</Port></Target><HealthCheckPort>80</HealthCheckPort><TargetHealth><State>healthy</State></TargetHealth></member>", 10+i)
		}
		return QueryResult(r.Action, elbv2NS, "<TargetHealthDescriptions>"+b.String()+"</TargetHealthDescriptions>")
	}
	return nil
}

// ec2 answers DescribeVpcEndpoints (see vpcEndpoints) and DescribeNatGateways: region's available NAT gateways, named
// as natGatewayNames says, filtered by tag:Name (a trailing * matches any
// suffix) and state.
func (d *Deployment) ec2(r *Request) *Response {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r.Action == "DescribeVpcEndpoints" {
		return d.vpcEndpoints(r)
	}
	if r.Action != "DescribeNatGateways" {
		return nil
	}
	var b strings.Builder
	for i, name := range d.natGatewayNames(r.Region) {
		if !filterMatches(r, "tag:Name", name) || !filterMatches(r, "state", "available") {
			continue
		}
		fmt.Fprintf(&b, "<item><natGatewayId>nat-%017d</natGatewayId><state>available</state><vpcId>vpc-0123456789abcdef0</vpcId><subnetId>subnet-%017d</subnetId><connectivityType>public</connectivityType><tagSet><item><key>Name</key><value>%s</value></item></tagSet></item>", i, i, name)
	}
	return EC2Result(r.Action, "<natGatewaySet>"+b.String()+"</natGatewaySet>")
}

// filterMatches reports whether the EC2 filter named name, if any, admits
// value; a filter value ending in * matches by prefix.
func filterMatches(r *Request, name, value string) bool {
	for i := 1; ; i++ {
		n := r.Params.Get(fmt.Sprintf("Filter.%d.Name", i))
		if n == "" {
			return true
		}
		if n != name {
			continue
		}
		for j := 1; ; j++ {
			v := r.Params.Get(fmt.Sprintf("Filter.%d.Value.%d", i, j))
			if v == "" {
				return false
			}
			if v == value || (strings.HasSuffix(v, "*") && strings.HasPrefix(value, strings.TrimSuffix(v, "*"))) {
				return true
			}
		}
	}
}
