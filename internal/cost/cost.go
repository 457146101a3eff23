// Package cost prices a synthesized cdktf app: every resource of every
// stack's cdk.tf.json, by its Terraform type and arguments, against the
// price table in prices.go. It gives the standing monthly cost (what the
// resources cost while nothing happens) per region and kind, and the
// formulas of the usage-based charges (per GB, per million requests).
//
// A resource type the rules do not know fails the estimate, so a new kind
// of resource cannot be silently free; types that cost nothing are listed
// as free, each with its reason. The package reads JSON only: it imports no
// jsii, cdktf or AWS SDK package.
package cost

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pilotlight/pilotlight/internal/synthout"
)

// Global is the region of charges for global services (Route 53,
// CloudFront, IAM), whichever region their provider names.
const Global = "global"

// Between is the region of charges for data that moves between regions
// (replication), billed to the region that sends it.
const Between = "between regions"

// Resource is one resource of a synthesized stack.
type Resource struct {
	Stack string
	// Type is the Terraform resource type, such as aws_nat_gateway.
	Type string
	// Name is the resource's name in the stack's JSON.
	Name string
	// Region is the region of the stack's AWS provider the resource uses.
	Region string
	// Args are the resource's arguments as synthesized.
	Args map[string]any
}

// Address is TYPE.NAME in the stack STACK, as errors name a resource.
func (r Resource) Address() string { return fmt.Sprintf("%s.%s (stack %s)", r.Type, r.Name, r.Stack) }

// App is every resource of a synthesized app, and what references between
// stacks need to be followed.
type App struct {
	Resources []Resource
	// outputs maps a stack to its outputs' value expressions.
	outputs map[string]map[string]string
	// byAddress maps stack → TYPE.NAME → resource.
	byAddress map[string]map[string]*Resource
}

// ReadApp reads the app cdktf synthesized into outdir: manifest.json and
// each stack's cdk.tf.json.
func ReadApp(outdir string) (*App, error) {
	synthesized, err := synthout.Read(outdir)
	if err != nil {
		return nil, fmt.Errorf("cost: %w (synthesize the app first)", err)
	}
	if len(synthesized) == 0 {
		return nil, fmt.Errorf("cost: manifest.json in %s lists no stacks", outdir)
	}
	stacks := map[string][]byte{}
	for _, st := range synthesized {
		stacks[st.Name] = st.JSON
	}
	return ParseStacks(stacks)
}

// ParseStacks reads stacks given as each stack's cdk.tf.json by name.
func ParseStacks(stacks map[string][]byte) (*App, error) {
	app := &App{outputs: map[string]map[string]string{}, byAddress: map[string]map[string]*Resource{}}
	names := make([]string, 0, len(stacks))
	for n := range stacks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		var doc struct {
			Provider struct {
				AWS []struct {
					Alias  string `json:"alias"`
					Region string `json:"region"`
				} `json:"aws"`
			} `json:"provider"`
			Resource map[string]map[string]map[string]any `json:"resource"`
			Output   map[string]struct {
				Value any `json:"value"`
			} `json:"output"`
		}
		if err := json.Unmarshal(stacks[name], &doc); err != nil {
			return nil, fmt.Errorf("cost: stack %s: %w", name, err)
		}
		regions := map[string]string{}
		for _, p := range doc.Provider.AWS {
			regions[p.Alias] = p.Region
		}
		app.outputs[name] = map[string]string{}
		for k, o := range doc.Output {
			if s, ok := o.Value.(string); ok {
				app.outputs[name][k] = s
			}
		}
		app.byAddress[name] = map[string]*Resource{}
		for _, typ := range sortedKeys(doc.Resource) {
			for _, rname := range sortedKeys(doc.Resource[typ]) {
				args := doc.Resource[typ][rname]
				alias := ""
				if p, ok := args["provider"].(string); ok {
					alias = strings.TrimPrefix(p, "aws.")
				}
				region, ok := regions[alias]
				if !ok || region == "" || strings.Contains(region, "${") {
					return nil, fmt.Errorf("cost: %s.%s (stack %s): its AWS provider %q names no literal region", typ, rname, name, alias)
				}
				app.Resources = append(app.Resources, Resource{Stack: name, Type: typ, Name: rname, Region: region, Args: args})
			}
		}
	}
	for i := range app.Resources {
		r := &app.Resources[i]
		app.byAddress[r.Stack][r.Type+"."+r.Name] = r
	}
	return app, nil
}

