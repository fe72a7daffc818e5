package web

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"net/netip"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// User-Agent headers of real browsers and players.
const (
	uaIPhoneSafari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	uaIPhoneChrome  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1"
	uaIPhoneFirefox = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/124.0 Mobile/15E148 Safari/605.1.15"
	uaIPad          = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
	uaAndroidChrome = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
	uaSamsung       = "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36"
	uaAndroidFF     = "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0"
	uaLinuxFirefox  = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
	uaUbuntuFF      = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
	uaWindowsEdge   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
	uaWindowsChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
	uaMacSafari     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"
	uaMacOpera      = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0"
	uaChromeOS      = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
	uaVLC           = "VLC/3.0.20 LibVLC/3.0.20"
	uaMPV           = "mpv 0.37.0"
	uaFFmpeg        = "Lavf/60.16.100"
	uaCurl          = "curl/8.5.0"
)

func TestDeviceBrowserName(t *testing.T) {
	tests := []struct{ ua, want string }{
		{uaIPhoneSafari, "Safari on iPhone"},
		{uaIPhoneChrome, "Chrome on iPhone"},
		{uaIPhoneFirefox, "Firefox on iPhone"},
		{uaIPad, "Safari on iPad"},
		{uaAndroidChrome, "Chrome on Android"},
		{uaSamsung, "Samsung Internet on Android"},
		{uaAndroidFF, "Firefox on Android"},
		{uaLinuxFirefox, "Firefox on Linux"},
		{uaUbuntuFF, "Firefox on Linux"},
		{uaWindowsEdge, "Edge on Windows"},
		{uaWindowsChrome, "Chrome on Windows"},
		{uaMacSafari, "Safari on macOS"},
		{uaMacOpera, "Opera on macOS"},
		{uaChromeOS, "Chrome on ChromeOS"},
		{uaVLC, "VLC"},
		{uaMPV, "mpv"},
		{uaFFmpeg, "FFmpeg"},
		{uaCurl, "curl"},
		{"Mozilla/5.0 (X11; Linux x86_64) SomethingNew/1.0", "Browser on Linux"},
		{"Go-http-client/1.1", "Browser"},
		{"", "Browser"},
	}
	for _, tt := range tests {
		if got := browserName(tt.ua); got != tt.want {
			t.Errorf("browserName(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}

// taggedWAV returns a short WAV file whose LIST/INFO chunk names its title
// and artist (INAM, IART).
func taggedWAV(title, artist string) []byte {
	var info bytes.Buffer
	info.WriteString("INFO")
	for _, f := range [][2]string{{"INAM", title}, {"IART", artist}} {
		v := append([]byte(f[1]), 0)
		if len(v)%2 == 1 {
			v = append(v, 0)
		}
		info.WriteString(f[0])
		binary.Write(&info, binary.LittleEndian, uint32(len(v)))
		info.Write(v)
	}
	wav := playertest.WAV(1600)
	out := append(wav, "LIST"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(info.Len()))
	out = append(out, info.Bytes()...)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}

// deviceServer returns a server with key testKey for a library of two
// tracks — one tagged "Blue in Green" by "Miles Davis", one untagged — on
// clock, with the tracks' IDs.
func deviceServer(t *testing.T, clock *fakeClock) (s *Server, tagged, untagged string) {
	t.Helper()
	lib := testLibrary(t, fstest.MapFS{
		"Jazz/blue.wav":  {Data: taggedWAV("Blue in Green", "Miles Davis")},
		"Misc/noise.wav": {Data: playertest.WAV(1600)},
	})
	s = New(lib, Options{Key: testKey})
	s.pairing.limiter.now = clock.now
	s.pairing.devices.now = clock.now
	for _, tr := range lib.Tracks() {
		if tr.Title == "Blue in Green" {
			tagged = tr.ID
		} else {
			untagged = tr.ID
		}
	}
	if tagged == "" || untagged == "" {
		t.Fatalf("library tracks = %+v, want one tagged and one untagged", lib.Tracks())
	}
	return s, tagged, untagged
}

func TestDevicesRecorded(t *testing.T) {
	clock := newClock()
	s, tagged, untagged := deviceServer(t, clock)
	t0 := clock.t
	bearer := http.Header{"Authorization": {"Bearer " + testKey}}
	steps := []struct {
		advance time.Duration
		peer    string
		method  string
		target  string
		ua      string
		auth    bool
	}{
		{0, lanPeer, "GET", "/", uaIPhoneSafari, true},
		{time.Second, lanPeer, "GET", "/api/tracks/" + tagged + "/stream", uaIPhoneSafari, true},
		{time.Second, lanPeer2, "GET", "/api/tracks/" + untagged + "/stream", uaAndroidChrome, true},
		{time.Second, lanPeer2, "GET", "/api/tracks", uaAndroidChrome, true},
		{time.Second, loopPeer, "GET", "/api/tracks/" + tagged + "/stream", uaLinuxFirefox, false},
		// Refused and public requests are not recorded; a HEAD or an
		// unknown track counts as seen but does not change NowPlaying.
		{time.Second, "192.0.2.50:1", "GET", "/api/tracks", uaWindowsEdge, false},
		{0, "192.0.2.51:1", "GET", "/style.css", uaWindowsEdge, false},
		{0, lanPeer2, "GET", "/api/tracks/nosuchtrack/stream", uaAndroidChrome, true},
		{0, lanPeer, "HEAD", "/api/tracks/" + untagged + "/stream", uaIPhoneSafari, true},
	}
	for _, st := range steps {
		clock.advance(st.advance)
		h := http.Header{"User-Agent": {st.ua}}
		if st.auth {
			h["Authorization"] = bearer["Authorization"]
		}
		send(s.Handler(), st.method, st.target, st.peer, h)
	}
	want := []Device{
		{Address: "192.0.2.7", Browser: "Safari on iPhone", LastSeen: t0.Add(5 * time.Second), NowPlaying: "Blue in Green — Miles Davis"},
		{Address: "192.0.2.8", Browser: "Chrome on Android", LastSeen: t0.Add(5 * time.Second), NowPlaying: "noise"},
		{Address: "127.0.0.1", Browser: "Firefox on Linux", LastSeen: t0.Add(4 * time.Second), NowPlaying: "Blue in Green — Miles Davis", ThisComputer: true},
	}
	if got := s.Devices(); !reflect.DeepEqual(got, want) {
		t.Errorf("Devices() =\n%+v\nwant\n%+v", got, want)
	}
}

func TestDevicesForget(t *testing.T) {
	clock := newClock()
	d := newDeviceLog()
	d.now = clock.now
	d.seen(netip.MustParseAddr("192.0.2.1"), uaIPhoneSafari, false)
	clock.advance(time.Hour)
	d.seen(netip.MustParseAddr("192.0.2.2"), uaAndroidChrome, false)
	clock.advance(deviceHorizon - time.Hour)
	got := d.list()
	if len(got) != 1 || got[0].Address != "192.0.2.2" {
		t.Errorf("after 24 h, list() = %+v, want only 192.0.2.2", got)
	}
	// A device seen again comes back, keeping what it last played.
	d.playing(netip.MustParseAddr("192.0.2.1"), player.Track{Title: "Song", Artist: "Band"})
	clock.advance(time.Second)
	d.seen(netip.MustParseAddr("192.0.2.1"), uaIPhoneSafari, false)
	if got := d.list(); len(got) != 2 || got[0].Address != "192.0.2.1" || got[0].NowPlaying != "Song — Band" {
		t.Errorf("list() = %+v, want 192.0.2.1 first, playing Song — Band", got)
	}
}

func TestDevicesBounded(t *testing.T) {
	clock := newClock()
	d := newDeviceLog()
	d.now = clock.now
	for i := range 1000 {
		clock.advance(time.Second)
		d.seen(netip.AddrFrom4([4]byte{10, 0, byte(i / 256), byte(i % 256)}), uaVLC, false)
		if n := len(d.devices); n > maxDevices {
			t.Fatalf("after %d devices the log holds %d, want at most %d", i+1, n, maxDevices)
		}
	}
	got := d.list()
	if len(got) != maxDevices {
		t.Fatalf("list() has %d devices, want %d", len(got), maxDevices)
	}
	// The most recent are kept, newest first.
	if got[0].Address != "10.0.3.231" || got[maxDevices-1].Address != "10.0.2.232" {
		t.Errorf("list() runs from %s to %s, want 10.0.3.231 to 10.0.2.232", got[0].Address, got[maxDevices-1].Address)
	}
}
