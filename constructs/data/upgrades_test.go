package data_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/data"
	"github.com/pilotlight/pilotlight/internal/synthtest"
	dataspec "github.com/pilotlight/pilotlight/spec/data"
)

// postcondition is the first postcondition of r: its condition and error
// message.
func postcondition(t *testing.T, r synthtest.Object) (string, string) {
	t.Helper()
	cond, _ := synthtest.Get(r, "lifecycle.postcondition.0.condition").(string)
	msg, _ := synthtest.Get(r, "lifecycle.postcondition.0.error_message").(string)
	if cond == "" || msg == "" {
		t.Fatalf("no postcondition on %v", r["lifecycle"])
	}
	return cond, msg
}

// Issue 16 class 12a: the pinned provider cannot change a global
// database's engine version, so in every mode the global cluster is never
// asked to (new mode ignores engine_version; the others never set it) and
// a postcondition refuses a config whose version is not the one running,
// with the upgrade AWS documents. The plan test
// (internal/tfplan TestEngineVersionChangeIsRefusedAtPlan) shows Terraform
// evaluating it.
func TestEngineVersionChangeIsRefusedNotApplied(t *testing.T) {
	for _, mode := range []string{dataspec.DatabaseNew, dataspec.DatabaseFromSnapshot, dataspec.DatabaseFromCluster} {
		t.Run(mode, func(t *testing.T) {
			w := build(t, func(p *data.ReplicatedDataProps) {
				p.Database.Mode = mode
				p.Database.EngineVersion = "16.6"
				p.Database.SnapshotIdentifier, p.Database.SourceClusterArn, p.Database.MasterSecretName = "", "", ""
				switch mode {
				case dataspec.DatabaseFromSnapshot:
					p.Database.SnapshotIdentifier = "before"
				case dataspec.DatabaseFromCluster:
					p.Database.SourceClusterArn = "arn:aws:rds:us-east-1:123456789012:cluster:legacy"
					p.Database.MasterSecretName = "legacy/master"
					p.Database.Readers = 0
				}
			})
			g := w.primary.Resource(t, "aws_rds_global_cluster")
			if g["engine_version"] != nil && !slices.Contains(ignored(g), "engine_version") {
				t.Errorf("the global cluster would apply an engine_version change: %v", g["lifecycle"])
			}
			cond, msg := postcondition(t, g)
			if cond != `${self.engine_version == "16.6"}` {
				t.Errorf("condition = %s", cond)
			}
			primary := "app-dev-us-east-1"
			if mode == dataspec.DatabaseFromCluster {
				primary = "legacy"
			}
			for _, want := range []string{
				"database.engineVersion", "is 16.6", "runs ${self.engine_version}", "was not applied",
				// Minor: secondaries first, then the primary, each in its region.
				"--db-cluster-identifier app-dev-us-west-2 --engine-version 16.6 --apply-immediately --region us-west-2; then aws rds modify-db-cluster --db-cluster-identifier " + primary + " --engine-version 16.6 --apply-immediately --region us-east-1",
				// Major: on the global cluster.
				"modify-global-cluster --global-cluster-identifier app-dev --engine-version 16.6 --allow-major-version-upgrade --region us-east-1",
				"Upgrading an Amazon Aurora global database", "#45398",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q:\n%s", want, msg)
				}
			}
			// The secondary's version only creates it: the same version as the
			// global cluster's, by the check above.
			if s := w.failover.Resource(t, "aws_rds_cluster"); s["engine_version"] != "16.6" || !slices.Contains(ignored(s), "engine_version") {
				t.Errorf("secondary engine_version %v, lifecycle %v", s["engine_version"], s["lifecycle"])
			}
			if w.failover.Resource(t, "aws_rds_cluster")["lifecycle"].(map[string]any)["postcondition"] != nil {
				t.Error("a failover stack must plan whatever the config's version says (the DR rule): no check there")
			}
		})
	}
}

