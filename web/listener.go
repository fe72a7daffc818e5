package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
)

// listener owns the server's TCP listener and the switch between serving
// the whole network and this computer only ([Server.SetLAN]): it rebinds
// on the same port and drops the open connections of other devices, and
// [listener.serve] follows it across the switch. Safe for concurrent use.
type listener struct {
	http *http.Server
	lan  atomic.Bool // whether other devices may connect

	mu      sync.Mutex
	ln      net.Listener
	lanAddr string // the address to listen on when LAN access is allowed
	conns   map[net.Conn]struct{}
}

// newListener returns an unbound listener that will serve with srv; it
// sets srv.ConnState to keep track of the open connections.
func newListener(srv *http.Server) *listener {
	l := &listener{http: srv, conns: map[net.Conn]struct{}{}}
	l.lan.Store(true)
	srv.ConnState = l.trackConn
	return l
}

// listen binds addr; see [Server.Listen].
func (l *listener) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ln = ln
	l.lanAddr = net.JoinHostPort("", strconv.Itoa(tcp.Port))
	if !tcp.IP.IsLoopback() {
		l.lanAddr = net.JoinHostPort(hostOf(addr), strconv.Itoa(tcp.Port))
	}
	l.lan.Store(!tcp.IP.IsLoopback())
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

// setLAN rebinds for allow; see [Server.SetLAN]. changed reports whether
// it switched.
func (l *listener) setLAN(allow bool) (changed bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return false, errors.New("web: SetLAN called before Listen")
	}
	if allow == l.lan.Load() {
		return false, nil
	}
	port := strconv.Itoa(l.ln.Addr().(*net.TCPAddr).Port)
	addr, old := l.lanAddr, l.ln.Addr().String()
	if !allow {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	l.ln.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if back, berr := net.Listen("tcp", old); berr == nil {
			l.ln = back
		}
		return false, fmt.Errorf("listen on %s: %w", addr, err)
	}
	l.ln = ln
	l.lan.Store(allow)
	if !allow {
		l.dropOthersLocked()
	}
	return true, nil
}

// dropOthers closes the open connections of devices other than this
// computer.
func (l *listener) dropOthers() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dropOthersLocked()
}

// dropOthersLocked is [listener.dropOthers] with l.mu held.
func (l *listener) dropOthersLocked() {
	for c := range l.conns {
		if !isLoopback(c.RemoteAddr()) {
			c.Close()
		}
	}
}

// trackConn keeps the set of open connections, so that turning LAN access
// off can drop the ones from other devices. It takes the lock only when a
// connection comes or goes, not on the active and idle changes of each
// request on a kept-alive connection.
func (l *listener) trackConn(c net.Conn, state http.ConnState) {
	switch state {
	case http.StateNew:
		l.mu.Lock()
		l.conns[c] = struct{}{}
		l.mu.Unlock()
	case http.StateClosed, http.StateHijacked:
		l.mu.Lock()
		delete(l.conns, c)
		l.mu.Unlock()
	}
}

// isLoopback reports whether addr is a loopback IP address.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// addr returns the bound address, or nil before [listener.listen].
func (l *listener) addr() *net.TCPAddr {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return nil
	}
	return l.ln.Addr().(*net.TCPAddr)
}

// serve answers requests until the http.Server shuts down, following the
// listener across [listener.setLAN] switches; see [Server.Serve].
func (l *listener) serve() error {
	for {
		l.mu.Lock()
		ln := l.ln
		l.mu.Unlock()
		if ln == nil {
			return errors.New("web: Serve called before Listen")
		}
		err := l.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		l.mu.Lock()
		switched := l.ln != ln
		l.mu.Unlock()
		if !switched {
			return err
		}
	}
}
