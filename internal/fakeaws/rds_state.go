package fakeaws

import (
	"fmt"
	"net/http"
	"strings"
)

const rdsNS = "http://rds.amazonaws.com/doc/2014-10-31/"

// rds answers DescribeGlobalClusters, DescribeDBClusters (for the
// deployment's own clusters), SwitchoverGlobalCluster and
// FailoverGlobalCluster; nil for anything else.
func (d *Deployment) rds(r *Request) *Response {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch r.Action {
	case "DescribeGlobalClusters":
		if id := r.Params.Get("GlobalClusterIdentifier"); id != "" && id != d.globalCluster() {
			return QueryError(http.StatusNotFound, "GlobalClusterNotFoundFault", "GlobalCluster "+id+" not found.")
		}
		d.advanceAurora()
		return QueryResult(r.Action, rdsNS, "<GlobalClusters>"+d.globalClusterXML()+"</GlobalClusters>")
	case "DescribeDBClusters":
		region := d.regionOfCluster(r.Params.Get("DBClusterIdentifier"))
		if region == "" || region != r.Region {
			return nil
		}
		return QueryResult(r.Action, rdsNS, "<DBClusters>"+d.dbClusterXML(region)+"</DBClusters>")
	case "SwitchoverGlobalCluster", "FailoverGlobalCluster":
		if id := r.Params.Get("GlobalClusterIdentifier"); id != d.globalCluster() {
			return QueryError(http.StatusNotFound, "GlobalClusterNotFoundFault", "GlobalCluster "+id+" not found.")
		}
		to := d.regionOfCluster(r.Params.Get("TargetDbClusterIdentifier"))
		if to == "" {
			return QueryError(http.StatusNotFound, "DBClusterNotFoundFault", "DBCluster "+r.Params.Get("TargetDbClusterIdentifier")+" not found.")
		}
		dataLoss := r.Params.Get("AllowDataLoss") == "true"
		switch {
		case d.aurora != nil:
			return QueryError(http.StatusBadRequest, "InvalidGlobalClusterStateFault", "Global cluster "+d.globalCluster()+" is already failing over or switching over.")
		case to == d.Writer:
			return QueryError(http.StatusBadRequest, "InvalidGlobalClusterStateFault", "The target cluster is already the primary cluster of "+d.globalCluster()+".")
		case d.Instances[to] == 0:
			return QueryError(http.StatusBadRequest, "InvalidDBClusterStateFault", "The target cluster "+d.clusterID(to)+" has no DB instances.")
		case r.Action == "SwitchoverGlobalCluster" && d.Sync[to] != "connected":
			return QueryError(http.StatusBadRequest, "InvalidGlobalClusterStateFault", "The target cluster is not synchronized.")
		case r.Action == "FailoverGlobalCluster" && !dataLoss:
			// Without AllowDataLoss (or Switchover) AWS needs every member
			// healthy; the fake only models the data-loss path.
			return QueryError(http.StatusBadRequest, "InvalidParameterCombination", "fakeaws: FailoverGlobalCluster needs AllowDataLoss=true (use SwitchoverGlobalCluster for a planned switch).")
		}
		d.mutated(r)
		d.aurora = &pending{to: to, left: d.Polls, dataLoss: dataLoss}
		return QueryResult(r.Action, rdsNS, d.globalClusterXMLAs("GlobalCluster"))
	}
	return nil
}

// advanceAurora moves a pending switch one poll on; on the last, the
// target writes. With data loss allowed, the old writer drops out of sync
// until Recover.
func (d *Deployment) advanceAurora() {
	if d.aurora == nil {
		return
	}
	d.aurora.left--
	if d.aurora.left > 0 {
		return
	}
	old := d.Writer
	d.Writer = d.aurora.to
	delete(d.AuroraLagMs, d.Writer)
	if d.aurora.dataLoss {
		d.Sync[old] = "pending-resync"
	} else {
		d.AuroraLagMs[old] = 20
	}
	d.aurora = nil
}

func (d *Deployment) globalClusterXML() string { return d.globalClusterXMLAs("GlobalClusterMember") }

// globalClusterXMLAs renders the global cluster in an element named elem:
// DescribeGlobalClusters' list uses GlobalClusterMember (the API's own
// quirk), the single-cluster results GlobalCluster.
func (d *Deployment) globalClusterXMLAs(elem string) string {
	status := "available"
	failover := ""
	if d.aurora != nil {
		status = "switching-over"
		if d.aurora.dataLoss {
			status = "failing-over"
		}
		failover = fmt.Sprintf("<FailoverState><Status>%s</Status><FromDbClusterArn>%s</FromDbClusterArn><ToDbClusterArn>%s</ToDbClusterArn><IsDataLossAllowed>%t</IsDataLossAllowed></FailoverState>",
			map[bool]string{true: "failing-over", false: "switching-over"}[d.aurora.dataLoss], d.clusterArn(d.Writer), d.clusterArn(d.aurora.to), d.aurora.dataLoss)
	}
	var members strings.Builder
	for _, r := range d.Regions {
		var readers strings.Builder
		if r == d.Writer {
			for _, o := range d.Regions {
				if o != r {
					fmt.Fprintf(&readers, "<member>%s</member>", d.clusterArn(o))
				}
			}
		}
		fmt.Fprintf(&members, "<GlobalClusterMember><DBClusterArn>%s</DBClusterArn><Readers>%s</Readers><IsWriter>%t</IsWriter><SynchronizationStatus>%s</SynchronizationStatus></GlobalClusterMember>",
			d.clusterArn(r), readers.String(), r == d.Writer, d.Sync[r])
	}
	return fmt.Sprintf("<%[1]s><GlobalClusterIdentifier>%[2]s</GlobalClusterIdentifier><GlobalClusterArn>arn:aws:rds::%[3]s:global-cluster:%[2]s</GlobalClusterArn><Status>%[4]s</Status><Engine>aurora-postgresql</Engine><EngineVersion>16.4</EngineVersion><StorageEncrypted>true</StorageEncrypted><DeletionProtection>true</DeletionProtection><GlobalClusterMembers>%[5]s</GlobalClusterMembers>%[6]s</%[1]s>",
		elem, d.globalCluster(), AccountID, status, members.String(), failover)
}

func (d *Deployment) dbClusterXML(region string) string {
	id := d.clusterID(region)
	var members strings.Builder
	for i := 0; i < d.Instances[region]; i++ {
		fmt.Fprintf(&members, "<DBClusterMember><DBInstanceIdentifier>%s-%d</DBInstanceIdentifier><IsClusterWriter>%t</IsClusterWriter><PromotionTier>%d</PromotionTier></DBClusterMember>",
			id, i, i == 0 && region == d.Writer, i)
	}
	return fmt.Sprintf("<DBCluster><DBClusterIdentifier>%[1]s</DBClusterIdentifier><DBClusterArn>%[2]s</DBClusterArn><GlobalClusterIdentifier>%[3]s</GlobalClusterIdentifier><Engine>aurora-postgresql</Engine><EngineVersion>16.4</EngineVersion><Status>available</Status><DBClusterMembers>%[4]s</DBClusterMembers></DBCluster>",
		id, d.clusterArn(region), d.globalCluster(), members.String())
}
