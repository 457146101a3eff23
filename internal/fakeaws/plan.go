package fakeaws

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
)

// registerPlanHandlers answers the read calls a Terraform plan of the app's
// stacks makes: the provider's configure step (STS), and the data sources
// (availability zones, managed prefix lists, generated and replicated
// secrets, CloudFront managed policies, Route 53 hosted zones, an existing
// Aurora cluster with its subnet group and VPC). Resources make no calls in
// a plan with -refresh=false or an empty state.
func registerPlanHandlers(s *Server) {
	s.Handle("sts", sts)
	s.Handle("ec2", func(r *Request) *Response { return ec2(r, s.availabilityZones()) })
	s.Handle("secretsmanager", secretsManager)
	s.Handle("cloudfront", cloudFront)
	s.Handle("route53", route53)
	s.Handle("rds", rds)
	s.s3 = newS3()
	s.Handle("s3", s.s3.handle)
}

func sts(r *Request) *Response {
	if r.Action != "GetCallerIdentity" {
		return nil
	}
	return QueryResult(r.Action, "https://sts.amazonaws.com/doc/2011-06-15/",
		fmt.Sprintf("<Arn>arn:aws:iam::%[1]s:user/pilotlight-test</Arn><UserId>AIDAFAKEPILOTLIGHT</UserId><Account>%[1]s</Account>", AccountID))
}

// ManagedPrefixLists are the AWS-managed prefix lists the fake knows, by
// name; ids are the fake's own.
var ManagedPrefixLists = map[string]string{
	"com.amazonaws.global.cloudfront.origin-facing": "pl-00000000000cf0001",
}

func ec2(r *Request, zones int) *Response {
	switch r.Action {
	case "DescribeAvailabilityZones":
		var b strings.Builder
		b.WriteString("<availabilityZoneInfo>")
		for i, letter := range []string{"a", "b", "c"}[:zones] {
			fmt.Fprintf(&b, `<item><zoneName>%[1]s%[2]s</zoneName><zoneId>%[3]s-az%[4]d</zoneId><zoneState>available</zoneState><regionName>%[1]s</regionName><optInStatus>opt-in-not-required</optInStatus><groupName>%[1]s</groupName><networkBorderGroup>%[1]s</networkBorderGroup><zoneType>availability-zone</zoneType><messageSet/></item>`,
				r.Region, letter, regionCode(r.Region), i+1)
		}
		b.WriteString("</availabilityZoneInfo>")
		return EC2Result(r.Action, b.String())
	case "DescribeManagedPrefixLists":
		var b strings.Builder
		b.WriteString("<prefixListSet>")
		lists := maps.Clone(ManagedPrefixLists)
		// Route 53's health checkers' list is named for the region it is in.
		lists["com.amazonaws."+r.Region+".route53-healthchecks"] = "pl-00000000000530001"
		for name, id := range lists {
			if !filterMatches(r, "prefix-list-name", name) || !filterMatches(r, "prefix-list-id", id) {
				continue
			}
			fmt.Fprintf(&b, `<item><prefixListId>%s</prefixListId><addressFamily>IPv4</addressFamily><state>create-complete</state><prefixListArn>arn:aws:ec2:%s:aws:prefix-list/%s</prefixListArn><prefixListName>%s</prefixListName><maxEntries>55</maxEntries><version>1</version><ownerId>AWS</ownerId><tagSet/></item>`,
				id, r.Region, id, name)
		}
		b.WriteString("</prefixListSet>")
		return EC2Result(r.Action, b.String())
	case "GetManagedPrefixListEntries":
		return EC2Result(r.Action, `<entrySet><item><cidr>120.52.22.96/27</cidr></item><item><cidr>205.251.249.0/24</cidr></item></entrySet>`)
	}
	return existingVpc(r)
}

// regionCode is the zone-id prefix of a region, such as use1 for us-east-1.
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	dir := map[string]string{"east": "e", "west": "w", "north": "n", "south": "s", "central": "c", "northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}[parts[1]]
	return parts[0] + dir + parts[2]
}

