package fakeaws

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

const rdsNS = "http://rds.amazonaws.com/doc/2014-10-31/"

// The Aurora global cluster's state machine, as AWS documents it:
//
//   - GlobalCluster.Status (RDS API Reference, "GlobalCluster" data type:
//     "the current state of this global database cluster", no list of
//     values). The fake reads available when nothing happens,
//     switching-over or failing-over while an operation runs (the
//     operation's own names), and GlobalClusterStatus (modifying,
//     upgrading: the values the AWS provider's global-cluster waiters
//     know) for changes unrelated to a switch.
//   - GlobalCluster.FailoverState (RDS API Reference, "FailoverState" data
//     type: "empty unless a switchover or failover operation is scheduled
//     or is in progress"): Status pending ("the primary DB cluster and the
//     specified secondary DB cluster are being verified before the
//     operation starts"), then switching-over or failing-over, or
//     cancelling ("the request ... was cancelled and the primary ... and
//     the selected secondary ... are returning to their previous states");
//     FromDbClusterArn, ToDbClusterArn, IsDataLossAllowed.
//   - GlobalClusterMember (RDS API Reference, "GlobalClusterMember" data
//     type): IsWriter, Readers, SynchronizationStatus (connected,
//     pending-resync).
//   - Switchover waits for the target to be synchronized before it starts
//     (Aurora User Guide, "Using switchover or failover in an Amazon Aurora
//     global database", "Performing switchovers": "Before Aurora starts the
//     switchover process, it waits for the target secondary Region
//     clusters to be fully synchronized"); the fake keeps it pending while
//     the target is not connected. A managed failover does not wait ("Managed
//     failover doesn't wait for data to synchronize"), and Aurora re-adds
//     the old primary as a secondary when its region is back ("Performing
//     managed failovers"): Recover.
//
// Where the documentation is silent, the Deployment's options give the
// adversarial readings: GlobalClusterStatus, AuroraStatusWhileOldPrimaryDark,
// CancelSwitchover.

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
		out := QueryResult(r.Action, rdsNS, "<GlobalClusters>"+d.globalClusterXML()+"</GlobalClusters>")
		d.unrelatedStatusPasses(&d.GlobalClusterStatus, &d.auroraDescribes)
		return out
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
		// FailoverGlobalCluster without AllowDataLoss is a switchover (RDS
		// API Reference, "FailoverGlobalCluster", AllowDataLoss: "If you
		// don't specify AllowDataLoss, the global database cluster
		// operation defaults to a switchover").
		dataLoss := r.Action == "FailoverGlobalCluster" && r.Params.Get("AllowDataLoss") == "true"
		// The refusals below are the API's documented faults for these
		// calls (InvalidGlobalClusterStateFault: "The global cluster is in
		// an invalid state and can't perform the requested operation";
		// InvalidDBClusterStateFault: "The requested operation can't be
		// performed while the cluster is in this state"), each for a case
		// the documentation rules out.
		switch {
		case d.UnrelatedStatusRefuses && d.GlobalClusterStatus != "":
			return QueryError(http.StatusBadRequest, "InvalidGlobalClusterStateFault", "Global cluster "+d.Prefix+" is "+d.GlobalClusterStatus+".")
		case d.aurora != nil:
			// One operation at a time: FailoverState describes one.
			return QueryError(http.StatusBadRequest, "InvalidGlobalClusterStateFault", "Global cluster "+d.globalCluster()+" is already failing over or switching over.")
		case to == d.Writer:
			// The target is "the secondary Aurora DB cluster to promote"
			// (TargetDbClusterIdentifier).
			return QueryError(http.StatusBadRequest, "InvalidGlobalClusterStateFault", "The target cluster is already the primary cluster of "+d.globalCluster()+".")
		case d.Instances[to] == 0:
			// "The chosen secondary cluster promotes one of its read-only
			// nodes to full writer status" (User Guide): a headless
			// cluster has none.
			return QueryError(http.StatusBadRequest, "InvalidDBClusterStateFault", "The target cluster "+d.clusterID(to)+" has no DB instances.")
		}
		d.mutated(r)
		d.aurora = d.start(&pending{to: to, from: d.Writer, dataLoss: dataLoss, cancel: !dataLoss && d.CancelSwitchover}, d.auroraDuration(dataLoss))
		if d.aurora.cancel {
			d.CancelSwitchover = false // AWS cancels this one; a rerun goes through
		}
		d.lingering = nil
		return QueryResult(r.Action, rdsNS, d.globalClusterXMLAs("GlobalCluster"))
	}
	return nil
}

