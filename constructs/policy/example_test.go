package policy_test

import (
	"fmt"

	"github.com/pilotlight/pilotlight/constructs/policy"
)

// A policy document: statements are checked together, and a wildcard
// needs its written reason.
func ExampleDocument() {
	doc := policy.Document{Statements: []policy.Statement{{
		Sid: "ReadOrders", Actions: []string{"dynamodb:GetItem"}, Resources: []string{"arn:aws:dynamodb:eu-west-1:123456789012:table/orders"},
	}}}
	fmt.Println(doc.Validate() == nil)
	fmt.Println(doc.JSON())
	// Output:
	// true
	// {"Version":"2012-10-17","Statement":[{"Sid":"ReadOrders","Effect":"Allow","Action":["dynamodb:GetItem"],"Resource":["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"]}]}
}
