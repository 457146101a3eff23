// Package dns holds the Route 53 and ACM limits and checks of the failover
// name and its certificate: domain names, zone ids, health check intervals,
// thresholds and paths, TTLs, and the failover name's defaults. It is the
// jsii-free half of constructs/dns (see package spec).
package dns

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pilotlight/pilotlight/timing"
)

// Limits of Route 53 health checks (Route 53 API reference, HealthCheckConfig):
// RequestInterval is 10 or 30 seconds and cannot change after creation;
// FailureThreshold is 1 to 10.
var HealthCheckIntervals = []int{10, 30}

// The consecutive failed checks after which Route 53 calls an endpoint
// unhealthy: FailureThreshold is 1 to 10 (Route 53 API Reference,
// HealthCheckConfig).
const (
	MinFailureThreshold = 1
	MaxFailureThreshold = 10
)

const (
	// MaxTTL bounds the failover records' TTL: every second of it is added to
	// the time a switch takes to reach resolvers (and CloudFront).
	MaxTTL = 300
)

var (
	zoneIDPattern = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	domainPattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// ValidateZoneID reports whether id looks like a Route 53 hosted zone id
// (Z followed by upper-case letters and digits, as the console shows it,
// without the /hostedzone/ prefix).
func ValidateZoneID(id string) error {
	if !zoneIDPattern.MatchString(id) {
		return fmt.Errorf("%q is not a hosted zone id: Z followed by upper-case letters and digits (for example Z0123456789ABCDEFGHIJ), without /hostedzone/", id)
	}
	return nil
}

// ValidateDomainName reports whether name is a lower-case, fully qualified
// domain name without a trailing dot, at most 253 characters.
func ValidateDomainName(name string) error {
	switch {
	case len(name) > 253:
		return fmt.Errorf("%q: %d characters; a domain name has at most 253", name, len(name))
	case !strings.Contains(name, "."):
		return fmt.Errorf("%q: a name in a zone you own needs at least two labels, such as example.com", name)
	}
	for _, label := range strings.Split(name, ".") {
		if len(label) > 63 {
			return fmt.Errorf("%q: the label %.20s... has %d characters; a label has at most 63", name, label, len(label))
		}
	}
	if !domainPattern.MatchString(name) {
		return fmt.Errorf("%q is not a lower-case domain name such as origin.example.com (letters, digits and hyphens; no trailing dot, no wildcard)", name)
	}
	return nil
}

// ValidateNameInZone reports whether name is a name below zone that a CNAME
// record can have: inside the zone, and not its apex (DNS allows no CNAME
// beside the apex's SOA and NS records).
func ValidateNameInZone(name, zone string) error {
	if name == zone {
		return fmt.Errorf("%q is the zone's apex, which cannot hold a CNAME; use a name below it, such as origin.%s", name, zone)
	}
	if !strings.HasSuffix(name, "."+zone) {
		return fmt.Errorf("%q is not in the hosted zone %s; use a name ending in .%s", name, zone, zone)
	}
	return nil
}

// ValidateHealthCheck reports whether interval (seconds) and threshold are
// values Route 53 accepts.
func ValidateHealthCheck(interval, threshold int) error {
	var problems []string
	if interval != HealthCheckIntervals[0] && interval != HealthCheckIntervals[1] {
		problems = append(problems, fmt.Sprintf("interval %d s: Route 53 checks every 10 or 30 seconds", interval))
	}
	if threshold < MinFailureThreshold || threshold > MaxFailureThreshold {
		problems = append(problems, fmt.Sprintf("failure threshold %d: use %d to %d consecutive checks", threshold, MinFailureThreshold, MaxFailureThreshold))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// ValidateTTL reports whether ttl (seconds) suits a failover record.
func ValidateTTL(ttl int) error {
	if ttl < 1 || ttl > MaxTTL {
		return fmt.Errorf("%d s: use 1 to %d seconds (the TTL adds to every switch's time; 60 is usual)", ttl, MaxTTL)
	}
	return nil
}

// MaxHealthCheckPath is the longest path a Route 53 health check requests:
// 255 characters (Route 53 API Reference, HealthCheckConfig, ResourcePath).
// A load balancer's own health check takes up to 1024, so a path that suits
// the target group can still be refused by Route 53.
const MaxHealthCheckPath = 255

// ValidateHealthCheckPath reports whether path can be a Route 53 health
// check's resource path: starting with / and at most MaxHealthCheckPath
// characters.
func ValidateHealthCheckPath(path string) error {
	if !strings.HasPrefix(path, "/") || len(path) > MaxHealthCheckPath {
		return fmt.Errorf("%q (%d characters) must start with / and be at most %d characters: Route 53 health checks request it (Route 53 API Reference, HealthCheckConfig)", path, len(path), MaxHealthCheckPath)
	}
	return nil
}

// MaxCommonName is the longest DomainName ACM accepts: the certificate's
// common name, 64 octets (ACM API reference, RequestCertificate; RFC 5280).
// Subject alternative names may be up to 253.
const MaxCommonName = 64

// The defaults of FailoverNameProps: a 60 s TTL and Route 53's fast checks
// (10 s, 3 failures); held in package timing, whose RTO budget prices them
// (`pilotlight rto`, docs/rto.md).
const (
	DefaultTTL                 = timing.DefaultTTL
	DefaultHealthCheckInterval = timing.DefaultHealthCheckInterval
	DefaultFailureThreshold    = timing.DefaultFailureThreshold
)
