package transcode

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"earshot/player/probe"
)

// TestPreemptIdleTranscode has one slot and two WAVs of a 20 s ALAC file
// read in turns, as two players of which one is paused: each read of one
// must take the slot from the other, idle, one (rather than wait for it to
// end), no more than one ffmpeg runs at a time, and each WAV still reads
// to the very bytes of an undisturbed read.
func TestPreemptIdleTranscode(t *testing.T) {
	path := alacFixture(t)
	tc := New(Options{Tools: probe.FindTools(), MaxProcesses: 1, IdleAfter: 50 * time.Millisecond})
	in := probe.Input{DiskPath: path}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := tc.Probe(ctx, in, path)
	if err != nil {
		t.Fatal(err)
	}
	pcm := Shape(s, s.Duration)
	ref, _ := tc.WAV(ctx, in, pcm)
	want, err := io.ReadAll(ref)
	ref.Close()
	if err != nil || int64(len(want)) != pcm.Size() {
		t.Fatalf("undisturbed read: %d bytes, %v", len(want), err)
	}
	a, _ := tc.WAV(ctx, in, pcm)
	b, _ := tc.WAV(ctx, in, pcm)
	defer a.Close()
	defer b.Close()
	got := map[*File]*bytes.Buffer{a: {}, b: {}}
	// Turns of 300 KB each (past maxSkip, so a preempted WAV must start a
	// new ffmpeg where it stopped rather than read on).
	for turn := 0; got[a].Len() < len(want) || got[b].Len() < len(want); turn++ {
		f := a
		if turn%2 == 1 {
			f = b
		}
		if _, err := io.CopyN(got[f], f, 300<<10); err != nil && err != io.EOF {
			t.Fatalf("turn %d: %v", turn, err)
		}
		if n := tc.Running(); n > 1 {
			t.Fatalf("turn %d: %d ffmpeg running, want ≤ 1", turn, n)
		}
	}
	for f, name := range map[*File]string{a: "first", b: "second"} {
		if !bytes.Equal(got[f].Bytes(), want) {
			t.Errorf("the %s WAV read in turns differs from an undisturbed read (%d bytes, want %d)", name, got[f].Len(), len(want))
		}
	}
}

// TestAcquireWaitsForBusyReader checks that a transcode being read is not
// preempted: with one slot held by a reader mid-Read, a second acquire
// waits until its context ends.
func TestAcquireWaitsForBusyReader(t *testing.T) {
	tc := New(Options{MaxProcesses: 1, IdleAfter: time.Millisecond})
	if err := tc.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := &process{release: tc.release}
	p.reading.Store(true)
	tc.track(p)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := tc.acquire(ctx); err != context.DeadlineExceeded {
		t.Errorf("acquire with the only slot read from: %v, want the deadline", err)
	}
	if p.preempted.Load() {
		t.Error("a transcode being read was preempted")
	}
}
