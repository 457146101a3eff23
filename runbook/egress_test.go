package runbook

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

// withDNS turns the traffic switch on: its alarm in every region, OK.
func withDNS(cfg *config.Config, d *fakeaws.Deployment) {
	cfg.DNS.ZoneId, cfg.DNS.ZoneName, cfg.DNS.Name = "Z0123456789ABCDEFGHIJ", "example.com", "origin.example.com"
	d.SwitchAlarm = cfg.Names().TrafficSwitchAlarm()
}

// withEndpoints chooses standbyEgress: endpoints, with the image in each
// region's private ECR and every endpoint available in every region.
func withEndpoints(cfg *config.Config, d *fakeaws.Deployment) {
	cfg.Service.Image = ecrImage
	cfg.Network.StandbyEgress = config.EgressEndpoints
	for _, r := range cfg.Regions() {
		d.VpcEndpoints[r] = endpointServices()
		d.Images[r] = []string{"app:1.0"}
	}
}

// onlyTarget fails t for every call that went elsewhere than to.
func onlyTarget(t *testing.T, srv *fakeaws.Server, to string) {
	t.Helper()
	for _, c := range srv.Calls() {
		if c.Region != to {
			t.Errorf("call to %s during an unplanned failover to %s: %s", c.Region, to, c)
		}
	}
}

func calls(srv *fakeaws.Server, action string) []string {
	var out []string
	for _, c := range srv.Calls() {
		if c.Action == action {
			out = append(out, c.Region)
		}
	}
	return out
}

// VPC endpoints with the image in the target's private ECR are egress: the
// switch starts the service there at once, after checking the image.
func TestSwitchoverWithEndpointsStartsTheService(t *testing.T) {
	e := setupWith(t, false, withEndpoints)
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("switchover: %v\n%s", err, e.out)
	}
	checkAnswered(t, e.srv)
	if st := e.d.State(); st.Running[failover] != 2 {
		t.Errorf("service in %s runs %d tasks, want 2", failover, st.Running[failover])
	}
	if got := calls(e.srv, "DescribeImages"); len(got) != 1 || got[0] != failover {
		t.Errorf("ecr:DescribeImages went to %v, want the target %s once", got, failover)
	}
}

func TestFailoverWithEndpointsStartsTheService(t *testing.T) {
	e := setupWith(t, false, withEndpoints)
	e.srv.Dark(primary, fakeaws.Drop)
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("failover: %v\n%s", err, e.out)
	}
	want := []string{"us-west-2 rds FailoverGlobalCluster", "us-west-2 elasticache FailoverGlobalReplicationGroup", "us-west-2 ecs UpdateService"}
	if got := mutations(e.srv.Calls()); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("state-changing calls: got %q, want %q", got, want)
	}
	onlyTarget(t, e.srv, failover)
	if !strings.Contains(e.out.String(), "Measured, step by step") {
		t.Errorf("no measured RTO:\n%s", e.out)
	}
}

// An incomplete set of endpoints is no egress.
func TestFailoverWithSomeEndpointsLeavesComputeToTheDeploy(t *testing.T) {
	e := setupWith(t, false, func(c *config.Config, d *fakeaws.Deployment) {
		withEndpoints(c, d)
		d.VpcEndpoints[failover] = []string{"ecr.api", "ecr.dkr", "logs"}
	})
	e.srv.Dark(primary, fakeaws.Drop)
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("failover: %v\n%s", err, e.out)
	}
	if got := strings.Join(mutations(e.srv.Calls()), "\n"); strings.Contains(got, "UpdateService") {
		t.Errorf("scaled a service that could not start: %s", got)
	}
	if !strings.Contains(e.out.String(), "us-west-2 has no NAT gateway: set activeRegion: us-west-2") {
		t.Errorf("output:\n%s", e.out)
	}
}

