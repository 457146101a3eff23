package monitoring

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopic"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopicpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/snstopicsubscription"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/policy"
	monitoringspec "github.com/pilotlight/pilotlight/spec/monitoring"
)

// AlarmTopicProps configures an AlarmTopic.
type AlarmTopicProps struct {
	Env awsenv.Env
	// Name is the topic's name: 1 to 256 letters, digits, - and _.
	Name string
	// KmsKeyArn is the customer-managed key in Env's region the topic is
	// encrypted with. Its key policy must let cloudwatch.amazonaws.com use
	// it (kms:GenerateDataKey*, kms:Decrypt), or alarms cannot publish
	// (encryption.RegionalKeyProps.CloudWatchAlarms).
	KmsKeyArn *string
	// Endpoints are subscribed to the topic; see monitoringspec.ValidateEndpoint for what
	// each may be.
	Endpoints []string
}

// AlarmTopic is an SNS topic encrypted with the region's key, that the
// account's CloudWatch alarms in the region may publish to, with a
// subscription per endpoint.
type AlarmTopic struct {
	constructs.Construct
	Arn  *string
	Name string
}

var topicName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Validate returns every problem in p at once.
func (p AlarmTopicProps) Validate() error {
	var errs []error
	if p.Env.Provider == nil || p.Env.AccountID == nil {
		errs = append(errs, errors.New("Env: set it with awsenv.New"))
	}
	if !topicName.MatchString(p.Name) {
		errs = append(errs, fmt.Errorf("Name %q: 1 to 256 letters, digits, - and _", p.Name))
	}
	if p.KmsKeyArn == nil {
		errs = append(errs, errors.New("KmsKeyArn: required; alarm notifications are encrypted at rest with the region's key"))
	}
	seen := map[string]bool{}
	for i, e := range p.Endpoints {
		if _, err := monitoringspec.ValidateEndpoint(e); err != nil {
			errs = append(errs, fmt.Errorf("Endpoints[%d]: %w", i, err))
		}
		if seen[e] {
			errs = append(errs, fmt.Errorf("Endpoints[%d] %q: listed twice", i, e))
		}
		seen[e] = true
	}
	return errors.Join(errs...)
}

// NewAlarmTopic adds the topic, its policy and its subscriptions to scope.
func NewAlarmTopic(scope constructs.Construct, id string, props AlarmTopicProps) (*AlarmTopic, error) {
	if err := errors.Join(awsenv.ClaimID(scope, id), props.Validate()); err != nil {
		return nil, fmt.Errorf("monitoring.AlarmTopic %s: %w", id, err)
	}
	env := props.Env
	c := constructs.NewConstruct(scope, jsii.String(id))
	topic := snstopic.NewSnsTopic(c, jsii.String("topic"), &snstopic.SnsTopicConfig{
		Provider:       env.Provider,
		Name:           jsii.String(props.Name),
		KmsMasterKeyId: props.KmsKeyArn,
	})
	arn := *topic.Arn()
	doc := policy.Document{Statements: []policy.Statement{
		{
			// What the topic's default policy grants its owner; replacing
			// the policy must not lock the account out of its own topic.
			Sid:       "AccountManages",
			Principal: map[string][]string{"AWS": {env.Arn("iam", "", "root")}},
			Actions:   []string{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"},
			Resources: []string{arn},
		},
		{
			// CloudWatch sends aws:SourceAccount and aws:SourceArn when it
			// publishes (SNS Developer Guide, "Amazon SNS access policy
			// examples"): only this account's alarms in this region.
			Sid:       "CloudWatchAlarmsPublish",
			Principal: map[string][]string{"Service": {"cloudwatch.amazonaws.com"}},
			Actions:   []string{"SNS:Publish"},
			Resources: []string{arn},
			Condition: AlarmSourceCondition(env),
		},
		{
			Sid:       "DenyPlainHTTP",
			Effect:    "Deny",
			Principal: map[string][]string{"AWS": {"*"}},
			Actions:   []string{"SNS:Publish"},
			Resources: []string{arn},
			Condition: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}},
		},
	}}
	if err := doc.Validate(); err != nil {
		return nil, fmt.Errorf("monitoring.AlarmTopic %s: topic policy: %w", id, err)
	}
	snstopicpolicy.NewSnsTopicPolicy(c, jsii.String("policy"), &snstopicpolicy.SnsTopicPolicyConfig{
		Provider: env.Provider,
		Arn:      topic.Arn(),
		Policy:   jsii.String(doc.JSON()),
	})
	for _, e := range props.Endpoints {
		protocol, _ := monitoringspec.ValidateEndpoint(e)
		// Named by the endpoint, not its position, so reordering the list
		// replaces nothing (an unconfirmed email subscription cannot be
		// deleted by Terraform).
		sum := sha256.Sum256([]byte(e))
		snstopicsubscription.NewSnsTopicSubscription(c, jsii.String(fmt.Sprintf("subscription-%x", sum[:6])), &snstopicsubscription.SnsTopicSubscriptionConfig{
			Provider: env.Provider,
			TopicArn: topic.Arn(),
			Protocol: jsii.String(protocol),
			Endpoint: jsii.String(e),
		})
	}
	return &AlarmTopic{Construct: c, Arn: topic.Arn(), Name: props.Name}, nil
}

// KeyStatements are what the key policy of the key that encrypts an alarm
// topic needs (encryption.RegionalKeyProps.Statements): kms:GenerateDataKey*
// and kms:Decrypt for cloudwatch.amazonaws.com, as the SNS Developer
// Guide's "Key management" asks of AWS services that publish to an
// encrypted topic, limited to the account's alarms in env's region. SNS
// itself needs no grant: it uses the key on the publisher's behalf.
func KeyStatements(env awsenv.Env) []policy.Statement {
	return []policy.Statement{{
		Sid:       "CloudWatchAlarmsPublishToEncryptedTopics",
		Principal: map[string][]string{"Service": {"cloudwatch.amazonaws.com"}},
		Actions:   []string{"kms:GenerateDataKey*", "kms:Decrypt"},
		Resources: []string{"*"},
		Condition: AlarmSourceCondition(env),
	}}
}

// AlarmSourceCondition limits a grant to CloudWatch alarms of env's account
// in env's region: the aws:SourceAccount and aws:SourceArn keys the SNS
// Developer Guide asks for in both the topic policy and the key policy of
// an encrypted topic ("Key management": protect the key from confused
// deputy attacks).
func AlarmSourceCondition(env awsenv.Env) map[string]map[string][]string {
	return map[string]map[string][]string{
		"StringEquals": {"aws:SourceAccount": {*env.AccountID}},
		"ArnLike":      {"aws:SourceArn": {env.Arn("cloudwatch", env.Region, "alarm:*")}},
	}
}
