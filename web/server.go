// Package web serves an Earshot library over HTTP: the JSON API, the audio
// streams (with Range requests, RFC 9110 §14) and the embedded player page,
// to the desktop's own browser and to paired devices on the LAN.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/mdns"

	"earshot/player"
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
}

// Server serves one [player.Library]. Create it with [New], bind it with
// [Server.Listen], then run [Server.Serve] until [Server.Shutdown].
type Server struct {
	lib     *player.Library
	version string
	log     *slog.Logger
	stall   time.Duration
	handler http.Handler
	http    *http.Server

	key             atomic.Pointer[string]
	loopbackNeedKey atomic.Bool
	lan             atomic.Bool // whether other devices may connect
	limiter         *failureLimiter
	devices         *deviceLog

	mu      sync.Mutex
	ln      net.Listener
	lanAddr string // the address to listen on when LAN access is allowed
	conns   map[net.Conn]struct{}

	mdnsIface string
	announce  bool         // StartAnnouncing was called
	mdns      *mdns.Server // the running mDNS responder, nil when none
}

// New returns a server for lib. It does not listen until [Server.Listen].
func New(lib *player.Library, opts Options) *Server {
	s := &Server{lib: lib, version: opts.Version, log: opts.Logger, stall: opts.StallTimeout, mdnsIface: opts.MDNSInterface,
		conns: map[net.Conn]struct{}{}, limiter: newFailureLimiter(), devices: newDeviceLog()}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.stall == 0 {
		s.stall = 30 * time.Second
	}
	key := opts.Key
	if key == "" {
		key = NewKey()
	}
	s.key.Store(&key)
	s.loopbackNeedKey.Store(opts.RequireKeyOnLoopback)
	s.lan.Store(true)
	readHeader := opts.ReadHeaderTimeout
	if readHeader == 0 {
		readHeader = 10 * time.Second
	}
	s.handler = s.routes()
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeader,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		ConnState:         s.trackConn,
	}
	return s
}

// Handler returns the server's HTTP handler, for use with [net/http/httptest].
func (s *Server) Handler() http.Handler { return s.handler }

// Listen binds the TCP address addr ("host:port"; ":0" picks a free port).
// Listening on a loopback host turns LAN access off ([Server.LAN] false).
// It returns the error from [net.Listen], for example when the port is taken.
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ln = ln
	s.lanAddr = net.JoinHostPort("", strconv.Itoa(tcp.Port))
	if !tcp.IP.IsLoopback() {
		s.lanAddr = net.JoinHostPort(hostOf(addr), strconv.Itoa(tcp.Port))
	}
	s.lan.Store(!tcp.IP.IsLoopback())
	return nil
}

// hostOf returns the host part of a listen address, "" when it has none.
func hostOf(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	return host
}

// LAN reports whether other devices on the network may connect.
func (s *Server) LAN() bool { return s.lan.Load() }

// SetLAN switches between serving the whole network (allow) and this
// computer only, on the same port, without a restart: it closes the
// listener, binds the other address, and drops open connections from other
// devices. It returns the bind error, after which the old address is bound
// again if it can be.
func (s *Server) SetLAN(allow bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return errors.New("web: SetLAN called before Listen")
	}
	if allow == s.lan.Load() {
		return nil
	}
	port := strconv.Itoa(s.ln.Addr().(*net.TCPAddr).Port)
	addr, old := s.lanAddr, s.ln.Addr().String()
	if !allow {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	s.ln.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if back, berr := net.Listen("tcp", old); berr == nil {
			s.ln = back
		}
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.lan.Store(allow)
	if !allow {
		s.stopMDNSLocked()
		for c := range s.conns {
			if !isLoopback(c.RemoteAddr()) {
				c.Close()
			}
		}
		return nil
	}
	if err := s.startMDNSLocked(); err != nil {
		s.log.Warn("could not announce on the LAN", "err", err)
	}
	return nil
}

// trackConn keeps the set of open connections, so that turning LAN access
// off can drop the ones from other devices.
func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateNew:
		s.conns[c] = struct{}{}
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	}
}

// isLoopback reports whether addr is a loopback IP address.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// Addr returns the bound address, or nil before [Server.Listen].
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Serve answers requests until [Server.Shutdown], following the listener
// across [Server.SetLAN] switches. It returns nil after a shutdown and the
// accept error otherwise.
func (s *Server) Serve() error {
	for {
		s.mu.Lock()
		ln := s.ln
		s.mu.Unlock()
		if ln == nil {
			return errors.New("web: Serve called before Listen")
		}
		err := s.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		s.mu.Lock()
		switched := s.ln != ln
		s.mu.Unlock()
		if !switched {
			return err
		}
	}
}

// Shutdown stops accepting connections and waits for requests in flight
// until ctx ends; then it closes the connections still open (a long stream
// must not hold the app open). It returns ctx's error in that case.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.stopMDNSLocked()
	s.mu.Unlock()
	err := s.http.Shutdown(ctx)
	if err != nil {
		s.http.Close()
	}
	return err
}

// URLs returns the addresses people can open: the loopback URL first, then
// one per LAN address when the server listens on all interfaces (physical
// interfaces before virtual ones). It returns nil before [Server.Listen].
func (s *Server) URLs() []string {
	addr, ok := s.Addr().(*net.TCPAddr)
	if !ok {
		return nil
	}
	port := strconv.Itoa(addr.Port)
	if !addr.IP.IsUnspecified() {
		return []string{"http://" + net.JoinHostPort(addr.IP.String(), port)}
	}
	urls := []string{"http://" + net.JoinHostPort("127.0.0.1", port)}
	for _, ip := range lanAddresses() {
		urls = append(urls, "http://"+net.JoinHostPort(ip, port))
	}
	return urls
}
