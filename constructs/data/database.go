package data

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsdbsubnetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsrdscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsvpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dbsubnetgroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/rdscluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/rdsclusterinstance"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/rdsglobalcluster"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/securitygroup"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/names"
	dataspec "github.com/pilotlight/pilotlight/spec/data"
)

// Engine is the database engine of every cluster.
const Engine = "aurora-postgresql"

// DatabaseProps configures the Aurora PostgreSQL Global Database.
type DatabaseProps struct {
	// Mode is dataspec.DatabaseNew, DatabaseFromSnapshot or dataspec.DatabaseFromCluster.
	Mode string
	// SnapshotIdentifier (snapshot mode) is the snapshot to restore the
	// primary cluster from; SourceClusterArn (cluster mode) the existing
	// primary cluster, and MasterSecretName an existing secret holding its
	// master password, replicated to every failover region.
	SnapshotIdentifier string
	SourceClusterArn   string
	MasterSecretName   string
	// EngineVersion is one of dataspec.GlobalDatabaseVersions (MAJOR.MINOR);
	// InstanceClass one of dataspec.GlobalDatabaseInstanceClasses. See
	// AcceptUnlisted for a value AWS released after those lists.
	EngineVersion string
	InstanceClass string
	// AcceptUnlisted accepts an EngineVersion or InstanceClass that is
	// well-formed but not on its list (AWS released it after the list was
	// refreshed), as aws-cdk's AuroraPostgresEngineVersion.of() does: the
	// version must still be MAJOR.MINOR of a listed or newer major, the
	// class db.FAMILY.SIZE of a memory-optimized family, large or bigger
	// (dataspec.ValidateDatabaseEngineVersion and
	// ValidateDatabaseInstanceClass). Each such value is reported by
	// Warnings and, by NewReplicatedData, as a warning annotation on the
	// primary scope (cdktf synth lists it), naming the list to refresh.
	// Without it an unlisted value is refused with an error saying to set
	// it.
	AcceptUnlisted bool
	// Readers is how many readers the primary cluster runs beside its writer.
	Readers int
	// SecondaryInstances is how many instances each failover cluster runs: 0
	// makes it headless (storage only, cheapest; an instance must be added
	// before it can be promoted), 1 or more keeps it ready to promote.
	SecondaryInstances  int
	DatabaseName        string
	MasterUsername      string
	BackupRetentionDays int
	Port                int
}

// WithDefaults returns p with every zero field that has a default set to
// it (Mode: dataspec.DatabaseNew).
func (p DatabaseProps) WithDefaults() DatabaseProps {
	set := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	set(&p.Mode, dataspec.DatabaseNew)
	set(&p.EngineVersion, dataspec.DefaultDatabaseEngineVersion)
	set(&p.InstanceClass, dataspec.DefaultDatabaseInstanceClass)
	set(&p.DatabaseName, dataspec.DefaultDatabaseName)
	set(&p.MasterUsername, dataspec.DefaultMasterUsername)
	if p.BackupRetentionDays == 0 {
		p.BackupRetentionDays = dataspec.DefaultBackupRetentionDays
	}
	if p.Port == 0 {
		p.Port = dataspec.DefaultDatabasePort
	}
	return p
}

// hatch is how a library user opens the escape hatch of an unlisted value.
const hatch = "set AcceptUnlisted: true on the props to accept it with a warning"

// listCheck is a field checked against one of dataspec's lists.
type listCheck struct {
	field string
	err   error // the list validator's verdict on the field's value
}

func (p DatabaseProps) listChecks() []listCheck {
	p = p.WithDefaults()
	return []listCheck{
		{"EngineVersion", dataspec.ValidateDatabaseEngineVersion(p.EngineVersion)},
		{"InstanceClass", dataspec.ValidateDatabaseInstanceClass(p.InstanceClass)},
	}
}

// Warnings returns a line for each value AcceptUnlisted let through that
// is not on its list, naming the field, the list to refresh, its source and
// the AWS CLI command that prints what AWS offers; none when every value is
// listed, or when p does not validate.
func (p DatabaseProps) Warnings() []string { return warnings(p.listChecks(), p.AcceptUnlisted) }

func warnings(checks []listCheck, accept bool) []string {
	var out []string
	for _, l := range checks {
		if w, err := dataspec.AcceptUnlisted(l.err, accept, hatch); err == nil && w != "" {
			out = append(out, l.field+": "+w)
		}
	}
	return out
}

