package runbook

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/spec/identity"
)

// Egress: how a region's tasks would reach the image registry, Secrets
// Manager and CloudWatch Logs.
const (
	egressNat       = "nat"       // an available NAT gateway: any image
	egressEndpoints = "endpoints" // every VPC endpoint the app makes, available: the region's private ECR only
	egressNone      = ""
)

// endpointServices are the VPC endpoints the network construct makes for
// standbyEgress: endpoints, all of which a task needs.
func endpointServices() []string {
	return slices.Concat(config.TaskInterfaceEndpoints, []string{config.TaskGatewayEndpoint})
}

// egress is rs's way out: NAT, the full set of VPC endpoints, or none.
func egress(rs RegionStatus) string {
	if rs.NatGateways > 0 {
		return egressNat
	}
	if len(rs.VpcEndpoints) > 0 && len(missingEndpoints(rs.VpcEndpoints)) == 0 {
		return egressEndpoints
	}
	return egressNone
}

func missingEndpoints(have []string) []string {
	var out []string
	for _, s := range endpointServices() {
		if !slices.Contains(have, s) {
			out = append(out, s)
		}
	}
	return out
}

// vpcEndpoints lists the services of region's available VPC endpoints that
// the app made (tag Name=VPC-endpoint-SERVICE).
func (rb *Runbook) vpcEndpoints(ctx context.Context, region string) ([]string, error) {
	prefix := rb.names.VpcEndpointPrefix()
	out, err := rb.in(region).ec2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:Name"), Values: []string{prefix + "*"}},
		{Name: aws.String("vpc-endpoint-state"), Values: []string{"available"}},
	}})
	if err != nil {
		return nil, fmt.Errorf("ec2:DescribeVpcEndpoints in %s: %s", region, oneLine(err))
	}
	var services []string
	for _, e := range out.VpcEndpoints {
		// The state filter is the API's; the state is checked again because
		// the SDK's enum spells it "Available" and the API "available".
		if !strings.EqualFold(string(e.State), "available") {
			continue
		}
		for _, t := range e.Tags {
			if aws.ToString(t.Key) == "Name" && strings.HasPrefix(aws.ToString(t.Value), prefix) {
				services = append(services, strings.TrimPrefix(aws.ToString(t.Value), prefix))
			}
		}
	}
	slices.Sort(services)
	return services, nil
}

// imageRef splits an image reference after its repository into a tag or a
// digest; no tag means latest, as a pull does.
func imageRef(image, repository string) (tag, digest string) {
	rest := image[strings.Index(image, repository)+len(repository):]
	switch {
	case strings.HasPrefix(rest, "@"):
		return "", rest[1:]
	case strings.HasPrefix(rest, ":"):
		return rest[1:], ""
	}
	return "latest", ""
}

// checkImage refuses a switch to to whose tasks could not pull the service
// image: a private ECR image must be in to's own registry (ecr:DescribeImages
// there, the only call it makes), and an image from the internet needs NAT,
// which VPC endpoints do not replace.
func (rb *Runbook) checkImage(ctx context.Context, to, way string) error {
	image := rb.cfg.ImageIn(to)
	account, from, repo, ok := identity.EcrRepository(image)
	if !ok {
		if way == egressEndpoints {
			return &RefusedError{Reason: fmt.Sprintf("%s's tasks would pull %s from the internet, but %s has VPC endpoints and no NAT gateway (ECR's endpoints serve only the region's private registry)", to, image, to),
				Fix: fmt.Sprintf("push the image to private ECR in every region (ECR replication) and write {region} in service.image; or set network.standbyEgress: nat and deploy %s", rb.names.RegionalStack(to))}
		}
		return nil
	}
	if from != to {
		return &RefusedError{Reason: fmt.Sprintf("service.image %s is in ECR in %s, not in %s's registry: %s's tasks would depend on %s", image, from, to, to, from),
			Fix: fmt.Sprintf("replicate the repository to %s (ECR cross-region replication) and write {region} in place of %s in service.image", to, from)}
	}
	tag, digest := imageRef(image, repo)
	id := ecrtypes.ImageIdentifier{}
	if digest != "" {
		id.ImageDigest = aws.String(digest)
	} else {
		id.ImageTag = aws.String(tag)
	}
	_, err := rb.in(to).ecr.DescribeImages(ctx, &ecr.DescribeImagesInput{RegistryId: aws.String(account), RepositoryName: aws.String(repo), ImageIds: []ecrtypes.ImageIdentifier{id}})
	switch code := apiCode(err); {
	case err == nil:
		return nil
	case code == "ImageNotFoundException" || code == "RepositoryNotFoundException":
		return &RefusedError{Reason: fmt.Sprintf("%s is not in %s's ECR registry (%s), so %s's tasks could not start", image, to, code, to),
			Fix: fmt.Sprintf("push it to %s, or replicate the repository there (ECR cross-region replication), then rerun", to)}
	default:
		return fmt.Errorf("ecr:DescribeImages %s in %s: %s", repo, to, oneLine(err))
	}
}

