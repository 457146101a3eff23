package fakeaws

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	rdssdk "github.com/aws/aws-sdk-go-v2/service/rds"
)

// The existing cluster of cluster mode, read as the AWS SDK reads the
// wire: its port and security group, its subnet group's VPC, and that
// VPC's CIDR blocks, attributes and main route table (what the
// aws_rds_cluster, aws_db_subnet_group and aws_vpc data sources call).
func TestExistingClusterAndItsNetwork(t *testing.T) {
	s := New()
	defer s.Close()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""), RetryMaxAttempts: 1}
	ctx := context.Background()
	rdsc := rdssdk.NewFromConfig(cfg, func(o *rdssdk.Options) { o.BaseEndpoint = aws.String(s.URL) })
	ec2c := ec2sdk.NewFromConfig(cfg, func(o *ec2sdk.Options) { o.BaseEndpoint = aws.String(s.URL) })

	clusters, err := rdsc.DescribeDBClusters(ctx, &rdssdk.DescribeDBClustersInput{DBClusterIdentifier: aws.String("legacy")})
	if err != nil || len(clusters.DBClusters) != 1 {
		t.Fatalf("DescribeDBClusters legacy = %v, %v", clusters, err)
	}
	c := clusters.DBClusters[0]
	if aws.ToInt32(c.Port) != ExistingClusterPort || len(c.VpcSecurityGroups) != 1 || aws.ToString(c.VpcSecurityGroups[0].VpcSecurityGroupId) != ExistingClusterSecurityGroup {
		t.Errorf("cluster port %d, groups %v; want %d and %s", aws.ToInt32(c.Port), c.VpcSecurityGroups, ExistingClusterPort, ExistingClusterSecurityGroup)
	}
	groups, err := rdsc.DescribeDBSubnetGroups(ctx, &rdssdk.DescribeDBSubnetGroupsInput{DBSubnetGroupName: c.DBSubnetGroup})
	if err != nil || len(groups.DBSubnetGroups) != 1 || aws.ToString(groups.DBSubnetGroups[0].VpcId) != ExistingVpcID || len(groups.DBSubnetGroups[0].Subnets) != 2 {
		t.Fatalf("DescribeDBSubnetGroups %s = %+v, %v", aws.ToString(c.DBSubnetGroup), groups, err)
	}
	if _, err := rdsc.DescribeDBSubnetGroups(ctx, &rdssdk.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String("none")}); err == nil {
		t.Error("an unknown subnet group was found")
	}

	vpcs, err := ec2c.DescribeVpcs(ctx, &ec2sdk.DescribeVpcsInput{VpcIds: []string{ExistingVpcID}})
	if err != nil || len(vpcs.Vpcs) != 1 {
		t.Fatalf("DescribeVpcs = %v, %v", vpcs, err)
	}
	var cidrs []string
	for _, a := range vpcs.Vpcs[0].CidrBlockAssociationSet {
		if a.CidrBlockState != nil && a.CidrBlockState.State == ec2types.VpcCidrBlockStateCodeAssociated {
			cidrs = append(cidrs, aws.ToString(a.CidrBlock))
		}
	}
	if aws.ToString(vpcs.Vpcs[0].CidrBlock) != ExistingVpcCidrs[0] || !slices.Equal(cidrs, ExistingVpcCidrs) {
		t.Errorf("VPC CIDR %s, associated %v; want %v", aws.ToString(vpcs.Vpcs[0].CidrBlock), cidrs, ExistingVpcCidrs)
	}
	attr, err := ec2c.DescribeVpcAttribute(ctx, &ec2sdk.DescribeVpcAttributeInput{VpcId: aws.String(ExistingVpcID), Attribute: ec2types.VpcAttributeNameEnableDnsSupport})
	if err != nil || attr.EnableDnsSupport == nil || !aws.ToBool(attr.EnableDnsSupport.Value) {
		t.Errorf("DescribeVpcAttribute enableDnsSupport = %+v, %v", attr, err)
	}
	tables, err := ec2c.DescribeRouteTables(ctx, &ec2sdk.DescribeRouteTablesInput{Filters: []ec2types.Filter{
		{Name: aws.String("association.main"), Values: []string{"true"}}, {Name: aws.String("vpc-id"), Values: []string{ExistingVpcID}}}})
	if err != nil || len(tables.RouteTables) != 1 || !aws.ToBool(tables.RouteTables[0].Associations[0].Main) {
		t.Errorf("main route table = %+v, %v", tables, err)
	}
	if u := s.Unanswered(); len(u) > 0 {
		t.Errorf("unanswered: %v", u)
	}
}