// Validate returns every problem in p at once.
func (p DatabaseProps) Validate() error {
	p = p.WithDefaults()
	var errs []error
	switch p.Mode {
	case dataspec.DatabaseNew:
	case dataspec.DatabaseFromSnapshot:
		if p.SnapshotIdentifier == "" {
			errs = append(errs, errors.New("SnapshotIdentifier: required in snapshot mode"))
		}
	case dataspec.DatabaseFromCluster:
		if !strings.HasPrefix(p.SourceClusterArn, "arn:") || !strings.Contains(p.SourceClusterArn, ":rds:") || !strings.Contains(p.SourceClusterArn, ":cluster:") {
			errs = append(errs, fmt.Errorf("SourceClusterArn %q: give the existing primary cluster's ARN (arn:aws:rds:REGION:ACCOUNT:cluster:NAME)", p.SourceClusterArn))
		}
		if p.MasterSecretName == "" {
			errs = append(errs, errors.New("MasterSecretName: required in cluster mode, naming the secret that holds the existing cluster's master password in every region"))
		}
	default:
		errs = append(errs, fmt.Errorf("Mode %q: use %s, %s or %s", p.Mode, dataspec.DatabaseNew, dataspec.DatabaseFromSnapshot, dataspec.DatabaseFromCluster))
	}
	for _, l := range p.listChecks() {
		if _, err := dataspec.AcceptUnlisted(l.err, p.AcceptUnlisted, hatch); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.field, err))
		}
	}
	if err := dataspec.ValidateReaders(p.Readers); err != nil {
		errs = append(errs, fmt.Errorf("Readers %w", err))
	}
	if err := dataspec.ValidateSecondaryInstances(p.SecondaryInstances); err != nil {
		errs = append(errs, fmt.Errorf("SecondaryInstances %w", err))
	}
	if err := dataspec.ValidateDatabaseName(p.DatabaseName); err != nil {
		errs = append(errs, fmt.Errorf("DatabaseName: %w", err))
	}
	if err := dataspec.ValidateMasterUsername(p.MasterUsername); err != nil {
		errs = append(errs, fmt.Errorf("MasterUsername: %w", err))
	}
	if err := dataspec.ValidateBackupRetentionDays(p.BackupRetentionDays); err != nil {
		errs = append(errs, fmt.Errorf("BackupRetentionDays %w", err))
	}
	if err := dataspec.ValidateDatabasePort(p.Port); err != nil {
		errs = append(errs, fmt.Errorf("Port: %w", err))
	}
	return errors.Join(errs...)
}

// GlobalDatabase is an Aurora PostgreSQL Global Database: the global cluster
// and primary cluster in the primary region, a secondary cluster in each
// failover region.
type GlobalDatabase struct {
	// GlobalClusterID is the global cluster's identifier.
	GlobalClusterID *string
	// Clusters are the regional clusters by region (the primary's is nil in
	// cluster mode, where it is managed elsewhere).
	Clusters map[string]*ClusterEndpoints
}

// ClusterEndpoints is one region's cluster as its clients see it.
type ClusterEndpoints struct {
	Identifier     *string
	Endpoint       *string
	ReaderEndpoint *string
	// Port is the port the cluster listens on: DatabaseProps.Port for the
	// clusters made here; for an existing primary cluster (cluster mode),
	// its own port, read from it at plan (a token).
	Port *float64
	// SecurityGroup is the cluster's security group when this construct
	// made it, which AllowClients opens to the clients. Nil for an
	// existing primary cluster, whose groups belong to its owner.
	SecurityGroup *string
	// Network is set for an existing primary cluster instead: the CIDR
	// blocks of its VPC, the clients' way out to it.
	Network *ClusterNetwork
}

// ClusterNetwork is the VPC of an existing cluster, as its clients' egress
// rules need it.
type ClusterNetwork struct {
	// VpcID is the cluster's VPC.
	VpcID *string
	// Cidrs iterates over the VPC's IPv4 CIDR blocks (its primary and any
	// secondary ones: a cluster's subnets may be in either), keyed by CIDR.
	Cidrs cdktf.DynamicListTerraformIterator
}

// existingClusterNetwork reads, at plan and in the primary region only,
// the VPC an existing cluster is in: its DB subnet group names the VPC
// (RDS API Reference, DBSubnetGroup: VpcId), and the VPC lists its CIDR
// blocks (EC2 API Reference, Vpc: CidrBlockAssociationSet).
func existingClusterNetwork(scope constructs.Construct, s Site, existing dataawsrdscluster.DataAwsRdsCluster) *ClusterNetwork {
	subnets := dataawsdbsubnetgroup.NewDataAwsDbSubnetGroup(scope, jsii.String("existing-subnets"), &dataawsdbsubnetgroup.DataAwsDbSubnetGroupConfig{
		Provider: s.Env.Provider,
		Name:     existing.DbSubnetGroupName(),
	})
	vpc := dataawsvpc.NewDataAwsVpc(scope, jsii.String("existing-vpc"), &dataawsvpc.DataAwsVpcConfig{
		Provider: s.Env.Provider,
		Id:       subnets.VpcId(),
	})
	return &ClusterNetwork{VpcID: subnets.VpcId(), Cidrs: cdktf.TerraformIterator_FromComplexList(vpc.CidrBlockAssociations(), jsii.String("cidr_block"))}
}

