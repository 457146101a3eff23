package runbook

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pilotlight/pilotlight/timing"
)

// Deviations lists how the run tl differs from its RTO budget sc (the
// scenario of timing.NewBudget for the same config and switch), by more
// than tolerance (the run's poll interval: a step is seen done only at the
// first poll after it is); empty when the run went as budgeted. It is what
// a drill on the fake, which takes the budget's durations
// (fakeaws.DurationsOf), asserts:
//
//   - the run and the budget have the same steps (the runbook's
//     scale-down-REGION steps are the budget's scaledown), and each ended
//     done or handed to the operator;
//   - each automated step's time (aurora, cache, compute, scale-down) is
//     the budget's;
//   - each step starts when the budget starts it, so steps the budget runs
//     together started together: when the steps one waits for ran one
//     after another, it says so, with their span against the longest of
//     them (a run as a graph takes the longest, not the sum);
//   - the run's total is the budget's schedule's.
//
// Two differences are the runbook's by design, so the budget is
// rescheduled with them before comparing: a step the run handed to the
// operator (manual) takes no time in the run, which does not wait for a
// person; and the traffic step ends in the run when S3 shows the switch
// (the runbook's check), while the budget's traffic step goes on through
// Route 53's health checks and the resolvers' TTL, which no API call can
// observe: so traffic's start is compared, not its time. Steps listed in
// already were done before the run (a return trip's target still runs
// its service): they take no time either.
func (tl Timeline) Deviations(sc timing.Scenario, tolerance time.Duration, already ...string) []string {
	run := map[string][]StepTime{}
	for _, s := range tl.Steps {
		id := s.ID
		if strings.HasPrefix(id, "scale-down-") {
			id = timing.StepScaleDown
		}
		run[id] = append(run[id], s)
	}
	expect := slices.Clone(sc.Steps)
	var out []string
	for i, b := range expect {
		ran := run[b.ID]
		if len(ran) == 0 {
			out = append(out, fmt.Sprintf("%s: in the budget, not in the run", b.ID))
			continue
		}
		if ran[0].State == stateManual || b.ID == timing.StepTraffic || slices.Contains(already, b.ID) {
			expect[i].Parts, expect[i].Blocked = nil, ""
		}
	}
	for _, s := range tl.Steps {
		if id := s.ID; !slices.ContainsFunc(sc.Steps, func(b timing.Step) bool {
			return b.ID == id || b.ID == timing.StepScaleDown && strings.HasPrefix(id, "scale-down-")
		}) {
			out = append(out, fmt.Sprintf("%s: in the run, not in the budget", id))
		}
	}
	if len(out) > 0 {
		return out
	}
	if _, _, err := timing.Schedule(expect); err != nil {
		return []string{"the budget's steps do not schedule: " + err.Error()}
	}
	off := func(a, b time.Duration) bool { return a-b > tolerance || b-a > tolerance }
	var total time.Duration
	for _, b := range expect {
		total = max(total, b.End)
		for _, s := range run[b.ID] {
			switch s.State {
			case stateDone, stateManual:
			default:
				out = append(out, fmt.Sprintf("%s: %s (%s), want done", s.ID, s.State, s.Err))
				continue
			}
			if off(s.Start, b.Start) {
				out = append(out, fmt.Sprintf("%s: started at %s, the budget starts it at %s (after %s)", s.ID, s.Start, b.Start, waitsFor(b.Needs)))
			}
			if s.State == stateManual || b.ID == timing.StepTraffic {
				continue
			}
			if took := s.End - s.Start; off(took, b.Duration) {
				out = append(out, fmt.Sprintf("%s: took %s, the budget %s", s.ID, took, b.Duration))
			}
		}
	}
	if off(tl.Total, total) {
		out = append(out, fmt.Sprintf("total %s, the budget's (traffic until S3 shows the switch, manual steps handed over at once) %s", tl.Total, total))
	}
	return append(out, tl.LateStarts(sc, tolerance)...)
}

