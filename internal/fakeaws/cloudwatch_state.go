package fakeaws

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// cloudwatch answers GetMetricData in CloudWatch's wire protocol (Smithy RPC
// v2 CBOR, POST /service/GraniteServiceVersion20100801/operation/OP) for the
// replication metrics, each reported by the secondary's region only (Aurora
// User Guide, "Using switchover or failover...": "Some CloudWatch metrics,
// such as replication lag, are only available for secondary Regions"):
//
//   - AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag (AWS/RDS,
//     milliseconds; Aurora User Guide, "Amazon CloudWatch metrics for
//     Amazon Aurora", cluster-level metrics), under DBClusterIdentifier
//     alone or, with AuroraLagDimensions "SourceRegion", with SourceRegion
//     (the writer's region) added: which sets AWS publishes them under is
//     not documented beyond the dimension list ("Amazon CloudWatch
//     dimensions for Aurora"), so a reader must ask for both;
//   - GlobalDatastoreReplicationLag (AWS/ElastiCache, seconds; ElastiCache
//     User Guide, "Metrics for Valkey and Redis OSS": host-level, "calculated
//     at the cache node level") under CacheClusterId, the node CacheLagNode
//     of the secondary's group;
//   - S3's OperationsFailedReplication (dimensions SourceBucket,
//     DestinationBucket, RuleId), reported by the source bucket's region.
//
// Each data point carries MetricsAt (or the call's time) and is returned
// only inside the call's StartTime..EndTime.
func (d *Deployment) cloudwatch(r *Request) *Response {
	body := r.Body
	if r.HTTP.Header.Get("Content-Encoding") == "gzip" {
		// The SDK compresses request bodies of operations with the
		// requestCompression trait (PutMetricData).
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
	}
	return nil
}

func (d *Deployment) getMetricData(r *Request, in cbor.Map) *Response {
	var results cbor.List
	at := d.MetricsAt
	if at.IsZero() {
		at = d.now()
	}
	start, end := cborTime(in["StartTime"]), cborTime(in["EndTime"])
	inWindow := (start.IsZero() || !at.Before(start)) && (end.IsZero() || !at.After(end.Add(time.Second)))
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
		case "AuroraGlobalDBReplicationLag", "AuroraGlobalDBRPOLag":
			want := map[string]string{"DBClusterIdentifier": d.clusterID(r.Region)}
			if d.AuroraLagDimensions == "SourceRegion" {
				want["SourceRegion"] = d.Writer
			}
			if sameDims(dims, want) && r.Region != d.Writer {
				value, has = d.AuroraLagMs[r.Region]
				if name == "AuroraGlobalDBRPOLag" {
					value, has = d.AuroraRPOLagMs[r.Region]
				}
			}
		case "GlobalDatastoreReplicationLag":
			// Reported per node; the secondary group's primary node by default.
			node := d.CacheLagNode
			if node == "" {
				node = "001"
			}
			if sameDims(dims, map[string]string{"CacheClusterId": d.cacheGroup(r.Region) + "-" + node}) {
				value, has = d.CacheLagSec[r.Region]
			}
		case "OperationsFailedReplication":
			value, has = d.failedReplication(r.Region, dims["SourceBucket"], dims["RuleId"])
		}
		var values, stamps cbor.List
		if has && inWindow {
			values = cbor.List{cbor.Float64(value)}
			stamps = cbor.List{&cbor.Tag{ID: 1, Value: cbor.Float64(float64(at.Unix()))}}
		}
		results = append(results, cbor.Map{"Id": id, "Label": name, "Values": values, "Timestamps": stamps, "StatusCode": cbor.String("Complete")})
	}
	return cborResult(cbor.Map{"MetricDataResults": results, "Messages": cbor.List{}})
}

// sameDims reports whether a query's dimensions are exactly want: a metric
// is identified by its full dimension set (CloudWatch User Guide, "Amazon
// CloudWatch concepts", Dimensions: "CloudWatch treats each unique
// combination of dimensions as a separate metric").
func sameDims(got, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// cborTime reads a CBOR timestamp (tag 1, epoch seconds); zero if absent.
func cborTime(v cbor.Value) time.Time {
	t, ok := v.(*cbor.Tag)
	if !ok || t.ID != 1 {
		return time.Time{}
	}
	switch s := t.Value.(type) {
	case cbor.Float64:
		return time.Unix(0, int64(float64(s)*float64(time.Second)))
	case cbor.Uint:
		return time.Unix(int64(s), 0)
	}
	return time.Time{}
}

func cborResult(m cbor.Map) *Response {
	return &Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/cbor"}, "Smithy-Protocol": {"rpc-v2-cbor"}}, Body: cbor.Encode(m)}
}

func cborError(status int, code, message string) *Response {
	resp := cborResult(cbor.Map{"__type": cbor.String(code), "message": cbor.String(message)})
	resp.Status = status
	return resp
}
