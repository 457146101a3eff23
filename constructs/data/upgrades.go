package data

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// Engine version changes of a deployed Aurora global database are refused
// at plan, never applied by Terraform and never dropped in silence.
//
// Why not applied: with the pinned AWS provider (5.84), an engine_version
// change on aws_rds_global_cluster first calls ModifyGlobalCluster as a
// major upgrade and falls back to a minor upgrade only when AWS answers
// "only supports Major Version Upgrades". AWS now answers a minor upgrade
// with "ModifyGlobalCluster doesn't support minor version upgrades for
// Aurora global databases", which 5.84 takes for a retryable error, so the
// apply retries until the 90-minute update timeout and fails
// (terraform-provider-aws #45398; fixed by PR #45605, in a provider newer
// than the pin). Where the fallback did run, it upgraded the primary before
// the secondaries, which AWS refuses with "global replica(s) are running
// lower version" (#29487, #30358, #36107).
//
// What AWS documents instead (Aurora User Guide, "Upgrading an Amazon
// Aurora global database"): a major upgrade is made on the global cluster
// ("Major version upgrades"); a minor upgrade on each member cluster, every
// secondary cluster before the primary ("Minor version upgrades"). The same
// page: a managed cross-Region failover needs the primary and secondary
// clusters at the same engine version, so a global database is not left
// half upgraded.
//
// So the global cluster ignores engine_version (member clusters already
// do, as the provider docs ask), and a postcondition on it compares the
// version it runs with the configured one: a plan whose config asks for
// another version stops, saying which version runs and the commands that
// upgrade it. Once the clusters run the new version, the same config plans
// clean. A failover stack has no such check: it must plan during a
// disaster whatever the config's version says (the DR rule), and its
// cluster's version is the global cluster's.

// engineVersionCheck is the postcondition of the global cluster. global is
// its identifier; primary the primary cluster's identifier and region,
// secondaries the failover clusters' identifiers by region.
func engineVersionCheck(version, global string, primary clusterRef, secondaries []clusterRef) *cdktf.Postcondition {
	major, minor := splitVersion(version)
	var steps []string
	for _, s := range secondaries {
		steps = append(steps, fmt.Sprintf("aws rds modify-db-cluster --db-cluster-identifier %s --engine-version %s --apply-immediately --region %s", s.id, version, s.region))
	}
	steps = append(steps, fmt.Sprintf("then aws rds modify-db-cluster --db-cluster-identifier %s --engine-version %s --apply-immediately --region %s", primary.id, version, primary.region))
	minorText := fmt.Sprintf("A minor upgrade is made on each member cluster, every secondary cluster before the primary (Aurora User Guide, Upgrading an Amazon Aurora global database, Minor version upgrades): %s; then plan again.", strings.Join(steps, "; "))
	majorText := fmt.Sprintf("A major upgrade is made on the global cluster (Aurora User Guide, Upgrading an Amazon Aurora global database, Major version upgrades): aws rds modify-global-cluster --global-cluster-identifier %s --engine-version %s --allow-major-version-upgrade --region %s; then plan again.", global, version, primary.region)
	lowerText := "AWS does not downgrade an engine version in place."
	running := `self.engine_version`
	runningMajor := `try(tonumber(split(".", self.engine_version)[0]), -1)`
	runningMinor := `try(tonumber(split(".", self.engine_version)[1]), -1)`
	which := fmt.Sprintf(`${(%[1]s > %[3]d || (%[1]s == %[3]d && %[2]s > %[4]d)) ? %[5]q : (%[1]s == %[3]d ? %[6]q : %[7]q)}`,
		runningMajor, runningMinor, major, minor, lowerText, minorText, majorText)
	return &cdktf.Postcondition{
		Condition: jsii.String(fmt.Sprintf(`${%s == %q}`, running, version)),
		ErrorMessage: jsii.String(fmt.Sprintf("EngineVersion (database.engineVersion in a pilotlight config) is %s, but the Aurora global database %s runs ${%s}. "+
			"The change was not applied and nothing else is planned until config and database agree: "+
			"the pinned AWS provider (5.84) cannot change the engine version of a global database (terraform-provider-aws #45398, #30358, #36107; fixed by PR #45605 in a later provider). "+
			"%s To keep the running version instead, set database.engineVersion to ${%s}.",
			version, global, running, which, running)),
	}
}

// existingClusterCheck is the postcondition of the data source that reads
// an existing primary cluster (cluster mode): the global cluster built
// from it runs its version, and the secondaries are created at the
// configured one, so the two must agree before anything is created.
func existingClusterCheck(version, cluster string) *cdktf.Postcondition {
	return &cdktf.Postcondition{
		Condition: jsii.String(fmt.Sprintf(`${self.engine_version == %q}`, version)),
		ErrorMessage: jsii.String(fmt.Sprintf("EngineVersion (database.engineVersion in a pilotlight config) is %s, but the existing cluster %s (SourceClusterArn; database.sourceClusterArn) runs ${self.engine_version}: "+
			"set database.engineVersion to ${self.engine_version}. The global database is built from that cluster at its version, and the secondary clusters are created at the configured one; "+
			"members at different versions cannot fail over or switch over (Aurora User Guide, Upgrading an Amazon Aurora global database).", version, cluster)),
	}
}

// clusterRef is a member cluster: identifier and region.
type clusterRef struct{ id, region string }

// splitVersion splits an Aurora PostgreSQL version (MAJOR.MINOR, as
// ValidateDatabaseEngineVersion accepts) into its numbers.
func splitVersion(version string) (int, int) {
	a, b, _ := strings.Cut(version, ".")
	major, _ := strconv.Atoi(a)
	minor, _ := strconv.Atoi(b)
	return major, minor
}
