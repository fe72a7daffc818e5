package transcode

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"earshot/player/probe"
)

// Stream is what ffprobe says of a source's first audio stream.
type Stream struct {
	// Codec is ffprobe's codec name: "alac", "aac", "vorbis", "opus",
	// "flac", "mp3", "pcm_s16le", "wmav2", "dsd_lsbf_planar", ….
	Codec string
	// Rate is the sample rate in Hz, Channels the number of channels.
	Rate, Channels int
	// Duration is the stream's length in seconds as ffprobe states it,
	// 0 when it states none.
	Duration float64
}

// probeTimeout bounds one ffprobe run, which reads headers only.
const probeTimeout = 20 * time.Second

// Probe returns the first audio stream of in as ffprobe reads it. key
// names the source's identity (its path, size and modification time):
// an answer is kept in memory under it, so a source is probed once. It
// returns [ErrUnavailable] without ffprobe and an error wrapping
// [probe.ErrCorrupt] for a file without audio or that ffprobe cannot read.
func (t *Transcoder) Probe(ctx context.Context, in probe.Input, key string) (Stream, error) {
	if !t.Available() {
		return Stream{}, ErrUnavailable
	}
	if s, ok := t.shapes.get(key); ok {
		return s, nil
	}
	out, err := t.ffprobe(ctx, in, "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels,duration")
	if err != nil {
		return Stream{}, err
	}
	s, err := parseStream(out)
	if err != nil {
		return Stream{}, err
	}
	t.shapes.put(key, s)
	return s, nil
}

// ffprobe runs ffprobe on in with args (and "-v error -of json") under
// ctx, for at most [probeTimeout], and returns its report. It returns
// ctx's error when ctx ends and one wrapping [probe.ErrCorrupt], with
// ffprobe's first line of error output, when ffprobe fails.
func (t *Transcoder) ffprobe(ctx context.Context, in probe.Input, args ...string) ([]byte, error) {
	input, stdin, err := openInput(in)
	if err != nil {
		return nil, err
	}
	defer closeIf(stdin)
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	args = append(append([]string{"-v", "error"}, args...), "-of", "json", input)
	cmd := exec.CommandContext(ctx, t.tools.FFprobe, args...)
	cmd.WaitDelay = time.Second
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stderr tailBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %s", probe.ErrCorrupt, stderr.firstLine(err))
	}
	return out, nil
}

// parseStream reads the JSON of an ffprobe -show_entries stream=… run.
func parseStream(out []byte) (Stream, error) {
	var report struct {
		Streams []struct {
			CodecName  string `json:"codec_name"`
			SampleRate string `json:"sample_rate"`
			Channels   int    `json:"channels"`
			Duration   string `json:"duration"`
		} `json:"streams"`
	}
	if err := json.NewDecoder(bytes.NewReader(out)).Decode(&report); err != nil {
		return Stream{}, fmt.Errorf("%w: ffprobe report: %v", probe.ErrCorrupt, err)
	}
	if len(report.Streams) == 0 {
		return Stream{}, fmt.Errorf("%w: no audio stream", probe.ErrCorrupt)
	}
	r := report.Streams[0]
	rate, _ := strconv.Atoi(r.SampleRate)
	d, _ := strconv.ParseFloat(r.Duration, 64)
	return Stream{Codec: r.CodecName, Rate: rate, Channels: r.Channels, Duration: d}, nil
}

// maxShapes bounds the streams kept by a [shapeCache] (about 100 bytes
// each); when full, an arbitrary one makes room.
const maxShapes = 8192

// shapeCache keeps [Stream]s by source identity. Safe for concurrent use.
type shapeCache struct {
	mu sync.Mutex
	m  map[string]Stream
}

func newShapeCache() *shapeCache { return &shapeCache{m: map[string]Stream{}} }

func (c *shapeCache) get(key string) (Stream, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[key]
	return s, ok
}

func (c *shapeCache) put(key string, s Stream) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxShapes {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[key] = s
}
