package web

import (
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"
)

// hostNamesTTL is how long [hostNames] keeps the machine's names and
// addresses before it reads them again, so that a new DHCP lease or a
// renamed machine is picked up without a restart, while a request pays for
// no system call.
const hostNamesTTL = 10 * time.Second

// hostNames answers whether a request's Host header names this computer,
// which is what makes a loopback request trustworthy. A browser sends the
// name it resolved, so a page on evil.example that rebinds its name to
// 127.0.0.1 (DNS rebinding) reaches the server with Host: evil.example;
// only the names below cannot be rebound by someone else. Safe for
// concurrent use.
type hostNames struct {
	// now is the clock; tests may replace it.
	now func() time.Time

	mu    sync.Mutex
	at    time.Time       // when names was read; zero: never
	names map[string]bool // lower-case host names and canonical IP strings
}

// newHostNames returns a hostNames on the wall clock.
func newHostNames() *hostNames { return &hostNames{now: time.Now} }

// local reports whether host, a Host header value with or without a port,
// names this computer: localhost, a loopback address (127.0.0.1, [::1]),
// the machine's hostname, its short name and that name under .local (the
// name [Server.StartAnnouncing] announces), or one of its own interface
// addresses. Names compare case-insensitively and a trailing dot (the
// fully qualified form) is ignored. An empty Host names nothing.
func (h *hostNames) local(host string) bool {
	name := strings.TrimSuffix(strings.ToLower(stripPort(host)), ".")
	if name == "" {
		return false
	}
	if name == "localhost" {
		return true
	}
	if ip, err := netip.ParseAddr(name); err == nil {
		if ip = ip.Unmap().WithZone(""); ip.IsLoopback() {
			return true
		}
		name = ip.String()
	}
	return h.current()[name]
}

// stripPort returns host without its ":port", and an IPv6 literal without
// its brackets ("[::1]:8080" → "::1").
func stripPort(host string) string {
	if strings.HasPrefix(host, "[") {
		if end := strings.IndexByte(host, ']'); end > 0 {
			return host[1:end]
		}
		return host
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.IndexByte(host[:i], ':') < 0 {
		return host[:i]
	}
	return host
}

// current returns the cached names, reading them again when older than
// [hostNamesTTL].
func (h *hostNames) current() map[string]bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if h.names == nil || now.Sub(h.at) >= hostNamesTTL || now.Before(h.at) {
		h.names, h.at = readHostNames(), now
	}
	return h.names
}

// readHostNames returns the machine's host names (full, short and short +
// ".local") and the canonical strings of its interface addresses. Errors
// leave out what could not be read: a name missing here only means that
// the key is asked for.
func readHostNames() map[string]bool {
	names := map[string]bool{}
	if hn, err := os.Hostname(); err == nil && hn != "" {
		hn = strings.TrimSuffix(strings.ToLower(hn), ".")
		short, _, _ := strings.Cut(hn, ".")
		names[hn], names[short], names[short+".local"] = true, true, true
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(ipn.IP); ok {
				names[ip.Unmap().String()] = true
			}
		}
	}
	return names
}
