// Package web serves an Earshot library over HTTP: the JSON API, the audio
// streams (with Range requests, RFC 9110 §14) and the embedded player page,
// to the desktop's own browser and to paired devices on the LAN.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"earshot/player"
	"earshot/transcode"
	"earshot/web/subsonic"
)

// Options configure a [Server]. The zero value is usable.
type Options struct {
	// Version is reported by /api/status.
	Version string
	// Logger receives request errors; nil means [slog.Default].
	Logger *slog.Logger
	// Key is the access key paired devices must present; "" makes a new
	// one with [NewKey]. The caller stores it (see [Server.Key]).
	Key string
	// RequireKeyOnLoopback makes requests from this computer (loopback
	// peers) need the key too; by default they are trusted.
	RequireKeyOnLoopback bool
	// ReadHeaderTimeout bounds how long a client may take to send its
	// request headers (a slowloris defence); 0 means 10 s.
	ReadHeaderTimeout time.Duration
	// StallTimeout is how long one write of a stream may block on a client
	// that stopped reading before the connection is dropped; 0 means 30 s.
	// Streams have no overall write timeout: a song can be long.
	StallTimeout time.Duration
	// MDNSInterface names the network interface [Server.StartAnnouncing]
	// multicasts on; "" means the system's default multicast interface.
	MDNSInterface string
	// MaxTranscodes bounds the ffmpeg transcodes running at once; 0 means
	// the number of CPUs.
	MaxTranscodes int
	// TranscodeCache keeps finished transcodes on disk: a WAV or MP3
	// transcode played once is made whole there in the background and
	// served from it afterwards, and a Matroska or AVI video is made into
	// MPEG-4 there before it is served. nil keeps none (videos that need
	// MPEG-4 then answer 503).
	TranscodeCache *transcode.DiskCache
	// MaxUpload is the largest file, in bytes, a device may upload into
	// the library; 0 means [DefaultMaxUpload] (4 GiB).
	MaxUpload int64
	// UploadReserve is the free space, in bytes, an upload must leave on
	// the library's disk (else 507); 0 means [DefaultUploadReserve] (1 GiB).
	UploadReserve int64
	// AppPasswords keeps the app passwords of Subsonic apps (see
	// [Server.CreateAppPassword]); nil keeps them in memory only.
	AppPasswords player.AppPasswordStore
	// AppData keeps the Subsonic apps' play queue and ratings; nil keeps
	// them in memory only.
	AppData player.AppDataStore
}

// Server serves one [player.Library]. Create it with [New], bind it with
// [Server.Listen], then run [Server.Serve] until [Server.Shutdown].
//
// It composes the parts that each own one job: the route table and its
// handler ([Server.routeTable]), the listener and LAN switch ([listener]),
// the key, limiter and device log ([pairing]), and mDNS ([announcer]).
type Server struct {
	lib     *player.Library
	version string
	log     *slog.Logger
	stall   time.Duration
	handler http.Handler

	lis     *listener
	pairing *pairing
	ann     *announcer
	hosts   *hostNames
	fixed   *fixedValues
	seeks   *seekTables
	// tc transcodes what a device cannot decode; caps keeps what each
	// device said it decodes (see web/transcode.go).
	tc   *transcode.Transcoder
	caps *capsStore
	// cache keeps finished transcodes (nil: none); fills are the
	// background fills running, one at a time (see web/tccache.go).
	cache *transcode.DiskCache
	fills *fillQueue
	// up takes uploads into the library (see web/upload.go).
	up *uploads
	// paused is set while sharing is paused ([Server.SetPaused]).
	paused atomic.Bool
	// sub serves the Subsonic API under /rest/ (see web/subsonic.go).
	sub *subsonic.Handler
}

// New returns a server for lib. It does not listen until [Server.Listen].
func New(lib *player.Library, opts Options) *Server {
	s := &Server{lib: lib, version: opts.Version, log: opts.Logger, stall: opts.StallTimeout,
		ann: &announcer{iface: opts.MDNSInterface}, hosts: newHostNames(), fixed: newFixedValues(), seeks: newSeekTables(),
		tc: transcode.New(transcode.Options{Tools: lib.Tools(), MaxProcesses: opts.MaxTranscodes}), caps: newCapsStore(),
		cache: opts.TranscodeCache, fills: newFillQueue()}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.up = newUploads(lib, s.log, opts.MaxUpload, opts.UploadReserve)
	s.sub = s.newSubsonic(opts.AppPasswords, opts.AppData)
	if s.stall == 0 {
		s.stall = 30 * time.Second
	}
	key := opts.Key
	if key == "" {
		key = NewKey()
	}
	s.pairing = newPairing(key, opts.RequireKeyOnLoopback)
	readHeader := opts.ReadHeaderTimeout
	if readHeader == 0 {
		readHeader = 10 * time.Second
	}
	h, err := s.buildHandler(s.routeTable())
	if err != nil {
		panic("web: bad route table: " + err.Error()) // a programming error; TestRouteTable catches it
	}
	s.handler = h
	s.lis = newListener(&http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeader,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	})
	return s
}

// Handler returns the server's HTTP handler, for use with [net/http/httptest].
func (s *Server) Handler() http.Handler { return s.handler }

// Listen binds the TCP address addr ("host:port"; ":0" picks a free port).
// Listening on a loopback host turns LAN access off ([Server.LAN] false).
// It returns the error from [net.Listen], for example when the port is taken.
func (s *Server) Listen(addr string) error { return s.lis.listen(addr) }

// LAN reports whether other devices on the network may connect.
func (s *Server) LAN() bool { return s.lis.lan.Load() }

// SetLAN switches between serving the whole network (allow) and this
// computer only, on the same port, without a restart: it closes the
// listener, binds the other address, drops open connections from other
// devices, and starts or stops announcing. It returns the bind error,
// after which the old address is bound again if it can be.
func (s *Server) SetLAN(allow bool) error {
	changed, err := s.lis.setLAN(allow)
	if err != nil || !changed {
		return err
	}
	if err := s.ann.update(s.lis); err != nil {
		s.log.Warn("could not announce on the LAN", "err", err)
	}
	return nil
}

// Addr returns the bound address, or nil before [Server.Listen].
func (s *Server) Addr() net.Addr {
	if a := s.lis.addr(); a != nil {
		return a
	}
	return nil
}

// Serve answers requests until [Server.Shutdown], following the listener
// across [Server.SetLAN] switches. It returns nil after a shutdown and the
// accept error otherwise.
//
// While it serves, unfinished uploads that received nothing for 24 hours
// are removed, once at the start and then every hour.
func (s *Server) Serve() error {
	go s.up.expireLoop()
	return s.lis.serve()
}

// Shutdown stops announcing, ends a background transcode-cache fill and
// the expiry of unfinished uploads,
// stops accepting connections and waits for requests in flight until ctx
// ends; then it closes the connections still open (a long stream must not
// hold the app open). It returns ctx's error in that case.
func (s *Server) Shutdown(ctx context.Context) error {
	s.ann.stop()
	s.fills.stop()
	s.up.close()
	err := s.lis.http.Shutdown(ctx)
	if err != nil {
		s.lis.http.Close()
	}
	return err
}
