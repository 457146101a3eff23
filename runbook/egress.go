package runbook

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/identity"
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

// Traffic switch states, as CloudWatch reports the alarm's.
const (
	alarmOn  = string(cwtypes.StateValueAlarm)
	alarmOff = string(cwtypes.StateValueOk)
)

// switchAlarm reads the traffic switch's alarm state in region.
func (rb *Runbook) switchAlarm(ctx context.Context, region string) (string, error) {
	out, err := rb.in(region).cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{rb.names.TrafficSwitchAlarm()}, AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm}})
	if err != nil {
		return "", fmt.Errorf("cloudwatch:DescribeAlarms %s in %s: %s", rb.names.TrafficSwitchAlarm(), region, oneLine(err))
	}
	if len(out.MetricAlarms) != 1 {
		return "", fmt.Errorf("the traffic switch's alarm %s is not in %s: deploy %s with dns set", rb.names.TrafficSwitchAlarm(), region, rb.names.RegionalStack(region))
	}
	return string(out.MetricAlarms[0].StateValue), nil
}

// putSwitchCommand is the AWS CLI command that sets the switch in region.
func (rb *Runbook) putSwitchCommand(region string, value int) string {
	return fmt.Sprintf("aws cloudwatch put-metric-data --region %s --namespace %s --metric-name %s --dimensions %s=%s --value %d",
		region, config.TrafficSwitchNamespace, config.TrafficSwitchMetric, config.TrafficSwitchDimension, rb.names.Prefix(), value)
}

// switchStep sets the traffic switch in region (the standby): 1 sends
// requests to it, 0 gives them back to the active region. It publishes the
// switch's metric (cloudwatch:PutMetricData, a regional data-plane call)
// and waits for the alarm to reach ALARM or OK. A rerun that finds the
// alarm there already does nothing; one interrupted before the alarm moved
// publishes the same value again, which changes nothing.
func (rb *Runbook) switchStep(title, region string, value int) step {
	want := alarmOff
	if value == 1 {
		want = alarmOn
	}
	return step{title: title, api: "cloudwatch:DescribeAlarms, PutMetricData, DescribeAlarms until " + want, region: region,
		check: func(ctx context.Context) (phase, error) {
			state, err := rb.switchAlarm(ctx, region)
			if err != nil {
				return todo, err
			}
			if state == want {
				return done, nil
			}
			return todo, nil
		},
		do: func(ctx context.Context) error {
			_, err := rb.in(region).cw.PutMetricData(ctx, &cloudwatch.PutMetricDataInput{
				Namespace: aws.String(config.TrafficSwitchNamespace),
				MetricData: []cwtypes.MetricDatum{{
					MetricName: aws.String(config.TrafficSwitchMetric),
					Dimensions: []cwtypes.Dimension{{Name: aws.String(config.TrafficSwitchDimension), Value: aws.String(rb.names.Prefix())}},
					Value:      aws.Float64(float64(value)),
					Timestamp:  aws.Time(rb.opt.Now().Truncate(time.Second)),
				}},
			})
			if err != nil {
				return fmt.Errorf("cloudwatch:PutMetricData in %s: %s", region, oneLine(err))
			}
			return nil
		},
	}
}

// switchMove is what a move of requests to to does to the traffic switch:
// publish value in region (1 in the standby to take requests there, 0 in
// the standby to give them back to activeRegion in a planned switch). ok
// is false when the switch cannot do it and the traffic step is manual.
func (rb *Runbook) switchMove(to string, unplanned bool) (region string, value int, ok bool) {
	if !rb.cfg.DNS.Enabled() {
		return "", 0, false
	}
	standby := rb.cfg.StandbyRegion()
	switch {
	case to == standby:
		return to, 1, true
	case to == rb.cfg.ActiveRegion && !unplanned:
		return standby, 0, true
	}
	return "", 0, false
}

// trafficDone reports whether the traffic step to to has nothing left to
// do, by the switch's state in st: a run cut off before or during that step
// must not be taken for finished when it is run again.
func (rb *Runbook) trafficDone(st *Status, to string, unplanned bool) bool {
	region, value, ok := rb.switchMove(to, unplanned)
	if !ok {
		return true // the step is manual: nothing to check
	}
	rs := rb.regionIn(st, region)
	if rs == nil {
		return false
	}
	if value == 1 {
		return rs.SwitchAlarm == alarmOn
	}
	return rs.SwitchAlarm != alarmOn
}

// trafficStep moves requests to to. With dns set, the switch does it when
// to is the standby (publish 1 there), or gives requests back when to is
// the active region in a planned switch (publish 0 in the standby). Else
// the step is manual, and says why.
func (rb *Runbook) trafficStep(to string, unplanned bool) step {
	title := "Traffic: send requests to " + to
	edge := fmt.Sprintf("writes (%s) follow activeRegion once the edge stack %s is deployed (below)", rb.cfg.Edge.ApiPathPattern, rb.names.EdgeStack())
	if !rb.cfg.DNS.Enabled() {
		return step{title: title, manual: fmt.Sprintf("No traffic switch: dns is not set (set dns.zoneName and dns.name to move every request with one call). CloudFront already fails GET/HEAD/OPTIONS over per request; %s.", edge)}
	}
	standby := rb.cfg.StandbyRegion()
	if region, value, ok := rb.switchMove(to, unplanned); ok {
		if value == 1 {
			return rb.switchStep(fmt.Sprintf("Traffic: set the switch in %s: requests go to %s (alarm %s to ALARM)", region, to, rb.names.TrafficSwitchAlarm()), region, 1)
		}
		return rb.switchStep(fmt.Sprintf("Traffic: reset the switch in %s: requests go back to %s (alarm %s to OK)", region, to, rb.names.TrafficSwitchAlarm()), region, 0)
	}
	if to == rb.cfg.ActiveRegion {
		return step{title: title, manual: fmt.Sprintf("%s is activeRegion already; if the switch in %s holds requests away from it, reset it once %s answers (a failover calls only %s): %s", to, standby, standby, to, rb.putSwitchCommand(standby, 0))}
	}
	return step{title: title, manual: fmt.Sprintf("The switch chooses between activeRegion (%s) and the standby (%s) only; %s is neither, so requests move to it when activeRegion: %s is set and the edge stack is deployed: %s.", rb.cfg.ActiveRegion, standby, to, to, edge)}
}
