package dns_test

import (
	"strings"
	"testing"

	"github.com/pilotlight/pilotlight/spec/dns"
)

// Each check takes what Route 53 and ACM take and refuses the rest with
// the reason.
func TestValidators(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string // "" when the value is valid
	}{
		{"zone id", dns.ValidateZoneID("Z0123456789ABCDEFGHIJ"), ""},
		{"zone id with prefix", dns.ValidateZoneID("/hostedzone/Z0123456789ABCDEFGHIJ"), "without /hostedzone/"},
		{"domain", dns.ValidateDomainName("origin.example.com"), ""},
		{"one label", dns.ValidateDomainName("localhost"), "at least two labels"},
		{"trailing dot", dns.ValidateDomainName("origin.example.com."), "no trailing dot"},
		{"upper case", dns.ValidateDomainName("Origin.example.com"), "lower-case"},
		{"long label", dns.ValidateDomainName(strings.Repeat("a", 64) + ".example.com"), "at most 63"},
		{"name in zone", dns.ValidateNameInZone("origin.example.com", "example.com"), ""},
		{"apex", dns.ValidateNameInZone("example.com", "example.com"), "apex"},
		{"outside the zone", dns.ValidateNameInZone("origin.example.org", "example.com"), "not in the hosted zone"},
		{"fast checks", dns.ValidateHealthCheck(10, 3), ""},
		{"interval", dns.ValidateHealthCheck(20, 3), "10 or 30 seconds"},
		{"threshold", dns.ValidateHealthCheck(30, 11), "1 to 10"},
		{"ttl", dns.ValidateTTL(dns.DefaultTTL), ""},
		{"ttl too long", dns.ValidateTTL(dns.MaxTTL + 1), "1 to 300 seconds"},
		{"path", dns.ValidateHealthCheckPath("/healthz"), ""},
		{"path too long", dns.ValidateHealthCheckPath("/" + strings.Repeat("a", dns.MaxHealthCheckPath)), "at most 255"},
	} {
		switch {
		case tc.want == "" && tc.err != nil:
			t.Errorf("%s: refused: %v", tc.name, tc.err)
		case tc.want != "" && (tc.err == nil || !strings.Contains(tc.err.Error(), tc.want)):
			t.Errorf("%s: want an error saying %q, got %v", tc.name, tc.want, tc.err)
		}
	}
	if err := dns.ValidateHealthCheck(dns.DefaultHealthCheckInterval, dns.DefaultFailureThreshold); err != nil {
		t.Errorf("the defaults are refused: %v", err)
	}
}
