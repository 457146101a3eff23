package policy

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWildcardNeedsAReason(t *testing.T) {
	for name, s := range map[string]Statement{
		"resource *":  {Actions: []string{"ecr:GetAuthorizationToken"}, Resources: []string{"*"}},
		"action *":    {Actions: []string{"*"}, Resources: []string{"arn:aws:s3:::b"}},
		"service:*":   {Actions: []string{"s3:*"}, Resources: []string{"arn:aws:s3:::b"}},
		"no actions":  {Resources: []string{"arn:aws:s3:::b"}},
		"empty sid 0": {},
	} {
		if err := (Document{Statements: []Statement{s}}).Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	ok := Statement{Actions: []string{"ecr:GetAuthorizationToken"}, Resources: []string{"*"}, WildcardReason: "no resource-level permissions"}
	if err := (Document{Statements: []Statement{ok}}).Validate(); err != nil {
		t.Errorf("wildcard with a reason refused: %v", err)
	}
	if err := (Document{}).Validate(); err == nil || !strings.Contains(err.Error(), "no statements") {
		t.Errorf("empty document accepted: %v", err)
	}
}

func TestJSONKeepsTokensAndDropsReasons(t *testing.T) {
	doc := Document{Statements: []Statement{{
		Sid:            "Logs",
		Actions:        []string{"logs:PutLogEvents"},
		Resources:      []string{"arn:aws:logs:us-east-1:${TfToken[TOKEN.7]}:log-group:/a"},
		Condition:      map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {"1"}}},
		WildcardReason: "not rendered",
	}}}
	text := doc.JSON()
	if strings.Contains(text, "not rendered") || !strings.Contains(text, "${TfToken[TOKEN.7]}") {
		t.Errorf("JSON = %s", text)
	}
	var parsed struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(text), &parsed); err != nil || parsed.Version != "2012-10-17" || parsed.Statement[0]["Effect"] != "Allow" {
		t.Errorf("not an IAM policy document: %s (%v)", text, err)
	}
}
