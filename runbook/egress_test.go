package runbook

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

// withDNS turns the traffic switch on: its bucket in every region, the
// object absent (OFF).
func withDNS(cfg *config.Config, d *fakeaws.Deployment) {
	cfg.DNS.ZoneId, cfg.DNS.ZoneName, cfg.DNS.Name = "Z0123456789ABCDEFGHIJ", "example.com", "origin.example.com"
	d.SwitchKey = config.TrafficSwitchKey
	for _, r := range cfg.Regions() {
		d.SwitchBuckets[r] = cfg.Names().TrafficSwitchBucket(r, fakeaws.AccountID)
	}
}

// s3Action names a REST call to S3 as IAM and the S3 API do, from its
// method and query (the fake logs REST calls as METHOD /path).
func s3Action(c fakeaws.Call) string {
	method, path, _ := strings.Cut(c.Action, " ")
	if c.Service != "s3" || strings.Count(strings.TrimPrefix(path, "/"), "/") == 0 {
		return c.Action
	}
	switch method {
	case "HEAD":
		return "HeadObject"
	case "GET":
		return "GetObject"
	case "PUT":
		return "PutObject"
	case "DELETE":
		return "DeleteObject"
	}
	return c.Action
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
		if c.Action == action || s3Action(c) == action {
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
	if got := mutations(e.srv.Calls()); !sameCalls(got, want) {
		t.Errorf("state-changing calls: got %q, want %q", got, want)
	}
	onlyTarget(t, e.srv, failover)
	if !strings.Contains(e.out.String(), "measured: ") {
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
	if err := e.runbook(t).Failover(context.Background(), failover); !IsNotServing(err) {
		t.Fatalf("failover: want writes not served yet, got %v\n%s", err, e.out)
	}
	if got := strings.Join(mutations(e.srv.Calls()), "\n"); strings.Contains(got, "UpdateService") {
		t.Errorf("scaled a service that could not start: %s", got)
	}
	if !strings.Contains(e.out.String(), "us-west-2 has no NAT gateway, so its tasks cannot start: set activeRegion: us-west-2") {
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
// put the object again. Route 53, evaluated by its documented rules in the
// fake, then answers with the standby.
func TestFailoverFlipsTheTrafficSwitch(t *testing.T) {
	e := setupWith(t, true, withDNS)
	e.srv.Dark(primary, fakeaws.Drop)
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("failover: %v\n%s", err, e.out)
	}
	checkAnswered(t, e.srv)
	onlyTarget(t, e.srv, failover)
	if st := e.d.State(); st.SwitchState[failover] != fakeaws.SwitchOn {
		t.Errorf("switch in %s is %s, want ON", failover, st.SwitchState[failover])
	}
	if got := e.srv.FailoverAnswer(e.d, primary, failover); got != "standby" {
		t.Errorf("Route 53 answers with the %s after the failover, want the standby", got)
	}
	if got := calls(e.srv, "PutObject"); len(got) != 1 {
		t.Errorf("PutObject calls: %v, want one in %s", got, failover)
	}
	out := e.out.String()
	for _, s := range []string{"Traffic: set the switch in us-west-2: requests go to us-west-2 (put the object standby-takes-over) (s3:HeadObject, PutObject, HeadObject until ON in us-west-2)",
		"reset the switch in us-west-2", "aws s3api delete-object --region us-west-2 --bucket pilotlight-dev-switch-us-west-2-123456789012 --key standby-takes-over --expected-bucket-owner 123456789012"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	e.out.Reset()
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatal(err)
	}
	if got := calls(e.srv, "PutObject"); len(got) != 1 {
		t.Errorf("a rerun put the object again: PutObject calls %v", got)
	}
}

// A switchover sets the switch too, and one interrupted right after that
// step resumes without putting it again; a switchover back before the
// config changes gives requests back (the object deleted in the standby).
func TestSwitchoverFlipsTheTrafficSwitch(t *testing.T) {
	e := setupWith(t, true, withDNS)
	e.opt.AfterStep = func(step string) error {
		if step == "traffic" {
			return context.Canceled
		}
		return nil
	}
	if err := e.runbook(t).Switchover(context.Background(), failover); err == nil || !strings.Contains(err.Error(), "stopped after step traffic") {
		t.Fatalf("want a stop after the traffic step, got %v\n%s", err, e.out)
	}
	e.opt.AfterStep = nil
	if err := e.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("resume: %v\n%s", err, e.out)
	}
	if st := e.d.State(); st.SwitchState[failover] != fakeaws.SwitchOn || st.Writer != failover {
		t.Errorf("after switchover: %+v", st)
	}
	if got := calls(e.srv, "PutObject"); len(got) != 1 || got[0] != failover {
		t.Errorf("PutObject calls: %v, want one in %s", got, failover)
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
	if st.Regions[1].Switch != "ON" || st.Regions[0].Switch != "OFF" || !strings.Contains(st.Traffic, "standby-takes-over in us-west-2 (the standby) is ON: requests go to us-west-2") {
		t.Errorf("status: traffic %q, switch %q/%q", st.Traffic, st.Regions[0].Switch, st.Regions[1].Switch)
	}

	// Back to the primary before activeRegion changed: the switch is reset.
	if err := e.runbook(t).Switchover(context.Background(), primary); err != nil {
		t.Fatalf("switchover back: %v\n%s", err, e.out)
	}
	if st := e.d.State(); st.SwitchState[failover] != fakeaws.SwitchOff || st.Writer != primary {
		t.Errorf("after switchover back: %+v", st)
	}
	if got := calls(e.srv, "DeleteObject"); len(got) != 1 || got[0] != failover {
		t.Errorf("DeleteObject calls: %v, want the reset in %s", got, failover)
	}
}

// Once activeRegion names the region the switch sent requests to, its
// switch still ON is reported: it must be reset after the edge deploy.
func TestStatusReportsAStaleSwitch(t *testing.T) {
	e := setupWith(t, true, func(c *config.Config, d *fakeaws.Deployment) {
		withDNS(c, d)
		c.ActiveRegion = failover
		d.SwitchState[failover] = fakeaws.SwitchOn
		// After the switch: the data writes in activeRegion (otherwise
		// status exits ExitActiveRegion instead).
		d.Writer, d.CachePrimary = failover, failover
	})
	code, err := e.runbook(t).Status(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	out := e.out.String()
	if code != ExitUnhealthy || !strings.Contains(out, "the switch in us-west-2 (activeRegion) is still ON") || !strings.Contains(out, "SWITCH") {
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
	for _, s := range []string{"(s3:HeadObject, PutObject, HeadObject until ON in us-west-2)", "ecr:DescribeImages app in us-west-2", "ec2:DescribeVpcEndpoints", "s3:HeadObject", "ECS: scale pilotlight-dev-app in us-west-2 to 2 tasks", "waits for: aurora, cache, compute"} {
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

// trafficCalls runs f and returns the calls its traffic step made, as
// "REGION s3:Action".
func trafficCalls(t *testing.T, e *env, f func(rb *Runbook) error) map[string]bool {
	t.Helper()
	var done int
	var step []fakeaws.Call
	e.opt.AfterStep = func(title string) error {
		all := e.srv.Calls()
		if title == "traffic" {
			step = all[done:]
		}
		done = len(all)
		return nil
	}
	defer func() { e.opt.AfterStep = nil }()
	done = len(e.srv.Calls())
	if err := f(e.runbook(t)); err != nil {
		t.Fatalf("%v\n%s", err, e.out)
	}
	seen := map[string]bool{}
	for _, c := range step {
		seen[c.Region+" "+c.Service+":"+s3Action(c)] = true
	}
	return seen
}

// switchTable reads the per-step API/region table of docs/decisions/traffic-switch.md
// (between its switch-calls markers): the calls in the standby region, as
// service:Action.
func switchTable(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../docs/decisions/traffic-switch.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "<!-- switch-calls -->")
	table, _, ok2 := strings.Cut(rest, "<!-- /switch-calls -->")
	if !ok || !ok2 {
		t.Fatal("docs/decisions/traffic-switch.md: no <!-- switch-calls --> ... <!-- /switch-calls --> table")
	}
	out := map[string]bool{}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.Contains(cells[3], "the standby region") {
			continue
		}
		for _, api := range regexp.MustCompile("`([a-z0-9]+:[A-Za-z]+)`").FindAllStringSubmatch(cells[2], -1) {
			out[api[1]] = true
		}
	}
	return out
}

// The switch's own steps, as docs/decisions/traffic-switch.md tabulates them: every
// call the traffic step makes is S3 in the standby region (HeadObject, then
// PutObject to take over or DeleteObject to give back, then HeadObject),
// the table lists exactly those (switchCalls), and the whole failover, with
// the primary region and us-east-1 dark, calls no control plane: no IAM,
// Route 53, CloudFront or Organizations API, and nothing outside the
// standby.
func TestSwitchCallsOnlyTheStandbyRegion(t *testing.T) {
	e := setupWith(t, true, withDNS)
	if primary != "us-east-1" {
		t.Fatalf("the test needs the primary in us-east-1, home of the global control planes")
	}
	e.srv.Dark(primary, fakeaws.Drop)
	takeOver := trafficCalls(t, e, func(rb *Runbook) error { return rb.Failover(context.Background(), failover) })
	for _, c := range e.srv.Calls() {
		switch {
		case slices.Contains([]string{"iam", "route53", "cloudfront", "organizations", "route53-recovery-cluster"}, c.Service):
			t.Errorf("control-plane call during the switch: %s", c)
		case c.Region != failover:
			t.Errorf("call outside the standby %s: %s", failover, c)
		}
	}

	// Giving back, in a planned switch there and back with every region up.
	e2 := setupWith(t, true, withDNS)
	if err := e2.runbook(t).Switchover(context.Background(), failover); err != nil {
		t.Fatalf("switchover: %v\n%s", err, e2.out)
	}
	giveBack := trafficCalls(t, e2, func(rb *Runbook) error { return rb.Switchover(context.Background(), primary) })

	documented := switchTable(t)
	for name, seen := range map[string]map[string]bool{"take over": takeOver, "give back": giveBack} {
		want := map[string]bool{}
		for _, api := range switchCalls[name == "take over"] {
			want[failover+" "+api] = true
			if !documented[api] {
				t.Errorf("%s: switchCalls has %s, which the table in docs/decisions/traffic-switch.md lacks", name, api)
			}
		}
		for k := range seen {
			if !want[k] {
				t.Errorf("%s: the traffic step called %s; switchCalls and the docs' table list only %v in the standby", name, k, switchCalls[name == "take over"])
			}
		}
		for k := range want {
			if !seen[k] {
				t.Errorf("%s: the traffic step did not call %s (calls: %v)", name, k, seen)
			}
		}
	}
	for api := range documented {
		if !slices.Contains(switchCalls[true], api) && !slices.Contains(switchCalls[false], api) {
			t.Errorf("docs/decisions/traffic-switch.md lists %s in the standby region, which the switch never calls", api)
		}
	}
}

// An outage of the standby region, or of S3 there, leaves requests on a
// healthy primary, by Route 53's documented rules as the fake evaluates
// them: the switch check gets no answer, so it is unhealthy and, inverted,
// healthy; the PRIMARY's calculated check then follows its endpoint. Even
// a switch left ON in the dark region does not move traffic. And a false
// alarm on the active endpoint alone moves nothing: the standby runs no
// tasks, both records are unhealthy, Route 53 answers with the PRIMARY.
func TestStandbyDarkLeavesTrafficOnThePrimary(t *testing.T) {
	e := setupWith(t, true, withDNS)
	if got := e.srv.FailoverAnswer(e.d, primary, failover); got != "active" {
		t.Fatalf("converged deployment: Route 53 answers with the %s, want the active region", got)
	}
	e.d.Set(func(d *fakeaws.Deployment) { d.SwitchState[failover] = fakeaws.SwitchOn; d.Running[failover] = 2 })
	if got := e.srv.FailoverAnswer(e.d, primary, failover); got != "standby" {
		t.Errorf("switch ON with the standby's tasks healthy: Route 53 answers with the %s, want the standby", got)
	}
	for _, dark := range []fakeaws.Darkness{fakeaws.Drop, fakeaws.Unavailable} {
		e.srv.Dark(failover, dark)
		if got := e.srv.FailoverAnswer(e.d, primary, failover); got != "active" {
			t.Errorf("standby region dark (%v) with its switch ON: Route 53 answers with the %s, want the healthy primary", dark, got)
		}
		e.srv.Dark(failover, 0)
	}
	// The status of a dark standby says the switch was not read, and
	// changes nothing.
	e.srv.Dark(failover, fakeaws.Drop)
	if _, err := e.runbook(t).Status(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.out.String(), "not read") || len(e.d.Mutations()) != 0 {
		t.Errorf("status with the standby dark: mutations %v\n%s", e.d.Mutations(), e.out)
	}
	e.srv.Dark(failover, 0)

	// A false alarm: the active endpoint fails, the standby runs nothing.
	e.d.Set(func(d *fakeaws.Deployment) {
		d.SwitchState[failover] = fakeaws.SwitchOff
		d.Running[failover] = 0
		d.Running[primary] = 0
	})
	if got := e.srv.FailoverAnswer(e.d, primary, failover); got != "active" {
		t.Errorf("active endpoint failing, standby without tasks, switch OFF: Route 53 answers with the %s, want the PRIMARY (both unhealthy)", got)
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
	e.d.Set(func(d *fakeaws.Deployment) { d.SwitchState[failover] = fakeaws.SwitchOff })
	e.out.Reset()
	if err := e.runbook(t).Failover(context.Background(), failover); err != nil {
		t.Fatalf("rerun: %v\n%s", err, e.out)
	}
	if strings.Contains(e.out.String(), "nothing to do") {
		t.Errorf("the rerun stopped with the switch off:\n%s", e.out)
	}
	if st := e.d.State(); st.SwitchState[failover] != fakeaws.SwitchOn {
		t.Errorf("switch in %s is %s after the rerun, want ON", failover, st.SwitchState[failover])
	}
}
