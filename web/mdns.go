package web

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"sync"

	"github.com/hashicorp/mdns"
)

// mdnsService is the DNS-SD service type Earshot announces (RFC 6763 §7):
// a plain web page, which phones' browsers and "Bonjour" browsers list.
const mdnsService = "_http._tcp"

// announcer runs the multicast DNS responder (RFC 6762, DNS-SD RFC 6763)
// that advertises the server on the LAN while announcing is wanted and LAN
// access is on. Safe for concurrent use.
type announcer struct {
	iface string // Options.MDNSInterface

	mu     sync.Mutex
	wanted bool         // StartAnnouncing was called
	srv    *mdns.Server // the running responder, nil when none
}

// StartAnnouncing advertises the server on the LAN with multicast DNS
// (RFC 6762) and DNS-SD (RFC 6763) as the service "Earshot on <hostname>"
// of type _http._tcp, and answers for <hostname>.local, so that
// http://<hostname>.local:<port> works where the phone supports it. It does
// nothing while LAN access is off, and [Server.SetLAN] starts and stops it.
// It returns why announcing failed (no LAN address, no multicast); callers
// log that and go on — it is never fatal.
func (s *Server) StartAnnouncing() error {
	s.ann.mu.Lock()
	s.ann.wanted = true
	s.ann.mu.Unlock()
	return s.ann.update(s.lis)
}

// update starts the responder when it is wanted, LAN access is on and none
// runs, and stops it when LAN access is off.
func (a *announcer) update(l *listener) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	tcp := l.addr()
	if !l.lan.Load() || tcp == nil {
		a.stopLocked()
		return nil
	}
	if !a.wanted || a.srv != nil {
		return nil
	}
	host, err := os.Hostname()
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	host, _, _ = strings.Cut(host, ".")
	ips, err := a.addresses()
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	if len(ips) == 0 {
		return fmt.Errorf("mdns: no LAN address to announce")
	}
	svc, err := mdns.NewMDNSService("Earshot on "+host, mdnsService, "local.", host+".local.", tcp.Port, ips, []string{"path=/"})
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	cfg := &mdns.Config{Zone: svc, Logger: log.New(io.Discard, "", 0)}
	if a.iface != "" {
		cfg.Iface, _ = net.InterfaceByName(a.iface)
	}
	srv, err := mdns.NewServer(cfg)
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	a.srv = srv
	return nil
}

// stop stops the responder if one runs.
func (a *announcer) stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stopLocked()
}

// stopLocked stops the responder if one runs. a.mu is held.
func (a *announcer) stopLocked() {
	if a.srv != nil {
		a.srv.Shutdown()
		a.srv = nil
	}
}

// addresses returns the IPv4 addresses to announce: those of
// Options.MDNSInterface when set, else every LAN address.
func (a *announcer) addresses() ([]net.IP, error) {
	var ips []net.IP
	if a.iface == "" {
		for _, l := range lanAddresses() {
			ips = append(ips, net.IP(l.ip.AsSlice()))
		}
		return ips, nil
	}
	ifc, err := net.InterfaceByName(a.iface)
	if err != nil {
		return nil, err
	}
	addrs, err := ifc.Addrs()
	if err != nil {
		return nil, err
	}
	for _, ad := range addrs {
		if ipn, ok := ad.(*net.IPNet); ok && ipn.IP.To4() != nil {
			ips = append(ips, ipn.IP)
		}
	}
	return ips, nil
}
