package timing

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// secs is d in whole seconds, or nil (JSON null) for Forever.
func secs(d time.Duration) *int64 {
	if d == Forever {
		return nil
	}
	n := int64(d.Round(time.Second) / time.Second)
	return &n
}

type jsonPart struct {
	What    string `json:"what"`
	Seconds *int64 `json:"seconds"`
	Source  string `json:"source"`
	Assumed string `json:"assumed,omitempty"`
}

type jsonStep struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Needs    []string   `json:"needs"`
	Manual   bool       `json:"manual"`
	Critical bool       `json:"critical"`
	Start    *int64     `json:"start_seconds"`
	End      *int64     `json:"end_seconds"`
	Duration *int64     `json:"duration_seconds"`
	Blocked  string     `json:"blocked,omitempty"`
	Parts    []jsonPart `json:"parts"`
}

type jsonScenario struct {
	Name         string     `json:"name"`
	Title        string     `json:"title"`
	From         string     `json:"from"`
	To           string     `json:"to"`
	Writes       *int64     `json:"writes_seconds"`
	Total        *int64     `json:"total_seconds"`
	CriticalPath []string   `json:"critical_path"`
	Steps        []jsonStep `json:"steps"`
}

type jsonSaving struct {
	Seconds       *int64 `json:"seconds"`
	FromUnbounded bool   `json:"from_unbounded"`
}

type jsonSuggestion struct {
	Key   string                `json:"key"`
	From  string                `json:"from"`
	To    string                `json:"to"`
	Saves map[string]jsonSaving `json:"saves"`
	Costs string                `json:"costs"`
}

type jsonSettings struct {
	From                string `json:"from"`
	To                  string `json:"to"`
	DNS                 bool   `json:"dns"`
	TTL                 int    `json:"ttl_seconds,omitempty"`
	HealthCheckInterval int    `json:"health_check_interval_seconds,omitempty"`
	FailureThreshold    int    `json:"failure_threshold,omitempty"`
	StandbyEgress       string `json:"standby_egress"`
	SecondaryInstances  int    `json:"secondary_instances"`
}

// JSON is b as indented JSON: durations in whole seconds, null where a
// scenario never gets there (a blocked step); savings per scenario, with
// from_unbounded where a setting makes an unbounded scenario bounded.
func (b Budget) JSON() ([]byte, error) {
	s := b.Settings
	out := struct {
		Settings  jsonSettings     `json:"settings"`
		Scenarios []jsonScenario   `json:"scenarios"`
		Shorten   []jsonSuggestion `json:"shorten"`
	}{Settings: jsonSettings{From: s.From, To: s.To, DNS: s.DNS, StandbyEgress: s.StandbyEgress, SecondaryInstances: s.SecondaryInstances},
		Scenarios: []jsonScenario{}, Shorten: []jsonSuggestion{}}
	if s.DNS {
		out.Settings.TTL, out.Settings.HealthCheckInterval, out.Settings.FailureThreshold = s.TTL, s.HealthCheckInterval, s.FailureThreshold
	}
	for _, sc := range b.Scenarios {
		js := jsonScenario{Name: sc.Name, Title: sc.Title, From: sc.From, To: sc.To, Writes: secs(sc.Writes), Total: secs(sc.Total), CriticalPath: sc.CriticalPath}
		for _, st := range sc.Steps {
			j := jsonStep{ID: st.ID, Title: st.Title, Needs: append([]string{}, st.Needs...), Manual: st.Manual, Critical: st.Critical,
				Start: secs(st.Start), End: secs(st.End), Duration: secs(st.Duration), Blocked: st.Blocked, Parts: []jsonPart{}}
			for _, p := range st.Parts {
				j.Parts = append(j.Parts, jsonPart{What: p.What, Seconds: secs(p.Duration), Source: p.Source, Assumed: p.Assumed})
			}
			js.Steps = append(js.Steps, j)
		}
		out.Scenarios = append(out.Scenarios, js)
	}
	for _, sug := range b.Shorten {
		j := jsonSuggestion{Key: sug.Key, From: sug.From, To: sug.To, Costs: sug.Costs, Saves: map[string]jsonSaving{}}
		for name, d := range sug.Saves {
			j.Saves[name] = jsonSaving{Seconds: secs(d), FromUnbounded: d == Forever}
		}
		out.Shorten = append(out.Shorten, j)
	}
	return json.MarshalIndent(out, "", "  ")
}