// advanceAurora moves an operation in progress one describe on. The first
// describe still shows it pending; a switchover stays pending while its
// target is not connected. On the last, the target writes (or, when
// cancelled, nothing changed). With data loss allowed, the old writer
// drops out of sync until Recover.
func (d *Deployment) advanceAurora() {
	p := d.aurora
	if p == nil {
		return
	}
	p.seen++
	if !p.dataLoss && d.Sync[p.to] != "connected" {
		p.seen = 1 // still pending: verified before the operation starts
		p.due = d.now().Add(d.auroraDuration(false))
		return
	}
	if !d.finished(p) {
		return
	}
	d.aurora = nil
	if p.cancel {
		return
	}
	d.Writer = p.to
	delete(d.AuroraLagMs, d.Writer)
	delete(d.AuroraRPOLagMs, d.Writer)
	if p.dataLoss {
		d.Sync[p.from] = "pending-resync"
		if d.AuroraStatusWhileOldPrimaryDark != "" {
			d.lingering = p
		}
	} else {
		d.AuroraLagMs[p.from] = 20
		d.AuroraRPOLagMs[p.from] = 20
	}
}

// auroraDuration is how long a switchover (or, with dataLoss, a failover)
// takes with Durations set.
func (d *Deployment) auroraDuration(dataLoss bool) time.Duration {
	switch {
	case d.Durations == nil:
		return 0
	case dataLoss:
		return d.Durations.AuroraFailover
	}
	return d.Durations.AuroraSwitchover
}

// failoverStatus is FailoverState.Status of an operation in progress.
func (p *pending) failoverStatus() string {
	switch {
	case p.seen <= 1:
		return "pending"
	case p.cancel:
		return "cancelling"
	case p.dataLoss:
		return "failing-over"
	}
	return "switching-over"
}

func (d *Deployment) globalClusterXML() string { return d.globalClusterXMLAs("GlobalClusterMember") }

// globalClusterXMLAs renders the global cluster in an element named elem:
// DescribeGlobalClusters' list uses GlobalClusterMember (the API's own
// quirk), the single-cluster results GlobalCluster.
func (d *Deployment) globalClusterXMLAs(elem string) string {
	status := "available"
	if d.GlobalClusterStatus != "" {
		status = d.GlobalClusterStatus
	}
	failover := ""
	op, opStatus := d.aurora, ""
	if op != nil {
		opStatus = op.failoverStatus()
		status = map[bool]string{true: "failing-over", false: "switching-over"}[op.dataLoss]
	} else if d.lingering != nil {
		// The adversarial reading of a failover whose old primary's
		// region is still dark: the status stays transitional.
		status = d.AuroraStatusWhileOldPrimaryDark
		if status == "failing-over" {
			op, opStatus = d.lingering, "failing-over"
		}
	}
	if op != nil {
		failover = fmt.Sprintf("<FailoverState><Status>%s</Status><FromDbClusterArn>%s</FromDbClusterArn><ToDbClusterArn>%s</ToDbClusterArn><IsDataLossAllowed>%t</IsDataLossAllowed></FailoverState>",
			opStatus, d.clusterArn(op.from), d.clusterArn(op.to), op.dataLoss)
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
