package web

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"earshot/player"
	"earshot/player/probe"
	"earshot/transcode"
)

// The routes of issue 11's "direct play when the device can, transcode
// when it can't": the page posts what it decodes ([Server.deviceCaps]),
// asks how a track reaches it ([Server.play]), and plays the original
// ([Server.stream]) or a transcode ([Server.streamTranscode]): WAV, or
// MP3 for data saver. The page puts its caps token (?caps=) and quality
// (?q=saver) in the stream URL, so the same URL always gives the same
// bytes whatever the device posted last.

// playAnswer is the JSON answer of GET /api/tracks/{id}/play.
type playAnswer struct {
	// URL is the stream to play: /api/tracks/{id}/stream for the original
	// bytes, /api/tracks/{id}/stream.wav or stream.mp3 for a transcode.
	URL string `json:"url"`
	// MIMEType is the media type the URL answers with.
	MIMEType string `json:"mimeType"`
	transcode.Decision
	// Caps is the canonical token of the caps decided for ("" unknown).
	Caps string `json:"caps"`
}

// play answers GET /api/tracks/{id}/play[?caps=token][&q=saver] with how
// the track reaches the device: for the caps of the query (see
// [transcode.ParseCaps]), else those the device last posted to
// /api/device/caps, else unknown caps (original bytes, as before devices
// reported anything), at the quality of q ([transcode.ParseQuality]).
func (s *Server) play(w http.ResponseWriter, r *http.Request) {
	t, err := s.lib.Track(r.PathValue("id"))
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	caps := s.capsOf(r)
	d, err := s.decide(r.Context(), t, caps, qualityOf(r))
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	a := playAnswer{URL: "/api/tracks/" + t.ID + "/stream", MIMEType: t.MIMEType, Decision: d, Caps: caps.String()}
	switch d.To {
	case transcode.ToWAV:
		a.URL, a.MIMEType = a.URL+".wav", "audio/wav"
	case transcode.ToMP3:
		a.URL, a.MIMEType = a.URL+".mp3", "audio/mpeg"
	}
	writeJSON(w, http.StatusOK, a)
}

// qualityOf returns the quality a request asks for (?q=).
func qualityOf(r *http.Request) transcode.Quality {
	return transcode.ParseQuality(r.URL.Query().Get("q"))
}

// bitRate returns track t's average bit rate in bit/s (its file's size
// over its duration; 0 when the duration is unknown).
func bitRate(t player.Track) int64 {
	if t.Duration <= 0 {
		return 0
	}
	return int64(float64(t.Size) * 8 / t.Duration)
}

// decide returns how track t reaches a device with caps at quality q: it reads the
// file's codec ([Server.trackCodec]) only when the format leaves it open and the
// answer depends on it (an MPEG-4 file on a device that plays AAC but not
// ALAC). Videos are always sent as they are.
func (s *Server) decide(ctx context.Context, t player.Track, caps transcode.Caps, q transcode.Quality) (transcode.Decision, error) {
	if t.Video {
		return transcode.Decision{From: string(t.Format), Reason: "direct play"}, nil
	}
	codec := ""
	if transcode.NeedsProbe(t.Format, caps) {
		var err error
		if codec, err = s.trackCodec(ctx, t); err != nil {
			return transcode.Decision{}, err
		}
	}
	return transcode.Decide(transcode.CodecOf(t.Format, codec), bitRate(t), caps, q, s.tc.Available()), nil
}

// trackCodec returns the codec of track t's first audio stream, by
// ffprobe's name: an MPEG-4 file's from its boxes ([probe.MP4AudioCodec]),
// so that ALAC is told from AAC without ffmpeg too (and then the page
// hears "needs ffmpeg to play ALAC here", not a direct play that fails);
// else ffprobe's, when it is installed; "" when it cannot be told.
func (s *Server) trackCodec(ctx context.Context, t player.Track) (string, error) {
	if t.Format == probe.M4A {
		f, _, err := s.lib.Open(t.ID)
		if err != nil {
			return "", err
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			return "", err
		}
		if c, err := probe.MP4AudioCodec(f, info.Size()); err == nil {
			return c, nil
		} else if !errors.Is(err, probe.ErrBadMedia) {
			return "", err
		}
	}
	if !s.tc.Available() {
		return "", nil
	}
	st, err := s.probeTrack(ctx, t)
	if err != nil && !errors.Is(err, probe.ErrCorrupt) {
		return "", err
	}
	return st.Codec, nil
}