// Describe is s in one line, as the budget's heading says it.
func (s Settings) Describe() string {
	dns := "dns unset"
	if s.DNS {
		dns = fmt.Sprintf("dns set (ttl %d s, health checks %d x %d s)", s.TTL, s.FailureThreshold, s.HealthCheckInterval)
	}
	return fmt.Sprintf("%s -> %s; %s, standbyEgress %s, secondaryInstances %d", s.From, s.To, dns, s.StandbyEgress, s.SecondaryInstances)
}

// Saving says what a suggestion saves in a scenario, for people.
func Saving(d time.Duration) string {
	if d == Forever {
		return "unbounded -> bounded"
	}
	return "-" + Format(d)
}

// Sources lists the budget's figures' sources once each, in the order the
// steps first use them, and the number each is cited by.
func (b Budget) Sources() (list []string, number map[string]int) {
	number = map[string]int{}
	for _, sc := range b.Scenarios {
		for _, st := range sc.Steps {
			for _, p := range st.Parts {
				if _, ok := number[p.Source]; !ok {
					list = append(list, p.Source)
					number[p.Source] = len(list)
				}
			}
		}
	}
	return list, number
}

// WriteText prints b for a terminal: per scenario the steps with their
// needs, start, end and duration (critical path starred), then each step's
// parts with a numbered source, the settings that shorten it, and the
// sources.
func (b Budget) WriteText(w io.Writer) error {
	sources, number := b.Sources()
	var buf strings.Builder
	fmt.Fprintf(&buf, "RTO budget: %s\n", b.Settings.Describe())
	for _, sc := range b.Scenarios {
		fmt.Fprintf(&buf, "\n%s: writes reach %s after %s", sc.Title, sc.To, Format(sc.Writes))
		if sc.Total != sc.Writes {
			fmt.Fprintf(&buf, " (every step done after %s)", Format(sc.Total))
		}
		buf.WriteString("\n")
		tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  STEP\tNEEDS\tSTART\tEND\tTAKES\tWHAT")
		for _, st := range sc.Steps {
			mark, needs, what := " ", "-", st.Title
			if st.Critical {
				mark = "*"
			}
			if len(st.Needs) > 0 {
				needs = strings.Join(st.Needs, ",")
			}
			if st.Manual {
				what = "[manual] " + what
			}
			fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\t%s\n", mark, st.ID, needs, Format(st.Start), Format(st.End), Format(st.Duration), what)
		}
		tw.Flush()
		fmt.Fprintf(&buf, "  critical path (*): %s = %s\n", strings.Join(sc.CriticalPath, " -> "), Format(sc.Total))
		for _, st := range sc.Steps {
			if st.Blocked != "" {
				fmt.Fprintf(&buf, "  %s cannot finish: %s\n", st.ID, st.Blocked)
			}
		}
		buf.WriteString("  each step's time:\n")
		tw = tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
		for _, st := range sc.Steps {
			id := st.ID
			for _, p := range st.Parts {
				line := fmt.Sprintf("    %s\t%s\t%s [%d]", id, Format(p.Duration), p.What, number[p.Source])
				if p.Assumed != "" {
					line += " (assumed: " + p.Assumed + ")"
				}
				fmt.Fprintln(tw, line)
				id = ""
			}
			if len(st.Parts) == 0 {
				fmt.Fprintf(tw, "    %s\t0s\tnothing to wait for\n", id)
			}
		}
		tw.Flush()
	}
	if len(b.Shorten) > 0 {
		buf.WriteString("\nsettings that shorten it (what writes gain, per scenario; what it costs):\n")
		for _, sug := range b.Shorten {
			var saves []string
			for _, name := range sug.SortedSaves() {
				saves = append(saves, name+" "+Saving(sug.Saves[name]))
			}
			fmt.Fprintf(&buf, "  %s: %s -> %s  saves %s\n    costs: %s\n", sug.Key, sug.From, sug.To, strings.Join(saves, ", "), sug.Costs)
		}
	}
	buf.WriteString("\nsources:\n")
	for i, s := range sources {
		fmt.Fprintf(&buf, "  [%d] %s\n", i+1, s)
	}
	_, err := io.WriteString(w, buf.String())
	return err
}

// SortedSaves lists a suggestion's scenario names, failover first.
func (s Suggestion) SortedSaves() []string {
	var out []string
	for name := range s.Saves {
		out = append(out, name)
	}
	slices.Sort(out) // "failover" < "switchover"
	return out
}
