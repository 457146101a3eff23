package dns_test

import (
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
		Env: env, AlarmName: "shop-prod-traffic-switch",
		Namespace: "Pilotlight/TrafficSwitch", MetricName: "StandbyTakesOver",
		Dimensions: map[string]string{"App": "shop-prod"},
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
	// CLOUDWATCH_METRIC needs the alarm's name and region; the standby's
	// switch, read as the standby stack's output.
	if sw["type"] != "CLOUDWATCH_METRIC" || sw["cloudwatch_alarm_region"] != "us-west-2" || sw["insufficient_data_health_status"] != "LastKnownStatus" ||
		!strings.Contains(sw["cloudwatch_alarm_name"].(string), "terraform_remote_state") {
		t.Errorf("switch check = %v", sw)
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

func TestTrafficSwitchIsAnAlarmRoute53CanRead(t *testing.T) {
	stack, env := synthtest.NewStack("us-west-2")
	newSwitch(t, stack, env)
	a := synthtest.Synth(t, stack).Resource(t, "aws_cloudwatch_metric_alarm")
	// Route 53 reads alarms on standard-resolution metrics (period a
	// multiple of 60) with Average, Minimum, Maximum, Sum or SampleCount.
	if a["statistic"] != "Maximum" || a["period"] != 60.0 || a["evaluation_periods"] != 1.0 || a["threshold"] != 1.0 ||
		a["comparison_operator"] != "GreaterThanOrEqualToThreshold" || a["treat_missing_data"] != "ignore" ||
		synthtest.Get(a, "dimensions.App") != "shop-prod" || a["namespace"] != "Pilotlight/TrafficSwitch" {
		t.Errorf("alarm = %v", a)
	}
	if a["alarm_actions"] != nil || a["metric_query"] != nil {
		t.Errorf("the switch alarm must be a plain metric alarm with no actions: %v", a)
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
