package monitoring_test

import (
	"fmt"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/provider"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/constructs/awsenv"
	"github.com/pilotlight/pilotlight/constructs/monitoring"
)

// The alarm topic of one region, encrypted with that region's key, that
// pages the on-call address and an incident webhook. Its endpoints are
// checked: an http:// URL or an unknown ARN is refused.
func ExampleNewAlarmTopic() {
	stack := cdktf.NewTerraformStack(cdktf.NewApp(nil), jsii.String("example"))
	env, err := awsenv.New(stack, provider.NewAwsProvider(stack, jsii.String("aws"), &provider.AwsProviderConfig{Region: jsii.String("eu-central-1")}), "eu-central-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	topic, err := monitoring.NewAlarmTopic(stack, "alarms", monitoring.AlarmTopicProps{
		Env: env, Name: "shop-prod-alarms", KmsKeyArn: jsii.String("arn:aws:kms:eu-central-1:123456789012:key/example"),
		Endpoints: []string{"oncall@example.com", "https://hooks.example.com/incidents"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(topic.Name)
	_, err = monitoring.NewAlarmTopic(stack, "bad", monitoring.AlarmTopicProps{
		Env: env, Name: "shop-prod-other", KmsKeyArn: jsii.String("arn:aws:kms:eu-central-1:123456789012:key/example"),
		Endpoints: []string{"http://hooks.example.com"},
	})
	fmt.Println(err != nil)
	// Output:
	// shop-prod-alarms
	// true
}