func TestImagePreflight(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failover bool
		change   func(*config.Config, *fakeaws.Deployment)
		want     []string
	}{
		{"image not in the target's registry", false, func(c *config.Config, d *fakeaws.Deployment) {
			withEndpoints(c, d)
			d.Images[failover] = []string{"app:0.9"}
		},
			[]string{"123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.0 is not in us-west-2's ECR registry (ImageNotFoundException)", "replicate the repository there"}},
		{"repository not in the target's registry, unplanned", true, func(c *config.Config, d *fakeaws.Deployment) { withEndpoints(c, d); d.Images[failover] = nil },
			[]string{"RepositoryNotFoundException", "push it to us-west-2"}},
		{"public image behind endpoints only", false, func(c *config.Config, d *fakeaws.Deployment) {
			withEndpoints(c, d)
			c.Service.Image = "public.ecr.aws/nginx/nginx:stable"
			c.Network.StandbyEgress = config.EgressNone // as AWS has it, not as the config chose
		}, []string{"pull public.ecr.aws/nginx/nginx:stable from the internet, but us-west-2 has VPC endpoints and no NAT gateway", "standbyEgress: nat"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := setupWith(t, false, tc.change)
			var err error
			if tc.failover {
				e.srv.Dark(primary, fakeaws.Drop)
				err = e.runbook(t).Failover(context.Background(), failover)
			} else {
				err = e.runbook(t).Switchover(context.Background(), failover)
			}
			if !IsRefused(err) {
				t.Fatalf("want a refusal, got %v\n%s", err, e.out)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("refusal lacks %q:\n%v", s, err)
				}
			}
			if m := e.d.Mutations(); len(m) != 0 {
				t.Errorf("a refused run changed %v", m)
			}
		})
	}
	// A valid config cannot pin the image to another region (validation
	// refuses it); the preflight refuses it all the same.
	e := setupWith(t, true, nil)
	rb := e.runbook(t)
	rb.cfg.Service.Image = fakeaws.AccountID + ".dkr.ecr.us-east-1.amazonaws.com/app:1.0"
	if err := rb.checkImage(context.Background(), failover, egressNat); !IsRefused(err) || !strings.Contains(err.Error(), "ECR cross-region replication") {
		t.Errorf("image in another region's ECR: got %v", err)
	}
	for image, want := range map[string][2]string{"a.b/app:1.2": {"1.2", ""}, "a.b/app": {"latest", ""}, "a.b/app@sha256:ab": {"", "sha256:ab"}} {
		if tag, digest := imageRef(image, "app"); tag != want[0] || digest != want[1] {
			t.Errorf("imageRef(%s) = %q, %q; want %q", image, tag, digest, want)
		}
	}
}

// The traffic switch: a failover with the primary dark sets it in the
// target (the standby), every call to the target only; a rerun does not
// publish again.
func TestFailoverFlipsTheTrafficSwitch(t *testing.T) {
	e := setupWith(t, true, withDNS)
	e.srv.Dark(primary, fakeaws.Drop)
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("failover: %v\n%s", err, e.out)
	}
	checkAnswered(t, e.srv)
	onlyTarget(t, e.srv, failover)
	if st := e.d.State(); st.SwitchState[failover] != "ALARM" {
		t.Errorf("switch in %s is %s, want ALARM", failover, st.SwitchState[failover])
	}
	if got := calls(e.srv, "PutMetricData"); len(got) != 1 {
		t.Errorf("PutMetricData calls: %v, want one in %s", got, failover)
	}
	out := e.out.String()
	for _, s := range []string{"Traffic: set the switch in us-west-2: requests go to us-west-2 (alarm pilotlight-dev-traffic-switch to ALARM) (cloudwatch:DescribeAlarms, PutMetricData, DescribeAlarms until ALARM in us-west-2)",
		"reset the switch in us-west-2", "--namespace Pilotlight/TrafficSwitch --metric-name StandbyTakesOver --dimensions App=pilotlight-dev --value 0"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	e.out.Reset()
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatal(err)
	}
	if got := calls(e.srv, "PutMetricData"); len(got) != 1 {
		t.Errorf("a rerun published again: PutMetricData calls %v", got)
	}
}

