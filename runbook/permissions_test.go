package runbook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

// enforceOperatorPolicy makes srv check every call against the operator
// policy cfg.OperatorPolicy gives for command ("" for all four), as IAM would
// for a role holding only that policy: action, resource ARNs and condition
// keys (internal/fakeaws/iam_actions.go says which each call carries).
func enforceOperatorPolicy(t testing.TB, srv *fakeaws.Server, cfg config.Config, command string) policy.Document {
	t.Helper()
	doc, err := cfg.OperatorPolicy(fakeaws.AccountID, command)
	if err != nil {
		t.Fatalf("OperatorPolicy(%q): %v", command, err)
	}
	if err := srv.EnforcePolicy(doc.JSON()); err != nil {
		t.Fatalf("the fake cannot evaluate the operator policy for %q: %v\n%s", command, err, doc.JSON())
	}
	return doc
}

// Every call each command makes is allowed by that command's own policy,
// resources and conditions included (the fake enforces it), and the
// policies grant nothing no call needed: each action of a statement
// allowed some call, and so did each of its resource patterns. On the
// defaults, and with dns (the traffic switch) and a private ECR image.
// Each command runs toward each region, so a grant for either direction
// is exercised.
func TestPermissionsCoverEveryCall(t *testing.T) {
	t.Run("defaults", func(t *testing.T) { permissionsCoverEveryCall(t, setup(t, true)) })
	t.Run("dns and private ECR", func(t *testing.T) {
		e := setupWith(t, true, func(c *config.Config, d *fakeaws.Deployment) {
			withDNS(c, d)
			c.Service.Image = ecrImage
			for _, r := range c.Regions() {
				d.Images[r] = []string{"app:1.0"}
			}
		})
		permissionsCoverEveryCall(t, e)
		doc, _ := e.opt.Config.OperatorPolicy(fakeaws.AccountID, "failover")
		flip := doc.JSON()
		for _, s := range []string{`"Action":["s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::pilotlight-dev-switch-us-east-1-123456789012/standby-takes-over","arn:aws:s3:::pilotlight-dev-switch-us-west-2-123456789012/standby-takes-over"]`,
			"arn:aws:ecr:us-west-2:123456789012:repository/app", `"Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::pilotlight-dev-switch-us-east-1-123456789012","arn:aws:s3:::pilotlight-dev-switch-us-west-2-123456789012"]`} {
			if !strings.Contains(flip, s) {
				t.Errorf("failover policy lacks %s:\n%s", s, flip)
			}
		}
	})
}

