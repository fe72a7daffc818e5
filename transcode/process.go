package transcode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// errPreempted is what a transcode's Read returns once the transcoder has
// stopped its ffmpeg to give the slot to another request (its reader was
// idle: a paused player holding its connection open). The [File] reading
// it starts a new one where it stopped.
var errPreempted = errors.New("transcode: ffmpeg stopped for another listener")

// process is a running ffmpeg: its standard output, read until Close,
// which kills it (if still running), reaps it and frees its slot. Read and
// Close are for one goroutine; preempt may be called from any.
type process struct {
	cmd     *exec.Cmd
	out     *os.File
	cancel  context.CancelFunc
	stdin   io.Closer
	release func(*process)
	stderr  tailBuffer

	lastRead  atomic.Int64 // when a Read last returned, Unix ns
	reading   atomic.Bool  // a Read is under way
	preempted atomic.Bool
	once      sync.Once
	waitErr   error // cmd.Wait's, set once

	eof    bool // the output has ended
	closed bool
	err    error
}

// Read implements [io.Reader] over ffmpeg's standard output. It returns
// [errPreempted] at the end of what a preempted ffmpeg wrote.
func (p *process) Read(b []byte) (int, error) {
	p.reading.Store(true)
	n, err := p.out.Read(b)
	p.lastRead.Store(time.Now().UnixNano())
	p.reading.Store(false)
	if err == io.EOF {
		if p.preempted.Load() {
			return n, errPreempted
		}
		p.eof = true
	}
	return n, err
}

// idleFor returns how long no Read has been under way, 0 during one.
func (p *process) idleFor(now time.Time) time.Duration {
	if p.reading.Load() {
		return 0
	}
	return now.Sub(time.Unix(0, p.lastRead.Load()))
}

// finish, the first time it is called, kills ffmpeg when kill is set,
// waits for it, and frees its slot; it returns ffmpeg's exit error.
func (p *process) finish(kill bool) error {
	p.once.Do(func() {
		if kill {
			p.cancel()
		}
		p.waitErr = p.cmd.Wait()
		p.cancel()
		closeIf(p.stdin)
		p.release(p)
	})
	return p.waitErr
}

// preempt stops ffmpeg and frees its slot at once; its reader gets what
// is left in the pipe, then [errPreempted].
func (p *process) preempt() {
	p.preempted.Store(true)
	p.finish(true)
}

// Close ends the transcode: once its output has ended, it waits for
// ffmpeg and returns its failure (with its first line of error output);
// before, it kills it, waits for it and returns nil.
func (p *process) Close() error {
	if p.closed {
		return p.err
	}
	p.closed = true
	err := p.finish(!p.eof)
	p.out.Close()
	if p.eof && err != nil && !p.preempted.Load() {
		p.err = fmt.Errorf("transcode: ffmpeg: %s", p.stderr.firstLine(err))
	}
	return p.err
}
