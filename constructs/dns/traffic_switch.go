package dns

import (
	"errors"
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policypack"
	"github.com/pilotlight/pilotlight/constructs/storage"
	storagespec "github.com/pilotlight/pilotlight/spec/storage"
)

// TrafficSwitchProps configures a TrafficSwitch. Every field is required.
type TrafficSwitchProps struct {
	// Env is the region the switch lives in: give every region one, so that
	// whichever region is standby holds the switch for the active one.
	Env awsenv.Env
	// BucketName names the switch's bucket (an S3 bucket name without dots:
	// Route 53 requests https://BUCKET.s3.REGION.amazonaws.com/KEY, and a
	// dot would not match S3's wildcard certificate).
	BucketName string
	// Key is the switch's object: present, the standby takes the active
	// region's traffic; absent, it does not. It is the bucket's only public
	// object, and it holds no data.
	Key string
	// AccessLogBucket receives the bucket's S3 server access logs (who
	// flipped the switch, and when).
	AccessLogBucket *string
}

// TrafficSwitch is an S3 bucket in one region holding (or not) one empty
// object that Route 53 health checkers read over HTTPS. FailoverName's
// inverted health check on that object makes the active region's record
// unhealthy while the object exists, so an operator moves traffic with one
// regional data-plane call (s3:PutObject; s3:DeleteObject gives it back),
// and no control plane.
type TrafficSwitch struct {
	constructs.Construct
	// Bucket is the switch's bucket (its name as a reference); Key its object.
	Bucket *string
	Key    string
	// Region is where the bucket is.
	Region string
	// Domain is the bucket's virtual-hosted address in its region
	// (BUCKET.s3.REGION.amazonaws.com, S3 User Guide "Virtual hosting of
	// buckets"), which Route 53 health checkers request; ResourcePath is
	// /KEY.
	Domain       *string
	ResourcePath string
}

// Validate returns every problem in p at once.
func (p TrafficSwitchProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if err := storagespec.ValidateBucketName(p.BucketName); err != nil {
		errs = append(errs, fmt.Errorf("BucketName: %w", err))
	}
	if err := ValidateSwitchKey(p.Key); err != nil {
		errs = append(errs, fmt.Errorf("Key: %w", err))
	}
	if p.AccessLogBucket == nil {
		errs = append(errs, errors.New("AccessLogBucket: required, so every flip of the switch is logged"))
	}
	return errors.Join(errs...)
}

// ValidateSwitchKey checks key as the switch's object key: it is also the
// path of a Route 53 health check, which the API limits to 255 characters
// (Route 53 API Reference, HealthCheckConfig ResourcePath), so 1 to 254
// letters, digits, hyphens, underscores and dots, with no wildcard for the
// bucket policy to widen.
func ValidateSwitchKey(key string) error {
	if key == "" || len(key) > 254 {
		return fmt.Errorf("%q must be 1 to 254 characters", key)
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("%q: use letters, digits, -, _ and . only (it is a URL path and a policy resource)", key)
		}
	}
	return nil
}

// switchSuppression is why the switch's bucket may have one public object.
const switchSuppression = "Traffic switch (docs/decisions/traffic-switch.md): Route 53 health checkers read one empty object anonymously over HTTPS; " +
	"the bucket policy allows s3:GetObject on that one key only, public ACLs stay blocked and ignored, everything else is private and SSE-S3 encrypted. " +
	"Route 53 publishes no principal or fixed source for its checkers to restrict by."

// NewTrafficSwitch adds the switch's bucket to scope.
func NewTrafficSwitch(scope constructs.Construct, id string, props TrafficSwitchProps) (*TrafficSwitch, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("dns.TrafficSwitch %s: %w", id, err)
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	b, err := storage.NewPrivateBucket(c, storage.PrivateBucketProps{
		Env:  props.Env,
		Name: props.BucketName,
		// Versions keep a record of every flip (each put a version, each
		// delete a marker); a GET of a key whose current version is a delete
		// marker fails like a missing key (S3 User Guide, "Working with
		// delete markers"), so the switch reads off.
		Versioned:       true,
		AccessLogBucket: props.AccessLogBucket,
		PublicReadKey:   props.Key,
	})
	if err != nil {
		return nil, fmt.Errorf("dns.TrafficSwitch %s: %w", id, err)
	}
	if err := policypack.Suppress(b.Bucket, "AwsSolutions-S2", switchSuppression); err != nil {
		return nil, err
	}
	// S3's regional endpoints are under amazonaws.com, and amazonaws.com.cn
	// in the China regions (AWS General Reference, "Amazon S3 endpoints").
	suffix := "amazonaws.com"
	if props.Env.Partition == "aws-cn" {
		suffix = "amazonaws.com.cn"
	}
	domain := fmt.Sprintf("%s.s3.%s.%s", *b.ID, props.Env.Region, suffix)
	return &TrafficSwitch{Construct: c, Bucket: b.ID, Key: props.Key, Region: props.Env.Region, Domain: jsii.String(domain), ResourcePath: "/" + props.Key}, nil
}
