package stacks_test

import (
	"fmt"

	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/stacks"
)

// The whole pilot-light app inside your own cdktf app: every stack, in
// deploy order, ready to extend (grant the task role more, add stacks that
// read the regions' outputs).
func ExampleNew() {
	cfg := config.Default()
	cfg.Name, cfg.Environment = "shop", "prod"
	p, err := stacks.New(cdktf.NewApp(nil), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range p.Stacks() {
		fmt.Println(*s.Node().Id())
	}
	// Output:
	// shop-prod-global
	// shop-prod-keys-us-east-1
	// shop-prod-keys-us-west-2
	// shop-prod-us-east-1
	// shop-prod-us-west-2
	// shop-prod-replication
	// shop-prod-edge
}
