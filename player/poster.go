package player

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
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

// posterTool returns the path of the ffmpeg executable, looked up in PATH
// once per process, or "" when there is none: videos then have no poster.
// Tests replace it.
var posterTool = sync.OnceValue(func() string {
	p, err := exec.LookPath("ffmpeg")
	if err != nil {
		return ""
	}
	return p
})

// posterSlots bounds how many ffmpeg processes make posters at once.
var posterSlots = make(chan struct{}, 2)

// poster returns the poster frame of video t of src as a JPEG at most
// [PosterWidth] pixels wide, made by ffmpeg on first use and then cached
// with the thumbnails (see [Library.SetThumbnailDir]) under a key derived
// from the video's path, size and modification time, so a changed file
// gets a new one. Concurrent calls for the same video run ffmpeg once; a
// failure is remembered (in memory) and not retried until the program
// restarts. Every error wraps [ErrNoCover]: a video whose frame cannot be
// taken has no cover, like a song without art.
func (l *Library) poster(t Track, src Source) (Picture, error) {
	tool := posterTool()
	if tool == "" {
		return Picture{}, fmt.Errorf("%w: ffmpeg is not installed", ErrNoCover)
	}
	sum := sha256.Sum256([]byte(t.Path + "\x00" + strconv.FormatInt(t.Size, 10) + "\x00" + strconv.FormatInt(t.ModTime.UnixNano(), 10)))
	key := "poster-" + hex.EncodeToString(sum[:16])
	s := l.thumbs()
	if e, ok := s.lookup(key); ok {
		return posterResult(e.data, e.err)
	}
	v, err, _ := s.group.Do(key, func() (any, error) {
		if e, ok := s.lookup(key); ok {
			return e.data, e.err
		}
		data, err := extractPoster(tool, src, t)
		s.store(key, data, err)
		return data, err
	})
	data, _ := v.([]byte)
	return posterResult(data, err)
}

// posterResult makes poster's answer from a cached or new frame.
func posterResult(data []byte, err error) (Picture, error) {
	if err != nil {
		return Picture{}, fmt.Errorf("%w: poster frame: %w", ErrNoCover, err)
	}
	return Picture{Data: data, MIMEType: "image/jpeg"}, nil
}

// extractPoster runs ffmpeg to take t's poster frame at [posterAt] of its
// length (at its start when that gives nothing, as in a video shorter than
// its stated length). ffmpeg reads the file by its path on disk when src is
// a folder, after checking that the path names the very file the rooted
// FS opens (so a link cannot lead it out of the library); otherwise it
// reads the file from its standard input, which works for WebM and for MP4
// whose moov box comes first. Only numbers and that path reach ffmpeg's
// arguments, the path after -i with a "file:" prefix so that no file name
// is taken for an option or another protocol.
func extractPoster(tool string, src Source, t Track) ([]byte, error) {
	posterSlots <- struct{}{}
	defer func() { <-posterSlots }()
	at := t.Duration * posterAt
	data, err := runPoster(tool, src, t, at)
	if err == nil && len(data) == 0 && at > 0 {
		data, err = runPoster(tool, src, t, 0)
	}
	if err == nil && !isJPEG(data) {
		err = errors.New("ffmpeg wrote no frame")
	}
	return data, err
}

// runPoster runs ffmpeg once, taking the frame at the given second.
func runPoster(tool string, src Source, t Track, at float64) ([]byte, error) {
	f, err := openSeeker(src.FS, t.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	input := "pipe:0"
	if src.Dir != "" {
		p, err := filepath.Abs(filepath.Join(src.Dir, filepath.FromSlash(t.Path)))
		if err != nil {
			return nil, err
		}
		opened, err := f.Stat()
		if err != nil {
			return nil, err
		}
		onDisk, err := os.Stat(p)
		if err != nil || !os.SameFile(opened, onDisk) {
			return nil, fmt.Errorf("%s is not the library's file", t.Path)
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
