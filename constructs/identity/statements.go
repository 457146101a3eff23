package identity

import (
	"fmt"
	"github.com/pilotlight/pilotlight/constructs/policy"
	"regexp"
)

// TaskExecutionStatements is the least privilege an ECS task execution role
// needs: write to the given log groups and, for images in private ECR
// repositories, pull from exactly those repositories. It replaces the broader
// AWS-managed AmazonECSTaskExecutionRolePolicy.
func TaskExecutionStatements(logGroupArns, ecrRepositoryArns []string) []policy.Statement {
	out := []policy.Statement{{
		Sid:       "WriteContainerLogs",
		Actions:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resources: logGroupResources(logGroupArns),
	}}
	if len(ecrRepositoryArns) > 0 {
		out = append(out,
			policy.Statement{
				Sid:            "EcrLogin",
				Actions:        []string{"ecr:GetAuthorizationToken"},
				Resources:      []string{"*"},
				WildcardReason: "ecr:GetAuthorizationToken supports no resource-level permissions",
			},
			policy.Statement{
				Sid:       "PullImages",
				Actions:   []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
				Resources: ecrRepositoryArns,
			})
	}
	return out
}

// FlowLogsStatements is what VPC Flow Logs needs to publish to the given log
// groups.
func FlowLogsStatements(logGroupArns []string) []policy.Statement {
	return []policy.Statement{{
		Sid:       "PublishFlowLogs",
		Actions:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"},
		Resources: logGroupResources(logGroupArns),
	}}
}

// logGroupResources covers each log group and its streams: IAM names a
// stream arn:...:log-group:NAME:log-stream:STREAM.
func logGroupResources(logGroupArns []string) []string {
	var out []string
	for _, arn := range logGroupArns {
		out = append(out, arn, arn+":*")
	}
	return out
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
