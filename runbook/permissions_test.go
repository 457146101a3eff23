package runbook

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

// Every call each command makes against the fake is an action its
// Permissions grant, and nothing is granted that no command uses: on the
// defaults, and with dns (the traffic switch) and a private ECR image.
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
		doc, _ := Permissions(e.opt.Config, fakeaws.AccountID, "failover")
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
	iamPrefix := map[string]string{"rds": "rds", "elasticache": "elasticache", "ecs": "ecs", "elasticloadbalancing": "elasticloadbalancing", "monitoring": "cloudwatch", "ec2": "ec2", "ecr": "ecr"}
	e.opt.ScaleDownOld = true
	used := map[string]bool{}
	check := func(command string, calls []fakeaws.Call) {
		doc, err := Permissions(e.opt.Config, fakeaws.AccountID, command)
		if err != nil {
			t.Fatal(err)
		}
		var granted []string
		for _, s := range doc.Statements {
			granted = append(granted, s.Actions...)
		}
		for _, c := range calls {
			actions := []string{iamPrefix[c.Service] + ":" + c.Action}
			switch {
			case c.Service == "sts" && c.Action == "GetCallerIdentity":
				continue // needs no permission
			case c.Service == "s3" && strings.HasPrefix(c.Action, "GET /") && s3Action(c) == c.Action:
				actions = []string{"s3:GetReplicationConfiguration"} // REST: GET /BUCKET?replication
			case c.Service == "s3" && s3Action(c) == "HeadObject":
				// S3 API Reference, HeadObject, "Permissions": s3:GetObject,
				// and s3:ListBucket for a 404 (not a 403) on an absent key.
				actions = []string{"s3:GetObject", "s3:ListBucket"}
			case c.Service == "s3":
				actions = []string{"s3:" + s3Action(c)}
			}
			for _, action := range actions {
				used[action] = true
				if !slices.Contains(granted, action) {
					t.Errorf("%s calls %s (in %s), which its policy does not grant", command, action, c.Region)
				}
			}
		}
	}
	ctx := context.Background()
	mark := 0
	since := func() []fakeaws.Call { c := e.srv.Calls()[mark:]; mark += len(c); return c }
	if _, err := e.runbook(t).Status(ctx, false); err != nil {
		t.Fatal(err)
	}
	check("status", since())
	if err := e.runbook(t).Switchover(ctx, failover); err != nil {
		t.Fatal(err)
	}
	check("switchover", since())
	e.srv.Dark(failover, fakeaws.Drop)
	if err := e.runbook(t).Failover(ctx, primary); err != nil {
		t.Fatal(err)
	}
	check("failover", since())
	e.srv.Dark(failover, 0)
	e.d.Recover(failover)
	e.d.Set(func(d *fakeaws.Deployment) { d.Desired[failover], d.Running[failover] = 0, 0 })
	if err := e.runbook(t).Failback(ctx, failover); err != nil {
		t.Fatalf("failback: %v\n%s", err, e.out)
	}
	check("failback", since())
	// Back to activeRegion before the config changes: the switch is reset.
	if err := e.runbook(t).Switchover(ctx, primary); err != nil {
		t.Fatalf("switchover back: %v\n%s", err, e.out)
	}
	check("switchover", since())

	all, _ := Permissions(e.opt.Config, fakeaws.AccountID, "")
	for _, s := range all.Statements {
		for _, a := range s.Actions {
			if !used[a] {
				t.Errorf("the policy grants %s, which no command called", a)
			}
		}
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
