package timing

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Step ids shared with the runbook's step graph.
const (
	// StepInstance adds a DB instance to a headless secondary: the runbook
	// refuses to switch until the target's cluster has one.
	StepInstance = "instance"
	// StepEgress is the regional deploy that gives the target NAT gateways
	// and starts its service, which a planned switch with standbyEgress
	// none waits for (the runbook's preflight refuses without it).
	StepEgress = "egress"
	// StepAurora is the Aurora global switchover or failover.
	StepAurora = "aurora"
	// StepCache is the ElastiCache Global Datastore promotion.
	StepCache = "cache"
	// StepCompute is the target's ECS service from 0 tasks to healthy
	// targets; with standbyEgress none in a failover, the regional deploy
	// that creates NAT gateways first.
	StepCompute = "compute"
	// StepTraffic is the traffic switch until resolvers see it.
	StepTraffic = "traffic"
	// StepScaleDown scales the old region's service to 0 once traffic has
	// moved (a planned switch).
	StepScaleDown = "scaledown"
)

// Forever is the duration of a step that cannot finish in its scenario,
// and of everything after it.
const Forever = time.Duration(math.MaxInt64)

// Step is one node of a switch's graph.
type Step struct {
	// ID is one of the Step* ids.
	ID string
	// Title says what the step does.
	Title string
	// Needs are the steps that must end before this one starts.
	Needs []string
	// Manual: the runbook hands this step to a person.
	Manual bool
	// Parts are the durations the step takes, one after another; its
	// Duration is their sum.
	Parts []Figure
	// Blocked, when set, says why the step cannot finish in this
	// scenario: its Duration is Forever.
	Blocked string
	// Duration, Start and End are set by Schedule: the step starts when
	// the last of its Needs ends.
	Duration, Start, End time.Duration
	// Critical marks the steps of the critical path.
	Critical bool
}

// Schedule sets every step's Duration, Start and End, with each step
// starting as soon as all it needs have ended, and returns the critical
// path (the chain of steps that ends last, first step first) and its end,
// the total. A blocked step lasts Forever, and so does what follows it.
// Errors: an id used twice, a need that is no step, or a cycle.
func Schedule(steps []Step) (path []string, total time.Duration, err error) {
	index := map[string]int{}
	for i, s := range steps {
		if _, dup := index[s.ID]; dup {
			return nil, 0, fmt.Errorf("step %q appears twice", s.ID)
		}
		index[s.ID] = i
	}
	for _, s := range steps {
		for _, n := range s.Needs {
			if _, ok := index[n]; !ok {
				return nil, 0, fmt.Errorf("step %q needs %q, which is not a step", s.ID, n)
			}
		}
	}
	// Kahn's order: a step is placed once everything it needs is placed.
	placed := make([]bool, len(steps))
	rank := make([]int, len(steps)) // place in the order
	via := make([]int, len(steps))  // the need that ends last, or -1
	for done := 0; done < len(steps); {
		progress := false
		for i := range steps {
			s := &steps[i]
			if placed[i] || !allPlaced(s.Needs, index, placed) {
				continue
			}
			s.Start, via[i] = 0, -1
			for _, n := range s.Needs {
				if e := steps[index[n]].End; via[i] < 0 || e > s.Start {
					s.Start, via[i] = e, index[n]
				}
			}
			s.Duration = 0
			for _, p := range s.Parts {
				s.Duration = add(s.Duration, p.Duration)
			}
			if s.Blocked != "" {
				s.Duration = Forever
			}
			s.End = add(s.Start, s.Duration)
			placed[i], rank[i], progress = true, done, true
			done++
		}
		if !progress {
			var left []string
			for i, s := range steps {
				if !placed[i] {
					left = append(left, s.ID)
				}
			}
			return nil, 0, fmt.Errorf("the steps %s need each other (a cycle)", strings.Join(left, ", "))
		}
	}
	// The step that ends last; of steps ending together (Forever after a
	// blocked one), the one placed last, so the path runs to its end.
	last := -1
	for i, s := range steps {
		steps[i].Critical = false
		if last < 0 || s.End > steps[last].End || s.End == steps[last].End && rank[i] > rank[last] {
			last = i
		}
	}
	if last < 0 {
		return nil, 0, nil
	}
	for i := last; i >= 0; i = via[i] {
		steps[i].Critical = true
		path = append([]string{steps[i].ID}, path...)
	}
	return path, steps[last].End, nil
}

func allPlaced(needs []string, index map[string]int, placed []bool) bool {
	for _, n := range needs {
		if !placed[index[n]] {
			return false
		}
	}
	return true
}

// add is a + b, saturating at Forever.
func add(a, b time.Duration) time.Duration {
	if a == Forever || b == Forever || a > Forever-b {
		return Forever
	}
	return a + b
}

// Format writes d for people: "2m40s", or "unbounded" for Forever.
func Format(d time.Duration) string {
	if d == Forever {
		return "unbounded"
	}
	return d.Round(time.Second).String()
}
