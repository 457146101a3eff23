package runbook

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// The step graph. A command's steps form a graph: each step has a stable
// id and names the steps it waits for (after). A step starts as soon as
// every step it waits for is done, so steps that wait for nothing start
// together and the run takes its critical path, not the sum of its steps.
//
// The ids (the RTO budget names its figures by the same ones):
//
//	aurora                the Aurora global cluster's switchover or failover
//	cache                 the Global Datastore's promotion
//	compute               the target's ECS service scaled up until its targets
//	                      are healthy, or the manual NAT + deploy step
//	traffic               the traffic switch (or its manual step)
//	scale-down-REGION     a planned switch's scale-down of REGION's service
//	                      (manual unless --scale-down-old)
//
// A failed step skips every step that waits for it, directly or not; the
// others go on until they finish or time out, and the run reports which
// failed, which were skipped because of which, and which finished. A
// manual step waits for nothing from the operator: it prints what to do
// and counts as reached, so the steps after it run (each one's own check
// says why that is safe; see Failover and planned).

// Step states in the closing table and Timeline.
const (
	stateDone        = "done"
	stateFailed      = "failed"
	stateSkipped     = "skipped"
	stateManual      = "manual"
	stateInterrupted = "interrupted"
	stateNotStarted  = "not started"
)

// StepTime is one step of a run as it went.
type StepTime struct {
	// ID is the step's id (aurora, cache, compute, traffic,
	// scale-down-REGION) and Title what it does.
	ID, Title string
	// After lists the ids of the steps it waited for.
	After []string
	// State is done, failed, skipped (a step it waits for failed),
	// manual (left to the operator, printed), interrupted (stopped by
	// Ctrl-C or an AfterStep error while it ran) or not started.
	State string
	// Start and End are when it started and ended, from the run's start;
	// both 0 for a step that never started.
	Start, End time.Duration
	// Critical is true for the steps of the critical path.
	Critical bool
	// Err is why it failed, or which step's failure skipped it.
	Err string
}

// Timeline is a run of a step graph as it went: each step in the order
// declared, the total, and the critical path (the chain of steps, each
// waiting for the one before, that ends last).
type Timeline struct {
	Steps    []StepTime
	Total    time.Duration
	Critical []string
}

// Step returns the step with id, and whether there is one.
func (tl Timeline) Step(id string) (StepTime, bool) {
	for _, s := range tl.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return StepTime{}, false
}

// graphRun is one run of a step graph.
type graphRun struct {
	rb    *Runbook
	steps []step
	idx   map[string]int
	width int // the longest id, for the event column
	start time.Time

	mu      sync.Mutex
	rec     []StepTime
	errs    []error // each failed step's error, by index (nil otherwise)
	started []bool
	cancel  context.CancelCauseFunc
	ctx     context.Context
	stopped error // the AfterStep error that stopped the run
	wg      sync.WaitGroup
}

// stepKey carries the running step (and its run) in its context, so what
// a step prints is prefixed like every other event of the run.
type stepKey struct{}

type stepInRun struct {
	g  *graphRun
	id string
}

// checkGraph refuses a graph with a duplicate id, or a step waiting for
// one not declared before it (which also rules out cycles).
func checkGraph(steps []step) error {
	seen := map[string]bool{}
	for _, s := range steps {
		if s.id == "" || seen[s.id] {
			return fmt.Errorf("step graph: id %q empty or used twice", s.id)
		}
		for _, a := range s.after {
			if !seen[a] {
				return fmt.Errorf("step graph: %s waits for %q, not declared before it", s.id, a)
			}
		}
		seen[s.id] = true
	}
	return nil
}

// where is a step's API and region, or "manual".
func (s step) where() string {
	if s.api == "" {
		return "manual"
	}
	return s.api + " in " + s.region
}

func waitsFor(after []string) string {
	if len(after) == 0 {
		return "nothing: starts at once"
	}
	return strings.Join(after, ", ")
}

// printGraph prints the steps, what each does and calls, and what each
// waits for (--dry-run).
func (rb *Runbook) printGraph(steps []step) {
	rb.printf("steps (a step starts once every step it waits for is done; steps that wait for nothing start together):\n")
	tw := tabwriter.NewWriter(rb.opt.Out, 0, 0, 2, ' ', 0)
	for _, s := range steps {
		fmt.Fprintf(tw, "  %s\t%s (%s)\n", s.id, s.title, s.where())
		fmt.Fprintf(tw, "  \twaits for: %s\n", waitsFor(s.after))
		if s.manual != "" {
			fmt.Fprintf(tw, "  \tmanual: %s\n", s.manual)
		}
	}
	tw.Flush()
}