func secretsManager(r *Request) *Response {
	var in struct {
		SecretId       string
		PasswordLength int
	}
	_ = json.Unmarshal(r.Body, &in)
	switch r.Action {
	case "GetRandomPassword":
		n := in.PasswordLength
		if n == 0 {
			n = 32
		}
		out, _ := json.Marshal(map[string]string{"RandomPassword": randomPassword(n)})
		return JSONResult(string(out))
	case "GetSecretValue":
		name := in.SecretId
		if i := strings.Index(name, ":secret:"); i >= 0 {
			name = name[i+len(":secret:"):]
		}
		out, _ := json.Marshal(map[string]any{
			"ARN":           fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-AbCdEf", r.Region, AccountID, name),
			"Name":          name,
			"SecretString":  randomPassword(40),
			"VersionId":     "00000000-0000-4000-8000-00000000000a",
			"VersionStages": []string{"AWSCURRENT"},
			"CreatedDate":   1764000000,
		})
		return JSONResult(string(out))
	}
	return nil
}

func randomPassword(n int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// CloudFront's managed policies, by name, with their documented ids
// (CloudFront Developer Guide: "Use managed cache policies", "Use managed
// origin request policies").
var (
	managedCachePolicies = map[string]string{
		"Managed-CachingDisabled":  "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
		"Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
	}
	managedOriginRequestPolicies = map[string]string{
		"Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
		"Managed-AllViewer":                 "216adef6-5c7f-47e4-b989-5492eafa07d3",
	}
)

// managedPolicyKinds are the CloudFront managed-policy APIs the fake
// answers: a list at /2020-05-31/PATH and one policy at PATH/ID.
var managedPolicyKinds = []struct {
	path, element string // URL segment, and the XML element of one policy
	policies      map[string]string
	render        func(id, name string) string
}{
	{"cache-policy", "CachePolicy", managedCachePolicies, cachePolicy},
	{"origin-request-policy", "OriginRequestPolicy", managedOriginRequestPolicies, originRequestPolicy},
}

func cloudFront(r *Request) *Response {
	const base = "/2020-05-31/"
	const ns = `xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"`
	path := strings.TrimPrefix(r.HTTP.URL.Path, base)
	if r.HTTP.Method != http.MethodGet || path == r.HTTP.URL.Path {
		return nil
	}
	for _, k := range managedPolicyKinds {
		if path == k.path {
			var items strings.Builder
			for name, id := range k.policies {
				fmt.Fprintf(&items, "<%[1]sSummary><Type>managed</Type>%[2]s</%[1]sSummary>", k.element, k.render(id, name))
			}
			return XMLResult(http.StatusOK, fmt.Sprintf(`<%[1]sList %[2]s><MaxItems>100</MaxItems><Quantity>%[3]d</Quantity><Items>%[4]s</Items></%[1]sList>`, k.element, ns, len(k.policies), items.String()))
		}
		id, ok := strings.CutPrefix(path, k.path+"/")
		if !ok {
			continue
		}
		for name, known := range k.policies {
			if known == id {
				resp := XMLResult(http.StatusOK, strings.Replace(k.render(id, name), "<"+k.element+">", "<"+k.element+" "+ns+">", 1))
				resp.Header.Set("ETag", "E1FAKEETAG")
				return resp
			}
		}
	}
	return nil
}

func cachePolicy(id, name string) string {
	return fmt.Sprintf(`<CachePolicy><Id>%s</Id><LastModifiedTime>2020-08-31T00:00:00Z</LastModifiedTime><CachePolicyConfig><Comment>%s</Comment><Name>%s</Name><DefaultTTL>0</DefaultTTL><MaxTTL>0</MaxTTL><MinTTL>0</MinTTL><ParametersInCacheKeyAndForwardedToOrigin><EnableAcceptEncodingGzip>false</EnableAcceptEncodingGzip><EnableAcceptEncodingBrotli>false</EnableAcceptEncodingBrotli><HeadersConfig><HeaderBehavior>none</HeaderBehavior></HeadersConfig><CookiesConfig><CookieBehavior>none</CookieBehavior></CookiesConfig><QueryStringsConfig><QueryStringBehavior>none</QueryStringBehavior></QueryStringsConfig></ParametersInCacheKeyAndForwardedToOrigin></CachePolicyConfig></CachePolicy>`, id, name, name)
}

func originRequestPolicy(id, name string) string {
	return fmt.Sprintf(`<OriginRequestPolicy><Id>%s</Id><LastModifiedTime>2020-08-31T00:00:00Z</LastModifiedTime><OriginRequestPolicyConfig><Comment>%s</Comment><Name>%s</Name><HeadersConfig><HeaderBehavior>allExcept</HeaderBehavior><Headers><Quantity>1</Quantity><Items><Name>host</Name></Items></Headers></HeadersConfig><CookiesConfig><CookieBehavior>all</CookieBehavior></CookiesConfig><QueryStringsConfig><QueryStringBehavior>all</QueryStringBehavior></QueryStringsConfig></OriginRequestPolicyConfig></OriginRequestPolicy>`, id, name, name)
}

// Clusters are the existing Aurora clusters the fake knows, by identifier:
// cluster mode builds the global cluster from one. Each is an Aurora
// PostgreSQL 16.4 cluster in the region that asks for it, listening on
// ExistingClusterPort (not Aurora PostgreSQL's default 5432, so a test
// sees whose port the app uses), in the DB subnet group of its own name,
// in the VPC ExistingVpcID, behind ExistingClusterSecurityGroup.
var Clusters = []string{"legacy"}

// The existing clusters' network, as DescribeDBClusters,
// DescribeDBSubnetGroups and DescribeVpcs answer it.
const (
	ExistingClusterPort          = 5433
	ExistingClusterSecurityGroup = "sg-0c1a55e0000000001"
	ExistingVpcID                = "vpc-0c1a55e0000000001"
)

// ExistingVpcCidrs are the IPv4 CIDR blocks of ExistingVpcID: a primary and
// a secondary one (EC2 User Guide, "VPC CIDR blocks": a VPC can have
// secondary IPv4 CIDR blocks, and subnets in any of them).
var ExistingVpcCidrs = []string{"172.31.0.0/16", "100.64.0.0/16"}

// rds answers DescribeDBClusters (RDS API Reference, "DescribeDBClusters"
// and the "DBCluster" data type) and DescribeDBSubnetGroups ("DBSubnetGroup":
// VpcId, Subnets) for the existing clusters.
func rds(r *Request) *Response {
	const ns = "http://rds.amazonaws.com/doc/2014-10-31/"
	switch r.Action {
	case "DescribeDBClusters":
		id := r.Params.Get("DBClusterIdentifier")
		if i := strings.LastIndex(id, ":cluster:"); i >= 0 {
			id = id[i+len(":cluster:"):]
		}
		var b strings.Builder
		for _, c := range Clusters {
			if id != "" && id != c {
				continue
			}
			fmt.Fprintf(&b, `<DBCluster><DBClusterIdentifier>%[1]s</DBClusterIdentifier><DBClusterArn>arn:aws:rds:%[2]s:%[3]s:cluster:%[1]s</DBClusterArn><Engine>aurora-postgresql</Engine><EngineVersion>16.4</EngineVersion><EngineMode>provisioned</EngineMode><Status>available</Status><Endpoint>%[1]s.cluster-fake.%[2]s.rds.amazonaws.com</Endpoint><ReaderEndpoint>%[1]s.cluster-ro-fake.%[2]s.rds.amazonaws.com</ReaderEndpoint><Port>%[4]d</Port><MasterUsername>app_admin</MasterUsername><DatabaseName>app</DatabaseName><StorageEncrypted>true</StorageEncrypted><KmsKeyId>arn:aws:kms:%[2]s:%[3]s:key/00000000-0000-4000-8000-000000000001</KmsKeyId><DbClusterResourceId>cluster-FAKE%[1]s</DbClusterResourceId><BackupRetentionPeriod>7</BackupRetentionPeriod><DBSubnetGroup>%[1]s</DBSubnetGroup><AvailabilityZones><AvailabilityZone>%[2]sa</AvailabilityZone></AvailabilityZones><VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>%[5]s</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership></VpcSecurityGroups><DBClusterMembers/><TagList/></DBCluster>`,
				c, r.Region, AccountID, ExistingClusterPort, ExistingClusterSecurityGroup)
		}
		if id != "" && b.Len() == 0 {
			return QueryError(http.StatusNotFound, "DBClusterNotFoundFault", "DBCluster "+id+" not found.")
		}
		return QueryResult(r.Action, ns, "<DBClusters>"+b.String()+"</DBClusters>")
	case "DescribeDBSubnetGroups":
		name := r.Params.Get("DBSubnetGroupName")
		var b strings.Builder
		for _, c := range Clusters {
			if name != "" && name != c {
				continue
			}
			fmt.Fprintf(&b, `<DBSubnetGroup><DBSubnetGroupName>%[1]s</DBSubnetGroupName><DBSubnetGroupDescription>%[1]s</DBSubnetGroupDescription><VpcId>%[4]s</VpcId><SubnetGroupStatus>Complete</SubnetGroupStatus><Subnets><Subnet><SubnetIdentifier>subnet-0c1a55e0000000001</SubnetIdentifier><SubnetAvailabilityZone><Name>%[2]sa</Name></SubnetAvailabilityZone><SubnetStatus>Active</SubnetStatus></Subnet><Subnet><SubnetIdentifier>subnet-0c1a55e0000000002</SubnetIdentifier><SubnetAvailabilityZone><Name>%[2]sb</Name></SubnetAvailabilityZone><SubnetStatus>Active</SubnetStatus></Subnet></Subnets><DBSubnetGroupArn>arn:aws:rds:%[2]s:%[3]s:subgrp:%[1]s</DBSubnetGroupArn><SupportedNetworkTypes><member>IPV4</member></SupportedNetworkTypes></DBSubnetGroup>`,
				c, r.Region, AccountID, ExistingVpcID)
		}
		if name != "" && b.Len() == 0 {
			return QueryError(http.StatusNotFound, "DBSubnetGroupNotFoundFault", "DB Subnet group '"+name+"' not found.")
		}
		return QueryResult(r.Action, ns, "<DBSubnetGroups>"+b.String()+"</DBSubnetGroups>")
	}
	return nil
}

// existingVpc answers the EC2 calls the aws_vpc data source makes for
// ExistingVpcID: DescribeVpcs (EC2 API Reference, "Vpc": cidrBlock, the
// primary, and cidrBlockAssociationSet, every IPv4 block with its state),
// DescribeVpcAttribute (one attribute per call, echoed back as an element
// named for it, with a value) and DescribeRouteTables for its main route
// table (filter association.main). nil for anything else.
func existingVpc(r *Request) *Response {
	switch r.Action {
	case "DescribeVpcs":
		if id := r.Params.Get("VpcId.1"); id != "" && id != ExistingVpcID {
			return EC2Error(http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID '"+id+"' does not exist")
		}
		var blocks strings.Builder
		for i, c := range ExistingVpcCidrs {
			fmt.Fprintf(&blocks, `<item><cidrBlock>%s</cidrBlock><associationId>vpc-cidr-assoc-0c1a55e000000000%d</associationId><cidrBlockState><state>associated</state></cidrBlockState></item>`, c, i+1)
		}
		return EC2Result(r.Action, fmt.Sprintf(`<vpcSet><item><vpcId>%s</vpcId><ownerId>%s</ownerId><state>available</state><cidrBlock>%s</cidrBlock><cidrBlockAssociationSet>%s</cidrBlockAssociationSet><dhcpOptionsId>dopt-0c1a55e0000000001</dhcpOptionsId><tagSet/><instanceTenancy>default</instanceTenancy><isDefault>false</isDefault></item></vpcSet>`,
			ExistingVpcID, AccountID, ExistingVpcCidrs[0], blocks.String()))
	case "DescribeVpcAttribute":
		if r.Params.Get("VpcId") != ExistingVpcID {
			return nil
		}
		attr := r.Params.Get("Attribute")
		value := map[string]string{"enableDnsSupport": "true", "enableDnsHostnames": "true", "enableNetworkAddressUsageMetrics": "false"}[attr]
		if value == "" {
			return nil
		}
		return EC2Result(r.Action, fmt.Sprintf(`<vpcId>%s</vpcId><%[2]s><value>%[3]s</value></%[2]s>`, ExistingVpcID, attr, value))
	case "DescribeRouteTables":
		if !filterMatches(r, "vpc-id", ExistingVpcID) || !filterMatches(r, "association.main", "true") {
			return nil
		}
		return EC2Result(r.Action, fmt.Sprintf(`<routeTableSet><item><routeTableId>rtb-0c1a55e0000000001</routeTableId><vpcId>%s</vpcId><ownerId>%s</ownerId><routeSet/><associationSet><item><routeTableAssociationId>rtbassoc-0c1a55e0000000001</routeTableAssociationId><routeTableId>rtb-0c1a55e0000000001</routeTableId><main>true</main><associationState><state>associated</state></associationState></item></associationSet><propagatingVgwSet/><tagSet/></item></routeTableSet>`,
			ExistingVpcID, AccountID))
	}
	return nil
}