// dbLifecycle protects a member cluster: it cannot be destroyed by a plan,
// and the attributes AWS changes on its own are not fought over.
// replication_source_identifier appears on whichever cluster is secondary and
// moves on switchover/failover (a diff removing it would promote the cluster
// to standalone); engine_version only creates the cluster: upgrades are
// made on the clusters by hand, and a config that asks for another version
// than the global cluster runs is refused at plan (upgrades.go).
func dbLifecycle(extra ...string) *cdktf.TerraformResourceLifecycle {
	ignore := []*string{jsii.String("replication_source_identifier"), jsii.String("engine_version")}
	for _, e := range extra {
		ignore = append(ignore, jsii.String(e))
	}
	return &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true), IgnoreChanges: &ignore}
}

// dataSite is a data service's footing in one region: its subnet group
// and its security group, which admits only the clients AllowClients names.
type dataSite struct {
	subnetGroup *string
	sg          *string
}

// newDataSecurityGroup adds the security group of a data service; it has
// no rules until AllowClients adds them.
func newDataSecurityGroup(scope constructs.Construct, s Site, name, description string) *string {
	return securitygroup.NewSecurityGroup(scope, jsii.String("sg"), &securitygroup.SecurityGroupConfig{
		Provider:    s.Env.Provider,
		Name:        jsii.String(name),
		Description: jsii.String(description),
		VpcId:       s.VpcID,
		Tags:        &map[string]*string{"Name": jsii.String(name)},
	}).Id()
}

func newDatabaseSite(scope constructs.Construct, s Site, prefix string, port int) dataSite {
	subnets := dbsubnetgroup.NewDbSubnetGroup(scope, jsii.String("subnets"), &dbsubnetgroup.DbSubnetGroupConfig{
		Provider:    s.Env.Provider,
		Name:        jsii.String(prefix + "-db"),
		Description: jsii.String("Aurora: private subnets"),
		SubnetIds:   &s.SubnetIDs,
	})
	sg := newDataSecurityGroup(scope, s, prefix+"-db", fmt.Sprintf("Aurora: PostgreSQL %d from the app's tasks only", port))
	return dataSite{subnetGroup: subnets.Name(), sg: sg}
}

// clusterCommon is what every member cluster sets, primary or secondary.
func clusterCommon(s Site, site dataSite, id string, p DatabaseProps) *rdscluster.RdsClusterConfig {
	return &rdscluster.RdsClusterConfig{
		Provider:                         s.Env.Provider,
		ClusterIdentifier:                jsii.String(id),
		Engine:                           jsii.String(Engine),
		EngineVersion:                    jsii.String(p.EngineVersion),
		DbSubnetGroupName:                site.subnetGroup,
		VpcSecurityGroupIds:              &[]*string{site.sg},
		Port:                             jsii.Number(p.Port),
		StorageEncrypted:                 jsii.Bool(true),
		KmsKeyId:                         s.KmsKeyArn,
		BackupRetentionPeriod:            jsii.Number(p.BackupRetentionDays),
		PreferredBackupWindow:            jsii.String("03:00-04:00"),
		PreferredMaintenanceWindow:       jsii.String("sun:05:00-sun:06:00"),
		CopyTagsToSnapshot:               jsii.Bool(true),
		DeletionProtection:               jsii.Bool(true),
		SkipFinalSnapshot:                jsii.Bool(false),
		FinalSnapshotIdentifier:          jsii.String(id + "-final"),
		IamDatabaseAuthenticationEnabled: jsii.Bool(true),
		EnabledCloudwatchLogsExports:     jsii.Strings("postgresql"),
	}
}

