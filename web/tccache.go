package web

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"sync"

	"earshot/player"
	"earshot/player/probe"
	"earshot/transcode"
)

// The disk cache of transcodes ([Options.TranscodeCache]). A WAV or MP3
// transcode is served live ([transcode.File]) the first time, and a GET
// of it starts a background fill that makes it whole in the cache, one
// fill at a time; once there, it is served with [http.ServeContent] from
// the file, so later plays and seeks start no ffmpeg. Its ETag is the
// live one's: for a lossless source the bytes are the same.

// fillQueue runs background cache fills one at a time: a fill asked for
// while another runs is dropped (the next play asks again). Fills run
// under the queue's context, which stop ends.
type fillQueue struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	busy   bool
	wg     sync.WaitGroup // running fills, for tests and Shutdown
}

func newFillQueue() *fillQueue {
	ctx, cancel := context.WithCancel(context.Background())
	return &fillQueue{ctx: ctx, cancel: cancel}
}

// stop ends the running fill (nothing is left of it) and waits for it.
func (q *fillQueue) stop() {
	q.cancel()
	q.wg.Wait()
}

// start runs fill in the background unless one is running.
func (q *fillQueue) start(fill func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.busy {
		return
	}
	q.busy = true
	q.wg.Go(func() {
		defer func() {
			q.mu.Lock()
			q.busy = false
			q.mu.Unlock()
		}()
		fill()
	})
}

// wait waits for the running fill, if any.
func (q *fillQueue) wait() { q.wg.Wait() }

// transcodeKey names a transcode in the cache: the source's identity and
// the transcode's ETag (its format and shape).
func transcodeKey(t player.Track, info fs.FileInfo, etag string) string {
	return sourceKey(t, info) + "\x00" + etag
}

// serveCached answers r from the cache's entry for key when there is one
// of size bytes, and reports whether it did.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, key, mime, etag string, size int64, info fs.FileInfo) bool {
	if s.cache == nil {
		return false
	}
	f, cinfo, ok := s.cache.Open(key)
	if !ok {
		return false
	}
	defer f.Close()
	if size >= 0 && cinfo.Size() != size {
		return false
	}
	s.serveContent(w, r, f, mime, cinfo.Size(), etag, info)
	return true
}

// fillLater makes, in the background, the cache's entry for key from the
// transcode newFile opens: its whole bytes, checked to be size. A failure
// is logged. A transcode too large for the cache is not made.
func (s *Server) fillLater(key string, size int64, path string, newFile func(context.Context) (*transcode.File, error)) {
	if s.cache == nil || !s.cache.Fits(size) {
		return
	}
	s.fills.start(func() {
		err := s.cache.Fill(s.fills.ctx, key, func(ctx context.Context, tmp string) error {
			src, err := newFile(ctx)
			if err != nil {
				return err
			}
			defer src.Close()
			out, err := os.Create(tmp)
			if err != nil {
				return err
			}
			n, err := io.Copy(out, src)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err == nil && n != size {
				err = fmt.Errorf("transcode of %d bytes, want %d", n, size)
			}
			return err
		})
		if err != nil && s.fills.ctx.Err() == nil {
			s.log.Warn("transcode cache: not kept", "path", path, "err", err)
		}
	})
}

// serveVideoMP4 answers GET and HEAD of a Matroska or AVI video's stream
// with its MPEG-4 ([transcode.Transcoder.MP4]), made whole in the cache
// first (the request waits for it; a second one waits for the same run),
// then served with [http.ServeContent]: Range and seeking as for any
// file. Without ffmpeg or a cache it answers 503; a video ffmpeg cannot
// read, 422.
func (s *Server) serveVideoMP4(w http.ResponseWriter, r *http.Request, f player.File, t player.Track, info fs.FileInfo) {
	if !s.tc.Available() {
		writeError(w, http.StatusServiceUnavailable, probe.ErrNoFFmpeg.Error())
		return
	}
	if s.cache == nil {
		writeError(w, http.StatusServiceUnavailable, "this video needs the transcode cache, which is off")
		return
	}
	in, err := s.lib.ToolInput(t, f)
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	etag := fileETag(info)
	etag = etag[:len(etag)-1] + `-mp4v1"`
	key := transcodeKey(t, info, etag)
	if s.serveCached(w, r, key, "video/mp4", etag, -1, info) {
		return
	}
	err = s.cache.Fill(r.Context(), key, func(ctx context.Context, tmp string) error {
		v, err := s.tc.ProbeVideo(ctx, in)
		if err != nil {
			return err
		}
		return s.tc.MP4(ctx, in, v, tmp)
	})
	if err != nil {
		if r.Context().Err() == nil {
			s.log.Warn("video: cannot make MPEG-4", "path", t.Path, "err", err)
			writeError(w, http.StatusUnprocessableEntity, "cannot convert this video for the browser")
		}
		return
	}
	if !s.serveCached(w, r, key, "video/mp4", etag, -1, info) {
		writeError(w, http.StatusServiceUnavailable, "the converted video was evicted from the cache; try again")
	}
}
