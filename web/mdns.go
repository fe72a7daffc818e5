package web

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"

	"github.com/hashicorp/mdns"
)

// mdnsService is the DNS-SD service type Earshot announces (RFC 6763 §7):
// a plain web page, which phones' browsers and "Bonjour" browsers list.
const mdnsService = "_http._tcp"

// StartAnnouncing advertises the server on the LAN with multicast DNS
// (RFC 6762) and DNS-SD (RFC 6763) as the service "Earshot on <hostname>"
// of type _http._tcp, and answers for <hostname>.local, so that
// http://<hostname>.local:<port> works where the phone supports it. It does
// nothing while LAN access is off, and [Server.SetLAN] starts and stops it.
// It returns why announcing failed (no LAN address, no multicast); callers
// log that and go on — it is never fatal.
func (s *Server) StartAnnouncing() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.announce = true
	return s.startMDNSLocked()
}

// startMDNSLocked starts the responder if announcing is on, LAN access is
// allowed and none runs. s.mu is held.
func (s *Server) startMDNSLocked() error {
	if !s.announce || !s.lan.Load() || s.mdns != nil || s.ln == nil {
		return nil
	}
	host, err := os.Hostname()
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	host, _, _ = strings.Cut(host, ".")
	ips, err := s.mdnsAddresses()
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	if len(ips) == 0 {
		return fmt.Errorf("mdns: no LAN address to announce")
	}
	port := s.ln.Addr().(*net.TCPAddr).Port
	svc, err := mdns.NewMDNSService("Earshot on "+host, mdnsService, "local.", host+".local.", port, ips, []string{"path=/"})
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	cfg := &mdns.Config{Zone: svc, Logger: log.New(io.Discard, "", 0)}
	if s.mdnsIface != "" {
		cfg.Iface, _ = net.InterfaceByName(s.mdnsIface)
	}
	srv, err := mdns.NewServer(cfg)
	if err != nil {
		return fmt.Errorf("mdns: %w", err)
	}
	s.mdns = srv
	return nil
}

// stopMDNSLocked stops the responder if one runs. s.mu is held.
func (s *Server) stopMDNSLocked() {
	if s.mdns != nil {
		s.mdns.Shutdown()
		s.mdns = nil
	}
}

// mdnsAddresses returns the IPv4 addresses to announce: those of
// Options.MDNSInterface when set, else every LAN address.
func (s *Server) mdnsAddresses() ([]net.IP, error) {
	var ips []net.IP
	if s.mdnsIface == "" {
		for _, a := range lanAddresses() {
			ips = append(ips, net.ParseIP(a))
		}
		return ips, nil
	}
	ifc, err := net.InterfaceByName(s.mdnsIface)
	if err != nil {
		return nil, err
	}
	addrs, err := ifc.Addrs()
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
			ips = append(ips, ipn.IP)
		}
	}
	return ips, nil
}
