package artwork

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// Poster frames: a video's cover is one frame of it, taken by ffmpeg.
const (
	// PosterWidth is the widest a poster frame is, in pixels; narrower
	// videos keep their own width. The thumbnails are made from it.
	PosterWidth = 640
	// posterAt is where in a video its poster frame is taken, as a
	// fraction of its length: past most fade-ins and title cards.
	posterAt = 0.1
	// posterTimeout bounds one ffmpeg run.
	posterTimeout = 20 * time.Second
	// posterMaxBytes bounds what ffmpeg may write for one frame.
	posterMaxBytes = 8 << 20
)

// Video is a video file whose poster frame [Cache.Poster] takes.
type Video struct {
	// Path, Size and ModTime identify the file's contents for the cache:
	// a file changed in size or time gets a new poster. Path is also what
	// errors name.
	Path    string
	Size    int64
	ModTime time.Time
	// Duration is the video's length in seconds; the frame is taken at a
	// tenth of it.
	Duration float64
	// Open opens the file for reading.
	Open func() (fs.File, error)
	// DiskPath is the file's absolute path on disk, which ffmpeg then
	// reads directly after checking that it names the very file Open
	// opens; "" when the file is not on disk (an embedded library), and
	// ffmpeg reads it from its standard input instead.
	DiskPath string
}

// Posters reports whether the cache can take poster frames: whether it
// was given an ffmpeg to run.
func (c *Cache) Posters() bool {
	return c.ffmpeg != ""
}

// Poster returns the poster frame of v as a JPEG at most [PosterWidth]
// pixels wide, made by ffmpeg on first use and then cached like the
// thumbnails (see [Cache.Thumbnail]) under a key derived from the video's
// path, size and modification time. Concurrent calls for the same video
// run ffmpeg once; a failure is remembered (in memory) and not retried
// until the program restarts. It returns [ErrNoFFmpeg] when the cache has
// no ffmpeg, and the error ffmpeg or opening the file gave.
func (c *Cache) Poster(v Video) ([]byte, error) {
	if c.ffmpeg == "" {
		return nil, ErrNoFFmpeg
	}
	sum := sha256.Sum256([]byte(v.Path + "\x00" + strconv.FormatInt(v.Size, 10) + "\x00" + strconv.FormatInt(v.ModTime.UnixNano(), 10)))
	key := "poster-" + hex.EncodeToString(sum[:16])
	return c.get(key, func() ([]byte, error) { return c.extractPoster(v) })
}

// ErrNoFFmpeg is returned by [Cache.Poster] when the cache has no ffmpeg.
var ErrNoFFmpeg = errors.New("ffmpeg is not installed")

// extractPoster runs ffmpeg to take v's poster frame at [posterAt] of its
// length (at its start when that gives nothing, as in a video shorter than
// its stated length). ffmpeg reads the file by its path on disk when v has
// one, after checking that the path names the very file v.Open opens (so
// a link cannot lead it out of the library); otherwise it reads the file
// from its standard input, which works for WebM and for MP4 whose moov box
// comes first. Only numbers and that path reach ffmpeg's
// arguments, the path after -i with a "file:" prefix so that no file name
// is taken for an option or another protocol.
func (c *Cache) extractPoster(v Video) ([]byte, error) {
	c.posterSlots <- struct{}{}
	defer func() { <-c.posterSlots }()
	at := v.Duration * posterAt
	data, err := runPoster(c.ffmpeg, v, at)
	if err == nil && len(data) == 0 && at > 0 {
		data, err = runPoster(c.ffmpeg, v, 0)
	}
	if err == nil && !isJPEG(data) {
		err = errors.New("ffmpeg wrote no frame")
	}
	return data, err
}

// runPoster runs ffmpeg once, taking the frame at the given second.
func runPoster(tool string, v Video, at float64) ([]byte, error) {
	f, err := v.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	input := "pipe:0"
	if v.DiskPath != "" {
		p := v.DiskPath
		opened, err := f.Stat()
		if err != nil {
			return nil, err
		}
		onDisk, err := os.Stat(p)
		if err != nil || !os.SameFile(opened, onDisk) {
			return nil, fmt.Errorf("%s is not the library's file", v.Path)
		}
		input = "file:" + p
	}
	ctx, cancel := context.WithTimeout(context.Background(), posterTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, "-v", "error", "-y",
		"-ss", strconv.FormatFloat(at, 'f', 3, 64), "-i", input,
		"-frames:v", "1", "-an", "-sn", "-dn",
		"-vf", "scale=w='min("+strconv.Itoa(PosterWidth)+",iw)':h=-2,format=yuvj420p",
		"-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "4", "pipe:1")
	if input == "pipe:0" {
		cmd.Stdin = f
	}
	out := &cappedBuffer{max: posterMaxBytes}
	stderr := &cappedBuffer{max: 2 << 10, truncate: true}
	cmd.Stdout, cmd.Stderr = out, stderr
	if err := cmd.Run(); err != nil {
		if out.over {
			return nil, fmt.Errorf("ffmpeg wrote more than %d bytes for one frame", posterMaxBytes)
		}
		return nil, fmt.Errorf("ffmpeg: %w: %s", err, bytes.TrimSpace(stderr.buf.Bytes()))
	}
	return out.buf.Bytes(), nil
}

// cappedBuffer is a buffer that does not grow past max bytes: a write
// that would pass it fails, or with truncate set keeps what fits and
// drops the rest.
type cappedBuffer struct {
	buf      bytes.Buffer
	max      int
	truncate bool
	over     bool
}

// Write implements [io.Writer].
func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); len(p) > room {
		c.over = true
		if !c.truncate {
			return 0, errors.New("output too large")
		}
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}
