package docgen

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/pilotlight/pilotlight/config"
	"github.com/pilotlight/pilotlight/internal/cost"
)

// SizedConfig is the config docs/cost.md prices beside the defaults, by
// its path from the repository root.
const SizedConfig = "testdata/sized.yaml"

// PricedConfig is one config the cost page prices: its synthesized app in
// Outdir.
type PricedConfig struct {
	// Title names it on the page; Source says where it comes from.
	Title, Source string
	Config        config.Config
	Outdir        string
}

// priced is a config with its standby estimate.
type priced struct {
	PricedConfig
	standby cost.Estimate
}

// CostPage is docs/cost.md: what the standby of each config adds to the
// bill a month, per region and resource kind, from the synthesized
// resources and the price table (internal/cost). It fails when a resource
// has no price rule, so no new kind of resource is silently free.
func CostPage(configs []PricedConfig) ([]byte, error) {
	var all []priced
	var regions []string
	for _, c := range configs {
		app, err := cost.ReadApp(c.Outdir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Title, err)
		}
		e, err := app.Estimate()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Title, err)
		}
		p := priced{PricedConfig: c, standby: e.Standby(c.Config.PrimaryRegion)}
		for _, r := range p.standby.Regions() {
			if r != cost.Global && !slices.Contains(regions, r) {
				regions = append(regions, r)
			}
		}
		all = append(all, p)
	}
	regions = append(regions, cost.Global)

	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("# What the standby costs\n\n")
	fmt.Fprintf(&b, "What the pilot-light standby adds to the AWS bill each month, for the defaults and for a sized config: "+
		"every resource the app synthesizes, read from each stack's `cdk.tf.json` and priced by its Terraform type and "+
		"arguments against the price table in `internal/cost/prices.go` (%s list prices, read %s; [Prices](#prices)). "+
		"A resource type the table does not know fails `go generate ./...`, so nothing new is silently free.\n\n", cost.PriceRegion, cost.PricesRead)
	b.WriteString("**The primary region's own running cost is not included**: its database writer and readers, cache, NAT " +
		"gateways, tasks, load balancer, keys and alarms are what the system costs without a standby. Counted are the " +
		"standby region's resources, the replicas the primary keeps there (Secrets Manager), the global pieces that exist " +
		"for the failover (Route 53 health checks) and, as formulas because they depend on volume, the replication between " +
		"the regions. Free tiers, reserved instances, savings plans and tax are not applied. A month is 730 hours.\n\n")

	b.WriteString("## Summary\n\nStanding cost a month, before any usage-based charge:\n\n| config |")
	for _, r := range regions {
		fmt.Fprintf(&b, " %s |", r)
	}
	b.WriteString(" total |\n|---|")
	b.WriteString(strings.Repeat("---:|", len(regions)+1) + "\n")
	for _, p := range all {
		fmt.Fprintf(&b, "| %s (`%s`) |", p.Title, p.Source)
		for _, r := range regions {
			fmt.Fprintf(&b, " %s |", cost.Dollars(p.standby.Monthly(r)))
		}
		fmt.Fprintf(&b, " **%s** |\n", cost.Dollars(p.standby.Monthly("")))
	}
	b.WriteString("\n")

	for _, p := range all {
		writeConfigCost(&b, p)
	}
	writePrices(&b, all)
	return b.Bytes(), nil
}

