// Package monitoring holds the alarm thresholds of a region with the figures
// behind their defaults and the ranges they are checked against, and the
// endpoints an alarm topic can notify. It is the jsii-free half of
// constructs/monitoring (see package spec).
package monitoring

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
)

// Subscription protocols an endpoint may use. SNS takes more (sms,
// firehose, application, http, email-json); these are the ones that suit
// alarm notifications: plain HTTP is refused (notifications would cross the
// internet unencrypted).
const (
	ProtocolEmail  = "email"
	ProtocolHTTPS  = "https"
	ProtocolSQS    = "sqs"
	ProtocolLambda = "lambda"
)

var (
	sqsArn    = regexp.MustCompile(`^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$`)
	lambdaArn = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$`)
)

// ValidateEndpoint returns the SNS protocol of endpoint: an email address
// (email), an https:// URL (https), an SQS queue ARN (sqs) or a Lambda
// function ARN (lambda), as aws_sns_topic_subscription describes each
// protocol's endpoint. Email and HTTPS subscriptions wait for the
// recipient's confirmation; a queue or function must let sns.amazonaws.com
// deliver to it (its own resource policy).
func ValidateEndpoint(endpoint string) (string, error) {
	switch {
	case strings.HasPrefix(endpoint, "arn:"):
		if sqsArn.MatchString(endpoint) {
			if strings.HasSuffix(endpoint, ".fifo") {
				return "", fmt.Errorf("%q is a FIFO queue; the alarm topic is a standard topic, which cannot deliver to FIFO queues (SNS Developer Guide, FIFO topics): use a standard queue", endpoint)
			}
			return ProtocolSQS, nil
		}
		if lambdaArn.MatchString(endpoint) {
			return ProtocolLambda, nil
		}
		return "", fmt.Errorf("%q: an ARN endpoint must be an SQS queue (arn:aws:sqs:REGION:ACCOUNT:QUEUE) or a Lambda function (arn:aws:lambda:REGION:ACCOUNT:function:NAME)", endpoint)
	case strings.Contains(endpoint, "://"):
		u, err := url.Parse(endpoint)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return "", fmt.Errorf("%q: a URL endpoint must be https:// with a host (plain http would send notifications unencrypted)", endpoint)
		}
		return ProtocolHTTPS, nil
	default:
		a, err := mail.ParseAddress(endpoint)
		if err != nil || a.Address != endpoint || !strings.Contains(endpoint[strings.LastIndex(endpoint, "@"):], ".") {
			return "", fmt.Errorf("%q is not an email address, an https:// URL, or an SQS queue or Lambda function ARN", endpoint)
		}
		return ProtocolEmail, nil
	}
}
