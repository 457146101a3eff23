package fakeaws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ecs answers DescribeServices, UpdateService (desiredCount only),
// ListTasks (a service's stopped tasks) and DescribeTasks. Each
// DescribeServices moves the running count one task toward the desired
// one, so tasks take polls to start and stop; in a region with a
// TaskStartFailure, a task that should start stops instead, before it
// runs, and the service's deployment counts it in failedTasks.
//
// Sources: ECS API Reference, "Service" data type (status ACTIVE,
// DRAINING, INACTIVE; desiredCount, runningCount, pendingCount,
// deployments), "Deployment" data type (failedTasks: "The number of
// consecutively failed tasks in the deployment. A task is considered a
// failure if the service scheduler can't launch the task, the task
// doesn't transition to a RUNNING state, ..."; it resets once a task runs),
// "DeleteService" (a deleted service goes ACTIVE, then DRAINING while its
// tasks stop, then INACTIVE, and DescribeServices still shows it),
// "UpdateService" (ServiceNotActiveException: "The specified service
// isn't active. You can't update a service that's inactive."; the fake
// answers it for DRAINING too, the adversarial reading), "Task" data type
// (stopCode TaskFailedToStart, stoppedReason, stoppedAt); Amazon ECS
// Developer Guide, "Amazon ECS stopped task error messages"
// (CannotPullContainerError, ResourceInitializationError).
func (d *Deployment) ecs(r *Request) *Response {
	var in struct {
		Cluster       string   `json:"cluster"`
		Services      []string `json:"services"`
		Service       string   `json:"service"`
		ServiceName   string   `json:"serviceName"`
		DesiredStatus string   `json:"desiredStatus"`
		Tasks         []string `json:"tasks"`
		DesiredCount  *int     `json:"desiredCount"`
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
			d.advanceTasks(r.Region)
			out["services"] = append(out["services"].([]any), d.serviceJSON(r.Region))
		}
		b, _ := json.Marshal(out)
		return JSONResult(string(b))
	case "UpdateService":
		if in.Service != d.Service {
			return JSONError(http.StatusBadRequest, "ServiceNotFoundException", "Service not found.")
		}
		if st := d.serviceStatus(r.Region); st != "ACTIVE" {
			return JSONError(http.StatusBadRequest, "ServiceNotActiveException", "Service "+d.Service+" is "+st+".")
		}
		if in.DesiredCount != nil {
			d.mutated(r)
			if d.Desired[r.Region] != *in.DesiredCount {
				if d.taskChangeAt == nil {
					d.taskChangeAt = map[string]time.Time{}
				}
				d.taskChangeAt[r.Region] = d.now()
			}
			d.Desired[r.Region] = *in.DesiredCount
		}
		b, _ := json.Marshal(map[string]any{"service": d.serviceJSON(r.Region)})
		return JSONResult(string(b))
	case "ListTasks":
		var arns []string
		if in.DesiredStatus == "STOPPED" && (in.ServiceName == "" || in.ServiceName == d.Service) {
			for _, t := range d.stopped[r.Region] {
				arns = append(arns, t.arn)
			}
		}
		b, _ := json.Marshal(map[string]any{"taskArns": arns})
		return JSONResult(string(b))
	case "DescribeTasks":
		out := map[string]any{"tasks": []any{}, "failures": []any{}}
		for _, arn := range in.Tasks {
			found := false
			for _, t := range d.stopped[r.Region] {
				if t.arn == arn {
					found = true
					out["tasks"] = append(out["tasks"].([]any), map[string]any{
						"taskArn": t.arn, "clusterArn": d.clusterArnOf(r.Region), "group": "service:" + d.Service,
						"lastStatus": "STOPPED", "desiredStatus": "STOPPED", "launchType": "FARGATE",
						"stopCode": "TaskFailedToStart", "stoppedReason": t.reason, "stoppedAt": float64(t.at.Unix()),
					})
				}
			}
			if !found {
				out["failures"] = append(out["failures"].([]any), map[string]string{"arn": arn, "reason": "MISSING"})
			}
		}
		b, _ := json.Marshal(out)
		return JSONResult(string(b))
	}
	return nil
}

// stoppedTask is a task that stopped before it ran.
type stoppedTask struct {
	arn, reason string
	at          time.Time
}

// advanceTasks moves region's running count one task toward the desired
// count, or, with Durations, all of it once TaskStart (TaskStop) has
// passed since the change; a task that cannot start stops instead.
func (d *Deployment) advanceTasks(region string) {
	switch run, want := d.Running[region], d.Desired[region]; {
	case run < want && d.TaskStartFailure[region] != "":
		if d.stopped == nil {
			d.stopped, d.failedTasks = map[string][]stoppedTask{}, map[string]int{}
		}
		n := len(d.stopped[region])
		d.stopped[region] = append(d.stopped[region], stoppedTask{
			arn:    fmt.Sprintf("arn:aws:ecs:%s:%s:task/%s/%032x", region, AccountID, d.Cluster, n+1),
			reason: d.TaskStartFailure[region], at: d.now(),
		})
		d.failedTasks[region]++
	case d.Durations != nil:
		// Tasks start (and stop) together, the time after the change.
		took := d.Durations.TaskStart
		if run > want {
			took = d.Durations.TaskStop
		}
		if !d.now().Before(d.taskChangeAt[region].Add(took)) {
			if run < want {
				delete(d.failedTasks, region)
			}
			d.Running[region] = want
		}
	case run < want:
		d.Running[region]++
		delete(d.failedTasks, region) // "resets once a task runs"
	case run > want:
		d.Running[region]--
	}
}

func (d *Deployment) serviceStatus(region string) string {
	if st := d.ServiceStatus[region]; st != "" {
		return st
	}
	return "ACTIVE"
}

func (d *Deployment) serviceArn(region, name string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:service/%s/%s", region, AccountID, d.Cluster, name)
}

func (d *Deployment) clusterArnOf(region string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", region, AccountID, d.Cluster)
}

func (d *Deployment) serviceJSON(region string) map[string]any {
	return map[string]any{
		"serviceArn": d.serviceArn(region, d.Service), "serviceName": d.Service,
		"clusterArn":   d.clusterArnOf(region),
		"status":       d.serviceStatus(region),
		"desiredCount": d.Desired[region], "runningCount": d.Running[region], "pendingCount": 0,
		"launchType": "FARGATE",
		"deployments": []any{map[string]any{
			"id": "ecs-svc/0000000000000000001", "status": "PRIMARY",
			"desiredCount": d.Desired[region], "runningCount": d.Running[region], "pendingCount": 0,
			"failedTasks": d.failedTasks[region], "rolloutState": map[bool]string{true: "COMPLETED", false: "IN_PROGRESS"}[d.Running[region] == d.Desired[region]],
		}},
	}
}

const elbv2NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

// elbv2 answers DescribeTargetGroups (by name) and DescribeTargetHealth:
// every running task is a healthy target. ELBv2 API Reference,
// "TargetHealth" data type: State initial, healthy, unhealthy, unused,
// draining, unavailable; the fake skips initial (registration and the
// first health checks take the polls the task took to start).
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