func newInstances(scope constructs.Construct, s Site, cluster rdscluster.RdsCluster, site dataSite, id string, count int, p DatabaseProps) []rdsclusterinstance.RdsClusterInstance {
	var out []rdsclusterinstance.RdsClusterInstance
	for i := 0; i < count; i++ {
		out = append(out, rdsclusterinstance.NewRdsClusterInstance(scope, jsii.String(fmt.Sprintf("instance-%d", i)), &rdsclusterinstance.RdsClusterInstanceConfig{
			Provider:                    s.Env.Provider,
			Identifier:                  jsii.String(fmt.Sprintf("%s-%d", id, i)),
			ClusterIdentifier:           cluster.Id(),
			Engine:                      jsii.String(Engine),
			InstanceClass:               jsii.String(p.InstanceClass),
			DbSubnetGroupName:           site.subnetGroup,
			PubliclyAccessible:          jsii.Bool(false),
			PerformanceInsightsEnabled:  jsii.Bool(true),
			PerformanceInsightsKmsKeyId: s.KmsKeyArn,
			CaCertIdentifier:            jsii.String("rds-ca-rsa2048-g1"),
			// Lower tiers are promoted first when the writer fails. No
			// engine_version: instances run their cluster's, which the
			// global cluster upgrades (an ignored one would be a value no
			// change of config reaches).
			PromotionTier: jsii.Number(i),
		}))
	}
	return out
}

// newGlobalDatabase builds the database pairs. prefix names every resource.
func newGlobalDatabase(props ReplicatedDataProps, password *string) *GlobalDatabase {
	p := props.Database
	primary := props.Primary
	pc := constructs.NewConstruct(primary.Scope, jsii.String("database"))
	// In cluster mode the primary cluster keeps its own subnet group and
	// security groups: a group made here would be attached to nothing.
	var psite dataSite
	if p.Mode != dataspec.DatabaseFromCluster {
		psite = newDatabaseSite(pc, primary, props.Prefix, p.Port)
	}
	pid := names.RegionalData(props.Prefix, primary.Env.Region)
	out := &GlobalDatabase{Clusters: map[string]*ClusterEndpoints{}}

	// The global cluster refuses, at plan, a config whose engine version
	// is not the one it runs (upgrades.go): upgrades are made by hand, as
	// the Aurora User Guide says, and the config then follows.
	globalID := names.GlobalDatabase(props.Prefix)
	primaryID := pid
	if p.Mode == dataspec.DatabaseFromCluster {
		primaryID = existingClusterID(p.SourceClusterArn)
	}
	var secondaries []clusterRef
	for _, f := range props.Failovers {
		secondaries = append(secondaries, clusterRef{names.RegionalData(props.Prefix, f.Env.Region), f.Env.Region})
	}
	versionCheck := engineVersionCheck(p.EngineVersion, globalID, clusterRef{primaryID, primary.Env.Region}, secondaries)

	var global rdsglobalcluster.RdsGlobalCluster
	switch p.Mode {
	case dataspec.DatabaseNew:
		global = rdsglobalcluster.NewRdsGlobalCluster(pc, jsii.String("global"), &rdsglobalcluster.RdsGlobalClusterConfig{
			Provider:                primary.Env.Provider,
			GlobalClusterIdentifier: jsii.String(globalID),
			Engine:                  jsii.String(Engine),
			EngineVersion:           jsii.String(p.EngineVersion),
			DatabaseName:            jsii.String(p.DatabaseName),
			StorageEncrypted:        jsii.Bool(true),
			DeletionProtection:      jsii.Bool(true),
			// engine_version creates the global cluster; a later change is
			// refused by the postcondition, not applied (upgrades.go).
			Lifecycle: &cdktf.TerraformResourceLifecycle{
				PreventDestroy: jsii.Bool(true),
				IgnoreChanges:  &[]*string{jsii.String("engine_version")},
				Postcondition:  &[]*cdktf.Postcondition{versionCheck},
			},
		})
		cfg := clusterCommon(primary, psite, pid, p)
		cfg.GlobalClusterIdentifier = global.Id()
		cfg.DatabaseName = jsii.String(p.DatabaseName)
		cfg.MasterUsername = jsii.String(p.MasterUsername)
		cfg.MasterPassword = password
		cfg.Lifecycle = dbLifecycle("master_password")
		cluster := rdscluster.NewRdsCluster(pc, jsii.String("cluster"), cfg)
		newInstances(pc, primary, cluster, psite, pid, 1+p.Readers, p)
		out.Clusters[primary.Env.Region] = &ClusterEndpoints{Identifier: cluster.ClusterIdentifier(), Endpoint: cluster.Endpoint(), ReaderEndpoint: cluster.ReaderEndpoint(), Port: jsii.Number(p.Port), SecurityGroup: psite.sg}
	case dataspec.DatabaseFromSnapshot:
		cfg := clusterCommon(primary, psite, pid, p)
		// A cluster restored from a snapshot cannot join a global cluster in
		// the same call: restore it standalone, then build the global
		// cluster from it (provider docs, "Global Cluster Restored From
		// Snapshot").
		cfg.SnapshotIdentifier = jsii.String(p.SnapshotIdentifier)
		cfg.MasterPassword = password
		cfg.Lifecycle = dbLifecycle("master_password", "snapshot_identifier", "global_cluster_identifier")
		cluster := rdscluster.NewRdsCluster(pc, jsii.String("cluster"), cfg)
		writer := newInstances(pc, primary, cluster, psite, pid, 1+p.Readers, p)
		global = globalFromSource(pc, primary, globalID, cluster.Arn(), writer, versionCheck)
		out.Clusters[primary.Env.Region] = &ClusterEndpoints{Identifier: cluster.ClusterIdentifier(), Endpoint: cluster.Endpoint(), ReaderEndpoint: cluster.ReaderEndpoint(), Port: jsii.Number(p.Port), SecurityGroup: psite.sg}
	case dataspec.DatabaseFromCluster:
		global = globalFromSource(pc, primary, globalID, jsii.String(p.SourceClusterArn), nil, versionCheck)
		existing := dataawsrdscluster.NewDataAwsRdsCluster(pc, jsii.String("existing"), &dataawsrdscluster.DataAwsRdsClusterConfig{
			Provider:          primary.Env.Provider,
			ClusterIdentifier: jsii.String(primaryID),
			Lifecycle:         &cdktf.TerraformResourceLifecycle{Postcondition: &[]*cdktf.Postcondition{existingClusterCheck(p.EngineVersion, primaryID)}},
		})
		out.Clusters[primary.Env.Region] = &ClusterEndpoints{Identifier: existing.ClusterIdentifier(), Endpoint: existing.Endpoint(), ReaderEndpoint: existing.ReaderEndpoint(), Port: existing.Port(), Network: existingClusterNetwork(pc, primary, existing)}
	}
	out.GlobalClusterID = global.Id()

	for _, f := range props.Failovers {
		fc := constructs.NewConstruct(f.Scope, jsii.String("database"))
		fsite := newDatabaseSite(fc, f, props.Prefix, p.Port)
		fid := names.RegionalData(props.Prefix, f.Env.Region)
		cfg := clusterCommon(f, fsite, fid, p)
		// A secondary takes its data, database name and master user from the
		// global cluster: it sets no master_username, master_password or
		// database_name. Its storage is encrypted with its own region's key.
		// It is created after the primary's writer instance: the failover
		// stack deploys after the primary stack, which holds the writer.
		cfg.GlobalClusterIdentifier = global.Id()
		cfg.Lifecycle = dbLifecycle()
		cluster := rdscluster.NewRdsCluster(fc, jsii.String("cluster"), cfg)
		newInstances(fc, f, cluster, fsite, fid, p.SecondaryInstances, p)
		out.Clusters[f.Env.Region] = &ClusterEndpoints{Identifier: cluster.ClusterIdentifier(), Endpoint: cluster.Endpoint(), ReaderEndpoint: cluster.ReaderEndpoint(), Port: jsii.Number(p.Port), SecurityGroup: fsite.sg}
	}
	return out
}

