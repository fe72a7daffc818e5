// Package web serves an Earshot library over HTTP: the JSON API, the audio
// streams (with Range requests, RFC 9110 §14) and the embedded player page.
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
	"time"

	"earshot/player"
)

// Options configure a [Server]. The zero value is usable.
type Options struct {
	// Version is reported by /api/status.
	Version string
	// Logger receives request errors; nil means [slog.Default].
	Logger *slog.Logger
}

// Server serves one [player.Library]. Create it with [New], bind it with
// [Server.Listen], then run [Server.Serve] until [Server.Shutdown].
type Server struct {
	lib     *player.Library
	version string
	log     *slog.Logger
	handler http.Handler
	http    *http.Server

	mu sync.Mutex
	ln net.Listener
}

// New returns a server for lib. It does not listen until [Server.Listen].
func New(lib *player.Library, opts Options) *Server {
	s := &Server{lib: lib, version: opts.Version, log: opts.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.handler = s.routes()
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s
}

// Handler returns the server's HTTP handler, for use with [net/http/httptest].
func (s *Server) Handler() http.Handler { return s.handler }

// Listen binds the TCP address addr ("host:port"; ":0" picks a free port).
// It returns the error from [net.Listen], for example when the port is taken.
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	return nil
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

// Serve answers requests on the bound listener until [Server.Shutdown]. It
// returns nil after a shutdown and the accept error otherwise.
func (s *Server) Serve() error {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		return errors.New("web: Serve called before Listen")
	}
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting connections and waits for requests in flight
// until ctx ends; then it closes the connections still open (a long stream
// must not hold the app open). It returns ctx's error in that case.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if err != nil {
		s.http.Close()
	}
	return err
}

// URLs returns the addresses people can open: the loopback URL first, then
// one per LAN address when the server listens on all interfaces, physical
// interfaces before virtual ones. It returns nil before [Server.Listen].
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
