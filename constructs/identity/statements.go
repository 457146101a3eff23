package identity

import (
	"fmt"
	"slices"
	"strings"

	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policy"
	awsenvspec "github.com/pilotlight/pilotlight/spec/awsenv"
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
			secrets = append(secrets, secretNamePattern(env, r, n))
		}
		keys = append(keys, env.Arn("kms", r, "key/*"))
		via = append(via, fmt.Sprintf("secretsmanager.%s.amazonaws.com", r))
	}
	return secretStatements(secrets, keys, via, keyAlias)
}

// TaskSecretsStatements lets an ECS task execution role read exactly the
// given secrets as task secrets, each named as a task definition's
// valueFrom names it: a secret's name (in env's region) or its ARN (any
// region; a JSON key, version stage or version id after the secret's ARN is
// dropped, since IAM matches the secret). keyArn, the customer-managed key
// the secrets are encrypted with, may be used for them through Secrets
// Manager only; "" adds no KMS statement (the AWS-managed key
// aws/secretsmanager needs none). (ECS Developer Guide, "Amazon ECS task
// execution IAM role", Secrets Manager or Systems Manager permissions.)
func TaskSecretsStatements(env awsenv.Env, secrets []string, keyArn string) []policy.Statement {
	var arns, via []string
	for _, s := range secrets {
		arn, region := s, env.Region
		switch {
		case awsenvspec.IsToken(s):
		case strings.HasPrefix(s, "arn:"):
			if a, err := awsarn.Parse(s); err == nil {
				// secret:NAME-SUFFIX[:json-key:version-stage:version-id]
				if parts := strings.SplitN(a.Resource, ":", 3); len(parts) >= 2 {
					a.Resource = parts[0] + ":" + parts[1]
				}
				arn, region = a.String(), a.Region
			}
		default:
			arn = secretNamePattern(env, env.Region, s)
		}
		arns = append(arns, arn)
		via = append(via, fmt.Sprintf("secretsmanager.%s.amazonaws.com", region))
	}
	if keyArn == "" {
		return secretStatements(arns, nil, nil, "")
	}
	return secretStatements(arns, []string{keyArn}, unique(via), "")
}

// secretNamePattern matches the secret named name in region: Secrets
// Manager appends a hyphen and six random characters to the name in the
// secret's ARN.
func secretNamePattern(env awsenv.Env, region, name string) string {
	return env.Arn("secretsmanager", region, "secret:"+name+"-??????")
}

// secretStatements reads secrets and, with keys, decrypts them through
// Secrets Manager (via), with keyAlias only the key of that alias.
func secretStatements(secrets, keys, via []string, keyAlias string) []policy.Statement {
	out := []policy.Statement{{Sid: "ReadTaskSecrets", Actions: []string{"secretsmanager:GetSecretValue"}, Resources: secrets}}
	if len(keys) == 0 {
		return out
	}
	condition := map[string]map[string][]string{"StringEquals": {"kms:ViaService": via}}
	if keyAlias != "" {
		condition["ForAnyValue:StringEquals"] = map[string][]string{"kms:ResourceAliases": {keyAlias}}
	}
	return append(out, policy.Statement{Sid: "DecryptTaskSecrets", Actions: []string{"kms:Decrypt"}, Resources: keys, Condition: condition})
}

// BucketAccess is what a bucket grant allows: BucketRead or BucketReadWrite.
type BucketAccess int

const (
	// BucketRead lists the buckets and reads objects and their versions.
	BucketRead BucketAccess = iota + 1
	// BucketReadWrite also writes and deletes objects.
	BucketReadWrite
)

// RegionBuckets are S3 buckets of one region that a grant covers.
type RegionBuckets struct {
	Region string
	Names  []string
	// Encrypted says the buckets encrypt with a customer-managed KMS key in
	// Region (SSE-KMS); false: S3-managed keys (SSE-S3), which need no KMS
	// permission.
	Encrypted bool
	// KeyAlias, when known (alias/NAME), limits the KMS permission to the
	// key with that alias.
	KeyAlias string
}

