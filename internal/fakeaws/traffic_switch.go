package fakeaws

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// Traffic switch states, as the switch object's existence gives them.
const (
	SwitchOn  = "ON"
	SwitchOff = "OFF"
)

// switchState is region's traffic switch now (OFF when unset).
func (d *Deployment) switchState(region string) string {
	if d.SwitchState[region] == SwitchOn {
		return SwitchOn
	}
	return SwitchOff
}

// switchObject answers the S3 object calls on the traffic switch's object
// (SwitchKey in region's SwitchBuckets bucket, path-style), which the
// runbook makes: HeadObject, PutObject and DeleteObject (and GetObject).
// Sources, S3 API Reference and User Guide:
//   - PutObject stores the object, DeleteObject removes it (in a versioned
//     bucket, by adding a delete marker) and answers 204 whether or not
//     the key existed ("DeleteObject");
//   - a read after either sees it at once ("Amazon S3 data consistency
//     model": strong read-after-write consistency);
//   - HeadObject and GetObject of an absent key, or one whose current
//     version is a delete marker, answer 404 to a caller with s3:ListBucket
//     ("HeadObject", "Permissions"; "Working with delete markers"), which
//     the operator role has;
//   - a request whose x-amz-expected-bucket-owner is not the bucket's
//     owner fails with 403 Access Denied ("Verifying bucket ownership with
//     bucket owner condition").
//
// Other keys and buckets are left to the next handler (nil).
func (d *Deployment) switchObject(r *Request) *Response {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.HTTP.URL.Path, "/"), "/")
	d.mu.Lock()
	defer d.mu.Unlock()
	if bucket == "" || bucket != d.SwitchBuckets[r.Region] || key != d.SwitchKey || len(r.HTTP.URL.Query()) > 0 && !r.HTTP.URL.Query().Has("x-id") {
		return nil
	}
	if owner := r.HTTP.Header.Get("X-Amz-Expected-Bucket-Owner"); owner != "" && owner != AccountID {
		return s3Error(http.StatusForbidden, "AccessDenied", "Access Denied")
	}
	sum := md5.Sum(nil)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	switch r.HTTP.Method {
	case http.MethodHead, http.MethodGet:
		if d.switchState(r.Region) != SwitchOn {
			if r.noListBucket {
				if r.HTTP.Method == http.MethodHead {
					return &Response{Status: http.StatusForbidden, Header: http.Header{}}
				}
				return s3Error(http.StatusForbidden, "AccessDenied", "Access Denied")
			}
			if r.HTTP.Method == http.MethodHead {
				// HEAD answers carry no body (RFC 9110), so no error code.
				return &Response{Status: http.StatusNotFound, Header: http.Header{}}
			}
			return s3Error(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		}
		return &Response{Status: http.StatusOK, Header: http.Header{"Etag": {etag}, "Content-Length": {"0"}, "Last-Modified": {"Sat, 01 Nov 2025 00:00:00 GMT"}, "X-Amz-Server-Side-Encryption": {"AES256"}}}
	case http.MethodPut:
		d.mutated(r)
		d.switchChanged(r.Region)
		d.SwitchState[r.Region] = SwitchOn
		return &Response{Status: http.StatusOK, Header: http.Header{"Etag": {etag}, "X-Amz-Server-Side-Encryption": {"AES256"}}}
	case http.MethodDelete:
		d.mutated(r)
		d.switchChanged(r.Region)
		d.SwitchState[r.Region] = SwitchOff
		return &Response{Status: http.StatusNoContent, Header: http.Header{"X-Amz-Delete-Marker": {"true"}}}
	}
	return nil
}

// switchChanged records that region's switch object changes now, and what
// it was (d.mu held).
func (d *Deployment) switchChanged(region string) {
	if d.switchAt == nil {
		d.switchAt, d.switchBefore = map[string]time.Time{}, map[string]string{}
	}
	if at, ok := d.switchAt[region]; !ok || d.Durations == nil || !d.now().Before(at.Add(d.Durations.TrafficSwitch)) {
		d.switchBefore[region] = d.switchState(region) // else Route 53 has not acted on the last change yet
	}
	d.switchAt[region] = d.now()
}

// switchSeen is region's switch as Route 53 acts on it: with Durations, the
// state before its last change until TrafficSwitch has passed.
func (d *Deployment) switchSeen(region string) string {
	if at, ok := d.switchAt[region]; ok && d.Durations != nil && d.now().Before(at.Add(d.Durations.TrafficSwitch)) {
		return d.switchBefore[region]
	}
	return d.switchState(region)
}

// FailoverAnswer is what Route 53 answers the failover name with, from
// the health checks dns.FailoverName creates, evaluated by Route 53's
// documented rules over d's state and s's dark regions: "active" or
// "standby". It models health checking only as far as the switch needs:
//   - an endpoint check (HTTPS on a region's ALB) is healthy while the
//     region answers and its service runs tasks (d.Running > 0): the
//     tasks are what answer the health path;
//   - the switch check (HTTPS GET of the standby's switch object) is
//     healthy when S3 answers 2xx: the object exists and the region is
//     lit. Absent, S3 answers 403 or 404; dark, nothing answers: both
//     unhealthy ("How Amazon Route 53 determines whether a health check is
//     healthy": 2xx or 3xx within the time limits is healthy);
//   - the switch check is inverted ("Inverting health checks": unhealthy
//     when the check is healthy and vice versa);
//   - the PRIMARY record's calculated check is healthy when both its
//     children are (threshold 2; "Health checks that monitor other health
//     checks (calculated)");
//   - the PRIMARY answers while healthy; else the SECONDARY while healthy;
//     when both are unhealthy Route 53 answers as if both were healthy,
//     that is with the PRIMARY ("How health checks work in complex Amazon
//     Route 53 configurations"; Route 53 API Reference,
//     ResourceRecordSet Failover);
//   - with Durations, a change of the switch object counts only once
//     Durations.TrafficSwitch has passed (health checks, then TTL).
func (s *Server) FailoverAnswer(d *Deployment, active, standby string) string {
	s.mu.Lock()
	dark := map[string]bool{active: s.dark[active] != 0, standby: s.dark[standby] != 0}
	s.mu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	endpoint := func(r string) bool { return !dark[r] && d.Running[r] > 0 }
	switchCheck := !dark[standby] && d.SwitchBuckets[standby] != "" && d.switchSeen(standby) == SwitchOn
	primary := endpoint(active) && !switchCheck
	secondary := endpoint(standby)
	if !primary && secondary {
		return "standby"
	}
	return "active"
}