// run runs steps as a graph (see above), printing one line per event, each
// prefixed with the time since the run started and the step's id, then a
// table of each step's start, end and time, the critical path and the
// total. A dry run prints the graph instead. It returns nil when every
// step is done or manual; else an error naming the failed steps with
// their errors, those skipped because of them, and those that finished.
func (rb *Runbook) run(ctx context.Context, steps []step) error {
	if err := checkGraph(steps); err != nil {
		return err
	}
	if rb.opt.DryRun {
		rb.printGraph(steps)
		return nil
	}
	g := &graphRun{rb: rb, steps: steps, idx: map[string]int{}, start: rb.clock.Now(),
		rec: make([]StepTime, len(steps)), errs: make([]error, len(steps)), started: make([]bool, len(steps))}
	for i, s := range steps {
		g.idx[s.id] = i
		g.width = max(g.width, len(s.id))
		g.rec[i] = StepTime{ID: s.id, Title: s.title, After: s.after}
	}
	g.ctx, g.cancel = context.WithCancelCause(ctx)
	defer g.cancel(nil)
	// The steps that wait for nothing start from one goroutine of the
	// clock's, so a virtual clock cannot move between their starts.
	g.wg.Add(1)
	rb.clock.Go(func() {
		defer g.wg.Done()
		g.mu.Lock()
		defer g.mu.Unlock()
		for i, s := range steps {
			if len(s.after) == 0 {
				g.launch(i)
			}
		}
	})
	g.wg.Wait()
	tl := g.timeline()
	rb.mu.Lock()
	rb.last = tl
	rb.mu.Unlock()
	rb.printTimeline(tl)
	return g.err(ctx, tl)
}