// Resolve follows a reference expression to the resource it names: a
// resource of the same stack ("${TYPE.NAME.ATTR}") or, through cdktf's
// cross-stack remote state, a resource of another stack. It returns false
// when expr is no such reference.
func (a *App) Resolve(stack, expr string) (*Resource, bool) {
	ref, ok := strings.CutPrefix(expr, "${")
	if !ok || !strings.HasSuffix(ref, "}") {
		return nil, false
	}
	ref = strings.TrimSuffix(ref, "}")
	const remote = "data.terraform_remote_state.cross-stack-reference-input-"
	if rest, ok := strings.CutPrefix(ref, remote); ok {
		// data.terraform_remote_state.cross-stack-reference-input-STACK.outputs.OUTPUT
		other, output, ok := strings.Cut(rest, ".outputs.")
		if !ok {
			return nil, false
		}
		value, ok := a.outputs[other][output]
		if !ok {
			return nil, false
		}
		return a.Resolve(other, value)
	}
	parts := strings.Split(ref, ".")
	if len(parts) < 2 {
		return nil, false
	}
	r, ok := a.byAddress[stack][parts[0]+"."+parts[1]]
	return r, ok
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Line is a standing charge: what resources of one kind cost a month in one
// region while nothing happens.
type Line struct {
	Region string
	// Kind is what the bill calls it, such as "ElastiCache nodes".
	Kind string
	// Detail tells lines of one kind apart, such as the node type.
	Detail string
	// Count is how many units the price applies to: instances, nodes,
	// addresses, alarm metrics, keys.
	Count float64
	Price Price
	// Monthly is Count × Price.USD (× HoursPerMonth for an hourly price).
	Monthly float64
	// Resources lists the resources the line prices, by Address.
	Resources []string
}

// Usage is a charge that depends on volume: a formula, not an amount.
type Usage struct {
	// Region is where it is billed, or Between for data sent between
	// regions.
	Region string
	Kind   string
	// Formula says what each unit costs and what a unit is.
	Formula string
	Prices  []Price
	// Link marks traffic that exists only because regions replicate (the
	// standby's cost even when billed to the sending region).
	Link bool
	// From is the sending region of a Link.
	From string
}

// Free is a resource type with no standing charge of its own.
type Free struct {
	Type   string
	Reason string
	// Counts are how many resources of the type each region has (Global
	// for a global service).
	Counts map[string]int
}

// Count is how many resources of the type there are in all regions.
func (f Free) Count() int {
	n := 0
	for _, c := range f.Counts {
		n += c
	}
	return n
}

// Regions lists the regions that have resources of the type, sorted.
func (f Free) Regions() []string { return sortedKeys(f.Counts) }

// Estimate is the priced app.
type Estimate struct {
	Lines []Line
	Usage []Usage
	Free  []Free
}

// newLine makes a standing line of count units at price.
func newLine(r Resource, region, kind, detail string, count float64, p Price) Line {
	monthly := count * p.USD
	if p.Hourly() {
		monthly *= HoursPerMonth
	}
	return Line{Region: region, Kind: kind, Detail: detail, Count: count, Price: p, Monthly: monthly, Resources: []string{r.Address()}}
}

// Estimate prices every resource of the app. It fails on the first
// resource whose type no rule knows, or whose arguments a rule cannot
// price, naming the resource and what to add.
func (a *App) Estimate() (Estimate, error) {
	var out Estimate
	free := map[string]*Free{}
	lines := map[string]*Line{}
	usage := map[string]bool{}
	var lineOrder []string
	for _, r := range a.Resources {
		if nc, ok := FreeTypes[r.Type]; ok {
			f := free[r.Type]
			if f == nil {
				f = &Free{Type: r.Type, Reason: nc.Reason, Counts: map[string]int{}}
				free[r.Type] = f
			}
			region := r.Region
			if nc.Global {
				region = Global
			}
			f.Counts[region]++
			continue
		}
		rule, ok := rules[r.Type]
		if !ok {
			return Estimate{}, fmt.Errorf("cost: %s: no price rule for resource type %s; add one to internal/cost/rules.go (priced from the price table), or list the type in FreeTypes with the reason it costs nothing", r.Address(), r.Type)
		}
		ls, us, err := rule(a, r)
		if err != nil {
			return Estimate{}, fmt.Errorf("cost: %s: %w", r.Address(), err)
		}
		for _, l := range ls {
			key := l.Region + "\x00" + l.Kind + "\x00" + l.Detail + "\x00" + l.Price.What
			if have, ok := lines[key]; ok {
				have.Count += l.Count
				have.Monthly += l.Monthly
				have.Resources = append(have.Resources, l.Resources...)
				continue
			}
			l := l
			lines[key] = &l
			lineOrder = append(lineOrder, key)
		}
		for _, u := range us {
			key := u.Region + "\x00" + u.Kind + "\x00" + u.Formula + "\x00" + u.From
			if !usage[key] {
				usage[key] = true
				out.Usage = append(out.Usage, u)
			}
		}
	}
	for _, k := range lineOrder {
		out.Lines = append(out.Lines, *lines[k])
	}
	// Dearest first within a region; usage: replication first.
	sort.SliceStable(out.Lines, func(i, j int) bool {
		a, b := out.Lines[i], out.Lines[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Monthly != b.Monthly {
			return a.Monthly > b.Monthly
		}
		return a.Kind+a.Detail < b.Kind+b.Detail
	})
	sort.SliceStable(out.Usage, func(i, j int) bool {
		a, b := out.Usage[i], out.Usage[j]
		if a.Link != b.Link {
			return a.Link
		}
		if a.From != b.From {
			return a.From < b.From
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Kind < b.Kind
	})
	for _, t := range sortedKeys(free) {
		out.Free = append(out.Free, *free[t])
	}
	return out, nil
}

// Standby is what a pilot-light standby adds to the bill: the standing
// lines outside the primary region, and the usage outside it plus the
// replication traffic wherever it is billed. The primary region's own cost
// is what the system costs without a standby, and is left out.
func (e Estimate) Standby(primary string) Estimate {
	var out Estimate
	for _, l := range e.Lines {
		if l.Region != primary {
			out.Lines = append(out.Lines, l)
		}
	}
	for _, u := range e.Usage {
		if u.Region != primary || u.Link {
			out.Usage = append(out.Usage, u)
		}
	}
	for _, f := range e.Free {
		counts := map[string]int{}
		for r, n := range f.Counts {
			if r != primary {
				counts[r] = n
			}
		}
		if len(counts) > 0 {
			f.Counts = counts
			out.Free = append(out.Free, f)
		}
	}
	return out
}

// Regions lists the regions of the standing lines, sorted, Global last.
func (e Estimate) Regions() []string {
	var out []string
	global := false
	for _, l := range e.Lines {
		if l.Region == Global {
			global = true
		} else if !slices.Contains(out, l.Region) {
			out = append(out, l.Region)
		}
	}
	sort.Strings(out)
	if global {
		out = append(out, Global)
	}
	return out
}

// Monthly is the standing cost a month in region ("" for every region):
// the sum of its lines, each rounded to the cent as a bill rounds them.
func (e Estimate) Monthly(region string) float64 {
	var cents float64
	for _, l := range e.Lines {
		if region == "" || l.Region == region {
			cents += math.Round(l.Monthly * 100)
		}
	}
	return cents / 100
}

// Used lists the prices the estimate's lines and usage apply, once each, in
// the order first used.
func (e Estimate) Used() []Price {
	var out []Price
	seen := map[Price]bool{}
	add := func(p Price) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, l := range e.Lines {
		if l.Price != (Price{}) {
			add(l.Price)
		}
	}
	for _, u := range e.Usage {
		for _, p := range u.Prices {
			add(p)
		}
	}
	return out
}

// Money formats a unit price with the precision it is listed with, such
// as $0.0225 or $1.00.
func Money(usd float64) string {
	s := strconv.FormatFloat(usd, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i < 0 {
		s += ".00"
	} else if len(s)-i == 2 {
		s += "0"
	}
	return "$" + s
}

// Dollars formats an amount to the cent with thousands separators, such as
// $1,490.19.
func Dollars(usd float64) string {
	s := strconv.FormatFloat(usd, 'f', 2, 64)
	whole, cents, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return "$" + b.String() + "." + cents
}
