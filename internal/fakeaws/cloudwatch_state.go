package fakeaws

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// cloudwatch answers GetMetricData in CloudWatch's wire protocol (Smithy RPC
// v2 CBOR, POST /service/GraniteServiceVersion20100801/operation/OP) for the
// replication metrics: AuroraGlobalDBReplicationLag (ms, dimension
// DBClusterIdentifier) and GlobalDatastoreReplicationLag (s, dimension
// CacheClusterId, the group's first node), each reported by the
// secondary's region, and S3's
// OperationsFailedReplication (dimensions SourceBucket, DestinationBucket,
// RuleId), reported by the source bucket's region.
func (d *Deployment) cloudwatch(r *Request) *Response {
	body := r.Body
	if r.HTTP.Header.Get("Content-Encoding") == "gzip" {
		// The SDK compresses PutMetricData bodies (the API's
		// requestCompression trait).
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return cborError(http.StatusBadRequest, "InvalidParameterValue", "fakeaws: gzip: "+err.Error())
		}
		if body, err = io.ReadAll(zr); err != nil {
			return cborError(http.StatusBadRequest, "InvalidParameterValue", "fakeaws: gzip: "+err.Error())
		}
	}
	v, err := cbor.Decode(body)
	in, ok := v.(cbor.Map)
	if err != nil || !ok {
		return cborError(http.StatusBadRequest, "InvalidParameterValue", "fakeaws: request body is not a CBOR map")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	switch r.Action {
	case "GetMetricData":
		return d.getMetricData(r, in)
	case "PutMetricData":
		return d.putMetricData(r, in)
	case "DescribeAlarms":
		return d.describeAlarms(r, in)
	}
	return nil
}

func (d *Deployment) getMetricData(r *Request, in cbor.Map) *Response {
	var results cbor.List
	queries, _ := in["MetricDataQueries"].(cbor.List)
	for _, q := range queries {
		qm, _ := q.(cbor.Map)
		id, _ := qm["Id"].(cbor.String)
		stat, _ := qm["MetricStat"].(cbor.Map)
		metric, _ := stat["Metric"].(cbor.Map)
		name, _ := metric["MetricName"].(cbor.String)
		rawDims, _ := metric["Dimensions"].(cbor.List)
		dims := map[string]string{}
		for _, dv := range rawDims {
			dm, _ := dv.(cbor.Map)
			k, _ := dm["Name"].(cbor.String)
			v, _ := dm["Value"].(cbor.String)
			dims[string(k)] = string(v)
		}
		var value float64
		var has bool
		switch name {
		case "AuroraGlobalDBReplicationLag":
			if dims["DBClusterIdentifier"] == d.clusterID(r.Region) && len(dims) == 1 {
				value, has = d.AuroraLagMs[r.Region]
			}
		case "GlobalDatastoreReplicationLag":
			// Reported by the secondary group's primary node.
			if dims["CacheClusterId"] == d.cacheGroup(r.Region)+"-001" && len(dims) == 1 {
				value, has = d.CacheLagSec[r.Region]
			}
		case "OperationsFailedReplication":
			value, has = d.failedReplication(r.Region, dims["SourceBucket"], dims["RuleId"])
		}
		var values, stamps cbor.List
		if has {
			values = cbor.List{cbor.Float64(value)}
			stamps = cbor.List{&cbor.Tag{ID: 1, Value: cbor.Float64(float64(time.Now().Unix()))}}
		}
		results = append(results, cbor.Map{"Id": id, "Label": name, "Values": values, "Timestamps": stamps, "StatusCode": cbor.String("Complete")})
	}
	return cborResult(cbor.Map{"MetricDataResults": results, "Messages": cbor.List{}})
}

// pendingAlarm is a traffic-switch alarm on its way to state.
type pendingAlarm struct {
	state string
	left  int // DescribeAlarms calls until it gets there
}

// switchState is region's traffic-switch alarm state now (OK when unset).
func (d *Deployment) switchState(region string) string {
	if s := d.SwitchState[region]; s != "" {
		return s
	}
	return "OK"
}

