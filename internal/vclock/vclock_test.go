package vclock

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// One goroutine sleeping alone moves the clock at once, by exactly d.
func TestVirtualSleepAlone(t *testing.T) {
	v := NewVirtual(t0)
	if err := v.Sleep(context.Background(), 90*time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := v.Now().Sub(t0); got != 90*time.Minute {
		t.Errorf("after Sleep(90m): %s", got)
	}
}

// Goroutines started with Go wake in the order of their times, each seeing
// the clock at its own wake-up time, the same on every run; a goroutine
// that starts another before it returns hands over with no gap.
func TestVirtualGoroutinesAreDeterministic(t *testing.T) {
	run := func() []string {
		v := NewVirtual(t0)
		var mu sync.Mutex
		var log []string
		note := func(who string) {
			mu.Lock()
			defer mu.Unlock()
			log = append(log, fmt.Sprintf("%s@%s", who, v.Now().Sub(t0)))
		}
		var wg sync.WaitGroup
		poll := func(who string, every time.Duration, n int, then func()) {
			wg.Add(1)
			v.Go(func() {
				defer wg.Done()
				for i := 0; i < n; i++ {
					v.Sleep(context.Background(), every)
					note(who)
				}
				if then != nil {
					then()
				}
			})
		}
		// Started from a counted goroutine: a, started first, cannot move
		// the clock before b is counted.
		wg.Add(1)
		v.Go(func() {
			defer wg.Done()
			poll("a", 10*time.Second, 3, func() { poll("c", 7*time.Second, 1, nil) })
			poll("b", 25*time.Second, 2, nil)
		})
		wg.Wait()
		slices.Sort(log)
		return log
	}
	want := []string{"a@10s", "a@20s", "a@30s", "b@25s", "b@50s", "c@37s"}
	for i := 0; i < 50; i++ {
		if got := run(); !slices.Equal(got, want) {
			t.Fatalf("run %d: %q, want %q", i, got, want)
		}
	}
}

// A goroutine busy elsewhere (here, blocked on a channel) holds the clock:
// the other's sleep does not end until it sleeps too or returns.
func TestVirtualBusyGoroutineHoldsTheClock(t *testing.T) {
	v := NewVirtual(t0)
	release := make(chan struct{})
	woke := make(chan time.Duration, 1)
	v.Go(func() { <-release })
	v.Go(func() {
		v.Sleep(context.Background(), time.Minute)
		woke <- v.Now().Sub(t0)
	})
	select {
	case d := <-woke:
		t.Fatalf("a sleeper woke at %s while another goroutine was busy", d)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if d := <-woke; d != time.Minute {
		t.Errorf("woke at %s, want 1m0s", d)
	}
}

// A cancelled sleep returns the context's error and no longer counts.
func TestVirtualSleepCancelled(t *testing.T) {
	v := NewVirtual(t0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	hold := make(chan struct{})
	v.Go(func() { <-hold }) // keeps the clock still while the sleep waits
	v.Go(func() { done <- v.Sleep(ctx, time.Hour) })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep after cancel: %v", err)
	}
	close(hold)
	if v.Now() != t0 {
		t.Errorf("the clock moved to %s for a cancelled sleep", v.Now().Sub(t0))
	}
}

// Real sleeps on the wall clock and honours its context.
func TestRealSleep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Real{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Real.Sleep on a cancelled context: %v", err)
	}
	if err := (Real{}).Sleep(context.Background(), time.Millisecond); err != nil {
		t.Error(err)
	}
}
