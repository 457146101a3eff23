// Package identity holds the IAM and ECR names the app's roles and images
// are checked against: role names, trust principals, and private ECR image
// references and repository ARNs. It is the jsii-free half of
// constructs/identity (see package spec).
package identity

import (
	"fmt"
	"regexp"
)

var roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// ValidateRoleName reports whether name is a valid IAM role name: 1 to 64
// letters, digits and + = , . @ _ - (IAM API Reference, CreateRole,
// RoleName; IAM User Guide, "IAM and AWS STS quotas", IAM name
// requirements).
func ValidateRoleName(name string) error {
	if !roleNamePattern.MatchString(name) {
		return fmt.Errorf("IAM role name %q (%d characters) must be 1 to 64 of A-Z a-z 0-9 + = , . @ _ -", name, len(name))
	}
	return nil
}

var principalArn = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::\d{12}:(root|role/[\w+=,.@/-]+|user/[\w+=,.@/-]+)$`)

// ValidatePrincipalArn reports whether arn names an IAM role, user or
// account root that a trust policy can name.
func ValidatePrincipalArn(arn string) error {
	if !principalArn.MatchString(arn) {
		return fmt.Errorf("%q: use an IAM role, user or account ARN, such as arn:aws:iam::123456789012:role/oncall", arn)
	}
	return nil
}

var ecrImage = regexp.MustCompile(`^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/([^:@]+)`)

// EcrRepository parses a private ECR image reference into its account,
// region and repository name; ok is false for any other registry.
func EcrRepository(image string) (account, region, repository string, ok bool) {
	m := ecrImage.FindStringSubmatch(image)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// EcrRepositoryArn is the ARN of a private ECR repository.
func EcrRepositoryArn(partition, account, region, repository string) string {
	return fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", partition, region, account, repository)
}
