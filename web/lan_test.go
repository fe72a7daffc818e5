package web

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hashicorp/mdns"

	"earshot/player/playertest"
)

// The LAN test's own addresses (TEST-NET-2, RFC 5737), which exist only on
// the veth pair it creates between this host and the "phone" namespace.
const (
	hostIP  = "198.51.100.1"
	phoneIP = "198.51.100.2"
)

// mdnsQueryEnv, when set, makes the test binary act as the phone's mDNS
// browser (see TestMain): it queries on the named interface and prints
// each instance found as "name port".
const mdnsQueryEnv = "EARSHOT_MDNS_QUERY_IFACE"

// phoneNet is a network namespace joined to the host by a veth pair.
type phoneNet struct {
	ns, hostIf, phoneIf string
}

// newPhoneNet creates the namespace and link, removed when the test ends.
// It needs root and iproute2; CI runs as root and `make test` installs
// iproute2, so there it always runs.
func newPhoneNet(t *testing.T) *phoneNet {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the LAN test needs root to create network namespaces")
		}
		t.Skip("needs root to create network namespaces (CI runs it as root)")
	}
	id := strconv.Itoa(os.Getpid() % 100000)
	p := &phoneNet{ns: "earshot-phone-" + id, hostIf: "esh" + id, phoneIf: "esp" + id}
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", p.ns)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", p.ns).Run() })
	ip("link", "add", p.hostIf, "type", "veth", "peer", "name", p.phoneIf)
	t.Cleanup(func() { exec.Command("ip", "link", "del", p.hostIf).Run() })
	ip("link", "set", p.phoneIf, "netns", p.ns)
	ip("addr", "add", hostIP+"/24", "dev", p.hostIf)
	ip("link", "set", p.hostIf, "up")
	ip("-n", p.ns, "addr", "add", phoneIP+"/24", "dev", p.phoneIf)
	ip("-n", p.ns, "link", "set", p.phoneIf, "up")
	ip("-n", p.ns, "link", "set", "lo", "up")
	// The phone's only network is the veth: multicast (mDNS) goes there too.
	ip("-n", p.ns, "route", "add", "224.0.0.0/4", "dev", p.phoneIf)
	return p
}

// curl runs curl inside the phone namespace and returns its output (the
// body, then the status code written by -w) and exit code.
func (p *phoneNet) curl(t *testing.T, args ...string) (string, int) {
	t.Helper()
	all := append([]string{"netns", "exec", p.ns, "curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}"}, args...)
	out, err := exec.Command("ip", all...).Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("curl: %v", err)
	}
	return string(out), 0
}

// status splits curl output into body and HTTP status code.
func status(t *testing.T, out string) (string, int) {
	t.Helper()
	i := strings.LastIndexByte(out, '\n')
	code, err := strconv.Atoi(out[i+1:])
	if err != nil {
		t.Fatalf("curl output %q has no status code", out)
	}
	return out[:i], code
}

