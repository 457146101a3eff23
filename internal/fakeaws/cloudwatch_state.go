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
// replication metrics: AuroraGlobalDBReplicationLag (ms, dimension
// DBClusterIdentifier) and GlobalDatastoreReplicationLag (s, dimension
// CacheClusterId, the group's first node), each reported by the
// secondary's region, and S3's
// OperationsFailedReplication (dimensions SourceBucket, DestinationBucket,
// RuleId), reported by the source bucket's region.
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
			if dims["CacheClusterId"] == d.clusterID(r.Region)+"-001" && len(dims) == 1 {
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

func cborResult(m cbor.Map) *Response {
	return &Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/cbor"}, "Smithy-Protocol": {"rpc-v2-cbor"}}, Body: cbor.Encode(m)}
}

func cborError(status int, code, message string) *Response {
	resp := cborResult(cbor.Map{"__type": cbor.String(code), "message": cbor.String(message)})
	resp.Status = status
	return resp
}