// A switchover sets the switch too, and one interrupted right after that
// step resumes without publishing again; a switchover back before the
// config changes gives requests back (0 in the standby).
func TestSwitchoverFlipsTheTrafficSwitch(t *testing.T) {
	e := setupWith(t, true, withDNS)
	e.opt.AfterStep = func(step string) error {
		if strings.HasPrefix(step, "Traffic:") {
			return context.Canceled
		}
		return nil
	}
	if err := e.runbook(t).Switchover(context.Background(), failover); err == nil || !strings.Contains(err.Error(), "stopped after step 4/5 Traffic") {
		t.Fatalf("want a stop after the traffic step, got %v\n%s", err, e.out)
	}
	e.opt.AfterStep = nil
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("resume: %v\n%s", err, e.out)
	}
	if st := e.d.State(); st.SwitchState[failover] != "ALARM" || st.Writer != failover {
		t.Errorf("after switchover: %+v", st)
	}
	if got := calls(e.srv, "PutMetricData"); len(got) != 1 || got[0] != failover {
		t.Errorf("PutMetricData calls: %v, want one in %s", got, failover)
	}
	var st Status
	e.out.Reset()
	rb := e.runbook(t)
	if _, err := rb.Status(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(e.out.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Regions[1].SwitchAlarm != "ALARM" || st.Regions[0].SwitchAlarm != "OK" || !strings.Contains(st.Traffic, "is ALARM: requests go to us-west-2") {
		t.Errorf("status: traffic %q, switch %q/%q", st.Traffic, st.Regions[0].SwitchAlarm, st.Regions[1].SwitchAlarm)
	}

	// Back to the primary before activeRegion changed: the switch is reset.
	if err := e.runbook(t).Switchover(context.Background(), primary); err != nil {
		t.Fatalf("switchover back: %v\n%s", err, e.out)
	}
	if st := e.d.State(); st.SwitchState[failover] != "OK" || st.Writer != primary {
		t.Errorf("after switchover back: %+v", st)
	}
	if got := calls(e.srv, "PutMetricData"); len(got) != 2 || got[1] != failover {
		t.Errorf("PutMetricData calls: %v, want the reset in %s", got, failover)
	}
}

// Once activeRegion names the region the switch sent requests to, its
// alarm still in ALARM is reported: it must be reset after the edge deploy.
func TestStatusReportsAStaleSwitch(t *testing.T) {
	e := setupWith(t, true, func(c *config.Config, d *fakeaws.Deployment) {
		withDNS(c, d)
		c.ActiveRegion = failover
		d.SwitchState[failover] = "ALARM"
		// After the switch: the data writes in activeRegion (otherwise
		// status exits ExitActiveRegion instead).
		d.Writer, d.CachePrimary = failover, failover
	})
	code, err := e.runbook(t).Status(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	out := e.out.String()
	if code != ExitUnhealthy || !strings.Contains(out, "the switch in us-west-2 (activeRegion) is still ALARM") || !strings.Contains(out, "SWITCH") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestDryRunListsTheTrafficSwitch(t *testing.T) {
	e := setupWith(t, false, func(c *config.Config, d *fakeaws.Deployment) { withDNS(c, d); withEndpoints(c, d) })
	e.opt.DryRun = true
	e.opt.AWS = nil
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatal(err)
	}
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatal(err)
	}
	if c := e.srv.Calls(); len(c) != 0 {
		t.Errorf("dry run called AWS: %s", fakeaws.Summary(c))
	}
	out := e.out.String()
	for _, s := range []string{"(cloudwatch:DescribeAlarms, PutMetricData, DescribeAlarms until ALARM in us-west-2)", "ecr:DescribeImages app in us-west-2", "ec2:DescribeVpcEndpoints", "cloudwatch:DescribeAlarms", "[3/4] ECS: scale pilotlight-dev-app in us-west-2 to 2 tasks"} {
		if !strings.Contains(out, s) {
			t.Errorf("dry run lacks %q:\n%s", s, out)
		}
	}
}

// A failover to a region that is neither active nor the standby (a second
// failover region) keeps the traffic step manual, and says why.
func TestTrafficStepBeyondTheStandby(t *testing.T) {
	e := setupWith(t, true, withDNS)
	rb := e.runbook(t)
	rb.cfg.FailoverRegions = []string{failover, "eu-west-1"}
	s := rb.trafficStep("eu-west-1", true)
	if s.api != "" || !strings.Contains(s.manual, "chooses between activeRegion (us-east-1) and the standby (us-west-2) only") {
		t.Errorf("step %+v", s)
	}
}

// The switch's own steps, as the README lists them: every call the traffic
// step makes is CloudWatch in the standby region (PutMetricData, then
// DescribeAlarms until ALARM), and the whole failover, with the primary
// region and us-east-1 dark, calls no control plane: no IAM, Route 53,
// CloudFront or Organizations API, and nothing outside the standby.
func TestSwitchCallsOnlyTheStandbyRegion(t *testing.T) {
	e := setupWith(t, true, withDNS)
	if primary != "us-east-1" {
		t.Fatalf("the test needs the primary in us-east-1, home of the global control planes")
	}
	e.srv.Dark(primary, fakeaws.Drop)
	var done int
	var step []fakeaws.Call
	e.opt.AfterStep = func(title string) error {
		all := e.srv.Calls()
		if strings.HasPrefix(title, "Traffic:") {
			step = all[done:]
		}
		done = len(all)
		return nil
	}
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("failover: %v\n%s", err, e.out)
	}
	seen := map[string]bool{}
	for _, c := range step {
		seen[c.Region+" "+c.Service+" "+c.Action] = true
	}
	want := map[string]bool{failover + " monitoring PutMetricData": true, failover + " monitoring DescribeAlarms": true}
	for k := range seen {
		if !want[k] {
			t.Errorf("the traffic step called %s; the README's table lists only PutMetricData and DescribeAlarms in the standby", k)
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("the traffic step did not call %s (calls: %v)", k, step)
		}
	}
	for _, c := range e.srv.Calls() {
		switch {
		case slices.Contains([]string{"iam", "route53", "cloudfront", "organizations", "route53-recovery-cluster"}, c.Service):
			t.Errorf("control-plane call during the switch: %s", c)
		case c.Region != failover:
			t.Errorf("call outside the standby %s: %s", failover, c)
		}
	}
}

// A failover whose traffic step never ran (cut off, or the switch reset by
// hand) is not "nothing to do" on the rerun: the rerun sets the switch.
func TestFailoverRerunFinishesTheTrafficStep(t *testing.T) {
	e := setupWith(t, true, withDNS)
	e.srv.Dark(primary, fakeaws.Drop)
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("failover: %v\n%s", err, e.out)
	}
	// The switch put back: the state a run cut off before its traffic step
	// leaves, with everything else moved.
	e.d.Set(func(d *fakeaws.Deployment) { d.SwitchState[failover] = "OK" })
	e.out.Reset()
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("rerun: %v\n%s", err, e.out)
	}
	if strings.Contains(e.out.String(), "nothing to do") {
		t.Errorf("the rerun stopped with the switch off:\n%s", e.out)
	}
	if st := e.d.State(); st.SwitchState[failover] != "ALARM" {
		t.Errorf("switch in %s is %s after the rerun, want ALARM", failover, st.SwitchState[failover])
	}
}
