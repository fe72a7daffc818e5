package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"earshot/player"
	"earshot/player/probe"
	"earshot/transcode"
)

// stream answers GET and HEAD /api/tracks/{id}/stream with the track's bytes.
// [http.ServeContent] does the Range work (206, multipart/byteranges, 416,
// If-Range, conditional requests, HEAD) straight from the open file, which
// the server copies with sendfile; [fixRange] first closes its RFC 9110 gaps.
// The body is never compressed and a range's length is never capped. Each
// write must make progress within [Options.StallTimeout] (see [stallWriter]).
// A GET records the track as the device's NowPlaying ([Server.Devices]).
// A VBR MP3 without a seek table is served as MPEG-4 with one (see
// [Server.mp3Content]). With ?caps=token (see [transcode.ParseCaps]) and
// ?q=saver, a track whose codec the caps lack, or that data saver
// shrinks, is served as a transcode instead ([Server.serveTranscode]):
// the page's URL carries its caps and quality.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	f, t, info, ok := s.openStream(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	defer f.Close()
	if t.Video && transcode.NeedsMP4(t.Format) {
		s.serveVideoMP4(w, r, f, t, info)
		return
	}
	if r.URL.Query().Has("caps") {
		d, err := s.decide(r.Context(), t, s.capsOf(r), qualityOf(r))
		if err != nil {
			s.httpError(w, r, err)
			return
		}
		if d.Transcode {
			s.serveTranscode(w, r, f, t, info, d.To)
			return
		}
	}
	var content io.ReadSeeker = f
	mime, size, etag := t.MIMEType, info.Size(), fileETag(info)
	if t.Format == probe.MP3 {
		content, mime, size, etag = s.mp3Content(f, t, info, etag)
	}
	s.serveContent(w, r, content, mime, size, etag, info)
}

// serveContent answers r with content, of length size, as [Server.stream]
// describes: its headers, the Range fix, then [http.ServeContent] under
// the per-write stall deadline, with errors in JSON.
func (s *Server) serveContent(w http.ResponseWriter, r *http.Request, content io.ReadSeeker, mime string, size int64, etag string, info fs.FileInfo) {
	h := w.Header()
	h["Content-Type"] = []string{mime}
	h["Etag"] = []string{etag}         // the canonical key, as Set would
	h["Accept-Ranges"] = s.fixed.bytes // shared; see fixedValues
	h["Cache-Control"] = s.fixed.noCache
	if rh, ok := r.Header["Range"]; ok {
		// A player's "bytes=a-b" comes back from fixRange unchanged.
		if fixed := fixRange(rh, size); fixed == "" {
			delete(r.Header, "Range")
		} else if len(rh) != 1 || fixed != rh[0] {
			r.Header["Range"] = []string{fixed}
		}
	}
	// One allocation for the request's writers.
	st := &streamState{}
	st.stall = stallWriter{ResponseWriter: w, rc: http.NewResponseController(w), stall: s.stall}
	st.errs = jsonErrors{ResponseWriter: &st.stall}
	http.ServeContent(&st.errs, r, "", info.ModTime(), content)
}

// streamState holds what [Server.stream] wraps around one request: its
// writers (JSON errors outside the per-write deadline).
//
// The file goes to [http.ServeContent] as it is: a wrapper that answered
// ServeContent's size-probing seeks without a system call saved two lseeks
// a request, a gain within the Range bench's noise, for 90 lines of code of
// our own on the stream path; it was taken out.
type streamState struct {
	errs  jsonErrors
	stall stallWriter
}

// fileETag returns a strong entity tag (RFC 9110 §8.8.3) for a file from its
// modification time and size, like Caddy's calculateEtag: a file replaced in
// place gets a new tag, so If-Range never stitches two versions together.
func fileETag(info fs.FileInfo) string {
	var b [32]byte // two int64 in base 36 (13 digits each), quotes and dash
	e := append(b[:0], '"')
	e = strconv.AppendInt(e, info.ModTime().UnixNano(), 36)
	e = append(e, '-')
	e = strconv.AppendInt(e, info.Size(), 36)
	return string(append(e, '"'))
}

