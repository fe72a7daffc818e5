// Package transcode turns library files that a device cannot decode into
// streams it can, with ffmpeg: it decides per track and device whether the
// original bytes play ([Decide]), reads a source's audio shape with
// ffprobe ([Transcoder.Probe]) and serves the transcode as a file of
// exact length that seeks like one ([File]): WAV ([Transcoder.WAV]) for
// full quality, MP3 ([Transcoder.MP3]) for "data saver".
//
// Why WAV: a PCM stream's length in bytes follows from its length in
// samples, so the first answer can state an exact Content-Length, accept
// Range requests and map any byte offset to a time for ffmpeg's -ss. A
// compressed transcode (FLAC, Opus) cannot be byte-addressed before it is
// made whole, and a time-offset stream (Subsonic's timeOffset) needs the
// page to fake position and duration. 16-bit stereo at 44.1 kHz is
// 1.4 Mbit/s, which the LAN carries easily. Data saver keeps the same
// property with constant-bit-rate MP3 whose frames all have one size and
// decode on their own (see mp3.go).
package transcode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"earshot/player/probe"
)

// Options configure a [Transcoder]. The zero value finds nothing to run.
type Options struct {
	// Tools are the ffprobe and ffmpeg to run (see [probe.FindTools]);
	// without both, [Transcoder.Available] is false.
	Tools probe.Tools
	// MaxProcesses bounds the ffmpeg decodes running at once; 0 means
	// the number of CPUs ([runtime.NumCPU]). A decode past the bound
	// waits for one to end (or for its request to go away).
	MaxProcesses int
	// IdleAfter is how long a transcode's reader may not read (a paused
	// player that keeps its connection) before its ffmpeg gives its slot
	// to a request waiting for one; it starts again, where it stopped,
	// when read. 0 means 2 s.
	IdleAfter time.Duration
}

// Transcoder runs the ffmpeg decodes of [WAV] streams and the ffprobe
// runs of [Transcoder.Probe], at most [Options.MaxProcesses] decodes at
// once. It is safe for concurrent use.
type Transcoder struct {
	tools     probe.Tools
	shapes    *shapeCache
	max       int
	idleAfter time.Duration

	started atomic.Int64 // ffmpeg processes started, ever

	mu      sync.Mutex
	taken   int                   // slots taken
	running map[*process]struct{} // the ffmpegs in taken slots
	freed   chan struct{}         // closed when a slot is freed
}

// New returns a Transcoder configured by o.
func New(o Options) *Transcoder {
	n := o.MaxProcesses
	if n <= 0 {
		n = runtime.NumCPU()
	}
	idle := o.IdleAfter
	if idle <= 0 {
		idle = defaultIdleAfter
	}
	return &Transcoder{tools: o.Tools, shapes: newShapeCache(), max: n, idleAfter: idle,
		running: map[*process]struct{}{}, freed: make(chan struct{})}
}

// Available reports whether ffprobe and ffmpeg are there to transcode.
func (t *Transcoder) Available() bool { return t != nil && t.tools.Available() }

// Started returns the number of ffmpeg processes the transcoder has
// started (for tests and status).
func (t *Transcoder) Started() int64 { return t.started.Load() }

// ErrUnavailable is returned when ffmpeg or ffprobe is missing.
var ErrUnavailable = errors.New("transcode: needs ffmpeg")

// maxRate is the highest output sample rate: sources above it (DSD, which
// ffmpeg decodes at 352.8 kHz and more, and 176.4/192 kHz PCM) are
// resampled to 44.1 kHz, or 48 kHz when their rate is not a multiple of
// 44.1 kHz. 96 kHz is the most every browser's WAV decoder takes.
const maxRate = 96000

// Shape returns the PCM a source of stream s becomes, lasting seconds
// (the library's exact length, so that the WAV's length and the seek
// bar's agree): s's own rate up to 96 kHz, at most two channels (a
// browser's WAV reader may not take more without WAVE_FORMAT_EXTENSIBLE).
func Shape(s Stream, seconds float64) PCM {
	rate := s.Rate
	switch {
	case rate <= 0:
		rate = 44100
	case rate > maxRate && rate%44100 == 0:
		rate = 44100
	case rate > maxRate:
		rate = 48000
	}
	ch := min(max(s.Channels, 1), 2)
	if seconds <= 0 {
		seconds = s.Duration
	}
	return PCM{Rate: rate, Channels: ch, Frames: int64(seconds*float64(rate) + 0.5)}
}