// canPull reports whether tasks in to could pull the service image over
// way (nat, endpoints or none).
func (rb *Runbook) canPull(to, way string) bool {
	switch way {
	case egressNat:
		return true
	case egressEndpoints:
		_, from, _, ok := identity.EcrRepository(rb.cfg.ImageIn(to))
		return ok && from == to
	}
	return false
}

// Traffic switch states, from the switch object in a region's switch
// bucket: ON (it exists: while that region is standby, it takes the active
// region's requests) or OFF.
const (
	switchOn  = "ON"
	switchOff = "OFF"
)

// switchBucket is region's traffic-switch bucket, named with the account
// (ACCOUNT_ID before STS has been read, as in a dry run).
func (rb *Runbook) switchBucket(region string) string {
	rb.mu.Lock()
	acct := rb.account
	rb.mu.Unlock()
	if acct == "" {
		acct = "ACCOUNT_ID"
	}
	return rb.names.TrafficSwitchBucket(region, acct)
}

// switchURL is region's switch object, as s3://BUCKET/KEY.
func (rb *Runbook) switchURL(region string) string {
	return fmt.Sprintf("s3://%s/%s", rb.switchBucket(region), config.TrafficSwitchKey)
}

// switchState reads the traffic switch in region with s3:HeadObject (S3 is
// strongly consistent: a read after a successful put or delete sees it; S3
// User Guide, "Amazon S3 data consistency model"). ExpectedBucketOwner
// makes S3 refuse, with 403, a bucket of the name that another account
// owns (S3 User Guide, "Verifying bucket ownership with bucket owner
// condition"). A 404 is the object absent, or its current version a delete
// marker ("Working with delete markers"): OFF. The operator policy grants
// s3:ListBucket on the bucket, without which S3 answers 403 instead of 404
// for an absent key (S3 API Reference, HeadObject, "Permissions").
func (rb *Runbook) switchState(ctx context.Context, region string) (string, error) {
	acct, err := rb.accountID(ctx, region)
	if err != nil {
		return "", err
	}
	bucket := rb.names.TrafficSwitchBucket(region, acct)
	_, err = rb.in(region).s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(config.TrafficSwitchKey), ExpectedBucketOwner: aws.String(acct)})
	var notFound *s3types.NotFound
	switch {
	case err == nil:
		return switchOn, nil
	case errors.As(err, &notFound) || apiCode(err) == "NotFound" || apiCode(err) == "NoSuchKey":
		return switchOff, nil
	}
	return "", fmt.Errorf("s3:HeadObject s3://%s/%s in %s: %s (the switch's bucket comes with %s when dns is set)", bucket, config.TrafficSwitchKey, region, oneLine(err), rb.names.RegionalStack(region))
}

// switchCommand is the AWS CLI command that sets the switch in region: on
// puts the object, off deletes it.
func (rb *Runbook) switchCommand(region string, on bool) string {
	verb := "delete-object"
	if on {
		verb = "put-object"
	}
	bucket := rb.switchBucket(region)
	acct := bucket[strings.LastIndex(bucket, "-")+1:]
	return fmt.Sprintf("aws s3api %s --region %s --bucket %s --key %s --expected-bucket-owner %s", verb, region, bucket, config.TrafficSwitchKey, acct)
}

// switchStep sets the traffic switch in region (the standby): on sends
// requests to it, off gives them back to the active region. It reads the
// switch (s3:HeadObject), puts or deletes the object (s3:PutObject or
// s3:DeleteObject, regional data-plane calls) and reads it again. A rerun
// that finds the switch set already does nothing; putting or deleting
// again changes nothing (an empty object, or one more delete marker).
// switchCalls lists these calls; docs/decisions/traffic-switch.md tabulates them.
func (rb *Runbook) switchStep(title, region string, on bool) step {
	want, change := switchOff, "DeleteObject"
	if on {
		want, change = switchOn, "PutObject"
	}
	return step{title: title, api: fmt.Sprintf("s3:HeadObject, %s, HeadObject until %s", change, want), region: region,
		check: func(ctx context.Context) (phase, error) {
			state, err := rb.switchState(ctx, region)
			if err != nil {
				return todo, err
			}
			if state == want {
				return done, nil
			}
			return todo, nil
		},
		do: func(ctx context.Context) error {
			acct, err := rb.accountID(ctx, region)
			if err != nil {
				return err
			}
			bucket := aws.String(rb.names.TrafficSwitchBucket(region, acct))
			if on {
				// No body: the object's existence is the whole signal.
				_, err = rb.in(region).s3.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String(config.TrafficSwitchKey), ExpectedBucketOwner: aws.String(acct)})
			} else {
				_, err = rb.in(region).s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: aws.String(config.TrafficSwitchKey), ExpectedBucketOwner: aws.String(acct)})
			}
			if err != nil {
				return fmt.Errorf("s3:%s s3://%s/%s in %s: %s", change, *bucket, config.TrafficSwitchKey, region, oneLine(err))
			}
			return nil
		},
	}
}

