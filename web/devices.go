package web

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"earshot/player"
)

// Device log limits: [Server.Devices] lists devices seen within
// deviceHorizon, and at most maxDevices are remembered (the one seen least
// recently is dropped first).
const (
	deviceHorizon = 24 * time.Hour
	maxDevices    = 256
)

// Device is a browser or player that used the server recently, one per IP
// address.
type Device struct {
	// Address is the device's IP address as the server saw it (the TCP
	// peer, never X-Forwarded-For), e.g. "192.168.1.23" or "::1".
	Address string
	// Browser describes its User-Agent briefly, e.g. "Safari on iPhone",
	// "Chrome on Android", "VLC"; "Browser" when not recognised.
	Browser string
	// LastSeen is when its most recent authorised request arrived.
	LastSeen time.Time
	// NowPlaying is the last track it streamed, as "Title — Artist" (just
	// "Title" when the artist is unknown); "" when it has streamed nothing.
	NowPlaying string
	// ThisComputer reports whether it connected over loopback, that is from
	// the computer Earshot runs on.
	ThisComputer bool
}

// deviceLog remembers the devices behind authorised requests, keyed by IP
// address. Safe for concurrent use.
type deviceLog struct {
	// now is the clock; tests replace it.
	now func() time.Time

	mu      sync.Mutex
	devices map[netip.Addr]*deviceEntry
}

// deviceEntry is one device, the User-Agent its Browser was derived from
// and the ID of the track it plays, so that a device's next request, which
// sends the same ones, parses and builds nothing again.
type deviceEntry struct {
	Device
	userAgent string
	playingID string // the ID of the NowPlaying track
}

// newDeviceLog returns an empty log on the wall clock.
func newDeviceLog() *deviceLog {
	return &deviceLog{now: time.Now, devices: map[netip.Addr]*deviceEntry{}}
}

// seen records a request from the device at addr (the invalid Addr for a
// peer whose address could not be read, listed as "unknown") with the
// given User-Agent.
func (d *deviceLog) seen(addr netip.Addr, userAgent string, thisComputer bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.touch(addr, userAgent, thisComputer)
}

// playing records that the device at addr is streaming t. It also counts
// as a request (see [deviceLog.seen]) when addr has not been seen.
func (d *deviceLog) playing(addr netip.Addr, t player.Track) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dev, ok := d.devices[addr]
	if !ok {
		dev = d.touch(addr, "", false)
	}
	if dev.playingID == t.ID && dev.NowPlaying != "" {
		return // a seeking player asks for the same track again and again
	}
	playing := t.Title
	if t.Artist != "" && t.Artist != player.UnknownArtist {
		playing += " — " + t.Artist
	}
	dev.NowPlaying, dev.playingID = playing, t.ID
}

// touch updates or adds the entry for addr, dropping the least recently
// seen device when the log is full, and returns it. d.mu must be held.
func (d *deviceLog) touch(addr netip.Addr, userAgent string, thisComputer bool) *deviceEntry {
	dev, ok := d.devices[addr]
	if !ok {
		if len(d.devices) >= maxDevices {
			var oldest *deviceEntry
			var oldestAddr netip.Addr
			for a, o := range d.devices {
				if oldest == nil || o.LastSeen.Before(oldest.LastSeen) {
					oldest, oldestAddr = o, a
				}
			}
			delete(d.devices, oldestAddr)
		}
		ip := "unknown"
		if addr.IsValid() {
			ip = addr.String()
		}
		dev = &deviceEntry{Device: Device{Address: ip}}
		d.devices[addr] = dev
	}
	dev.LastSeen = d.now()
	dev.ThisComputer = thisComputer
	if (userAgent != "" || dev.Browser == "") && (userAgent != dev.userAgent || dev.Browser == "") {
		dev.Browser, dev.userAgent = browserName(userAgent), userAgent
	}
	return dev
}

// list returns copies of the devices seen within [deviceHorizon], the most
// recently seen first (ties by address, so the order is stable).
func (d *deviceLog) list() []Device {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	var out []Device
	for _, dev := range d.devices {
		if now.Sub(dev.LastSeen) < deviceHorizon {
			out = append(out, dev.Device)
		}
	}
	slices.SortFunc(out, func(a, b Device) int {
		if c := b.LastSeen.Compare(a.LastSeen); c != 0 {
			return c
		}
		return cmp.Compare(a.Address, b.Address)
	})
	return out
}

// Devices returns the devices that made authorised requests within the last
// 24 hours, the most recently seen first, this computer included (with
// ThisComputer set). It holds at most 256 entries. Resetting the key does
// not clear it.
func (s *Server) Devices() []Device { return s.pairing.devices.list() }

// uaName maps a User-Agent token to a name. The tables are searched in
// order and the first token found wins, so more specific tokens come first
// (Chrome's User-Agent also says Safari; Edge's and Opera's say Chrome).
type uaName struct{ token, name string }

// uaBrowsers recognises browsers and the players that stream from Earshot.
var uaBrowsers = []uaName{
	{"Edg", "Edge"}, // Edg/, EdgA/, EdgiOS/
	{"OPR/", "Opera"}, {"OPiOS/", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
	{"CriOS/", "Chrome"}, {"Chrome/", "Chrome"}, {"Chromium/", "Chromium"},
	{"Safari/", "Safari"},
	{"VLC/", "VLC"}, {"mpv", "mpv"}, {"Lavf/", "FFmpeg"}, {"foobar2000", "foobar2000"},
	{"curl/", "curl"},
}

// uaSystems recognises operating systems. iPadOS asks for desktop sites as
// "Macintosh", so most iPads show as macOS.
var uaSystems = []uaName{
	{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"iPod", "iPod"},
	{"Android", "Android"},
	{"CrOS", "ChromeOS"},
	{"Windows", "Windows"},
	{"Macintosh", "macOS"}, {"Mac OS X", "macOS"},
	{"Linux", "Linux"}, {"X11", "Linux"},
}

// lookup returns the name of the first entry whose token occurs in ua.
func lookup(table []uaName, ua string) string {
	for _, e := range table {
		if strings.Contains(ua, e.token) {
			return e.name
		}
	}
	return ""
}

// browserName returns a short description of a User-Agent header: "Safari
// on iPhone", "Chrome on Android", "Firefox" (system unknown), "Browser on
// Linux" (browser unknown), or "Browser" when neither is recognised.
func browserName(ua string) string {
	b, sys := lookup(uaBrowsers, ua), lookup(uaSystems, ua)
	switch {
	case b == "":
		b = "Browser"
	case b == "curl" || b == "FFmpeg":
		// Command-line tools: the system adds nothing useful.
		return b
	}
	if sys == "" {
		return b
	}
	return b + " on " + sys
}
