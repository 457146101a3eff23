package dns_test

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/pilotlight/pilotlight/constructs/dns"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

// Each name gets an A and an AAAA alias to the target, with target health
// off (Route 53 refuses it for a CloudFront target).
func TestAliasRecords(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	_, err := dns.NewAliasRecords(stack, "aliases", dns.AliasRecordsProps{
		Env: env, ZoneID: jsii.String("Z0123456789ABCDEFGHIJ"), ZoneName: "example.com",
		Names:            []string{"shop.example.com", "example.com"},
		TargetDomainName: jsii.String("d111111abcdef8.cloudfront.net"), TargetZoneID: jsii.String("Z2FDTNDATAQYW2"),
	})
	if err != nil {
		t.Fatal(err)
	}
	tpl := synthtest.Synth(t, stack)
	got := map[string]bool{}
	for _, r := range tpl.Resources("aws_route53_record") {
		alias := r["alias"].(map[string]any)
		if r["zone_id"] != "Z0123456789ABCDEFGHIJ" || alias["name"] != "d111111abcdef8.cloudfront.net" || alias["zone_id"] != "Z2FDTNDATAQYW2" || alias["evaluate_target_health"] != false {
			t.Errorf("record %v", r)
		}
		got[r["name"].(string)+" "+r["type"].(string)] = true
	}
	for _, want := range []string{"shop.example.com A", "shop.example.com AAAA", "example.com A", "example.com AAAA"} {
		if !got[want] {
			t.Errorf("no %s record: %v", want, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("records %v, want 4", got)
	}
}

func TestAliasRecordsRefuseNamesOutsideTheZone(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	_, err := dns.NewAliasRecords(stack, "aliases", dns.AliasRecordsProps{
		Env: env, ZoneID: jsii.String("Z0123456789ABCDEFGHIJ"), ZoneName: "example.com",
		Names:            []string{"shop.example.org", "badexample.com"},
		TargetDomainName: jsii.String("d.cloudfront.net"), TargetZoneID: jsii.String("Z2FDTNDATAQYW2"),
	})
	if err == nil || !strings.Contains(err.Error(), `"shop.example.org" is not in the zone example.com`) || !strings.Contains(err.Error(), `"badexample.com"`) {
		t.Errorf("got %v", err)
	}
	for name, want := range map[string]bool{"example.com": true, "Shop.Example.com.": true, "a.b.example.com": true, "badexample.com": false, "example.com.evil": false} {
		if dns.InZone(name, "example.com") != want {
			t.Errorf("InZone(%q) != %v", name, want)
		}
	}
}
