package runbook_test

import (
	"fmt"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/runbook"
)

// The least-privilege policy an operator needs for one command, scoped to
// the app's resources in an account.
func ExamplePermissions() {
	doc, err := runbook.Permissions(config.Default(), "123456789012", "status")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Validate() == nil, len(doc.Statements) > 0)
	// Output: true true
}
