package data

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketreplicationconfiguration"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/storage"
	dataspec "github.com/pilotlight/pilotlight/spec/data"
	storagespec "github.com/pilotlight/pilotlight/spec/storage"
)

// BucketProps configures one replicated bucket: a bucket in every region,
// replicated from the primary region's to each failover region's.
type BucketProps struct {
	// Name is the bucket's logical name, such as "data"; it names the
	// construct and the task's environment variable.
	Name string
	// BucketNames maps each region to its bucket's name.
	BucketNames map[string]string
	// DeleteMarkerReplication replicates deletes (as delete markers). Off,
	// a delete in the primary leaves the failover copy intact, which
	// protects it from mistakes and malicious deletes.
	DeleteMarkerReplication bool
	// ReplicationTimeControl asks S3 to replicate 99.99% of objects within 15
	// minutes (an SLA, billed extra) and turns on replication metrics.
	ReplicationTimeControl bool
	// ReverseReplication also replicates each failover bucket back to the
	// primary's, so writes made while failed over are there when failing back.
	ReverseReplication bool
	// NoncurrentVersionDays is how long replaced and deleted versions are kept.
	NoncurrentVersionDays int
}

// Validate returns every problem in p at once; regions are the app's regions.
func (p BucketProps) Validate(regions []string) error {
	var errs []error
	if err := dataspec.ValidateBucketLogicalName(p.Name); err != nil {
		errs = append(errs, fmt.Errorf("Name: %w", err))
	}
	for _, r := range regions {
		name, ok := p.BucketNames[r]
		if !ok {
			errs = append(errs, fmt.Errorf("BucketNames: no name for %s", r))
			continue
		}
		if err := storagespec.ValidateBucketName(name); err != nil {
			errs = append(errs, fmt.Errorf("BucketNames[%s]: %w", r, err))
		}
	}
	if p.NoncurrentVersionDays < 1 {
		errs = append(errs, errors.New("NoncurrentVersionDays: at least 1"))
	}
	return errors.Join(errs...)
}

// Bucket is one region's bucket.
type Bucket struct {
	Name string
	// ID is the bucket's name as a reference, so a stack that uses it
	// depends on the stack that creates the bucket.
	ID  *string
	Arn *string
	// KmsKeyArn is the key its objects are encrypted with (the region's key).
	KmsKeyArn *string
	// versioning must exist before a replication configuration on the bucket.
	versioning cdktf.ITerraformDependable
}

// BucketPair is one replicated bucket across the regions.
type BucketPair struct {
	Name    string
	Buckets map[string]*Bucket
}

// newBucket adds a versioned, KMS-encrypted private bucket that logs its
// access and expires noncurrent versions.
func newBucket(scope constructs.Construct, s Site, name string, props BucketProps) (*Bucket, error) {
	b, err := storage.NewPrivateBucket(scope, storage.PrivateBucketProps{
		Env: s.Env, Name: name, KmsKeyArn: s.KmsKeyArn, Versioned: true, AccessLogBucket: s.AccessLogBucket,
		Lifecycle: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
			Id: jsii.String("expire-noncurrent-versions"),
			NoncurrentVersionExpiration: &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{
				NoncurrentDays: jsii.Number(props.NoncurrentVersionDays),
			},
		},
	})
	if err != nil {
		return nil, err
	}
	return &Bucket{Name: name, ID: b.ID, Arn: b.Arn, KmsKeyArn: s.KmsKeyArn, versioning: b.Versioning}, nil
}

// ReplicationRuleID is the id of the replication rule that copies a
// bucket into destinationRegion's bucket; S3 names the rule's metrics by it
// (the RuleId dimension).
func ReplicationRuleID(destinationRegion string) string { return "to-" + destinationRegion }

type destination struct {
	region string
	bucket *Bucket
}