func permissionsCoverEveryCall(t *testing.T, e *env) {
	e.opt.ScaleDownOld = true
	ctx := context.Background()
	run := func(command string, f func(rb *Runbook) error) {
		t.Helper()
		enforceOperatorPolicy(t, e.srv, e.opt.Config, command)
		e.out.Reset()
		calls := len(e.srv.Calls())
		if err := f(e.runbook(t)); err != nil {
			t.Fatalf("%s under its own policy: %v\n%s", command, err, e.out)
		}
		var denied []fakeaws.Call
		for _, c := range e.srv.Calls()[calls:] {
			if c.Denied {
				denied = append(denied, c)
			}
		}
		if len(denied) > 0 {
			t.Errorf("%s made calls its policy refused: %s", command, fakeaws.Summary(denied))
		}
	}
	status := func(rb *Runbook) error { _, err := rb.Status(ctx, false); return err }
	// failoverTo fails over to region with the other one dark, then brings
	// the other one back as a resynchronized secondary with no tasks (the
	// operator deployed its stack, as the failover's next steps say).
	failoverTo := func(region, other string) func(rb *Runbook) error {
		return func(rb *Runbook) error {
			e.srv.Dark(other, fakeaws.Drop)
			defer func() {
				e.srv.Dark(other, 0)
				e.d.Recover(other)
				e.d.Set(func(d *fakeaws.Deployment) { d.Desired[other], d.Running[other] = 0, 0 })
			}()
			return rb.Failover(ctx, region)
		}
	}
	run("status", status)
	run("switchover", func(rb *Runbook) error { return rb.Switchover(ctx, failover) })
	run("failover", failoverTo(primary, failover))
	run("failback", func(rb *Runbook) error { return rb.Failback(ctx, failover) })
	run("switchover", func(rb *Runbook) error { return rb.Switchover(ctx, primary) })
	run("failover", failoverTo(failover, primary))
	run("failback", func(rb *Runbook) error { return rb.Failback(ctx, primary) })
	run("status", status)
	// With activeRegion moved to the failover region (the config deployed
	// after a failover), the switch is the primary's object: the same
	// policy, deployed before the outage, must allow it.
	e.opt.Config.ActiveRegion = failover
	run("switchover", func(rb *Runbook) error { return rb.Switchover(ctx, failover) })
	run("switchover", func(rb *Runbook) error { return rb.Switchover(ctx, primary) })
	run("switchover", func(rb *Runbook) error { return rb.Switchover(ctx, failover) })
	checkAnswered(t, e.srv)

	all, err := e.opt.Config.OperatorPolicy(fakeaws.AccountID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range unusedGrants(t, all, e.srv.Authorizations()) {
		// Read only when tasks fail to start: TestTasksThatCannotStart runs
		// that failover under the policy.
		if strings.HasPrefix(u, "ListStoppedTasks:") || strings.HasPrefix(u, "ReadStoppedTasks:") {
			continue
		}
		t.Errorf("the policy grants what no command needed: %s", u)
	}

	var stdout, stderr bytes.Buffer
	if code := Main([]string{"policy", "--account", "111122223333", "--command", "failover"}, strings.NewReader(""), &stdout, &stderr, nil); code != ExitOK {
		t.Fatalf("policy: exit %d: %s", code, stderr.String())
	}
	var parsed map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &parsed); err != nil || !strings.Contains(stdout.String(), "arn:aws:rds::111122223333:global-cluster:pilotlight-dev") || strings.Contains(stdout.String(), "SwitchoverGlobalCluster") {
		t.Errorf("policy output (%v):\n%s", err, stdout.String())
	}
}

// unusedGrants lists each action, and each resource pattern, of doc's
// statements that allowed none of the authorized calls. A statement grants
// every action on every resource it lists, but IAM only ever checks a
// resource of the type the action takes, so a pattern counts as used when
// any of the statement's actions needed it.
func unusedGrants(t *testing.T, doc policy.Document, auths []fakeaws.IAMAuthorization) []string {
	t.Helper()
	var unused []string
	for _, s := range doc.Statements {
		usedAction := map[string]bool{}
		usedResource := map[string]bool{}
		for _, a := range s.Actions {
			for _, r := range s.Resources {
				one := policy.Document{Statements: []policy.Statement{{Actions: []string{a}, Resources: []string{r}, Condition: s.Condition}}}
				p, err := fakeaws.ParseIAMPolicy(one.JSON())
				if err != nil {
					t.Fatal(err)
				}
				for _, au := range auths {
					if !au.Allowed || !strings.EqualFold(au.Action, a) {
						continue
					}
					for _, res := range au.Resources {
						if p.Evaluate(fakeaws.IAMRequest{Action: au.Action, Resources: []string{res}, Context: au.Context}).Allowed {
							usedAction[a], usedResource[r] = true, true
						}
					}
				}
			}
		}
		for _, a := range s.Actions {
			if !usedAction[a] {
				unused = append(unused, fmt.Sprintf("%s: action %s", s.Sid, a))
			}
		}
		for _, r := range s.Resources {
			if !usedResource[r] {
				unused = append(unused, fmt.Sprintf("%s: resource %s", s.Sid, r))
			}
		}
	}
	return unused
}

// withStatement returns doc with the statement sid replaced by what f
// returns for it (none: removed).
func withStatement(t *testing.T, doc policy.Document, sid string, f func(s policy.Statement) []policy.Statement) policy.Document {
	t.Helper()
	var out policy.Document
	found := false
	for _, s := range doc.Statements {
		if s.Sid != sid {
			out.Statements = append(out.Statements, s)
			continue
		}
		found = true
		out.Statements = append(out.Statements, f(s)...)
	}
	if !found {
		t.Fatalf("the policy has no statement %s", sid)
	}
	return out
}

