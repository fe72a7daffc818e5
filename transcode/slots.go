package transcode

import (
	"context"
	"time"
)

// defaultIdleAfter is [Options.IdleAfter]'s default: a playing browser
// reads its stream every fraction of a second; a paused one stops reading
// but keeps its connection, and would hold its slot for ever.
const defaultIdleAfter = 2 * time.Second

// acquire takes one of the transcoder's slots, waiting until one is free
// or ctx ends (its error then). While it waits, a running ffmpeg whose
// reader has not read for [Options.IdleAfter] is preempted: its slot is
// given here, and its [File] starts a new ffmpeg when it reads again.
func (t *Transcoder) acquire(ctx context.Context) error {
	for {
		t.mu.Lock()
		if t.taken < t.max {
			t.taken++
			t.mu.Unlock()
			return nil
		}
		victim, wait := t.idlest(time.Now())
		freed := t.freed
		t.mu.Unlock()
		if victim != nil {
			victim.preempt()
			continue
		}
		timer := time.NewTimer(wait)
		select {
		case <-freed:
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
		timer.Stop()
	}
}

// idlest returns the running ffmpeg idle the longest if that is at least
// IdleAfter, else nil and how long until one may be. t.mu is held.
func (t *Transcoder) idlest(now time.Time) (*process, time.Duration) {
	var best *process
	var bestIdle time.Duration
	for p := range t.running {
		if d := p.idleFor(now); best == nil || d > bestIdle {
			best, bestIdle = p, d
		}
	}
	if best != nil && bestIdle >= t.idleAfter {
		return best, 0
	}
	return nil, max(t.idleAfter-bestIdle, 10*time.Millisecond)
}

// track records p as running in a taken slot.
func (t *Transcoder) track(p *process) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.running[p] = struct{}{}
}

// release frees p's slot and wakes those waiting for one.
func (t *Transcoder) release(p *process) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.running, p)
	t.taken--
	close(t.freed)
	t.freed = make(chan struct{})
}

// Running returns the number of ffmpeg transcodes running now.
func (t *Transcoder) Running() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.taken
}