// existingClusterID is the identifier in an existing cluster's ARN.
func existingClusterID(arn string) string { return arn[strings.LastIndex(arn, ":")+1:] }

// globalFromSource builds the global cluster from an existing cluster. The
// global cluster then takes engine, version, database name and encryption
// from it, and must set none of them; force_destroy is required in this mode.
func globalFromSource(scope constructs.Construct, s Site, id string, sourceArn *string, after []rdsclusterinstance.RdsClusterInstance, versionCheck *cdktf.Postcondition) rdsglobalcluster.RdsGlobalCluster {
	var deps []cdktf.ITerraformDependable
	for _, i := range after {
		deps = append(deps, i)
	}
	cfg := &rdsglobalcluster.RdsGlobalClusterConfig{
		Provider:                  s.Env.Provider,
		GlobalClusterIdentifier:   jsii.String(id),
		SourceDbClusterIdentifier: sourceArn,
		ForceDestroy:              jsii.Bool(true),
		DeletionProtection:        jsii.Bool(true),
		// AWS has no API to read the source back. The version it runs is
		// the source's, checked against the config (upgrades.go).
		Lifecycle: &cdktf.TerraformResourceLifecycle{
			PreventDestroy: jsii.Bool(true),
			IgnoreChanges:  &[]*string{jsii.String("source_db_cluster_identifier")},
			Postcondition:  &[]*cdktf.Postcondition{versionCheck},
		},
	}
	if len(deps) > 0 {
		cfg.DependsOn = &deps
	}
	return rdsglobalcluster.NewRdsGlobalCluster(scope, jsii.String("global"), cfg)
}
