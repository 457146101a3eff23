package dns_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/dns"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func newSwitch(t *testing.T, stack cdktf.TerraformStack, env awsenv.Env) *dns.TrafficSwitch {
	t.Helper()
	sw, err := dns.NewTrafficSwitch(stack, "switch", dns.TrafficSwitchProps{
		Env: env, BucketName: "shop-prod-switch-" + env.Region + "-123456789012", Key: "standby-takes-over",
		AccessLogBucket: jsii.String("shop-prod-access-logs-" + env.Region + "-123456789012"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

func failoverProps(env awsenv.Env, sw *dns.TrafficSwitch) dns.FailoverNameProps {
	return dns.FailoverNameProps{
		Env: env, ZoneID: jsii.String("Z0123456789ABCDEFGHIJ"), ZoneName: "example.com", Name: "origin.example.com",
		HealthCheckPath: "/healthz",
		Active:          dns.Endpoint{Region: "us-east-1", Domain: "us-east-1.origin.example.com", Target: jsii.String("a.us-east-1.elb.amazonaws.com")},
		Standby:         dns.Endpoint{Region: "us-west-2", Domain: "us-west-2.origin.example.com", Target: jsii.String("b.us-west-2.elb.amazonaws.com")},
		Others:          []dns.Endpoint{{Region: "us-east-2", Domain: "us-east-2.origin.example.com", Target: jsii.String("c.us-east-2.elb.amazonaws.com")}},
		Switch:          sw,
	}
}

// synthFailoverName builds the switch in a us-west-2 stack and the name in
// a us-east-1 stack of one app, as the app does.
func synthFailoverName(t *testing.T, mutate func(*dns.FailoverNameProps)) synthtest.Template {
	t.Helper()
	app := synthtest.NewApp(t)
	standby, standbyEnv := synthtest.NewStackIn(app, "standby", "us-west-2")
	sw := newSwitch(t, standby, standbyEnv)
	edge, env := synthtest.NewStackIn(app, "edge", "us-east-1")
	p := failoverProps(env, sw)
	if mutate != nil {
		mutate(&p)
	}
	if _, err := dns.NewFailoverName(edge, "name", p); err != nil {
		t.Fatal(err)
	}
	return synthtest.SynthApp(t, app)["edge"]
}

func byID(tpl synthtest.Template, typ, idPart string) synthtest.Object {
	for id, r := range tpl.Resources(typ) {
		if strings.Contains(id, idPart) {
			return r
		}
	}
	return nil
}

func TestPrimaryIsHealthyOnlyWhileEndpointAnswersAndSwitchIsOff(t *testing.T) {
	tpl := synthFailoverName(t, nil)
	active := byID(tpl, "aws_route53_health_check", "_active_")
	sw := byID(tpl, "aws_route53_health_check", "_switch_")
	endpoint := byID(tpl, "aws_route53_health_check", "us-east-1-endpoint")
	if active == nil || sw == nil || endpoint == nil {
		t.Fatalf("health checks: %v", tpl.Resources("aws_route53_health_check"))
	}
	// aws_route53_health_check: CALCULATED takes child_healthchecks and a
	// child_health_threshold of 0 to 256; 2 of 2 means both must pass.
	children := active["child_healthchecks"].([]any)
	if active["type"] != "CALCULATED" || active["child_health_threshold"] != 2.0 || len(children) != 2 ||
		!strings.Contains(children[0].(string), "_switch_") || !strings.Contains(children[1].(string), "us-east-1-endpoint") {
		t.Errorf("active check = %v", active)
	}
	// The switch: an HTTPS check on the standby's object, inverted, so the
	// object present (200) fails the PRIMARY and absent (403/404) or
	// unanswered passes it. aws_route53_health_check (provider docs): an
	// endpoint check needs fqdn or ip_address (with only fqdn, Route 53
	// resolves it and sends it as Host and, with enable_sni, as SNI, which
	// S3 needs to pick the bucket); invert_healthcheck inverts the status;
	// a disabled check is always healthy, so it must not be disabled;
	// search_string is for *_STR_MATCH only; cloudwatch_alarm_* and
	// insufficient_data_health_status are for CLOUDWATCH_METRIC only. The
	// bucket's name is the standby stack's output.
	if sw["type"] != "HTTPS" || sw["port"] != 443.0 || sw["resource_path"] != "/standby-takes-over" || sw["invert_healthcheck"] != true || sw["enable_sni"] != true ||
		sw["request_interval"] != 10.0 || sw["failure_threshold"] != 3.0 || sw["ip_address"] != nil || sw["disabled"] != nil || sw["search_string"] != nil ||
		sw["cloudwatch_alarm_name"] != nil || sw["insufficient_data_health_status"] != nil {
		t.Errorf("switch check = %v", sw)
	}
	if fqdn, _ := sw["fqdn"].(string); !strings.Contains(fqdn, "terraform_remote_state") || !strings.HasSuffix(fqdn, ".s3.us-west-2.amazonaws.com") {
		t.Errorf("switch check fqdn = %v; want the standby's bucket, virtual-hosted in us-west-2", sw["fqdn"])
	}
	primary := byID(tpl, "aws_route53_record", "PRIMARY")
	secondary := byID(tpl, "aws_route53_record", "SECONDARY")
	if !strings.Contains(primary["health_check_id"].(string), "_active_") || !strings.Contains(secondary["health_check_id"].(string), "us-west-2-endpoint") {
		t.Errorf("records' health checks: primary %v, secondary %v", primary["health_check_id"], secondary["health_check_id"])
	}
	for role, r := range map[string]synthtest.Object{"primary": primary, "secondary": secondary} {
		// aws_route53_record: set_identifier is required with a routing
		// policy; records and ttl are required for non-alias records.
		if r["set_identifier"] != role || r["name"] != "origin.example.com" || r["type"] != "CNAME" || r["ttl"] != 60.0 || len(r["records"].([]any)) != 1 {
			t.Errorf("%s record = %v", role, r)
		}
	}
}

func TestEndpointChecksAreHTTPSOnTheRegionalName(t *testing.T) {
	tpl := synthFailoverName(t, func(p *dns.FailoverNameProps) { p.HealthCheckInterval, p.FailureThreshold, p.TTL = 30, 5, 20 })
	checks := 0
	for id, c := range tpl.Resources("aws_route53_health_check") {
		if !strings.Contains(id, "-endpoint") {
			continue
		}
		checks++
		// ids are name_REGION-endpoint_HASH
		region := strings.Split(id, "-endpoint")[0]
		region = region[strings.Index(region, "_")+1:]
		// request_interval is 10 or 30 and failure_threshold 1 to 10 (Route
		// 53 API, HealthCheckConfig); SNI lets the ALB pick the certificate.
		if c["type"] != "HTTPS" || c["port"] != 443.0 || c["fqdn"] != region+".origin.example.com" || c["resource_path"] != "/healthz" ||
			c["request_interval"] != 30.0 || c["failure_threshold"] != 5.0 || c["enable_sni"] != true {
			t.Errorf("%s = %v", id, c)
		}
	}
	if checks != 2 {
		t.Errorf("%d endpoint checks; want the active's and the standby's", checks)
	}
	for id, c := range tpl.Resources("aws_route53_health_check") {
		// Route 53 refuses to delete a health check a record uses.
		if synthtest.Get(c, "lifecycle.create_before_destroy") != true {
			t.Errorf("%s is not replaced create-before-destroy", id)
		}
	}
	regional := 0
	for _, r := range tpl.Resources("aws_route53_record") {
		if r["failover_routing_policy"] == nil {
			regional++
			if r["ttl"] != 20.0 || !strings.HasSuffix(r["name"].(string), ".origin.example.com") {
				t.Errorf("regional record = %v", r)
			}
		}
	}
	if regional != 3 {
		t.Errorf("%d regional records; want one per region", regional)
	}
}

// The switch's bucket makes exactly one key public, for reading only, and
// keeps every other protection: S3-managed encryption (S3 refuses anonymous
// reads of SSE-KMS objects), TLS 1.2+ only, public ACLs blocked and
// ignored, versions, server access logs; the pack's public-access rule is
// suppressed on this bucket with its reason.
func TestTrafficSwitchIsOnePublicObjectOnly(t *testing.T) {
	app := synthtest.NewApp(t)
	stack, env := synthtest.NewStackIn(app, "standby", "us-west-2")
	sw := newSwitch(t, stack, env)
	if sw.Key != "standby-takes-over" || sw.ResourcePath != "/standby-takes-over" || sw.Region != "us-west-2" {
		t.Errorf("switch = %+v", sw)
	}
	// A whole-app synth keeps the resources' "//" comment block.
	tpl := synthtest.SynthApp(t, app)["standby"]
	b := tpl.Resource(t, "aws_s3_bucket")
	if b["bucket"] != "shop-prod-switch-us-west-2-123456789012" {
		t.Errorf("bucket = %v", b["bucket"])
	}
	if reason, _ := synthtest.Get(b, "//.suppressions.AwsSolutions-S2").(string); !strings.Contains(reason, "Route 53 health checkers") {
		t.Errorf("AwsSolutions-S2 not suppressed with its reason: %v", b["//"])
	}
	pab := tpl.Resource(t, "aws_s3_bucket_public_access_block")
	if pab["block_public_acls"] != true || pab["ignore_public_acls"] != true || pab["block_public_policy"] != false || pab["restrict_public_buckets"] != false {
		t.Errorf("public access block = %v", pab)
	}
	pol := tpl.Resource(t, "aws_s3_bucket_policy")
	if deps, _ := pol["depends_on"].([]any); len(deps) != 1 || !strings.Contains(deps[0].(string), "aws_s3_bucket_public_access_block") {
		t.Errorf("the bucket policy must wait for the public access block to allow it: depends_on %v", pol["depends_on"])
	}
	doc := synthtest.Policy(t, pol["policy"])
	var allows int
	for _, st := range doc["Statement"].([]any) {
		st := st.(map[string]any)
		if st["Effect"] != "Allow" {
			continue
		}
		allows++
		res := st["Resource"].([]any)
		act := st["Action"].([]any)
		if len(act) != 1 || act[0] != "s3:GetObject" || len(res) != 1 || res[0] != "arn:aws:s3:::shop-prod-switch-us-west-2-123456789012/standby-takes-over" || st["Condition"] != nil {
			t.Errorf("public statement grants more than reading the one key: %v", st)
		}
	}
	if allows != 1 || !strings.Contains(pol["policy"].(string), "aws:SecureTransport") {
		t.Errorf("policy: %d Allow statements, want 1, and TLS required:\n%v", allows, pol["policy"])
	}
	sse := tpl.Resource(t, "aws_s3_bucket_server_side_encryption_configuration")
	if !strings.Contains(fmt.Sprint(sse["rule"]), "AES256") {
		t.Errorf("encryption = %v; want SSE-S3", sse["rule"])
	}
	if len(tpl.Resources("aws_s3_bucket_versioning")) != 1 || len(tpl.Resources("aws_s3_bucket_logging")) != 1 {
		t.Errorf("versioning %v, logging %v", tpl.Resources("aws_s3_bucket_versioning"), tpl.Resources("aws_s3_bucket_logging"))
	}
}

func TestTrafficSwitchReportsEveryProblemAtOnce(t *testing.T) {
	stack, _ := synthtest.NewStack("us-west-2")
	_, err := dns.NewTrafficSwitch(stack, "switch", dns.TrafficSwitchProps{BucketName: "Shop.Switch", Key: "stand*by"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"Env", "BucketName", "Key", "AccessLogBucket"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	for key, ok := range map[string]bool{"standby-takes-over": true, "": false, "a/b": false, "*": false, strings.Repeat("k", 255): false, "v1.switch_on": true} {
		if err := dns.ValidateSwitchKey(key); (err == nil) != ok {
			t.Errorf("ValidateSwitchKey(%q) = %v, want ok %v", key, err, ok)
		}
	}
}

func TestFailoverNameReportsEveryProblemAtOnce(t *testing.T) {
	_, env := synthtest.NewStack("us-east-1")
	_, westEnv := synthtest.NewStack("us-east-2")
	stack, _ := synthtest.NewStack("us-east-2")
	wrongRegion := newSwitch(t, stack, westEnv)
	p := failoverProps(env, wrongRegion)
	p.ZoneID = jsii.String("/hostedzone/Z123")
	p.Name = "example.com"
	p.Standby.Domain = "us-west-2.origin.example.org"
	p.TTL = 900
	p.HealthCheckInterval = 20
	p.FailureThreshold = 11
	p.Others[0].Domain = p.Active.Domain
	_, err := dns.NewFailoverName(stack, "name", p)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"ZoneID", "apex", "not in the hosted zone example.com", "TTL: 900", "interval 20", "failure threshold 11", "both \"us-east-1.origin.example.com\"", "standby region us-west-2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestZeroValuesTakeDefaultsAndTokensAreAccepted(t *testing.T) {
	tpl := synthFailoverName(t, func(p *dns.FailoverNameProps) {
		p.HealthCheckPath, p.TTL = "", 0
		p.ZoneID = cdktf.Token_AsString(cdktf.Fn_Lower(jsii.String("Z0123")), nil)
	})
	c := byID(tpl, "aws_route53_health_check", "us-east-1-endpoint")
	if c["resource_path"] != "/" || c["request_interval"] != 10.0 || c["failure_threshold"] != 3.0 {
		t.Errorf("defaults not applied: %v", c)
	}
	if r := byID(tpl, "aws_route53_record", "PRIMARY"); r["ttl"] != 60.0 || !strings.Contains(r["zone_id"].(string), "lower") {
		t.Errorf("primary = %v", r)
	}
}

func TestCertificateIsUsableOnlyOnceIssued(t *testing.T) {
	app := synthtest.NewApp(t)
	stack, zoneEnv := synthtest.NewStackIn(app, "global", "us-east-1")
	regional := awsenv.Env{Provider: zoneEnv.Provider, Region: "us-west-2", Partition: "aws", AccountID: zoneEnv.AccountID}
	cert, err := dns.NewCertificate(stack, "cert", dns.CertificateProps{Env: regional, ZoneEnv: zoneEnv, ZoneID: jsii.String("Z0123"), ZoneName: "example.com",
		DomainName: "origin.example.com", SubjectAlternativeNames: []string{"us-west-2.origin.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if cert.Region != "us-west-2" {
		t.Errorf("region = %s", cert.Region)
	}
	tpl := synthtest.SynthApp(t, app)["global"]
	c := tpl.Resource(t, "aws_acm_certificate")
	// aws_acm_certificate: DNS validation; create_before_destroy because a
	// listener holds it.
	if c["validation_method"] != "DNS" || synthtest.Get(c, "lifecycle.create_before_destroy") != true {
		t.Errorf("certificate = %v", c)
	}
	records := tpl.Resources("aws_route53_record")
	if len(records) != 2 {
		t.Errorf("%d validation records; want one per name", len(records))
	}
	for _, rec := range records {
		// Keys known at plan: no for_each over domain_validation_options.
		if rec["for_each"] != nil || rec["allow_overwrite"] != true || !strings.Contains(rec["name"].(string), "domain_validation_options") {
			t.Errorf("validation record = %v", rec)
		}
	}
	v := tpl.Resource(t, "aws_acm_certificate_validation")
	if fqdns := v["validation_record_fqdns"].([]any); len(fqdns) != 2 || !strings.Contains(fqdns[0].(string), ".fqdn") {
		t.Errorf("validation waits on %v", v["validation_record_fqdns"])
	}
	if !strings.Contains(*cert.Arn, "TfToken") {
		t.Errorf("Arn = %s; want the validation's certificate_arn token", *cert.Arn)
	}
}

func TestCertificateRefusesNamesOutsideTheZone(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	_, err := dns.NewCertificate(stack, "cert", dns.CertificateProps{Env: env, ZoneEnv: env, ZoneID: jsii.String("bad"), ZoneName: "example.com",
		DomainName: "origin.example.org", SubjectAlternativeNames: []string{"*.example.com"}})
	_, err2 := dns.NewCertificate(stack, "long", dns.CertificateProps{Env: env, ZoneEnv: env, ZoneID: jsii.String("Z0123"), ZoneName: "example.com",
		DomainName: strings.Repeat("a", 60) + ".example.com"})
	if err2 == nil || !strings.Contains(err2.Error(), "at most 64") {
		t.Errorf("a 72-character common name: %v", err2)
	}
	for _, want := range []string{"ZoneID", "DomainName", "SubjectAlternativeNames[0]"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}