// TestLANPhone is the phone on the Wi-Fi: from a separate network namespace
// it must be refused without the key, stream after pairing, be refused
// again after the key is reset, find the server by mDNS, and be unable to
// connect at all once LAN access is switched off.
func TestLANPhone(t *testing.T) {
	p := newPhoneNet(t)
	lib := testLibrary(t, fstest.MapFS{"Band/Album/song.wav": {Data: playertest.WAV(64000), ModTime: time.Unix(1e9, 0)}})
	srv := New(lib, Options{MDNSInterface: p.hostIf})
	if err := srv.Listen(":0"); err != nil {
		t.Fatal(err)
	}
	if err := srv.StartAnnouncing(); err != nil {
		t.Fatalf("StartAnnouncing: %v", err)
	}
	go srv.Serve()
	t.Cleanup(func() { srv.Shutdown(t.Context()) })
	base := "http://" + hostIP + ":" + portOf(srv)
	id := lib.Tracks()[0].ID
	jar := filepath.Join(t.TempDir(), "cookies")

	steps := []struct {
		name string
		args []string
		want int
	}{
		{"no key", []string{base + "/api/tracks"}, 401},
		{"no key, page", []string{base + "/"}, 401},
		{"no key, stream", []string{base + "/api/tracks/" + id + "/stream"}, 401},
		{"wrong key", []string{base + "/pair?key=wrong"}, 401},
		{"pair", []string{"-c", jar, base + "/pair?key=" + srv.Key()}, 303},
		{"tracks with cookie", []string{"-b", jar, base + "/api/tracks"}, 200},
		{"range with cookie", []string{"-b", jar, "-r", "0-99", base + "/api/tracks/" + id + "/stream"}, 206},
		{"bearer", []string{"-H", "Authorization: Bearer " + srv.Key(), base + "/api/status"}, 200},
	}
	for _, s := range steps {
		out, code := p.curl(t, s.args...)
		if code != 0 {
			t.Fatalf("%s: curl exit %d: %s", s.name, code, out)
		}
		body, got := status(t, out)
		if got != s.want {
			t.Errorf("%s: status %d, want %d (%.200s)", s.name, got, s.want, body)
		}
		if s.name == "range with cookie" && len(body) != 100 {
			t.Errorf("range: %d bytes, want 100", len(body))
		}
	}

	// A Subsonic app on the phone: refused without an app password (the
	// page's key does not open /rest/), served with one.
	ap, err := srv.CreateAppPassword("Phone app")
	if err != nil {
		t.Fatal(err)
	}
	rest := base + "/rest/ping.view?f=json&u=earshot"
	for _, c := range []struct {
		name, url, want string
	}{
		{"no app password", rest, `"status":"failed"`},
		{"page key", rest + "&p=" + url.QueryEscape(srv.Key()), `"status":"failed"`},
		{"app password", rest + "&p=" + url.QueryEscape(ap.Password), `"status":"ok"`},
	} {
		out, code := p.curl(t, c.url)
		if body, got := status(t, out); code != 0 || got != 200 || !strings.Contains(body, c.want) {
			t.Errorf("/rest/ping from the phone, %s: %d (curl exit %d) %.200s; want 200 with %s", c.name, got, code, body, c.want)
		}
	}

	// mDNS: the phone's browser finds "Earshot on <host>" at our port.
	out, err := exec.Command("ip", "netns", "exec", p.ns, "env", mdnsQueryEnv+"="+p.phoneIf, os.Args[0]).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Earshot") || !strings.Contains(string(out), " "+portOf(srv)) {
		t.Errorf("mDNS browse from the phone: %v\n%s", err, out)
	}

	srv.ResetKey()
	for _, args := range [][]string{{"-b", jar, base + "/api/tracks"}, {"-b", jar, "-r", "0-99", base + "/api/tracks/" + id + "/stream"}} {
		out, code := p.curl(t, args...)
		if _, got := status(t, out); code != 0 || got != 401 {
			t.Errorf("after reset, %v: status %d (curl exit %d), want 401", args, got, code)
		}
	}

	if err := srv.SetLAN(false); err != nil {
		t.Fatalf("SetLAN(false): %v", err)
	}
	for _, u := range []string{base + "/api/status", rest + "&p=" + url.QueryEscape(ap.Password)} {
		if out, code := p.curl(t, u); code != 7 { // 7: failed to connect
			t.Errorf("with LAN off, %s: curl exit %d (%q), want 7 (connection refused)", u, code, out)
		}
	}
	if err := srv.SetLAN(true); err != nil {
		t.Fatalf("SetLAN(true): %v", err)
	}
	back, code := p.curl(t, "-H", "Authorization: Bearer "+srv.Key(), base+"/api/status")
	if _, got := status(t, back); code != 0 || got != 200 {
		t.Errorf("LAN back on: status %d (curl exit %d), want 200", got, code)
	}
}

// portOf returns the server's port as text.
func portOf(s *Server) string {
	a := s.Addr().String()
	return a[strings.LastIndexByte(a, ':')+1:]
}

// browseMDNS is the phone side of the mDNS check, run by TestMain in the
// phone namespace: it prints "name port" for each _http._tcp instance.
func browseMDNS(iface string) int {
	ifc, err := net.InterfaceByName(iface)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	entries := make(chan *mdns.ServiceEntry, 16)
	params := mdns.DefaultParams(mdnsService)
	params.Entries, params.Interface, params.DisableIPv6 = entries, ifc, true
	params.Timeout = 3 * time.Second
	if err := mdns.Query(params); err != nil {
		fmt.Println(err)
		return 1
	}
	close(entries)
	for e := range entries {
		fmt.Println(e.Name, e.Port)
	}
	return 0
}
