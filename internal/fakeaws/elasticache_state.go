package fakeaws

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

const elasticacheNS = "http://elasticache.amazonaws.com/doc/2015-02-02/"

// The Global Datastore's state machine, as AWS documents it:
//
//   - GlobalReplicationGroup.Status (ElastiCache API Reference,
//     "GlobalReplicationGroup" data type: "The status of the Global
//     datastore", no list): the values the AWS provider's waiters know are
//     creating, modifying, available, primary-only, deleting. The fake
//     reads available, modifying while its failover runs, and
//     CacheGlobalStatus for a change unrelated to a switch (modifying,
//     primary-only).
//   - GlobalReplicationGroupMember (ElastiCache API Reference): Role
//     ("primary or secondary"; the API answers it upper-case, PRIMARY,
//     SECONDARY), Status ("the status of the membership": associated).
//   - FailoverGlobalReplicationGroup (ElastiCache API Reference): "The
//     secondary region will become primary, and all other clusters will
//     become secondary." It is accepted whatever the datastore's status
//     (the ElastiCache User Guide, "Promoting the secondary cluster to
//     primary", allows it at any time, even while other modifications are
//     in progress). Its documented refusal, InvalidGlobalReplicationGroupState
//     ("The Global datastore is not available or in primary-only state"),
//     the fake makes while its own failover is still running, and on
//     CacheFailoverRefused.
//
// Where the documentation is silent, the Deployment's options give the
// adversarial readings: CacheGlobalStatus, CacheStatusWhileOldPrimaryDark.

// elasticache answers DescribeGlobalReplicationGroups,
// DescribeReplicationGroups and FailoverGlobalReplicationGroup.
func (d *Deployment) elasticache(r *Request) *Response {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch r.Action {
	case "DescribeGlobalReplicationGroups":
		if id := r.Params.Get("GlobalReplicationGroupId"); id != "" && id != d.CacheGlobalID {
			return QueryError(http.StatusNotFound, "GlobalReplicationGroupNotFoundFault", "Global replication group "+id+" not found.")
		}
		d.advanceCache()
		out := QueryResult(r.Action, elasticacheNS, "<GlobalReplicationGroups>"+d.globalGroupXML("GlobalReplicationGroup", r.Params.Get("ShowMemberInfo") == "true")+"</GlobalReplicationGroups>")
		d.unrelatedStatusPasses(&d.CacheGlobalStatus, &d.cacheDescribes)
		return out
	case "DescribeReplicationGroups":
		id := r.Params.Get("ReplicationGroupId")
		if id != d.cacheGroup(r.Region) {
			return QueryError(http.StatusNotFound, "ReplicationGroupNotFoundFault", "Replication group "+id+" not found.")
		}
		role := "secondary"
		if r.Region == d.CachePrimary {
			role = "primary"
		}
		return QueryResult(r.Action, elasticacheNS, fmt.Sprintf("<ReplicationGroups><ReplicationGroup><ReplicationGroupId>%[1]s</ReplicationGroupId><Status>available</Status><MemberClusters><ClusterId>%[1]s-001</ClusterId><ClusterId>%[1]s-002</ClusterId></MemberClusters><GlobalReplicationGroupInfo><GlobalReplicationGroupId>%[2]s</GlobalReplicationGroupId><GlobalReplicationGroupMemberRole>%[3]s</GlobalReplicationGroupMemberRole></GlobalReplicationGroupInfo></ReplicationGroup></ReplicationGroups>",
			id, d.CacheGlobalID, role))
	case "FailoverGlobalReplicationGroup":
		if id := r.Params.Get("GlobalReplicationGroupId"); id != d.CacheGlobalID {
			return QueryError(http.StatusNotFound, "GlobalReplicationGroupNotFoundFault", "Global replication group "+id+" not found.")
		}
		to := r.Params.Get("PrimaryRegion")
		switch {
		case d.cache != nil || d.CacheFailoverRefused || (d.UnrelatedStatusRefuses && d.CacheGlobalStatus != ""):
			return QueryError(http.StatusBadRequest, "InvalidGlobalReplicationGroupState", "The Global datastore is not available.")
		case r.Params.Get("PrimaryReplicationGroupId") != d.cacheGroup(to):
			return QueryError(http.StatusBadRequest, "InvalidParameterValue", "Replication group "+r.Params.Get("PrimaryReplicationGroupId")+" is not a member in "+to+".")
		case to == d.CachePrimary:
			// Not documented (the target is to "become primary"); the
			// adversarial reading refuses it.
			return QueryError(http.StatusBadRequest, "InvalidParameterValue", "Replication group "+d.cacheGroup(to)+" is already the primary.")
		}
		d.mutated(r)
		var dur time.Duration
		if d.Durations != nil {
			dur = d.Durations.CacheFailover
		}
		d.cache = d.start(&pending{to: to, from: d.CachePrimary}, dur)
		d.cacheLingering = false
		return QueryResult(r.Action, elasticacheNS, d.globalGroupXML("GlobalReplicationGroup", true))
	}
	return nil
}

func (d *Deployment) advanceCache() {
	if d.cache == nil {
		return
	}
	if !d.finished(d.cache) {
		return
	}
	old := d.CachePrimary
	d.CachePrimary = d.cache.to
	delete(d.CacheLagSec, d.CachePrimary)
	d.CacheLagSec[old] = 0.5
	d.cache = nil
	// After an unplanned failover the old primary's region is dark; what
	// the datastore reports until it is back (Recover) is not documented.
	d.cacheLingering = d.CacheStatusWhileOldPrimaryDark != ""
}

func (d *Deployment) globalGroupXML(elem string, members bool) string {
	status := "available"
	switch {
	case d.cache != nil:
		status = "modifying"
	case d.cacheLingering:
		status = d.CacheStatusWhileOldPrimaryDark
	case d.CacheGlobalStatus != "":
		status = d.CacheGlobalStatus
	}
	var m strings.Builder
	if members {
		for _, r := range d.Regions {
			role := "SECONDARY"
			if r == d.CachePrimary {
				role = "PRIMARY"
			}
			fmt.Fprintf(&m, "<GlobalReplicationGroupMember><ReplicationGroupId>%s</ReplicationGroupId><ReplicationGroupRegion>%s</ReplicationGroupRegion><Role>%s</Role><AutomaticFailover>enabled</AutomaticFailover><Status>associated</Status></GlobalReplicationGroupMember>",
				d.cacheGroup(r), r, role)
		}
	}
	return fmt.Sprintf("<%[1]s><GlobalReplicationGroupId>%[2]s</GlobalReplicationGroupId><Status>%[3]s</Status><Engine>redis</Engine><EngineVersion>7.1</EngineVersion><Members>%[4]s</Members></%[1]s>",
		elem, d.CacheGlobalID, status, m.String())
}