// BucketStatements is the one scope of bucket access in this library:
// storage.PrivateBucket's GrantRead and GrantReadWrite and the app's task
// role both use it, so the two cannot drift.
//
//   - ListBuckets: s3:ListBucket and s3:GetBucketLocation on each bucket's
//     ARN (bucket-level actions, whose resource is the bucket).
//   - ReadObjects or ReadWriteObjects: the object actions on BUCKET-ARN/*
//     (object-level actions, whose resource is the object).
//   - UseBucketKeys, for encrypted buckets: kms:Decrypt (and, to write,
//     kms:GenerateDataKey) on the keys of the buckets' regions, only when
//     S3 in that region calls KMS for the role (kms:ViaService), only for
//     these buckets' objects (kms:EncryptionContext:aws:s3:arn: the bucket's
//     ARN with S3 Bucket Keys, the object's without; S3 User Guide,
//     "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys", Changes to
//     note before enabling an S3 Bucket Key), and with a KeyAlias only the
//     key with that alias (kms:ResourceAliases), so the role cannot
//     encrypt the buckets' objects under another key of the account. One
//     statement per alias.
//
// Every ARN is built from names with env's partition and account, so the
// role's stack does not depend on the buckets' or the keys' stacks.
func BucketStatements(env awsenv.Env, access BucketAccess, buckets []RegionBuckets) []policy.Statement {
	sid, objectActions, keyActions := "ReadObjects", []string{"s3:GetObject", "s3:GetObjectVersion"}, []string{"kms:Decrypt"}
	if access == BucketReadWrite {
		sid, objectActions, keyActions = "ReadWriteObjects", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectVersion"}, []string{"kms:Decrypt", "kms:GenerateDataKey"}
	}
	type keyUse struct{ keys, via, contexts []string }
	var bucketArns, objectArns, aliases []string
	uses := map[string]*keyUse{}
	for _, rb := range buckets {
		if len(rb.Names) == 0 {
			continue
		}
		var contexts []string
		for _, name := range rb.Names {
			arn := env.BucketArn(name)
			bucketArns = append(bucketArns, arn)
			objectArns = append(objectArns, arn+"/*")
			contexts = append(contexts, arn, arn+"/*")
		}
		if !rb.Encrypted {
			continue
		}
		u := uses[rb.KeyAlias]
		if u == nil {
			u = &keyUse{}
			uses[rb.KeyAlias] = u
			aliases = append(aliases, rb.KeyAlias)
		}
		u.keys = append(u.keys, env.Arn("kms", rb.Region, "key/*"))
		u.via = append(u.via, fmt.Sprintf("s3.%s.amazonaws.com", rb.Region))
		u.contexts = append(u.contexts, contexts...)
	}
	if len(bucketArns) == 0 {
		return nil
	}
	out := []policy.Statement{
		{Sid: "ListBuckets", Actions: []string{"s3:ListBucket", "s3:GetBucketLocation"}, Resources: bucketArns},
		{Sid: sid, Actions: objectActions, Resources: objectArns},
	}
	for i, alias := range aliases {
		u := uses[alias]
		condition := map[string]map[string][]string{
			"StringEquals": {"kms:ViaService": unique(u.via)},
			"StringLike":   {"kms:EncryptionContext:aws:s3:arn": u.contexts},
		}
		if alias != "" {
			condition["ForAnyValue:StringEquals"] = map[string][]string{"kms:ResourceAliases": {alias}}
		}
		s := policy.Statement{Sid: "UseBucketKeys", Actions: keyActions, Resources: unique(u.keys), Condition: condition}
		if i > 0 {
			s.Sid += fmt.Sprint(i + 1)
		}
		out = append(out, s)
	}
	return out
}

// unique is values without repeats, in first-seen order.
func unique(values []string) []string {
	var out []string
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
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