// A policy that is wrong in a way a name-only check cannot see makes the
// command fail with AccessDenied naming the action, at the call that needs
// it: a wrong resource ARN pattern, a missing action, a condition the call
// does not meet, an explicit Deny.
func TestWrongOperatorPolicyFailsWithAccessDenied(t *testing.T) {
	for _, c := range []struct {
		name, command, sid, action string
		change                     func(s policy.Statement) []policy.Statement
	}{
		{"wrong cluster ARN pattern", "failover", "FailoverAurora", "rds:FailoverGlobalCluster", func(s policy.Statement) []policy.Statement {
			var rs []string
			for _, r := range s.Resources {
				rs = append(rs, strings.Replace(r, ":cluster:", ":cluster:db-", 1)) // a cluster name the app does not use
			}
			s.Resources = rs
			return []policy.Statement{s}
		}},
		{"global cluster ARN with a region", "failover", "FailoverAurora", "rds:FailoverGlobalCluster", func(s policy.Statement) []policy.Statement {
			// The global cluster's ARN has no region (SAR, Amazon RDS,
			// resource type global-cluster).
			s.Resources = slices.Clone(s.Resources)
			s.Resources[0] = strings.Replace(s.Resources[0], "rds::", "rds:"+failover+":", 1)
			return []policy.Statement{s}
		}},
		{"datastore ARN as a replication group", "failover", "PromoteCache", "elasticache:FailoverGlobalReplicationGroup", func(s policy.Statement) []policy.Statement {
			s.Resources = []string{fmt.Sprintf("arn:aws:elasticache:%s:%s:replicationgroup:pilotlight-dev-%s", failover, fakeaws.AccountID, failover)}
			return []policy.Statement{s}
		}},
		{"missing action", "failover", "ScaleService", "ecs:UpdateService", func(policy.Statement) []policy.Statement { return nil }},
		{"condition on the wrong region", "failover", "FailoverAurora", "rds:FailoverGlobalCluster", func(s policy.Statement) []policy.Statement {
			s.Condition = map[string]map[string][]string{"StringEquals": {"aws:RequestedRegion": {primary}}}
			return []policy.Statement{s}
		}},
		{"condition on the wrong cluster", "failover", "ScaleService", "ecs:UpdateService", func(s policy.Statement) []policy.Statement {
			s.Condition = map[string]map[string][]string{"ArnLike": {"ecs:cluster": {"arn:aws:ecs:*:" + fakeaws.AccountID + ":cluster/other"}}}
			return []policy.Statement{s}
		}},
		{"explicit deny", "switchover", "SwitchoverAurora", "rds:SwitchoverGlobalCluster", func(s policy.Statement) []policy.Statement {
			deny := s // beside the grant, which stays
			deny.Sid, deny.Effect = "DenySwitchover", "Deny"
			return []policy.Statement{s, deny}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := setup(t, true)
			doc, err := e.opt.Config.OperatorPolicy(fakeaws.AccountID, c.command)
			if err != nil {
				t.Fatal(err)
			}
			doc = withStatement(t, doc, c.sid, c.change)
			if err := e.srv.EnforcePolicy(doc.JSON()); err != nil {
				t.Fatal(err)
			}
			if c.command == "failover" {
				e.srv.Dark(primary, fakeaws.Drop)
				err = e.runbook(t).Failover(context.Background(), failover)
			} else {
				err = e.runbook(t).Switchover(context.Background(), failover)
			}
			if err == nil {
				t.Fatalf("%s went through a policy with %s:\n%s", c.command, c.name, doc.JSON())
			}
			if !strings.Contains(err.Error(), "AccessDenied") || !strings.Contains(err.Error(), "not authorized to perform: "+c.action) {
				t.Errorf("%s: want AccessDenied naming %s, got %v", c.name, c.action, err)
			}
			var denied []string
			for _, call := range e.srv.Calls() {
				if call.Denied {
					denied = append(denied, call.Region+" "+call.Action)
				}
			}
			// SwitchoverGlobalCluster is sent to the writer's region, the
			// other calls to the target's (see auroraStep).
			region := failover
			if c.action == "rds:SwitchoverGlobalCluster" {
				region = primary
			}
			if want := region + " " + c.action[strings.Index(c.action, ":")+1:]; len(denied) == 0 || denied[0] != want {
				t.Errorf("%s: refused calls %q, want first %q", c.name, denied, want)
			}
		})
	}
}