// cover answers GET /api/tracks/{id}/cover with the track's cover image.
// The ETag is the image's content hash, so browsers revalidate cheaply.
// With ?size= it answers with a thumbnail instead (see [Server.thumbnail]).
// While the library folder is missing it answers a known track with a 503,
// like the stream ([player.Library.Cover] refuses; see [Server.httpError]).
func (s *Server) cover(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has("size") {
		s.thumbnail(w, r)
		return
	}
	pic, err := s.lib.Cover(r.PathValue("id"))
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	sum := sha256.Sum256(pic.Data)
	h := w.Header()
	h.Set("Content-Type", pic.MIMEType)
	h.Set("ETag", `"`+base64.RawURLEncoding.EncodeToString(sum[:12])+`"`)
	h.Set("Cache-Control", "no-cache")
	// An embedded cover can be megabytes: the stall timeout applies too.
	http.ServeContent(&jsonErrors{ResponseWriter: newStallWriter(w, s.stall)}, r, "", time.Time{}, bytes.NewReader(pic.Data))
}

// jsonErrors wraps a ResponseWriter so that the plain-text error bodies
// [http.ServeContent] writes (416, and 500 on a failed seek) become the API's
// JSON error shape. Everything else passes through, including ReadFrom, so
// the file is still sent with sendfile.
type jsonErrors struct {
	http.ResponseWriter
	replaced bool // an error status was answered in JSON; drop further writes
}

// WriteHeader implements [http.ResponseWriter].
func (j *jsonErrors) WriteHeader(code int) {
	if code < 400 {
		j.ResponseWriter.WriteHeader(code)
		return
	}
	h := j.ResponseWriter.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	j.replaced = true
	j.ResponseWriter.WriteHeader(code)
	msg := "internal server error"
	if code == http.StatusRequestedRangeNotSatisfiable {
		msg = "range not satisfiable"
	} else if code < 500 {
		msg = http.StatusText(code)
	}
	fmt.Fprintf(j.ResponseWriter, "{\"error\":%q}\n", msg)
}

// Write implements [http.ResponseWriter], dropping ServeContent's own text
// after an error status has been answered in JSON.
func (j *jsonErrors) Write(p []byte) (int, error) {
	if j.replaced {
		return len(p), nil
	}
	return j.ResponseWriter.Write(p)
}

// ReadFrom lets [io.Copy] reach the underlying writer's ReadFrom (sendfile).
func (j *jsonErrors) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := j.ResponseWriter.(io.ReaderFrom); ok && !j.replaced {
		return rf.ReadFrom(r)
	}
	return io.Copy(writerOnly{j}, r)
}

// Unwrap returns the wrapped writer, for [http.ResponseController].
func (j *jsonErrors) Unwrap() http.ResponseWriter { return j.ResponseWriter }

// writerOnly hides ReadFrom so io.Copy does not recurse into it.
type writerOnly struct{ io.Writer }

// openStream opens track id for a stream request r, recording a GET as
// what the requesting device now plays ([Server.Devices]), and returns the
// open file, its track and its file info. When it cannot, it has answered
// r with the error ([Server.httpError]) and ok is false.
func (s *Server) openStream(w http.ResponseWriter, r *http.Request, id string) (f player.File, t player.Track, info fs.FileInfo, ok bool) {
	f, t, err := s.lib.Open(id)
	if err != nil {
		s.httpError(w, r, err)
		return nil, player.Track{}, nil, false
	}
	if r.Method == http.MethodGet {
		addr, _ := peerAddr(r)
		s.pairing.devices.playing(addr, t)
	}
	if info, err = f.Stat(); err != nil {
		f.Close()
		s.httpError(w, r, err)
		return nil, player.Track{}, nil, false
	}
	return f, t, info, true
}