// probeTrack reads the first audio stream of t's file with ffprobe (kept
// by the transcoder under the file's identity).
func (s *Server) probeTrack(ctx context.Context, t player.Track) (transcode.Stream, error) {
	f, t, err := s.lib.Open(t.ID)
	if err != nil {
		return transcode.Stream{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return transcode.Stream{}, err
	}
	in, err := s.lib.ToolInput(t, f)
	if err != nil {
		return transcode.Stream{}, err
	}
	return s.tc.Probe(ctx, in, sourceKey(t, info))
}

// sourceKey names a file's identity for the transcoder's caches: its
// path, size and modification time (a file replaced in place is new).
func sourceKey(t player.Track, info fs.FileInfo) string {
	return t.Path + "\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" + strconv.FormatInt(info.ModTime().UnixNano(), 10)
}

// streamTranscode answers GET and HEAD /api/tracks/{id}/stream.wav and
// stream.mp3 (and a /stream whose ?caps= and ?q= decide for a transcode)
// with the track's audio as a transcode of exact length
// ([transcode.File]) in the format the path names, through
// [http.ServeContent] like a file: Content-Length, Accept-Ranges, 206,
// 416 and If-Range as for the original bytes. Its ETag is the file's with
// the transcode's shape added, so a changed file or setting is a new
// entity. A HEAD or a conditional answered without a body starts no
// ffmpeg. Without ffmpeg it answers 503 "needs ffmpeg".
func (s *Server) streamTranscode(w http.ResponseWriter, r *http.Request) {
	f, t, err := s.lib.Open(r.PathValue("id"))
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
	if r.Method == http.MethodGet {
		addr, _ := peerAddr(r)
		s.pairing.devices.playing(addr, t)
	}
	to := transcode.ToWAV
	if strings.HasSuffix(r.URL.Path, ".mp3") {
		to = transcode.ToMP3
	}
	s.serveTranscode(w, r, f, t, info, to)
}

// serveTranscode serves the open file f of track t as a transcode to the
// format to ([transcode.ToWAV] or [transcode.ToMP3]).
func (s *Server) serveTranscode(w http.ResponseWriter, r *http.Request, f player.File, t player.Track, info fs.FileInfo, to string) {
	if !s.tc.Available() {
		writeError(w, http.StatusServiceUnavailable, probe.ErrNoFFmpeg.Error())
		return
	}
	in, err := s.lib.ToolInput(t, f)
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	st, err := s.tc.Probe(r.Context(), in, sourceKey(t, info))
	if err != nil {
		s.log.Warn("transcode: cannot read the file's audio", "path", t.Path, "err", err)
		writeError(w, http.StatusUnprocessableEntity, "cannot read the file's audio")
		return
	}
	etag := fileETag(info)
	etag = etag[:len(etag)-1]
	mime := "audio/wav"
	newFile := func(ctx context.Context) (*transcode.File, error) { return s.tc.MP3(ctx, in, t.Duration) }
	if to == transcode.ToMP3 {
		mime = "audio/mpeg"
		etag += "-m" + strconv.Itoa(transcode.MP3BitRate/1000)
	} else {
		pcm := transcode.Shape(st, t.Duration)
		newFile = func(ctx context.Context) (*transcode.File, error) { return s.tc.WAV(ctx, in, pcm) }
		etag += "-w" + strconv.Itoa(pcm.Rate) + "c" + strconv.Itoa(pcm.Channels)
	}
	content, err := newFile(r.Context()) // starts no ffmpeg until read
	if err != nil {
		s.log.Warn("transcode", "path", t.Path, "err", err)
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	defer content.Close()
	size := content.Size()
	etag += "s" + strconv.FormatInt(size, 36) + `"`
	key := transcodeKey(t, info, etag)
	if s.serveCached(w, r, key, mime, etag, size, info) {
		return
	}
	if r.Method == http.MethodGet {
		s.fillLater(key, size, t.Path, newFile)
	}
	s.serveContent(w, r, content, mime, size, etag, info)
}

// maxCapsBody bounds the JSON a device posts to /api/device/caps.
const maxCapsBody = 4 << 10

// capsRequest is the body of POST /api/device/caps: the [transcode.Caps]
// names the page's canPlayType answered "maybe" or "probably" for.
type capsRequest struct {
	Codecs []string `json:"codecs"`
}

// deviceCaps answers POST /api/device/caps: it keeps the device's caps
// (by its address, like [Server.Devices]) and answers {"caps": token},
// the canonical token the page puts in its stream URLs.
func (s *Server) deviceCaps(w http.ResponseWriter, r *http.Request) {
	var req capsRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCapsBody)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "body must be {\"codecs\": [names]}")
		return
	}
	caps := transcode.ParseCaps("none")
	if len(req.Codecs) > 0 {
		caps = transcode.ParseCaps(joinNames(req.Codecs))
	}
	addr, _ := peerAddr(r)
	s.caps.set(addr, caps)
	writeJSON(w, http.StatusOK, map[string]string{"caps": caps.String()})
}

// joinNames joins codec names with "." after dropping any holding a
// separator.
func joinNames(names []string) string {
	var b strings.Builder
	for _, n := range names {
		if n != "" && len(n) <= 20 && !strings.ContainsAny(n, ".,") {
			b.WriteString(n)
			b.WriteByte('.')
		}
	}
	return b.String()
}

// capsOf returns the caps a request is decided for: its ?caps= token,
// else the caps its device posted last, else unknown caps.
func (s *Server) capsOf(r *http.Request) transcode.Caps {
	if tok := r.URL.Query().Get("caps"); tok != "" {
		return transcode.ParseCaps(tok)
	}
	addr, _ := peerAddr(r)
	return s.caps.get(addr)
}

// capsStore keeps each device's last posted caps, by address, at most
// [maxDevices] (a full store forgets an arbitrary one). Safe for
// concurrent use.
type capsStore struct {
	mu sync.Mutex
	m  map[netip.Addr]transcode.Caps
}

func newCapsStore() *capsStore { return &capsStore{m: map[netip.Addr]transcode.Caps{}} }

func (c *capsStore) set(addr netip.Addr, caps transcode.Caps) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[addr]; !ok && len(c.m) >= maxDevices {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[addr] = caps
}

func (c *capsStore) get(addr netip.Addr) transcode.Caps {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[addr]
}
