package web

import (
	"net"
	"slices"
	"strings"
)

// virtualPrefixes name interfaces that are bridges or tunnels rather than the
// machine's Wi-Fi or Ethernet; their addresses are listed last.
var virtualPrefixes = []string{"docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "wg", "zt", "tailscale", "lxc", "cni", "flannel"}

// lanAddresses returns the IPv4 addresses of the machine's up, non-loopback
// interfaces, excluding link-local ones, physical interfaces first.
func lanAddresses() []string {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil
	}
	type entry struct {
		ip      string
		virtual bool
	}
	var out []entry
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
			out = append(out, entry{ipn.IP.String(), virtual})
		}
	}
	slices.SortStableFunc(out, func(a, b entry) int {
		switch {
		case a.virtual == b.virtual:
			return 0
		case b.virtual:
			return -1
		}
		return 1
	})
	ips := make([]string, len(out))
	for i, e := range out {
		ips[i] = e.ip
	}
	return ips
}
