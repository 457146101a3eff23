package network_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/network"
	"github.com/pilotlight/pilotlight/internal/synthtest"
)

func TestExistingSubnets(t *testing.T) {
	s, err := network.ExistingSubnets("vpc-0123456789abcdef0", "subnet-0123456789abcdef0", "subnet-1a2b3c4d")
	if err != nil {
		t.Fatal(err)
	}
	if *s.VpcID() != "vpc-0123456789abcdef0" || len(s.SubnetIDs()) != 2 || *s.SubnetIDs()[1] != "subnet-1a2b3c4d" {
		t.Errorf("VpcID %v, SubnetIDs %v", *s.VpcID(), s.SubnetIDs())
	}
	_, err = network.ExistingSubnets("vpc-1", "subnet-0123456789abcdef0", "sg-0123456789abcdef0", "subnet-0123456789abcdef0")
	for _, want := range []string{`VPC id "vpc-1"`, `subnet id "sg-0123456789abcdef0"`, `subnet id "subnet-0123456789abcdef0": given twice`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if s, err := network.ExistingSubnets("vpc-0123456789abcdef0"); err == nil || s != nil || !strings.Contains(err.Error(), "at least one") {
		t.Errorf("no subnets: %v, %v", s, err)
	}
	var nilVpc *network.Vpc
	if nilVpc.PrivateSubnets() != nil {
		t.Error("a nil Vpc has subnets")
	}
}

// A Vpc's PrivateSubnets are its VPC and its private subnets, as
// references Terraform resolves.
func TestVpcPrivateSubnets(t *testing.T) {
	stack, env := synthtest.NewStack("us-east-1")
	p, _ := props("us-east-1", false)
	p.Env = env
	vpc, err := network.NewVpc(stack, "network", p)
	if err != nil {
		t.Fatal(err)
	}
	ref := vpc.PrivateSubnets()
	cdktf.NewTerraformOutput(stack, jsii.String("vpc"), &cdktf.TerraformOutputConfig{Value: ref.VpcID()})
	cdktf.NewTerraformOutput(stack, jsii.String("subnets"), &cdktf.TerraformOutputConfig{Value: ref.SubnetIDs()})
	tpl := synthtest.Synth(t, stack)
	if got := fmt.Sprint(synthtest.Get(tpl, "output.vpc.value")); !strings.HasPrefix(got, "${aws_vpc.") {
		t.Errorf("VpcID = %s", got)
	}
	var private []string
	for name, s := range tpl.Resources("aws_subnet") {
		if !strings.Contains(s["tags"].(map[string]any)["Name"].(string), "public") {
			private = append(private, "${aws_subnet."+name+".id}")
		}
	}
	sort.Strings(private)
	got, _ := synthtest.Get(tpl, "output.subnets.value").([]any)
	var ids []string
	for _, g := range got {
		ids = append(ids, fmt.Sprint(g))
	}
	sort.Strings(ids)
	if len(private) != p.AzCount || !slices.Equal(ids, private) {
		t.Errorf("SubnetIDs = %v, want the private subnets %v", ids, private)
	}
}