// elapsed is the run's clock: mm:ss, or h:mm:ss past an hour.
func elapsed(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// event prints one line for step id: the run's clock, the id, msg.
func (g *graphRun) event(id, format string, args ...any) {
	g.rb.printf("%s  %-*s  %s\n", elapsed(g.rb.clock.Now().Sub(g.start)), g.width, id, fmt.Sprintf(format, args...))
}

// note prints a step's information line: as an event of the running step
// when ctx is a step's, else on a line of its own.
func (rb *Runbook) note(ctx context.Context, format string, args ...any) {
	if s, ok := ctx.Value(stepKey{}).(stepInRun); ok {
		s.g.event(s.id, format, args...)
		return
	}
	rb.printf(format+"\n", args...)
}

// launch starts step i (g.mu held): a manual step is reached at once; any
// other runs in a goroutine of the clock's.
func (g *graphRun) launch(i int) {
	s := g.steps[i]
	now := g.rb.clock.Now().Sub(g.start)
	g.rec[i].Start = now
	g.started[i] = true
	if s.manual != "" {
		g.event(s.id, "manual: %s", s.title)
		g.event(s.id, "  %s", s.manual)
		g.finish(i, stateManual, nil)
		return
	}
	g.event(s.id, "start: %s (%s)", s.title, s.where())
	g.wg.Add(1)
	g.rb.clock.Go(func() {
		defer g.wg.Done()
		ctx := context.WithValue(g.ctx, stepKey{}, stepInRun{g: g, id: s.id})
		err := g.rb.runStep(ctx, s)
		g.mu.Lock()
		defer g.mu.Unlock()
		switch {
		case err == nil:
			g.event(s.id, "done in %s", (g.rb.clock.Now().Sub(g.start) - g.rec[i].Start).Round(time.Second))
			g.finish(i, stateDone, nil)
		case g.ctx.Err() != nil:
			g.event(s.id, "interrupted: %s", oneLine(context.Cause(g.ctx)))
			g.finish(i, stateInterrupted, err)
		default:
			g.event(s.id, "failed: %s", oneLine(err))
			g.finish(i, stateFailed, err)
		}
	})
}

// finish records step i's end (g.mu held), runs AfterStep after a step
// that completed, and releases the steps waiting for it. It runs before
// the step's goroutine returns, so a virtual clock cannot move between a
// step's end and its dependents' start.
func (g *graphRun) finish(i int, state string, err error) {
	g.rec[i].End = g.rb.clock.Now().Sub(g.start)
	g.rec[i].State = state
	if err != nil {
		g.rec[i].Err = oneLine(err)
		if state == stateFailed {
			g.errs[i] = err
		}
	}
	if state == stateDone && g.rb.opt.AfterStep != nil && g.ctx.Err() == nil {
		if aerr := g.rb.opt.AfterStep(g.steps[i].id); aerr != nil {
			g.stopped = fmt.Errorf("stopped after step %s: %w", g.steps[i].id, aerr)
			g.cancel(g.stopped)
		}
	}
	g.release(i)
}

// release decides, in the order declared, each step waiting for step i
// that has not started (g.mu held): skipped when a step it waits for
// failed or was skipped, not started when one was interrupted or the run
// was, started once all it waits for are done or manual, else left
// waiting.
func (g *graphRun) release(i int) {
	for j, s := range g.steps {
		if g.started[j] || g.rec[j].State != "" || !slices.Contains(s.after, g.steps[i].id) {
			continue
		}
		blocked, ready := "", true
		for _, a := range s.after {
			switch g.rec[g.idx[a]].State {
			case stateDone, stateManual:
			case "":
				ready = false
			default:
				if blocked == "" {
					blocked = a
				}
			}
		}
		switch {
		case blocked != "":
			switch why := g.rec[g.idx[blocked]].State; why {
			case stateFailed, stateSkipped:
				verb := map[string]string{stateFailed: "failed", stateSkipped: "was skipped"}[why]
				g.event(s.id, "skipped: waits for %s, which %s", blocked, verb)
				g.rec[j].Err = "waits for " + blocked + ", which " + verb
				g.rec[j].State = stateSkipped
			default:
				g.rec[j].State = stateNotStarted
			}
			g.release(j)
		case !ready:
		case g.ctx.Err() != nil:
			g.rec[j].State = stateNotStarted
			g.release(j)
		default:
			g.launch(j)
		}
	}
}

// timeline is the run as it went, with its critical path: from the step
// that ended last (the later declared on a tie), back through the step
// each waited for that ended last, to one that waited for nothing.
func (g *graphRun) timeline() Timeline {
	g.mu.Lock()
	defer g.mu.Unlock()
	tl := Timeline{Steps: slices.Clone(g.rec), Total: g.rb.clock.Now().Sub(g.start)}
	ran := func(s StepTime) bool {
		return s.State == stateDone || s.State == stateManual || s.State == stateFailed || s.State == stateInterrupted
	}
	last := -1
	for i, s := range tl.Steps {
		if ran(s) && (last < 0 || s.End >= tl.Steps[last].End) {
			last = i
		}
	}
	for i := last; i >= 0; {
		tl.Steps[i].Critical = true
		tl.Critical = append([]string{tl.Steps[i].ID}, tl.Critical...)
		next := -1
		for _, a := range tl.Steps[i].After {
			k := g.idx[a]
			if ran(tl.Steps[k]) && (next < 0 || tl.Steps[k].End > tl.Steps[next].End) {
				next = k
			}
		}
		i = next
	}
	return tl
}

// printTimeline prints the closing table: each step's state, start, end,
// time and whether it is on the critical path; then the total, the path,
// and the sum of the steps' times for comparison.
func (rb *Runbook) printTimeline(tl Timeline) {
	rb.printf("\n")
	tw := tabwriter.NewWriter(rb.opt.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tSTATE\tSTART\tEND\tTOOK\tCRITICAL PATH\tWAITED FOR")
	var sum time.Duration
	for _, s := range tl.Steps {
		crit := ""
		if s.Critical {
			crit = "*"
		}
		start, end, took := "-", "-", "-"
		if s.State != stateSkipped && s.State != stateNotStarted {
			start, end, took = elapsed(s.Start), elapsed(s.End), (s.End - s.Start).Round(time.Second).String()
			sum += s.End - s.Start
		}
		after := "-"
		if len(s.After) > 0 {
			after = strings.Join(s.After, ", ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.State, start, end, took, crit, after)
	}
	tw.Flush()
	rb.printf("measured: %s in total; critical path %s; the steps one after another would take %s\n",
		tl.Total.Round(time.Second), strings.Join(tl.Critical, " -> "), sum.Round(time.Second))
}

// err is the run's outcome: nil when every step is done or manual.
func (g *graphRun) err(parent context.Context, tl Timeline) error {
	var failed, finished, skipped, other []string
	var msgs []string
	for i, s := range tl.Steps {
		switch s.State {
		case stateDone, stateManual:
			finished = append(finished, s.ID)
		case stateFailed:
			failed = append(failed, s.ID)
			msgs = append(msgs, fmt.Sprintf("step %s (%s) failed: %v", s.ID, s.Title, g.errs[i]))
		case stateSkipped:
			skipped = append(skipped, fmt.Sprintf("%s (%s)", s.ID, s.Err))
		default:
			other = append(other, fmt.Sprintf("%s (%s)", s.ID, s.State))
		}
	}
	if len(failed) == 0 && len(other) == 0 && g.stopped == nil {
		return nil
	}
	var b strings.Builder
	switch {
	case g.stopped != nil:
		b.WriteString(g.stopped.Error())
	case len(failed) == 0:
		cause := context.Cause(g.ctx)
		if cause == nil {
			cause = parent.Err()
		}
		fmt.Fprintf(&b, "interrupted: %v", cause)
	}
	for _, m := range msgs {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(m)
	}
	list := func(what string, ids []string) {
		if len(ids) > 0 {
			fmt.Fprintf(&b, "\n  %s: %s", what, strings.Join(ids, ", "))
		}
	}
	list("skipped because of it", skipped)
	list("stopped or not started", other)
	list("finished", finished)
	b.WriteString("\n  AWS may be part-way; run the same command again to resume from where AWS is")
	if g.stopped != nil {
		return &stoppedError{msg: b.String(), err: g.stopped}
	}
	return errors.New(b.String())
}

// stoppedError keeps the AfterStep error (errors.Is reaches it).
type stoppedError struct {
	msg string
	err error
}

func (e *stoppedError) Error() string { return e.msg }
func (e *stoppedError) Unwrap() error { return e.err }