// switchCalls are the calls the traffic step makes, as service:Action, all
// in the standby region: the table in docs/decisions/traffic-switch.md lists them,
// and TestSwitchCallsOnlyTheStandbyRegion checks both against the fake.
var switchCalls = map[bool][]string{
	true:  {"s3:HeadObject", "s3:PutObject"},
	false: {"s3:HeadObject", "s3:DeleteObject"},
}

// switchMove is what a move of requests to to does to the traffic switch:
// set it in region (on in the standby to take requests there, off in the
// standby to give them back to activeRegion in a planned switch). ok
// is false when the switch cannot do it and the traffic step is manual.
func (rb *Runbook) switchMove(to string, unplanned bool) (region string, on bool, ok bool) {
	if !rb.cfg.DNS.Enabled() {
		return "", false, false
	}
	standby := rb.cfg.StandbyRegion()
	switch {
	case to == standby:
		return to, true, true
	case to == rb.cfg.ActiveRegion && !unplanned:
		return standby, false, true
	}
	return "", false, false
}

// trafficDone reports whether the traffic step to to has nothing left to
// do, by the switch's state in st: a run cut off before or during that step
// must not be taken for finished when it is run again.
func (rb *Runbook) trafficDone(st *Status, to string, unplanned bool) bool {
	region, on, ok := rb.switchMove(to, unplanned)
	if !ok {
		return true // the step is manual: nothing to check
	}
	rs := rb.regionIn(st, region)
	if rs == nil {
		return false
	}
	if on {
		return rs.Switch == switchOn
	}
	return rs.Switch != switchOn
}

// trafficStep moves requests to to. With dns set, the switch does it when
// to is the standby (put the switch object there), or gives requests back
// when to is the active region in a planned switch (delete it in the
// standby). Else
// the step is manual, and says why.
func (rb *Runbook) trafficStep(to string, unplanned bool) step {
	s := rb.trafficMove(to, unplanned)
	s.id = "traffic"
	return s
}

// trafficMove is trafficStep's work, before its id.
func (rb *Runbook) trafficMove(to string, unplanned bool) step {
	title := "Traffic: send requests to " + to
	edge := fmt.Sprintf("writes (%s) follow activeRegion once the edge stack %s is deployed (below)", rb.cfg.Edge.ApiPathPattern, rb.names.EdgeStack())
	if !rb.cfg.DNS.Enabled() {
		return step{title: title, manual: fmt.Sprintf("No traffic switch: dns is not set (set dns.zoneName and dns.name to move every request with one call). CloudFront already fails GET/HEAD/OPTIONS over per request; %s.", edge)}
	}
	standby := rb.cfg.StandbyRegion()
	if region, on, ok := rb.switchMove(to, unplanned); ok {
		// The bucket's name has the account, read by the first call: the
		// title names the key only.
		if on {
			return rb.switchStep(fmt.Sprintf("Traffic: set the switch in %s: requests go to %s (put the object %s)", region, to, config.TrafficSwitchKey), region, true)
		}
		return rb.switchStep(fmt.Sprintf("Traffic: reset the switch in %s: requests go back to %s (delete the object %s)", region, to, config.TrafficSwitchKey), region, false)
	}
	if to == rb.cfg.ActiveRegion {
		return step{title: title, manual: fmt.Sprintf("%s is activeRegion already; if the switch in %s holds requests away from it, reset it once %s answers (a failover calls only %s): %s", to, standby, standby, to, rb.switchCommand(standby, false))}
	}
	return step{title: title, manual: fmt.Sprintf("The switch chooses between activeRegion (%s) and the standby (%s) only; %s is neither, so requests move to it when activeRegion: %s is set and the edge stack is deployed: %s.", rb.cfg.ActiveRegion, standby, to, to, edge)}
}
