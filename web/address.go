package web

import (
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Address is one base URL the server can be opened at.
type Address struct {
	// URL is the base URL, "http://<host>:<port>" with no trailing slash
	// (an IPv6 host in brackets), e.g. "http://192.168.1.20:8780". Append
	// a path, or pass it to [Server.PairingURL].
	URL string
	// Host is URL's host as people read it, without brackets or port:
	// "192.168.1.20", "127.0.0.1", "::1".
	Host string
	// Loopback reports whether URL works only on this computer
	// (http://127.0.0.1:<port>): other devices must use a LAN address.
	Loopback bool
	// Interface names the network interface the address belongs to, such
	// as "eth0", "wlan0" or "en0"; "" for the loopback address and for a
	// server bound to one address given by the caller.
	Interface string
	// Virtual reports whether Interface is a bridge or tunnel (Docker, a
	// VPN; see [virtualPrefixes]) rather than the machine's Wi-Fi or
	// Ethernet, so that a phone most likely cannot reach it.
	Virtual bool
}

// virtualPrefixes name interfaces that are bridges or tunnels rather than the
// machine's Wi-Fi or Ethernet; their addresses are listed last.
var virtualPrefixes = []string{"docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "wg", "zt", "tailscale", "lxc", "cni", "flannel"}

// lanAddr is one IPv4 address of an up, non-loopback interface.
type lanAddr struct {
	ip      netip.Addr
	iface   string
	virtual bool
}

// lanAddresses returns the IPv4 addresses of the machine's up, non-loopback
// interfaces, excluding link-local ones, physical interfaces first.
func lanAddresses() []lanAddr {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []lanAddr
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		virtual := slices.ContainsFunc(virtualPrefixes, func(p string) bool { return strings.HasPrefix(ifc.Name, p) })
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.To4() == nil || ipn.IP.IsLinkLocalUnicast() || ipn.IP.IsLoopback() {
				continue
			}
			ip, _ := netip.AddrFromSlice(ipn.IP.To4())
			out = append(out, lanAddr{ip, ifc.Name, virtual})
		}
	}
	slices.SortStableFunc(out, func(a, b lanAddr) int {
		switch {
		case a.virtual == b.virtual:
			return 0
		case b.virtual:
			return -1
		}
		return 1
	})
	return out
}

// Addresses returns the base URLs people can open, nil before
// [Server.Listen]. A server bound to one address has that one. A server
// bound to all interfaces has the loopback URL (Loopback set) and one per
// LAN IPv4 address, physical interfaces before virtual ones; callers pick
// by the fields, not by position.
func (s *Server) Addresses() []Address {
	tcp := s.lis.addr()
	if tcp == nil {
		return nil
	}
	port := strconv.Itoa(tcp.Port)
	base := func(ip string) string { return "http://" + net.JoinHostPort(ip, port) }
	if !tcp.IP.IsUnspecified() {
		ip := tcp.IP.String()
		return []Address{{URL: base(ip), Host: ip, Loopback: tcp.IP.IsLoopback()}}
	}
	out := []Address{{URL: base("127.0.0.1"), Host: "127.0.0.1", Loopback: true}}
	for _, a := range lanAddresses() {
		ip := a.ip.String()
		out = append(out, Address{URL: base(ip), Host: ip, Interface: a.iface, Virtual: a.virtual})
	}
	return out
}