// WAV returns a WAV [File] (see [NewWAV]) of the audio of in (its first
// audio stream) in the shape pcm: each decode it starts runs ffmpeg under
// ctx once one of the transcoder's slots is free (see [Transcoder.run]).
// The caller closes it. It returns [ErrUnavailable] without ffmpeg.
func (t *Transcoder) WAV(ctx context.Context, in probe.Input, pcm PCM) (*File, error) {
	if !t.Available() {
		return nil, ErrUnavailable
	}
	return NewWAV(ctx, pcm, func(ctx context.Context, frame int64) (io.ReadCloser, error) {
		return t.run(ctx, in, 0, func(input string) []string { return pcmArgs(input, pcm, frame) })
	})
}

// pcmArgs returns ffmpeg's arguments (an argv list: no shell reads them)
// to decode the first audio stream of the input URL from sample frame
// frame on, into raw PCM of the shape pcm on standard output. -ss before
// -i seeks the input and then drops decoded samples up to the exact time;
// six decimals (a microsecond) name one sample uniquely up to 500 kHz.
func pcmArgs(input string, pcm PCM, frame int64) []string {
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error"}
	if frame > 0 {
		args = append(args, "-ss", strconv.FormatFloat(float64(frame)/float64(pcm.Rate), 'f', 6, 64))
	}
	return append(args, "-i", input, "-map", "0:a:0", "-vn", "-sn", "-dn",
		"-f", "s16le", "-c:a", "pcm_s16le", "-ac", strconv.Itoa(pcm.Channels), "-ar", strconv.Itoa(pcm.Rate), "pipe:1")
}

// run starts ffmpeg on in with the arguments args gives for the input URL,
// once a slot is free ([Transcoder.acquire]), and returns its standard
// output after its first skip bytes. The output's Close kills ffmpeg (if
// still running), waits for it and frees the slot; ffmpeg is killed within
// 1 s of ctx ending ([exec.Cmd.WaitDelay]).
func (t *Transcoder) run(ctx context.Context, in probe.Input, skip int64, args func(input string) []string) (io.ReadCloser, error) {
	input, stdin, err := openInput(in)
	if err != nil {
		return nil, err
	}
	if err := t.acquire(ctx); err != nil {
		closeIf(stdin)
		return nil, err
	}
	p, err := t.start(ctx, args(input), stdin)
	if err != nil {
		return nil, err
	}
	if skip > 0 {
		if _, err := io.CopyN(io.Discard, p, skip); err != nil {
			if cerr := p.Close(); cerr != nil {
				return nil, cerr
			}
			if errors.Is(err, errPreempted) {
				return nil, err
			}
			return io.NopCloser(strings.NewReader("")), nil // the source ended before
		}
	}
	return p, nil
}

// start starts ffmpeg with args (its slot already taken), writing to a
// pipe of its own: the process's Wait then leaves the read end alone, so
// that [Transcoder.preempt] may reap it while its reader is elsewhere.
func (t *Transcoder) start(ctx context.Context, args []string, stdin io.ReadCloser) (*process, error) {
	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, t.tools.FFmpeg, args...)
	cmd.WaitDelay = time.Second
	if stdin != nil {
		cmd.Stdin = stdin
	}
	p := &process{cmd: cmd, cancel: cancel, stdin: stdin, release: t.release}
	p.lastRead.Store(time.Now().UnixNano())
	cmd.Stderr = &p.stderr
	out, w, err := os.Pipe()
	if err == nil {
		cmd.Stdout = w
		err = cmd.Start()
		w.Close()
		if err != nil {
			out.Close()
		}
	}
	if err != nil {
		cancel()
		closeIf(stdin)
		t.release(p)
		return nil, fmt.Errorf("transcode: start ffmpeg: %w", err)
	}
	p.out = out
	t.started.Add(1)
	t.track(p)
	return p, nil
}

// openInput returns the URL ffmpeg reads in from ("file:" and the path,
// so that no file name is taken for an option or a protocol), or
// "pipe:0" and the stream to give it on standard input.
func openInput(in probe.Input) (string, io.ReadCloser, error) {
	if in.DiskPath != "" {
		return "file:" + in.DiskPath, nil, nil
	}
	if in.Open == nil {
		return "", nil, errors.New("transcode: no input")
	}
	r, err := in.Open()
	if err != nil {
		return "", nil, err
	}
	return "pipe:0", r, nil
}

func closeIf(c io.Closer) {
	if c != nil {
		c.Close()
	}
}

// tailBuffer keeps the first 4 KiB of a program's error output.
type tailBuffer struct{ buf bytes.Buffer }

// Write implements [io.Writer], dropping what passes 4 KiB.
func (b *tailBuffer) Write(p []byte) (int, error) {
	if room := 4<<10 - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// firstLine returns the first non-empty line written, else err's text.
func (b *tailBuffer) firstLine(err error) string {
	for line := range bytes.Lines(b.buf.Bytes()) {
		if l := bytes.TrimSpace(line); len(l) > 0 {
			return string(l)
		}
	}
	return err.Error()
}
