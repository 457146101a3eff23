package config_test

import (
	"fmt"

	"github.com/pilotlight/pilotlight/config"
)

// A config file's text over the defaults; every problem is reported at
// once, with the key to fix.
func ExampleParse() {
	cfg, err := config.Parse("shop.yaml", []byte("name: shop\nfailoverRegions: [eu-central-1]\nprimaryRegion: eu-west-1\n"))
	fmt.Println(cfg.ActiveRegion, cfg.StandbyRegion(), err)
	_, err = config.Parse("bad.yaml", []byte("primaryRegion: eu-west-9\ndns:\n  zoneName: example.com\n"))
	fmt.Println(err)
	// Output:
	// eu-west-1 eu-central-1 <nil>
	// invalid config (bad.yaml): 2 problem(s)
	//   dns.name: required with dns: the failover name CloudFront reaches the active region by, such as origin.example.com
	//   primaryRegion: "eu-west-9" is not an AWS region name (nearest real regions: eu-west-1, eu-west-2, eu-west-3; the list is the AWS SDKs' endpoint data, see awsenv.Regions)
}

// The least-privilege policy an operator needs for one command, scoped to
// the app's resources in an account.
func ExampleConfig_OperatorPolicy() {
	doc, err := config.Default().OperatorPolicy("123456789012", "status")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Validate() == nil, len(doc.Statements) > 0)
	// Output: true true
}
