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
	"slices"
	"strings"
	"time"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/fakeaws"
	"github.com/pilotlight/pilotlight/spec/identity"
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
		n := cfg.Names()
		d := fakeaws.NewDeployment(n.Prefix(), cfg.Regions(), n.Cluster(), n.Service(), n.TargetGroup(), cfg.Service.DesiredCount)
		for _, r := range cfg.FailoverRegions {
			switch cfg.Network.StandbyEgress {
			case config.EgressNat:
				d.NatGateways[r] = cfg.Network.AzCount
			case config.EgressEndpoints:
				d.VpcEndpoints[r] = slices.Concat(config.TaskInterfaceEndpoints, []string{config.TaskGatewayEndpoint})
			}
		}
		if cfg.Network.StandbyEgress == config.EgressEndpoints {
			d.VpcEndpoints[cfg.PrimaryRegion] = slices.Concat(config.TaskInterfaceEndpoints, []string{config.TaskGatewayEndpoint})
		}
		if cfg.DNS.Enabled() {
			d.SwitchKey = config.TrafficSwitchKey
			for _, r := range cfg.Regions() {
				d.SwitchBuckets[r] = n.TrafficSwitchBucket(r, fakeaws.AccountID)
			}
		}
		// The service image, in each region's registry when it is private ECR.
		for _, r := range cfg.Regions() {
			if account, _, _, ok := identity.EcrRepository(cfg.ImageIn(r)); ok {
				// ACCOUNT/REPOSITORY:TAG or ACCOUNT/REPOSITORY@DIGEST: the
				// registry the image names, whatever its account.
				ref := cfg.ImageIn(r)[strings.Index(cfg.ImageIn(r), "/")+1:]
				if !strings.ContainsAny(ref, ":@") {
					ref += ":latest"
				}
				d.Images[r] = append(d.Images[r], account+"/"+ref)
			}
		}
		d.NatGateways[cfg.PrimaryRegion] = cfg.Network.AzCount
		for _, b := range cfg.Buckets {
			name := func(r string) string { return n.Bucket(b.Name, r, fakeaws.AccountID) }
			var forward []fakeaws.ReplicationRule
			for _, f := range cfg.FailoverRegions {
				forward = append(forward, fakeaws.ReplicationRule{ID: "to-" + f, DestinationBucket: name(f), Status: "Enabled"})
				if *b.ReverseReplication {
					d.SetReplication(f, name(f), fakeaws.ReplicationRule{ID: "to-" + cfg.PrimaryRegion, DestinationBucket: name(cfg.PrimaryRegion), Status: "Enabled"})
				}
			}
			d.SetReplication(cfg.PrimaryRegion, name(cfg.PrimaryRegion), forward...)
		}
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
