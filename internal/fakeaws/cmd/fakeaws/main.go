// Command fakeaws runs the loopback fake AWS by hand, for running a plan
// against it outside the tests: it prints its URL, then one line per call.
//
//	go run ./internal/fakeaws/cmd/fakeaws -dark us-east-1
//	AWS_ENDPOINT_URL=<url> AWS_ACCESS_KEY_ID=fake AWS_SECRET_ACCESS_KEY=fake \
//	  AWS_EC2_METADATA_DISABLED=true terraform plan
//
// With -deployed it also serves a converged default deployment (config
// defaults, or PILOTLIGHT_CONFIG) for the runbook commands:
//
//	go run ./internal/fakeaws/cmd/fakeaws -deployed
//	AWS_ENDPOINT_URL=<url> AWS_ACCESS_KEY_ID=fake AWS_SECRET_ACCESS_KEY=fake go run ./cmd/pilotlight status
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
)

func main() {
	dark := flag.String("dark", "", "comma-separated regions whose connections are dropped")
	deployed := flag.Bool("deployed", false, "serve a converged deployment of the config for the runbook commands")
	flag.Parse()
	s := fakeaws.New()
	defer s.Close()
	if *deployed {
		cfg, err := config.FromEnv()
		if err != nil {
			fmt.Fprintln(os.Stderr, "fakeaws:", err)
			os.Exit(1)
		}
		d := fakeaws.NewDeploymentFor(cfg)
		s.Deploy(d)
	}
	for _, r := range strings.Split(*dark, ",") {
		if r != "" {
			s.Dark(r, fakeaws.Drop)
		}
	}
	fmt.Println(s.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	seen := 0
	for {
		select {
		case <-stop:
			return
		case <-time.After(200 * time.Millisecond):
		}
		calls := s.Calls()
		for _, c := range calls[seen:] {
			fmt.Println(c)
		}
		seen = len(calls)
	}
}