// putMetricData takes data points of the traffic switch's metric
// (Pilotlight/TrafficSwitch StandbyTakesOver, App=Prefix): the region's
// alarm (Maximum >= 1) heads for ALARM on a 1 and for OK on a 0, and gets
// there after Polls DescribeAlarms calls, as an alarm evaluates its period.
// Other metrics are accepted and dropped.
func (d *Deployment) putMetricData(r *Request, in cbor.Map) *Response {
	ns, _ := in["Namespace"].(cbor.String)
	data, _ := in["MetricData"].(cbor.List)
	for _, m := range data {
		mm, _ := m.(cbor.Map)
		name, _ := mm["MetricName"].(cbor.String)
		dims, _ := mm["Dimensions"].(cbor.List)
		var app string
		for _, dv := range dims {
			dm, _ := dv.(cbor.Map)
			if k, _ := dm["Name"].(cbor.String); k == "App" {
				v, _ := dm["Value"].(cbor.String)
				app = string(v)
			}
		}
		if ns != "Pilotlight/TrafficSwitch" || name != "StandbyTakesOver" || app != d.Prefix || len(dims) != 1 {
			continue
		}
		var value float64
		switch v := mm["Value"].(type) {
		case cbor.Float64:
			value = float64(v)
		case cbor.Float32:
			value = float64(v)
		case cbor.Uint:
			value = float64(v)
		}
		want := "OK"
		if value >= 1 {
			want = "ALARM"
		}
		d.mutated(r)
		if d.switch_ == nil {
			d.switch_ = map[string]*pendingAlarm{}
		}
		d.switch_[r.Region] = &pendingAlarm{state: want, left: d.Polls}
	}
	return cborResult(cbor.Map{})
}

// describeAlarms answers for the traffic switch's alarm in r's region, by
// name (AlarmNames) or all alarms; each call brings a pending change one
// poll closer.
func (d *Deployment) describeAlarms(r *Request, in cbor.Map) *Response {
	if p := d.switch_[r.Region]; p != nil {
		if p.left--; p.left <= 0 {
			d.SwitchState[r.Region] = p.state
			delete(d.switch_, r.Region)
		}
	}
	names, _ := in["AlarmNames"].(cbor.List)
	asked := len(names) == 0
	for _, n := range names {
		asked = asked || n == cbor.String(d.SwitchAlarm)
	}
	var alarms cbor.List
	if d.SwitchAlarm != "" && asked {
		alarms = append(alarms, cbor.Map{
			"AlarmName":          cbor.String(d.SwitchAlarm),
			"AlarmArn":           cbor.String(fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", r.Region, AccountID, d.SwitchAlarm)),
			"Namespace":          cbor.String("Pilotlight/TrafficSwitch"),
			"MetricName":         cbor.String("StandbyTakesOver"),
			"Statistic":          cbor.String("Maximum"),
			"Period":             cbor.Uint(60),
			"EvaluationPeriods":  cbor.Uint(1),
			"Threshold":          cbor.Float64(1),
			"ComparisonOperator": cbor.String("GreaterThanOrEqualToThreshold"),
			"TreatMissingData":   cbor.String("ignore"),
			"StateValue":         cbor.String(d.switchState(r.Region)),
			"Dimensions":         cbor.List{cbor.Map{"Name": cbor.String("App"), "Value": cbor.String(d.Prefix)}},
		})
	}
	return cborResult(cbor.Map{"MetricAlarms": alarms, "CompositeAlarms": cbor.List{}})
}

func cborResult(m cbor.Map) *Response {
	return &Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/cbor"}, "Smithy-Protocol": {"rpc-v2-cbor"}}, Body: cbor.Encode(m)}
}

func cborError(status int, code, message string) *Response {
	resp := cborResult(cbor.Map{"__type": cbor.String(code), "message": cbor.String(message)})
	resp.Status = status
	return resp
}
