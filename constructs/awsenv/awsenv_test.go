package awsenv

import "testing"

func TestValidateRegion(t *testing.T) {
	for _, r := range []string{"us-east-1", "eu-central-2", "ap-southeast-5", "us-gov-west-1", "cn-north-1", "il-central-1"} {
		if err := ValidateRegion(r); err != nil {
			t.Errorf("%s refused: %v", r, err)
		}
	}
	for _, r := range []string{"", "us-east", "US-EAST-1", "useast1", "us-east-1a", "us_east_1"} {
		if err := ValidateRegion(r); err == nil {
			t.Errorf("%q accepted", r)
		}
	}
}

func TestPartitionOf(t *testing.T) {
	for region, want := range map[string]string{"us-east-1": "aws", "cn-northwest-1": "aws-cn", "us-gov-east-1": "aws-us-gov", "eu-west-1": "aws"} {
		if got := PartitionOf(region); got != want {
			t.Errorf("PartitionOf(%s) = %s, want %s", region, got, want)
		}
	}
}

func TestArn(t *testing.T) {
	account := "123456789012"
	e := Env{Region: "us-west-2", Partition: "aws", AccountID: &account}
	if got := e.Arn("logs", e.Region, "log-group:/a"); got != "arn:aws:logs:us-west-2:123456789012:log-group:/a" {
		t.Errorf("Arn = %s", got)
	}
	if got := e.ServicePrincipal("logs"); got != "logs.us-west-2.amazonaws.com" {
		t.Errorf("ServicePrincipal = %s", got)
	}
}