// newReplication adds source's replication configuration, one rule per
// destination. Versioning must be on at both ends first: source's is a
// depends_on when in the same stack; otherwise, and for every destination,
// the stack order provides it.
func newReplication(scope constructs.Construct, s Site, source *Bucket, roleArn *string, dests []destination, props BucketProps, sameStack bool) {
	status := func(on bool) *string {
		if on {
			return jsii.String("Enabled")
		}
		return jsii.String("Disabled")
	}
	var rules []*s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRule
	for i, d := range dests {
		dest := &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestination{
			Bucket:       d.bucket.Arn,
			StorageClass: jsii.String("STANDARD"),
			// KMS-encrypted objects are re-encrypted with the destination
			// region's key; keys never leave their region.
			EncryptionConfiguration: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationEncryptionConfiguration{
				ReplicaKmsKeyId: d.bucket.KmsKeyArn,
			},
		}
		// Replication metrics on every rule: without them S3 publishes no
		// ReplicationLatency or OperationsFailedReplication, and the
		// regions' alarms on them would watch nothing ("Using S3 Replication
		// metrics": they can be enabled independently of RTC).
		dest.Metrics = &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationMetrics{Status: jsii.String("Enabled")}
		if props.ReplicationTimeControl {
			// Replication Time Control requires the metrics, with the
			// 15-minute event threshold (the only value the provider takes).
			dest.ReplicationTime = &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationReplicationTime{
				Status: jsii.String("Enabled"),
				Time:   &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationReplicationTimeTime{Minutes: jsii.Number(15)},
			}
			dest.Metrics.EventThreshold = &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDestinationMetricsEventThreshold{Minutes: jsii.Number(15)}
		}
		rules = append(rules, &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRule{
			Id:       jsii.String(ReplicationRuleID(d.region)),
			Priority: jsii.Number(i + 1),
			Status:   jsii.String("Enabled"),
			// An empty filter selects every object; with a filter, S3 requires
			// delete_marker_replication to be stated.
			Filter:                  &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleFilter{},
			DeleteMarkerReplication: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleDeleteMarkerReplication{Status: status(props.DeleteMarkerReplication)},
			SourceSelectionCriteria: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleSourceSelectionCriteria{
				// S3 replicates SSE-KMS objects only when asked to.
				SseKmsEncryptedObjects: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleSourceSelectionCriteriaSseKmsEncryptedObjects{Status: jsii.String("Enabled")},
				// With replication both ways, metadata changes on replicas flow back.
				ReplicaModifications: &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationRuleSourceSelectionCriteriaReplicaModifications{Status: status(props.ReverseReplication)},
			},
			Destination: dest,
		})
	}
	cfg := &s3bucketreplicationconfiguration.S3BucketReplicationConfigurationAConfig{
		Provider: s.Env.Provider,
		Bucket:   source.ID,
		Role:     roleArn,
		Rule:     rules,
	}
	if sameStack {
		cfg.DependsOn = &[]cdktf.ITerraformDependable{source.versioning}
	}
	s3bucketreplicationconfiguration.NewS3BucketReplicationConfigurationA(scope, jsii.String("replication"), cfg)
}

// newBucketPairs builds every bucket pair: buckets in each region, forward
// replication in the links scope (deployed after the failover regions, whose
// buckets must exist first), reverse replication in each failover scope.
func newBucketPairs(props ReplicatedDataProps) ([]*BucketPair, error) {
	var out []*BucketPair
	for _, bp := range props.Buckets {
		pair := &BucketPair{Name: bp.Name, Buckets: map[string]*Bucket{}}
		primary, err := newBucket(constructs.NewConstruct(props.Primary.Scope, jsii.String("bucket-"+bp.Name)), props.Primary, bp.BucketNames[props.Primary.Env.Region], bp)
		if err != nil {
			return nil, err
		}
		pair.Buckets[props.Primary.Env.Region] = primary
		var dests []destination
		for _, f := range props.Failovers {
			scope := constructs.NewConstruct(f.Scope, jsii.String("bucket-"+bp.Name))
			replica, err := newBucket(scope, f, bp.BucketNames[f.Env.Region], bp)
			if err != nil {
				return nil, err
			}
			pair.Buckets[f.Env.Region] = replica
			dests = append(dests, destination{f.Env.Region, replica})
			if bp.ReverseReplication {
				newReplication(scope, f, replica, props.ReplicationRoleArn, []destination{{props.Primary.Env.Region, primary}}, bp, true)
			}
		}
		newReplication(constructs.NewConstruct(props.Links.Scope, jsii.String("bucket-"+bp.Name)), props.Links, primary, props.ReplicationRoleArn, dests, bp, false)
		out = append(out, pair)
	}
	return out, nil
}