// Issue 16 class 13: in cluster mode the primary cluster is someone else's.
// No security group or subnet group is made for it (one would be attached
// to nothing), the tasks get the cluster's own port, and the tasks' side is
// opened: egress to every CIDR block of the cluster's VPC on that port,
// read at plan in the primary region. The failover region is unchanged.
func TestExistingClusterGetsItsOwnPortAndNoUnusedGroups(t *testing.T) {
	w := build(t, func(p *data.ReplicatedDataProps) {
		p.Database.Mode = dataspec.DatabaseFromCluster
		p.Database.SourceClusterArn = "arn:aws:rds:us-east-1:123456789012:cluster:legacy"
		p.Database.MasterSecretName = "legacy/master"
		p.Database.Readers = 0
		p.Database.Port = 5432
	})
	if n := len(w.primary.Resources("aws_db_subnet_group")); n != 0 {
		t.Errorf("%d DB subnet groups in the primary stack; the existing cluster keeps its own", n)
	}
	for name, sg := range w.primary.Resources("aws_security_group") {
		if strings.HasSuffix(sg["name"].(string), "-db") {
			t.Errorf("security group %s (%s) is made for a cluster it is never attached to", name, sg["name"])
		}
	}
	existing := w.primary.DataSources("aws_rds_cluster")
	if len(existing) != 1 {
		t.Fatalf("%d aws_rds_cluster data sources", len(existing))
	}
	var clusterAddr string
	for name, c := range existing {
		clusterAddr = "data.aws_rds_cluster." + name
		if c["cluster_identifier"] != "legacy" {
			t.Errorf("reads cluster %v", c["cluster_identifier"])
		}
		cond, msg := postcondition(t, c)
		if cond != `${self.engine_version == "16.4"}` || !strings.Contains(msg, "database.engineVersion") || !strings.Contains(msg, "set database.engineVersion to ${self.engine_version}") {
			t.Errorf("existing cluster check = %s / %s", cond, msg)
		}
	}
	e := w.data.Regions["us-east-1"]
	if e.DatabaseNetwork == nil {
		t.Fatal("DatabaseNetwork not set for the existing cluster")
	}
	// The port reaches the task as a token for the data source's port
	// (stacks' TestClusterModeTasksUseTheExistingClusterPort shows it
	// resolved in the task definition).
	if port := e.Environment()["DATABASE_PORT"]; !*cdktf.Token_IsUnresolved(port) {
		t.Errorf("DATABASE_PORT = %s, want the existing cluster's port, read at plan", *port)
	}
	var egress []synthtest.Object
	for _, r := range w.primary.Resources("aws_vpc_security_group_egress_rule") {
		if r["description"] == "To the existing database cluster's VPC" {
			egress = append(egress, r)
		}
	}
	if len(egress) != 1 {
		t.Fatalf("%d egress rules to the existing cluster's VPC, want 1", len(egress))
	}
	out := egress[0]
	if !strings.Contains(out["for_each"].(string), "data.aws_vpc.") || !strings.Contains(out["for_each"].(string), "cidr_block_associations") ||
		out["cidr_ipv4"] != "${each.value.cidr_block}" || out["security_group_id"] != "sg-tasks" ||
		!strings.Contains(out["from_port"].(string), clusterAddr+".port") || out["from_port"] != out["to_port"] {
		t.Errorf("egress to the cluster = %v", out)
	}
	if n := len(w.primary.Resources("aws_vpc_security_group_ingress_rule")); n != 1 {
		t.Errorf("%d ingress rules in the primary stack, want the cache's only (the cluster's groups are its owner's)", n)
	}
	for _, v := range w.primary.DataSources("aws_vpc") {
		if !strings.Contains(v["id"].(string), "data.aws_db_subnet_group.") {
			t.Errorf("the VPC is read from the cluster's subnet group, got id %v", v["id"])
		}
	}
	for _, g := range w.primary.DataSources("aws_db_subnet_group") {
		if !strings.Contains(g["name"].(string), clusterAddr+".db_subnet_group_name") {
			t.Errorf("subnet group name %v", g["name"])
		}
	}
	// The failover region: its own cluster, group and port, as before; and
	// nothing read from the primary region (the DR rule).
	if n := len(w.failover.Resources("aws_db_subnet_group")); n != 1 {
		t.Errorf("failover DB subnet groups = %d", n)
	}
	if got := *w.data.Regions["us-west-2"].Environment()["DATABASE_PORT"]; got != "5432" {
		t.Errorf("failover DATABASE_PORT = %s", got)
	}
	if n := len(w.failover.DataSources("aws_rds_cluster")) + len(w.failover.DataSources("aws_vpc")) + len(w.failover.DataSources("aws_db_subnet_group")); n != 0 {
		t.Errorf("the failover stack reads %d cluster or network data sources", n)
	}
}
