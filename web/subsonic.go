package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"time"

	"earshot/player"
	"earshot/transcode"
	"earshot/web/subsonic"
)

// The Subsonic API (issue 15) is served under /rest/ by [subsonic.Handler]
// with its own access rule, [appPassword]: the app passwords of
// [Server.CreateAppPassword] instead of the page's key, checked by the
// handler, with the LAN switch ([Server.lanOnly]) and the failure
// limiter of the page (through [subsonicGuard]). Its streams and covers
// are this server's own handlers ([subsonicMedia]), and its XML and JSON
// answers get the per-write stall deadline (the route is [stallOwned]).

// newSubsonic returns the API's handler for s.
func (s *Server) newSubsonic(store player.AppPasswordStore, data player.AppDataStore) *subsonic.Handler {
	return subsonic.New(subsonic.Options{Library: s.lib, Passwords: store, Data: data, Media: subsonicMedia{s},
		Guard: subsonicGuard{s}, ServerVersion: s.version, Logger: s.log,
		Answers: func(w http.ResponseWriter) http.ResponseWriter { return newStallWriter(w, s.stall) }})
}

// AppPasswords returns the app passwords for Subsonic apps, oldest first.
func (s *Server) AppPasswords() ([]player.AppPassword, error) { return s.sub.AppPasswords() }

// CreateAppPassword makes an app password named name for a Subsonic app
// (see [subsonic.Handler.CreateAppPassword]); the app logs in with user
// [subsonic.Username] and the returned Password.
func (s *Server) CreateAppPassword(name string) (player.AppPassword, error) {
	return s.sub.CreateAppPassword(name)
}

// RevokeAppPassword revokes the app password with ID id, or returns
// [player.ErrAppPasswordNotFound].
func (s *Server) RevokeAppPassword(id string) error { return s.sub.RevokeAppPassword(id) }

// subsonicGuard is [subsonic.Guard] over the server's failure limiter and
// device log.
type subsonicGuard struct{ s *Server }

// Blocked implements [subsonic.Guard].
func (g subsonicGuard) Blocked(r *http.Request) (time.Duration, bool) {
	addr, _ := peerAddr(r)
	return g.s.pairing.limiter.blocked(addr)
}

// Fail implements [subsonic.Guard].
func (g subsonicGuard) Fail(r *http.Request) {
	addr, _ := peerAddr(r)
	g.s.pairing.limiter.fail(addr)
}

// Passed implements [subsonic.Guard]: the device is listed as seen.
func (g subsonicGuard) Passed(r *http.Request) {
	addr, ok := peerAddr(r)
	g.s.pairing.devices.seen(addr, r.UserAgent(), ok && addr.IsLoopback())
}

// subsonicMedia is [subsonic.Media] over the server's stream and cover
// handlers.
type subsonicMedia struct{ s *Server }

// Stream implements [subsonic.Media]: the file's bytes as they are, with
// the stream route's Range handling, ETag and Last-Modified; as an
// attachment named like the file when attachment is set.
func (m subsonicMedia) Stream(w http.ResponseWriter, r *http.Request, id string, attachment bool) {
	s := m.s
	f, t, info, ok := s.openStream(w, r, id)
	if !ok {
		return
	}
	defer f.Close()
	if attachment {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": path.Base(t.Path)}))
	}
	s.serveContent(w, r, f, t.MIMEType, info.Size(), fileETag(info), info)
}

// StreamMP3 implements [subsonic.Media]: at the default
// [transcode.MP3BitRate] from the start, the stream.mp3 route's transcode
// ([Server.serveTranscode], with its cache); else the MP3 at bitRate
// bit/s from the first frame at or after offset seconds
// ([Server.serveMP3From]). Its frames decode on their own (transcode's
// MP3 has no bit reservoir), so the part is a valid MP3 stream of exact
// length that seeks like a file too: the transcodeOffset extension.
func (m subsonicMedia) StreamMP3(w http.ResponseWriter, r *http.Request, id string, offset float64, bitRate int) {
	s := m.s
	if offset <= 0 && bitRate == transcode.MP3BitRate {
		r.SetPathValue("id", id)
		r.URL = &url.URL{Path: "/api/tracks/" + id + "/stream.mp3", RawQuery: r.URL.RawQuery}
		s.streamTranscode(w, r)
		return
	}
	s.serveMP3From(w, r, id, max(offset, 0), bitRate)
}

// Cover implements [subsonic.Media]: the cover route, or its thumbnail
// of the smallest size in [player.ThumbnailSizes] that is at least size
// (the largest when none is).
func (m subsonicMedia) Cover(w http.ResponseWriter, r *http.Request, id string, size int) {
	r.SetPathValue("id", id)
	q := url.Values{}
	if size > 0 {
		pick := player.ThumbnailSizes[len(player.ThumbnailSizes)-1]
		for _, n := range player.ThumbnailSizes {
			if n >= size {
				pick = n
				break
			}
		}
		q.Set("size", strconv.Itoa(pick))
	}
	r.URL = &url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	m.s.cover(w, r)
}

// serveMP3From serves track id's data-saver MP3 at bitRate bit/s (an
// MPEG-1 rate, see [transcode.MP3BitRateAtMost]) from the frame holding
// offset seconds on, through [Server.serveContent], as audio/mpeg. For a
// track of a cue sheet (one part of its file), the MP3 is of the file and
// the part served runs from Start + offset to End.
func (s *Server) serveMP3From(w http.ResponseWriter, r *http.Request, id string, offset float64, bitRate int) {
	if !s.tc.Available() {
		writeError(w, http.StatusServiceUnavailable, "needs ffmpeg")
		return
	}
	f, t, err := s.lib.Open(id)
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	in, err := s.lib.ToolInput(t, f)
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	length, from := t.Duration, offset
	if t.End > 0 {
		length, from = t.End, t.Start+offset
	}
	content, err := s.tc.MP3At(r.Context(), in, length, bitRate)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	defer content.Close()
	frame := int64(from * transcode.MP3Rate / mp3FrameSamples)
	start := min(frame*transcode.MP3FrameSize(bitRate), content.Size())
	size := content.Size() - start
	etag := fileETag(info)
	etag = etag[:len(etag)-1] + "-m" + strconv.Itoa(bitRate/1000) + "o" + strconv.FormatInt(frame, 36) +
		"l" + strconv.FormatInt(size, 36) + `"`
	s.serveContent(w, r, &window{rs: content, base: start, size: size}, "audio/mpeg", size, etag, info)
}

// mp3FrameSamples is the number of samples an MPEG-1 Layer III frame
// holds (ISO/IEC 11172-3), so frame k of the data-saver MP3 starts at
// k·1152/[transcode.MP3Rate] seconds.
const mp3FrameSamples = 1152

// window is the size bytes of rs from byte base on, as an
// [io.ReadSeeker] whose offset 0 is rs's base. Like [http.ServeContent]
// it expects a Seek before the first Read.
type window struct {
	rs         io.ReadSeeker
	base, size int64
	pos        int64
}

// Read implements [io.Reader].
func (o *window) Read(p []byte) (int, error) {
	if o.pos >= o.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), o.size-o.pos)]
	n, err := o.rs.Read(p)
	o.pos += int64(n)
	return n, err
}

// Seek implements [io.Seeker].
func (o *window) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += o.pos
	case io.SeekEnd:
		offset += o.size
	}
	if offset < 0 {
		return o.pos, errors.New("seek before the start")
	}
	if _, err := o.rs.Seek(o.base+offset, io.SeekStart); err != nil {
		return o.pos, err
	}
	o.pos = offset
	return offset, nil
}
