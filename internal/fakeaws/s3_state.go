package fakeaws

import (
	"fmt"
	"net/http"
	"strings"
)

// ReplicationRule is one rule of a bucket's replication configuration.
type ReplicationRule struct {
	ID                string // e.g. to-us-west-2
	DestinationBucket string // the destination bucket's name
	Status            string // Enabled or Disabled
	// FailedOperations is the latest OperationsFailedReplication data point
	// (CloudWatch, AWS/S3).
	FailedOperations float64
	// NoMetrics turns the rule's replication metrics off: S3 then
	// publishes no OperationsFailedReplication for it (S3 User Guide,
	// "Monitoring progress with replication metrics": the metrics exist for
	// rules with S3 Replication Time Control or replication metrics
	// enabled, the rule's Destination.Metrics).
	NoMetrics bool
}

// SetReplication gives bucket (in region) its replication rules, replacing
// any; no rules removes its configuration.
func (d *Deployment) SetReplication(region, bucket string, rules ...ReplicationRule) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.replication == nil {
		d.replication = map[string][]ReplicationRule{}
	}
	key := region + "/" + bucket
	if len(rules) == 0 {
		delete(d.replication, key)
		return
	}
	d.replication[key] = append([]ReplicationRule(nil), rules...)
}

// s3 answers GetBucketReplication (GET /BUCKET?replication, path-style);
// nil for anything else, which the plan handlers' object store answers.
func (d *Deployment) s3(r *Request) *Response {
	if r.HTTP.Method != http.MethodGet || !r.HTTP.URL.Query().Has("replication") {
		return nil
	}
	bucket := strings.Trim(r.HTTP.URL.Path, "/")
	d.mu.Lock()
	defer d.mu.Unlock()
	rules, ok := d.replication[r.Region+"/"+bucket]
	if !ok {
		return s3Error(http.StatusNotFound, "ReplicationConfigurationNotFoundError", "The replication configuration was not found")
	}
	var b strings.Builder
	for i, rule := range rules {
		fmt.Fprintf(&b, "<Rule><ID>%s</ID><Priority>%d</Priority><Status>%s</Status><Filter></Filter><Destination><Bucket>arn:aws:s3:::%s</Bucket><Metrics><Status>%s</Status></Metrics></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>",
			rule.ID, i+1, rule.Status, rule.DestinationBucket, map[bool]string{false: "Enabled", true: "Disabled"}[rule.NoMetrics])
	}
	return XMLResult(http.StatusOK, fmt.Sprintf(`<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Role>arn:aws:iam::%s:role/%s-s3-replication</Role>%s</ReplicationConfiguration>`, AccountID, d.Prefix, b.String()))
}

// failedReplication is the OperationsFailedReplication value for a
// source bucket's rule, if the fake knows the rule and its metrics are on.
func (d *Deployment) failedReplication(region, source, rule string) (float64, bool) {
	for _, r := range d.replication[region+"/"+source] {
		if r.ID == rule {
			return r.FailedOperations, !r.NoMetrics
		}
	}
	return 0, false
}