func writeConfigCost(b *bytes.Buffer, p priced) {
	c := p.Config
	fmt.Fprintf(b, "## %s\n\n", p.Title)
	secondary := fmt.Sprintf("%d × %s in each standby region", c.Database.SecondaryInstances, c.Database.InstanceClass)
	if c.Database.SecondaryInstances == 0 {
		secondary = "headless (no instances) in each standby region"
	}
	dns := "off"
	if c.DNS.Enabled() {
		dns = "on (Route 53 failover name and health checks)"
	}
	var buckets []string
	for _, bk := range c.Buckets {
		buckets = append(buckets, bk.Name)
	}
	fmt.Fprintf(b, "`%s`: primary %s, standby %s; Aurora %s; ElastiCache %d × %s in each region; %d AZs; "+
		"`network.standbyEgress: %s`; buckets %s; `dns` %s.\n\n",
		p.Source, c.PrimaryRegion, strings.Join(c.FailoverRegions, ", "), secondary, c.Cache.Replicas+1, c.Cache.NodeType,
		c.Network.AzCount, c.Network.StandbyEgress, strings.Join(buckets, ", "), dns)

	b.WriteString("### Standing cost per region and kind\n\n| region | kind | what | count | price | a month |\n|---|---|---|---:|---|---:|\n")
	for _, region := range p.standby.Regions() {
		for _, l := range p.standby.Lines {
			if l.Region != region {
				continue
			}
			count, price := fmt.Sprintf("%g", l.Count), "no charge"
			if l.Price != (cost.Price{}) {
				price = fmt.Sprintf("%s / %s", cost.Money(l.Price.USD), l.Price.Unit)
			}
			what := l.Detail
			if l.Kind == "Interface VPC endpoints" {
				what = fmt.Sprintf("%d endpoints × %s", len(l.Resources), l.Detail)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", region, l.Kind, cell(what), count, price, cost.Dollars(l.Monthly))
		}
		fmt.Fprintf(b, "| %s | **total** | | | | **%s** |\n", region, cost.Dollars(p.standby.Monthly(region)))
	}
	fmt.Fprintf(b, "\n**Standby total: %s a month**, plus the usage below.\n\n", cost.Dollars(p.standby.Monthly("")))
	writeDatabaseChoice(b, c)
	writeEgressChoices(b, c)

	b.WriteString("### Billed by use\n\nNo standing charge; each grows with volume. Replication between the regions is the standby's cost " +
		"wherever it is billed.\n\n| where billed | kind | formula |\n|---|---|---|\n")
	for _, u := range p.standby.Usage {
		where := u.Region
		if u.Link && u.From != "" {
			where = fmt.Sprintf("from %s", u.From)
			if u.From == c.PrimaryRegion {
				where += " (flows now)"
			} else {
				where += " (flows once a switch makes it the primary)"
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", where, u.Kind, cell(u.Formula))
	}
	b.WriteString("\n### No standing charge\n\n| resource type | count | where | why |\n|---|---:|---|---|\n")
	for _, f := range p.standby.Free {
		fmt.Fprintf(b, "| `%s` | %d | %s | %s |\n", f.Type, f.Count(), strings.Join(f.Regions(), ", "), cell(f.Reason))
	}
	b.WriteString("\n")
}

// writeDatabaseChoice says what the secondary's instances cost against a
// headless secondary, from the same prices.
func writeDatabaseChoice(b *bytes.Buffer, c config.Config) {
	p, ok := cost.AuroraInstanceHour[c.Database.InstanceClass]
	if !ok {
		return
	}
	one := p.USD * cost.HoursPerMonth
	if c.Database.SecondaryInstances == 0 {
		fmt.Fprintf(b, "`database.secondaryInstances` is 0 here: the standby's cluster is headless, storage only, and a failover must first "+
			"add an instance (the runbook refuses until one is available). Each %s instance kept there would add %s a month a standby region.\n\n",
			c.Database.InstanceClass, cost.Dollars(one))
		return
	}
	fmt.Fprintf(b, "`database.secondaryInstances` is %d here: %s a month a standby region. With 0 (headless, storage only) "+
		"the standby pays no instance hours, but a failover must first add an instance (the runbook refuses until one is available).\n\n",
		c.Database.SecondaryInstances, cost.Dollars(float64(c.Database.SecondaryInstances)*one))
}

// writeEgressChoices prices the network.standbyEgress choices a config did
// not make, from the same prices: what keeping egress standing would add
// to each standby region.
func writeEgressChoices(b *bytes.Buffer, c config.Config) {
	azs := float64(c.Network.AzCount)
	nat := azs * (cost.NATGatewayHour.USD + cost.PublicIPv4Hour.USD) * cost.HoursPerMonth
	endpoints := float64(len(config.TaskInterfaceEndpoints)) * azs * cost.InterfaceEndpointHour.USD * cost.HoursPerMonth
	choices := map[string]string{
		config.EgressNone: "`none` adds nothing standing: the switch's deploy creates the NAT gateways, and the tasks cannot start before it",
		config.EgressNat: fmt.Sprintf("`nat` keeps %d NAT gateways and their %d public IPv4 addresses: %s a month a standby region (plus %s per GB processed)",
			c.Network.AzCount, c.Network.AzCount, cost.Dollars(nat), cost.Money(cost.NATGatewayGB.USD)),
		config.EgressEndpoints: fmt.Sprintf("`endpoints` keeps %d interface endpoints (%s) × %d AZs: %s a month a standby region (plus %s per GB processed); the S3 gateway endpoint is free",
			len(config.TaskInterfaceEndpoints), strings.Join(config.TaskInterfaceEndpoints, ", "), c.Network.AzCount, cost.Dollars(endpoints), cost.Money(cost.InterfaceEndpointGB.USD)),
	}
	fmt.Fprintf(b, "`network.standbyEgress` is `%s` here. For the same %d AZs, from the same prices:\n\n", c.Network.StandbyEgress, c.Network.AzCount)
	for _, choice := range config.EgressChoices {
		mark := ""
		if choice == c.Network.StandbyEgress {
			mark = " (this config)"
		}
		fmt.Fprintf(b, "- %s%s.\n", choices[choice], mark)
	}
	b.WriteString("\n")
}

func writePrices(b *bytes.Buffer, all []priced) {
	b.WriteString("## Prices\n\n")
	fmt.Fprintf(b, "The figures the estimates above use, from `internal/cost/prices.go`: %s list prices in USD, on demand, read %s. "+
		"The same figures are applied to every region priced here (us-west-2 for both configs): regional differences are not "+
		"modelled (AWS's own agent toolkit, for one, rounds Aurora in us-west-2 to about 1.15× us-east-1), so check the region's "+
		"figures on each page. "+
		"aws.amazon.com could not be reached where the table was written: **Basis** says how each figure was established, "+
		"and only \"%s\" and \"%s\" figures were seen in AWS's own words.\n\n",
		cost.PriceRegion, cost.PricesRead, cost.BasisAWS, cost.BasisTranscript)
	b.WriteString("| price | USD | per | AWS pricing page | read from | basis |\n|---|---:|---|---|---|---|\n")
	seen := map[cost.Price]bool{}
	for _, p := range all {
		for _, pr := range p.standby.Used() {
			if seen[pr] {
				continue
			}
			seen[pr] = true
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", cell(pr.What), cost.Money(pr.USD), pr.Unit, pr.Page, cell(pr.Seen), pr.Basis)
		}
	}
	fmt.Fprintf(b, "\nBasis: **%s**, the figure appears in text AWS publishes (pricing page, documentation, blog, re:Post or an AWS-owned "+
		"repository); **%s**, the AWS pricing page's text as a dated third-party transcription quotes it verbatim; **%s**, only a "+
		"third party's table quotes it; **%s**, no source was found and the figure, the list price as known on %s, must be checked "+
		"on the page.\n\n", cost.BasisAWS, cost.BasisTranscript, cost.BasisThirdParty, cost.BasisEstimate, cost.PricesRead)
	b.WriteString("Assumptions the rules make, each visible in `internal/cost/rules.go`:\n\n" +
		"- Route 53 health checks are priced as checks of AWS endpoints (the load balancers and the switch's S3 bucket are AWS " +
		"resources of the account); a check Route 53 counts as non-AWS costs more (the transcribed page: $0.75, and $2.00 a feature). " +
		"The page also lists up to 50 AWS-endpoint basic checks as free, which this estimate does not apply. Calculated checks are priced as basic checks.\n" +
		"- A CloudWatch alarm is billed per metric it reads: a metric-math alarm over two metrics is two alarm metrics; a metric " +
		"with a period under 60 s is high resolution.\n" +
		"- An internet-facing load balancer holds one public IPv4 address per Availability Zone (more under load).\n" +
		"- A KMS key with rotation on costs $1 more a month after each of its first two yearly rotations; the table prices its first year.\n")
}
