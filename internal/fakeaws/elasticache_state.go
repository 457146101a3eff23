package fakeaws

import (
	"fmt"
	"net/http"
	"strings"
)

const elasticacheNS = "http://elasticache.amazonaws.com/doc/2015-02-02/"

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
		return QueryResult(r.Action, elasticacheNS, "<GlobalReplicationGroups>"+d.globalGroupXML("GlobalReplicationGroup", r.Params.Get("ShowMemberInfo") == "true")+"</GlobalReplicationGroups>")
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
		case d.cache != nil || d.CacheFailoverRefused:
			return QueryError(http.StatusBadRequest, "InvalidGlobalReplicationGroupState", "The Global datastore is not available.")
		case r.Params.Get("PrimaryReplicationGroupId") != d.cacheGroup(to):
			return QueryError(http.StatusBadRequest, "InvalidParameterValue", "Replication group "+r.Params.Get("PrimaryReplicationGroupId")+" is not a member in "+to+".")
		case to == d.CachePrimary:
			return QueryError(http.StatusBadRequest, "InvalidParameterValue", "Replication group "+d.cacheGroup(to)+" is already the primary.")
		}
		d.mutated(r)
		d.cache = &pending{to: to, left: d.Polls}
		return QueryResult(r.Action, elasticacheNS, d.globalGroupXML("GlobalReplicationGroup", true))
	}
	return nil
}

func (d *Deployment) advanceCache() {
	if d.cache == nil {
		return
	}
	d.cache.left--
	if d.cache.left > 0 {
		return
	}
	old := d.CachePrimary
	d.CachePrimary = d.cache.to
	delete(d.CacheLagSec, d.CachePrimary)
	d.CacheLagSec[old] = 0.5
	d.cache = nil
}

func (d *Deployment) globalGroupXML(elem string, members bool) string {
	status := "available"
	if d.cache != nil {
		status = "modifying"
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
