package identity

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policy"
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

// SecretsStatements lets an ECS task execution role read the named secrets
// (as task secrets) in each region, and decrypt them through Secrets Manager
// with the app's keys, which it finds by alias: the keys are created in the
// regional stacks, after the roles.
func SecretsStatements(env awsenv.Env, regions, secretNames []string, keyAlias string) []policy.Statement {
	var secrets, keys, via []string
	for _, r := range regions {
		for _, n := range secretNames {
			// Secrets Manager appends a hyphen and six random characters.
			secrets = append(secrets, env.Arn("secretsmanager", r, "secret:"+n+"-??????"))
		}
		keys = append(keys, env.Arn("kms", r, "key/*"))
		via = append(via, fmt.Sprintf("secretsmanager.%s.amazonaws.com", r))
	}
	return []policy.Statement{
		{Sid: "ReadTaskSecrets", Actions: []string{"secretsmanager:GetSecretValue"}, Resources: secrets},
		{
			Sid: "DecryptTaskSecrets", Actions: []string{"kms:Decrypt"}, Resources: keys,
			Condition: map[string]map[string][]string{
				"StringEquals":             {"kms:ViaService": via},
				"ForAnyValue:StringEquals": {"kms:ResourceAliases": {keyAlias}},
			},
		},
	}
}

// BucketAccessStatements lets an application role read and write objects in
// the given buckets, through S3 only, with the app's keys (found by alias).
func BucketAccessStatements(env awsenv.Env, buckets map[string][]string, keyAlias string) []policy.Statement {
	var bucketArns, objectArns, keys, via []string
	for _, region := range slices.Sorted(maps.Keys(buckets)) {
		for _, b := range buckets[region] {
			bucketArns = append(bucketArns, env.BucketArn(b))
			objectArns = append(objectArns, env.BucketArn(b)+"/*")
		}
		keys = append(keys, env.Arn("kms", region, "key/*"))
		via = append(via, fmt.Sprintf("s3.%s.amazonaws.com", region))
	}
	return []policy.Statement{
		{Sid: "ListBuckets", Actions: []string{"s3:ListBucket", "s3:GetBucketLocation"}, Resources: bucketArns},
		{Sid: "ReadWriteObjects", Actions: []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectVersion"}, Resources: objectArns},
		{
			Sid: "UseBucketKeys", Actions: []string{"kms:Decrypt", "kms:GenerateDataKey"}, Resources: keys,
			Condition: map[string]map[string][]string{
				"StringEquals":             {"kms:ViaService": via},
				"ForAnyValue:StringEquals": {"kms:ResourceAliases": {keyAlias}},
			},
		},
	}
}

// ReplicationLink is one S3 replication rule's two ends.
type ReplicationLink struct {
	SourceRegion, SourceBucket           string
	DestinationRegion, DestinationBucket string
}

// ReplicationStatements is what S3 replication needs for the given links
// (AWS S3 User Guide, "Setting up permissions" and "Replicating encrypted
// objects"): read the source's configuration and versions, replicate into
// the destination, decrypt with the source region's key and encrypt with the
// destination's, each only through S3 and only for these buckets.
func ReplicationStatements(env awsenv.Env, links []ReplicationLink) []policy.Statement {
	var out []policy.Statement
	kms := func(region string) string { return env.Arn("kms", region, "key/*") }
	for i, l := range links {
		src, dst := env.BucketArn(l.SourceBucket), env.BucketArn(l.DestinationBucket)
		out = append(out,
			policy.Statement{Sid: fmt.Sprintf("ReadSource%d", i), Actions: []string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, Resources: []string{src}},
			policy.Statement{Sid: fmt.Sprintf("ReadSourceVersions%d", i), Actions: []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, Resources: []string{src + "/*"}},
			policy.Statement{Sid: fmt.Sprintf("WriteDestination%d", i), Actions: []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, Resources: []string{dst + "/*"}},
			policy.Statement{
				Sid: fmt.Sprintf("DecryptSource%d", i), Actions: []string{"kms:Decrypt"}, Resources: []string{kms(l.SourceRegion)},
				Condition: map[string]map[string][]string{
					"StringEquals": {"kms:ViaService": {fmt.Sprintf("s3.%s.amazonaws.com", l.SourceRegion)}},
					// With bucket keys, the encryption context is the bucket ARN.
					"StringLike": {"kms:EncryptionContext:aws:s3:arn": {src, src + "/*"}},
				},
			},
			policy.Statement{
				Sid: fmt.Sprintf("EncryptDestination%d", i), Actions: []string{"kms:Encrypt", "kms:GenerateDataKey"}, Resources: []string{kms(l.DestinationRegion)},
				Condition: map[string]map[string][]string{
					"StringEquals": {"kms:ViaService": {fmt.Sprintf("s3.%s.amazonaws.com", l.DestinationRegion)}},
					"StringLike":   {"kms:EncryptionContext:aws:s3:arn": {dst, dst + "/*"}},
				},
			},
		)
	}
	return out
}
