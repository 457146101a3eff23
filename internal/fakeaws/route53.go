package fakeaws

import (
	"fmt"
	"net/http"
	"strings"
)

// HostedZones are the public hosted zones the fake's Route 53 holds, by
// domain (no trailing dot); ids are the fake's own.
var HostedZones = map[string]string{
	"example.com": "Z0FAKEEXAMPLECOM0001",
}

const route53NS = `xmlns="https://route53.amazonaws.com/doc/2013-04-01/"`

// route53 answers the reads of the aws_route53_zone data source (REST-XML):
// ListHostedZones, GetHostedZone and ListTagsForResource.
func route53(r *Request) *Response {
	if r.HTTP.Method != http.MethodGet {
		return nil
	}
	path := strings.TrimPrefix(r.HTTP.URL.Path, "/2013-04-01/")
	zone := func(name, id string) string {
		return fmt.Sprintf("<HostedZone><Id>/hostedzone/%s</Id><Name>%s.</Name><CallerReference>fakeaws-%s</CallerReference><Config><Comment>fakeaws</Comment><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone>", id, name, id)
	}
	switch {
	case path == "hostedzone":
		var b strings.Builder
		for name, id := range HostedZones {
			b.WriteString(zone(name, id))
		}
		return XMLResult(http.StatusOK, fmt.Sprintf("<ListHostedZonesResponse %s><HostedZones>%s</HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems><Marker></Marker></ListHostedZonesResponse>", route53NS, b.String()))
	case strings.HasPrefix(path, "hostedzone/"):
		id := strings.TrimPrefix(path, "hostedzone/")
		for name, known := range HostedZones {
			if known == id {
				return XMLResult(http.StatusOK, fmt.Sprintf("<GetHostedZoneResponse %s>%s<DelegationSet><NameServers><NameServer>ns-1.awsdns-01.org</NameServer><NameServer>ns-2.awsdns-02.com</NameServer></NameServers></DelegationSet></GetHostedZoneResponse>", route53NS, zone(name, id)))
			}
		}
		return XMLResult(http.StatusNotFound, fmt.Sprintf("<ErrorResponse %s><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: %s</Message></Error><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>", route53NS, id))
	case strings.HasPrefix(path, "tags/hostedzone/"):
		id := strings.TrimPrefix(path, "tags/hostedzone/")
		return XMLResult(http.StatusOK, fmt.Sprintf("<ListTagsForResourceResponse %s><ResourceTagSet><ResourceType>hostedzone</ResourceType><ResourceId>%s</ResourceId><Tags></Tags></ResourceTagSet></ListTagsForResourceResponse>", route53NS, id))
	}
	return nil
}