// LateStarts lists where tl ran steps one after another that its budget
// sc runs together, by more than tolerance, whatever each step took: each
// step that waits for other steps than the budget's step does (a step
// chained after one it need not wait for); each step that started later
// than the last of the steps it waits for ended (at 0 for one that waits
// for nothing), that is after a step it does not wait for; and each set of
// steps waiting for the same steps whose span, from the first start to the
// last end, exceeds the longest of them (a run as a graph takes the
// longest, one after another the sum). Empty when the run went as the
// budget's graph. Drills under a reading of AWS that delays steps on
// purpose check this instead of Deviations, which includes it.
func (tl Timeline) LateStarts(sc timing.Scenario, tolerance time.Duration) []string {
	var out []string
	end := map[string]time.Duration{}
	ran := map[string]bool{}
	for _, s := range tl.Steps {
		end[s.ID], ran[s.ID] = s.End, s.State != stateSkipped && s.State != stateNotStarted
	}
	for _, s := range tl.Steps {
		id := s.ID
		if strings.HasPrefix(id, "scale-down-") {
			id = timing.StepScaleDown
		}
		i := slices.IndexFunc(sc.Steps, func(b timing.Step) bool { return b.ID == id })
		if i < 0 {
			continue // Deviations names it
		}
		var needs []string
		for _, n := range sc.Steps[i].Needs {
			if _, ok := end[n]; ok {
				needs = append(needs, n)
			}
		}
		if after := slices.Sorted(slices.Values(s.After)); !slices.Equal(after, slices.Sorted(slices.Values(needs))) {
			out = append(out, fmt.Sprintf("%s: waits for %s, the budget's for %s", s.ID, waitsFor(after), waitsFor(needs)))
		}
	}
	siblings := map[string][]StepTime{}
	var keys []string
	for _, s := range tl.Steps {
		if !ran[s.ID] {
			continue
		}
		var ready time.Duration
		for _, a := range s.After {
			ready = max(ready, end[a])
		}
		if s.Start-ready > tolerance {
			out = append(out, fmt.Sprintf("%s: started at %s, %s after what it waits for (%s) was done: it ran after a step it does not wait for",
				s.ID, s.Start, s.Start-ready, waitsFor(s.After)))
		}
		k := strings.Join(s.After, ",")
		if _, ok := siblings[k]; !ok {
			keys = append(keys, k)
		}
		siblings[k] = append(siblings[k], s)
	}
	for _, k := range keys {
		group := siblings[k]
		if len(group) < 2 {
			continue
		}
		first, last, longest := group[0].Start, time.Duration(0), time.Duration(0)
		var ids []string
		for _, s := range group {
			first, last, longest = min(first, s.Start), max(last, s.End), max(longest, s.End-s.Start)
			ids = append(ids, s.ID)
		}
		if last-first > longest+tolerance {
			out = append(out, fmt.Sprintf("%s ran one after another: %s from the first start to the last end, the longest of them %s; the graph runs them together",
				strings.Join(ids, ", "), last-first, longest))
		}
	}
	return out
}

// WritesAt is when writes reach the target in the run tl, as far as a run
// measures it: when its traffic step started (the switch is put then) plus
// the budget sc's time for the traffic step (Route 53's health checks and
// the resolvers' TTL, which the run does not wait for: no API call shows
// them). ok is false, and the time timing.Forever, when the run has no
// traffic step or handed it to the operator (no dns: the edge stack's
// deploy moves writes).
func (tl Timeline) WritesAt(sc timing.Scenario) (at time.Duration, ok bool) {
	s, found := tl.Step(timing.StepTraffic)
	if !found || s.State != stateDone {
		return timing.Forever, false
	}
	for _, b := range sc.Steps {
		if b.ID == timing.StepTraffic {
			return s.Start + b.Duration, b.Duration != timing.Forever
		}
	}
	return timing.Forever, false
}
