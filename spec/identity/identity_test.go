package identity_test

import (
	"testing"

	"github.com/pilotlight/pilotlight/spec/identity"
)

func TestEcrRepository(t *testing.T) {
	account, region, repo, ok := identity.EcrRepository("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2@sha256:abc")
	if !ok || account != "123456789012" || region != "eu-west-1" || repo != "team/app" {
		t.Errorf("got %s %s %s %v", account, region, repo, ok)
	}
	if _, _, _, ok := identity.EcrRepository("public.ecr.aws/nginx/nginx:stable"); ok {
		t.Error("public ECR parsed as private")
	}
}
