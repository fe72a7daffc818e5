package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Tools are the ffmpeg programs Earshot runs: ffprobe reads the formats
// this package cannot (see [Format.NeedsFFprobe]), ffmpeg counts the exact
// length of raw streams and extracts their embedded pictures. An empty
// path means the program is missing; the zero Tools has neither.
type Tools struct {
	// FFprobe and FFmpeg are the programs' paths.
	FFprobe, FFmpeg string
}

// FindTools looks for ffprobe and ffmpeg in PATH, then in the folder of
// the running executable (where a packaged Earshot may carry them). A
// program found nowhere has an empty path.
func FindTools() Tools {
	var exeDir string
	if exe, err := os.Executable(); err == nil {
		exeDir = filepath.Dir(exe)
	}
	return Tools{FFprobe: findTool("ffprobe", exeDir), FFmpeg: findTool("ffmpeg", exeDir)}
}

// findTool returns the path of the program called name in PATH or in dir
// ("" for none), or "".
func findTool(name, dir string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if dir == "" {
		return ""
	}
	p, err := exec.LookPath(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return p
}

// Available reports whether both programs are there: files whose format
// [Format.NeedsFFprobe] can then be read.
func (t Tools) Available() bool {
	return t.FFprobe != "" && t.FFmpeg != ""
}

// ErrNoFFmpeg is returned for a file that only ffprobe and ffmpeg can read
// when they are not installed.
var ErrNoFFmpeg = errors.New("needs ffmpeg")

// Input is a file for ffprobe and ffmpeg to read.
type Input struct {
	// DiskPath is the file's absolute path on disk, which the programs
	// open themselves (as a "file:" URL, so that no name is taken for an
	// option or another protocol); "" for a file not on disk, which they
	// then read from their standard input.
	DiskPath string
	// Open opens the file from its start, for a run that reads it from
	// standard input; used only when DiskPath is "".
	Open func() (io.ReadCloser, error)
}

// The bounds of one run of ffprobe or ffmpeg.
const (
	// probeTimeout bounds an ffprobe run, which reads headers only.
	probeTimeout = 30 * time.Second
	// countTimeout bounds the decode that counts a raw stream's length
	// (an hour of AAC takes about 4 s on a 2020 laptop's core).
	countTimeout = 2 * time.Minute
	// pictureTimeout bounds the extraction of an embedded picture.
	pictureTimeout = 20 * time.Second
	// maxProbeOutput bounds what ffprobe may write (JSON) before the run
	// is refused; maxStderr what is kept of a program's messages.
	maxProbeOutput = 4 << 20
	maxStderr      = 4 << 10
	// MaxPictureBytes bounds an embedded picture [Tools.Picture] returns.
	MaxPictureBytes = 32 << 20
)

// probeEntries are what Probe asks ffprobe for: the container's name,
// length and tags, and each stream's kind, codec, picture size, length,
// tags and whether it is an attached picture.
const probeEntries = "format=format_name,duration:format_tags:" +
	"stream=index,codec_type,codec_name,width,height,duration:stream_tags:stream_disposition=attached_pic"

// estimateNote is what ffprobe (at -v warning) says of a length it only
// estimates from the bit rate, as for raw ADTS AAC, AC-3 and MPEG audio.
const estimateNote = "Estimating duration from bitrate"

// Probe reads the file in with ffprobe: its streams, tags, length and
// whether it embeds a picture (see [ParseFFprobe]). The length of a
// Musepack SV8 file comes from its own stream header instead, which is
// exact where ffprobe's is short (see [musepackSV8Length]). When ffprobe
// only estimates the length from the bit rate, or states none, ffmpeg
// decodes the first audio stream to count it exactly (within a frame);
// should that fail, the estimate stays. f is the format judged by the
// file's name. It returns [ErrNoFFmpeg] when t lacks a program, an error
// wrapping [ErrCorrupt] with ffprobe's own reason for a file it cannot
// read, and ctx's error.
func (t Tools) Probe(ctx context.Context, in Input, f Format) (Media, error) {
	if !t.Available() {
		return Media{}, ErrNoFFmpeg
	}
	out, stderr, err := t.run(ctx, probeTimeout, t.FFprobe, in, maxProbeOutput, func(input string) []string {
		return []string{"-v", "warning", "-print_format", "json", "-show_entries", probeEntries, input}
	})
	if err != nil {
		return Media{}, err
	}
	m, err := ParseFFprobe(out, f)
	if err != nil {
		return Media{}, err
	}
	var exact bool
	if f == Musepack {
		var d float64
		if d, exact = musepackSV8Length(in); exact {
			m.Duration = d
		}
	}
	if !exact && (m.Duration == 0 || bytes.Contains(stderr, []byte(estimateNote))) {
		if d, err := t.countDuration(ctx, in); err == nil && d > 0 {
			m.Duration = d
		} else if ctx.Err() != nil {
			return Media{}, ctx.Err()
		}
	}
	return m, nil
}

// countDuration decodes the first audio stream of in with ffmpeg into
// nothing and returns the length it decoded, in seconds, from the last
// out_time_us of its -progress report.
func (t Tools) countDuration(ctx context.Context, in Input) (float64, error) {
	out, _, err := t.run(ctx, countTimeout, t.FFmpeg, in, 1<<20, func(input string) []string {
		return []string{"-v", "error", "-i", input, "-map", "0:a:0", "-f", "null", "-progress", "pipe:1", "-nostats", "-"}
	})
	if err != nil {
		return 0, err
	}
	return lastOutTime(out)
}

// lastOutTime returns the last out_time_us of an ffmpeg -progress report,
// in seconds.
func lastOutTime(out []byte) (float64, error) {
	var last int64 = -1
	for line := range strings.Lines(string(out)) {
		v, ok := strings.CutPrefix(strings.TrimSpace(line), "out_time_us=")
		if !ok {
			continue
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			last = n
		}
	}
	if last < 0 {
		return 0, errors.New("ffmpeg reported no time")
	}
	return float64(last) / 1e6, nil
}

// Picture extracts the picture embedded in in (its first picture stream,
// an attached picture), as ffmpeg copies it out. It returns [ErrNoFFmpeg]
// without ffmpeg, and an error when there is no picture or it is larger
// than [MaxPictureBytes].
func (t Tools) Picture(ctx context.Context, in Input) (Picture, error) {
	if t.FFmpeg == "" {
		return Picture{}, ErrNoFFmpeg
	}
	out, _, err := t.run(ctx, pictureTimeout, t.FFmpeg, in, MaxPictureBytes, func(input string) []string {
		return []string{"-v", "error", "-i", input, "-map", "0:v:0", "-c", "copy", "-frames:v", "1", "-f", "image2pipe", "pipe:1"}
	})
	if err != nil {
		return Picture{}, err
	}
	mime := SniffImage(out)
	if mime == "application/octet-stream" {
		return Picture{}, errors.New("ffmpeg extracted no picture")
	}
	return Picture{Data: out, MIMEType: mime}, nil
}

// run runs tool with the arguments argv gives for the input's URL and
// returns its standard output (at most maxOut bytes) and the last of its
// standard error. A failure wraps [ErrCorrupt] with the program's first
// line of error output; a run past timeout is killed.
func (t Tools) run(ctx context.Context, timeout time.Duration, tool string, in Input, maxOut int, argv func(input string) []string) (out, stderr []byte, err error) {
	input := "pipe:0"
	var stdin io.ReadCloser
	if in.DiskPath != "" {
		input = "file:" + in.DiskPath
	} else {
		if in.Open == nil {
			return nil, nil, errors.New("no input")
		}
		if stdin, err = in.Open(); err != nil {
			return nil, nil, err
		}
		defer stdin.Close()
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, argv(input)...)
	cmd.WaitDelay = time.Second
	if stdin != nil {
		cmd.Stdin = stdin
	}
	o := &limitedBuffer{max: maxOut}
	e := &limitedBuffer{max: maxStderr, keep: true}
	cmd.Stdout, cmd.Stderr = o, e
	runErr := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, e.buf.Bytes(), fmt.Errorf("%s: %w", filepath.Base(tool), ctx.Err())
	case o.over:
		return nil, e.buf.Bytes(), fmt.Errorf("%s wrote more than %d bytes", filepath.Base(tool), maxOut)
	case runErr != nil:
		return nil, e.buf.Bytes(), fmt.Errorf("%w: %s", ErrCorrupt, firstError(e.buf.Bytes(), runErr))
	}
	return o.buf.Bytes(), e.buf.Bytes(), nil
}

// firstError returns the first line of a program's error output, without
// the "[demuxer @ 0x…]" prefix and the file's name, else err's text.
func firstError(stderr []byte, err error) string {
	for line := range strings.Lines(string(stderr)) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if _, rest, ok := strings.Cut(line, "] "); ok {
				line = rest
			}
		}
		// "file:/music/a.wma: Invalid data found when processing input"
		if i := strings.LastIndex(line, ": "); i >= 0 && (strings.HasPrefix(line, "file:") || strings.HasPrefix(line, "pipe:")) {
			line = line[i+2:]
		}
		return line
	}
	return err.Error()
}

// limitedBuffer is a buffer of at most max bytes. A write past it fails
// and sets over; with keep set, it keeps the first max bytes instead and
// drops the rest, so that the program is not stopped.
type limitedBuffer struct {
	buf  bytes.Buffer
	max  int
	keep bool
	over bool
}

// Write implements [io.Writer].
func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); len(p) > room {
		if !b.keep {
			b.over = true
			return 0, errors.New("output too large")
		}
		b.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.buf.Write(p)
}
