package awsenv

import (
	"testing"
)

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
