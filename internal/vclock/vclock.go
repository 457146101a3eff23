// Package vclock is the time the runbook and the fake AWS read and wait
// on: Real, the wall clock, and Virtual, a clock for tests and drills
// whose time moves only when every goroutine that uses it is waiting, so a
// run that takes minutes of AWS time takes none of the test's, and its
// measured times are the same on every run.
//
// Why not github.com/jonboulle/clockwork or k8s.io/utils/clock/testing:
// their fake clocks move only when the test calls Advance (after
// BlockUntil some number of waiters), so the test has to know how many
// goroutines wait at each moment. A run whose steps start and finish at
// times AWS decides does not know that; Virtual counts its goroutines
// itself (Go) and moves when they all wait.
package vclock

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock is a source of time that can be waited on.
type Clock interface {
	// Now is the clock's time.
	Now() time.Time
	// Sleep returns after d, or earlier with ctx.Err() when ctx is done.
	Sleep(ctx context.Context, d time.Duration) error
	// Go runs f in a new goroutine. Every goroutine that may Sleep on a
	// Virtual clock while another one also does must be started with Go
	// (see Virtual).
	Go(f func())
}

// Real is the wall clock.
type Real struct{}

// Now is time.Now.
func (Real) Now() time.Time { return time.Now() }

// Sleep waits d of wall-clock time, or until ctx is done.
func (Real) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Go is the go statement.
func (Real) Go(f func()) { go f() }

// Virtual is a clock whose time moves only when every goroutine counted
// with Go (or, while none runs, the one goroutine that sleeps) waits in
// Sleep: it then jumps to the earliest wake-up time and wakes every
// sleeper due then. A goroutine busy doing anything else (an HTTP call to
// a fake, a computation) holds the time still, so what the goroutines see
// depends on their Sleep durations only, not on how the scheduler runs
// them.
//
// The contract: while goroutines started with Go run, no other goroutine
// sleeps on the clock; without them, one goroutine at a time may. A
// goroutine started with Go counts from the Go call until f returns, so
// one that starts others before it returns hands its turn over without a
// gap in which the time could move. Start goroutines that must begin at
// the same time from one counted goroutine: started one by one from an
// uncounted one, the first may sleep, alone, and move the time before the
// next is counted.
type Virtual struct {
	mu       sync.Mutex
	now      time.Time
	workers  int // goroutines started with Go that have not returned
	sleepers []*sleeper
}

type sleeper struct {
	at   time.Time
	wake chan struct{}
}

// NewVirtual is a Virtual clock reading start.
func NewVirtual(start time.Time) *Virtual { return &Virtual{now: start} }

// Now is the clock's time.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

// Sleep waits until the clock reads Now()+d, or until ctx is done (then
// the sleeper no longer counts as waiting).
func (v *Virtual) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	v.mu.Lock()
	s := &sleeper{at: v.now.Add(d), wake: make(chan struct{})}
	v.sleepers = append(v.sleepers, s)
	v.advance()
	v.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		v.mu.Lock()
		defer v.mu.Unlock()
		for i, o := range v.sleepers {
			if o == s {
				v.sleepers = append(v.sleepers[:i], v.sleepers[i+1:]...)
				return ctx.Err()
			}
		}
		return nil // woken by the clock at the same moment: the sleep is over
	}
}

// Go runs f in a new goroutine, counted until f returns.
func (v *Virtual) Go(f func()) {
	v.mu.Lock()
	v.workers++
	v.mu.Unlock()
	go func() {
		defer func() {
			v.mu.Lock()
			v.workers--
			v.advance()
			v.mu.Unlock()
		}()
		f()
	}()
}

// advance moves the time to the earliest wake-up and wakes every sleeper
// due then, if every counted goroutine sleeps (v.mu held).
func (v *Virtual) advance() {
	if len(v.sleepers) == 0 || len(v.sleepers) < max(v.workers, 1) {
		return
	}
	sort.SliceStable(v.sleepers, func(i, j int) bool { return v.sleepers[i].at.Before(v.sleepers[j].at) })
	if at := v.sleepers[0].at; at.After(v.now) {
		v.now = at
	}
	n := 0
	for n < len(v.sleepers) && !v.sleepers[n].at.After(v.now) {
		close(v.sleepers[n].wake)
		n++
	}
	v.sleepers = append(v.sleepers[:0], v.sleepers[n:]...)
}
