package app

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"earshot/player"
)

// fakeServer is a [Server] with fixed addresses that records what the
// window asks of it. The devices ticker calls it from its own goroutine.
type fakeServer struct {
	mu         sync.Mutex
	addrs      []Address // only the loopback ones are served without LAN
	lan        bool
	key        string
	resets     int      // ResetKey calls
	setLAN     []bool   // SetLAN calls
	setLANErr  error    // what SetLAN returns; nil switches
	requireKey []bool   // RequireKeyOnLoopback calls
	devices    []Device // what Devices returns
	uploads    bool     // whether other devices may upload
	setUploads []bool   // SetUploadsFromLAN calls
	paused     bool     // whether sharing is paused
}

// newFakeServer returns a server at addrs that lets other devices connect.
func newFakeServer(addrs ...Address) *fakeServer {
	return &fakeServer{addrs: addrs, lan: true, key: "key0"}
}

func (s *fakeServer) Addresses() []Address {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.lan {
		return slices.DeleteFunc(slices.Clone(s.addrs), func(a Address) bool { return !a.Loopback })
	}
	return slices.Clone(s.addrs)
}

func (s *fakeServer) PairingURL(base string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return base + "/pair?key=" + s.key
}

func (s *fakeServer) ResetKey() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resets++
	s.key = fmt.Sprintf("key%d", s.resets)
	return s.key
}

func (s *fakeServer) LAN() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lan
}

func (s *fakeServer) SetLAN(allow bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setLAN = append(s.setLAN, allow)
	if s.setLANErr != nil {
		return s.setLANErr
	}
	s.lan = allow
	return nil
}

func (s *fakeServer) RequireKeyOnLoopback(require bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requireKey = append(s.requireKey, require)
}

func (s *fakeServer) Devices() []Device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.devices)
}

func (s *fakeServer) UploadsFromLAN() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uploads
}

func (s *fakeServer) SetUploadsFromLAN(allow bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setUploads = append(s.setUploads, allow)
	s.uploads = allow
}

func (s *fakeServer) Paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused
}

func (s *fakeServer) SetPaused(paused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paused = paused
}

func (s *fakeServer) setDevices(d ...Device) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.devices = d
}

const (
	loopback = "http://127.0.0.1:7477"
	wifi     = "http://192.168.1.20:7477"
	ethernet = "http://10.0.0.5:7477"
	docker   = "http://172.17.0.1:7477"
)

// The fake server's addresses, as web.Server.Addresses gives them.
var (
	loopbackAddr = Address{URL: loopback, Host: "127.0.0.1", Loopback: true}
	wifiAddr     = Address{URL: wifi, Host: "192.168.1.20", Interface: "wlan0"}
	ethernetAddr = Address{URL: ethernet, Host: "10.0.0.5", Interface: "eth0"}
	dockerAddr   = Address{URL: docker, Host: "172.17.0.1", Interface: "docker0", Virtual: true}
)

// samePixels reports whether a and b are the same picture.
func samePixels(a, b image.Image) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

// checkQR checks that the panel shows link as its QR code and as its text.
// The QR code is compared with a fresh encoding of link: there is no
// decoder to read it back, and the encoding is deterministic.
func checkQR(t *testing.T, ui *UI, link string) {
	t.Helper()
	if ui.link.Text != link {
		t.Errorf("link = %q, want %q", ui.link.Text, link)
	}
	if !ui.qr.Visible() || ui.qr.Image == nil {
		t.Fatalf("QR code visible %v, image %v; want a visible code", ui.qr.Visible(), ui.qr.Image)
	}
	want, err := qrImage(link, qrSide)
	if err != nil {
		t.Fatal(err)
	}
	if !samePixels(ui.qr.Image, want) {
		t.Errorf("QR code does not encode %q", link)
	}
	if ui.qr.ScaleMode != canvas.ImageScalePixels || ui.qr.FillMode != canvas.ImageFillContain {
		t.Errorf("QR code scale mode %v, fill mode %v; want pixels, contain", ui.qr.ScaleMode, ui.qr.FillMode)
	}
	if s := ui.qr.MinSize(); s.Width < qrSide-20 || s.Width > qrSide+20 || s.Width != s.Height {
		t.Errorf("QR code size = %v, want a square about %d wide", s, qrSide)
	}
}

func TestPairingPanel(t *testing.T) {
	tests := map[string]struct {
		srv        *fakeServer
		wantLink   string // the link shown, copied by Copy link
		wantQR     bool
		wantHint   string
		wantPicker []string // the picker's options; nil when hidden
		wantOpen   string   // what Open in browser opens; "" when disabled
	}{
		"LAN": {
			srv:      newFakeServer(loopbackAddr, wifiAddr),
			wantLink: wifi + "/pair?key=key0", wantQR: true, wantHint: scanHint,
			wantOpen: loopback,
		},
		"several LAN addresses": {
			srv:      newFakeServer(loopbackAddr, wifiAddr, ethernetAddr, dockerAddr),
			wantLink: wifi + "/pair?key=key0", wantQR: true, wantHint: scanHint,
			wantPicker: []string{"192.168.1.20", "10.0.0.5", "172.17.0.1"},
			wantOpen:   loopback,
		},
		"no network": {
			srv:      newFakeServer(loopbackAddr),
			wantLink: loopback, wantHint: noLANHint, wantOpen: loopback,
		},
		"LAN off": {
			srv:      &fakeServer{addrs: []Address{loopbackAddr, wifiAddr}, key: "key0"},
			wantLink: loopback, wantHint: lanOffHint, wantOpen: loopback,
		},
		"one LAN address, no loopback": {
			srv:      newFakeServer(Address{URL: "http://192.168.1.20:8080", Host: "192.168.1.20"}),
			wantLink: "http://192.168.1.20:8080/pair?key=key0", wantQR: true, wantHint: scanHint,
			wantOpen: "http://192.168.1.20:8080/pair?key=key0",
		},
		"not listening": {
			srv:      newFakeServer(),
			wantLink: notServing, wantHint: stoppedHint,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, tc.srv, demo)
			ui := h.ui
			if tc.wantQR {
				checkQR(t, ui, tc.wantLink)
			} else if ui.qr.Visible() || ui.link.Text != tc.wantLink {
				t.Errorf("QR code visible %v, link %q; want no QR code, link %q", ui.qr.Visible(), ui.link.Text, tc.wantLink)
			}
			shown := test.LaidOutObjects(ui.cardBody)
			for _, o := range []fyne.CanvasObject{ui.hint, ui.link, ui.copyButton, ui.openButton} {
				if !slices.Contains(shown, o) {
					t.Errorf("pairing card lacks %#v", o)
				}
			}
			if ui.hint.Text != tc.wantHint {
				t.Errorf("hint = %q, want %q", ui.hint.Text, tc.wantHint)
			}
			if ui.lanCheck.Checked != tc.srv.lan {
				t.Errorf("LAN check = %v, want %v", ui.lanCheck.Checked, tc.srv.lan)
			}
			if tc.wantPicker == nil && ui.addressSelect.Visible() {
				t.Errorf("address picker shown with %q, want it hidden", ui.addressSelect.Options)
			}
			if tc.wantPicker != nil && (!ui.addressSelect.Visible() || !slices.Equal(ui.addressSelect.Options, tc.wantPicker) || ui.addressSelect.SelectedIndex() != 0) {
				t.Errorf("address picker visible %v, options %q, selected %d; want %q, the first selected",
					ui.addressSelect.Visible(), ui.addressSelect.Options, ui.addressSelect.SelectedIndex(), tc.wantPicker)
			}
			if disabled := tc.wantOpen == ""; ui.openButton.Disabled() != disabled || ui.copyButton.Disabled() != disabled {
				t.Errorf("buttons disabled: open %v, copy %v; want %v", ui.openButton.Disabled(), ui.copyButton.Disabled(), disabled)
			}
			if tc.wantOpen == "" {
				return
			}

			var opened []string
			ui.openURL = func(u *url.URL) error {
				opened = append(opened, u.String())
				return nil
			}
			test.Tap(ui.openButton)
			if !slices.Equal(opened, []string{tc.wantOpen}) {
				t.Errorf("Open in browser opened %q, want %q", opened, tc.wantOpen)
			}
			test.Tap(ui.copyButton)
			if got := h.app.Clipboard().Content(); got != tc.wantLink {
				t.Errorf("clipboard after Copy link = %q, want %q", got, tc.wantLink)
			}
			if ui.copyButton.Text != "Copied" {
				t.Errorf("Copy link button says %q after copying, want %q", ui.copyButton.Text, "Copied")
			}
		})
	}
}

func TestAddressPicker(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr, ethernetAddr, dockerAddr)
	h := newHarness(t, srv, demo)
	ui := h.ui
	first := ui.qr.Image
	checkQR(t, ui, srv.PairingURL(wifi))

	ui.addressSelect.SetSelected("10.0.0.5") // as the user's choice does
	checkQR(t, ui, srv.PairingURL(ethernet))
	if samePixels(ui.qr.Image, first) {
		t.Errorf("QR code unchanged after choosing another address")
	}
	test.Tap(ui.copyButton)
	if got := h.app.Clipboard().Content(); got != srv.PairingURL(ethernet) {
		t.Errorf("clipboard = %q, want the chosen address's link %q", got, srv.PairingURL(ethernet))
	}

	// The choice survives a redraw, such as a new key's.
	ui.resetKey()
	checkQR(t, ui, ethernet+"/pair?key=key1")
	if got := ui.addressSelect.Selected; got != "10.0.0.5" {
		t.Errorf("picker shows %q after a reset, want %q", got, "10.0.0.5")
	}
}

// texts returns the text of every label and rich text in o, laid out.
func texts(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range test.LaidOutObjects(o) {
		switch w := obj.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		}
	}
	return out
}

func TestResetKey(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr)
	h := newHarness(t, srv, demo)
	ui := h.ui
	h.app.Preferences().SetString(PrefAccessKey, "key0")
	before := ui.qr.Image

	// Cancelling changes nothing.
	test.Tap(ui.resetButton)
	top := ui.Window().Canvas().Overlays().Top()
	if top == nil || ui.resetDialog == nil {
		t.Fatalf("tapping %q showed no dialog", ui.resetButton.Text)
	}
	if got := texts(top); !slices.Contains(got, resetMessage) {
		t.Errorf("confirmation says %q, want %q", got, resetMessage)
	}
	ui.resetDialog.Dismiss()
	if srv.resets != 0 || ui.Window().Canvas().Overlays().Top() != nil {
		t.Errorf("after Cancel: %d resets, dialog %v; want none, closed", srv.resets, ui.Window().Canvas().Overlays().Top())
	}

	// Confirming resets the key once, stores it, and redraws the code and
	// the devices (paired ones drop off the server's list).
	srv.setDevices(Device{Address: "127.0.0.1", ThisComputer: true, LastSeen: time.Now()})
	test.Tap(ui.resetButton)
	ui.resetDialog.Confirm()
	if srv.resets != 1 {
		t.Errorf("ResetKey called %d times, want 1", srv.resets)
	}
	if got := h.app.Preferences().String(PrefAccessKey); got != "key1" {
		t.Errorf("preference %q = %q, want the new key %q", PrefAccessKey, got, "key1")
	}
	checkQR(t, ui, wifi+"/pair?key=key1")
	if samePixels(ui.qr.Image, before) {
		t.Errorf("QR code unchanged after a reset")
	}
	if got := deviceRows(&ui.deviceList.List); len(got) != 1 || got[0][0] != "This computer" {
		t.Errorf("devices after a reset = %q, want this computer only", got)
	}
}

func TestLANCheck(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr)
	h := newHarness(t, srv, demo)
	ui := h.ui
	if !ui.lanCheck.Checked {
		t.Fatalf("LAN check off for a server that allows LAN")
	}

	test.Tap(ui.lanCheck)
	if !slices.Equal(srv.setLAN, []bool{false}) {
		t.Errorf("SetLAN calls = %v, want [false]", srv.setLAN)
	}
	if got := h.app.Preferences().BoolWithFallback(PrefAllowLAN, true); got {
		t.Errorf("preference %q = %v, want false", PrefAllowLAN, got)
	}
	if ui.qr.Visible() || ui.link.Text != loopback || ui.hint.Text != lanOffHint {
		t.Errorf("LAN off: QR visible %v, link %q, hint %q; want no QR, %q, %q", ui.qr.Visible(), ui.link.Text, ui.hint.Text, loopback, lanOffHint)
	}

	test.Tap(ui.lanCheck)
	if !slices.Equal(srv.setLAN, []bool{false, true}) {
		t.Errorf("SetLAN calls = %v, want [false true]", srv.setLAN)
	}
	if got := h.app.Preferences().BoolWithFallback(PrefAllowLAN, false); !got {
		t.Errorf("preference %q = %v, want true", PrefAllowLAN, got)
	}
	checkQR(t, ui, wifi+"/pair?key=key0")
}

func TestLANCheckError(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr)
	srv.setLANErr = errors.New("listen on 127.0.0.1:7477: address already in use")
	h := newHarness(t, srv, demo)
	ui := h.ui

	test.Tap(ui.lanCheck)
	if !slices.Equal(srv.setLAN, []bool{false}) {
		t.Errorf("SetLAN calls = %v, want [false]", srv.setLAN)
	}
	if !ui.lanCheck.Checked {
		t.Errorf("LAN check stayed off after SetLAN failed")
	}
	top := ui.Window().Canvas().Overlays().Top()
	if top == nil || !slices.ContainsFunc(texts(top), func(s string) bool { return strings.Contains(s, "address already in use") }) {
		t.Errorf("no dialog with the error shown; overlay %v", top)
	}
	if got := h.app.Preferences().String(PrefAllowLAN); got != "" {
		t.Errorf("preference %q set to %q after a failure", PrefAllowLAN, got)
	}
	checkQR(t, ui, wifi+"/pair?key=key0")
}

func TestRequireKeyCheck(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr)
	h := newHarness(t, srv, demo)
	ui := h.ui
	if ui.keyCheck.Checked {
		t.Fatalf("key check on by default")
	}
	var opened []string
	ui.openURL = func(u *url.URL) error {
		opened = append(opened, u.String())
		return nil
	}

	test.Tap(ui.keyCheck)
	if !slices.Equal(srv.requireKey, []bool{true}) {
		t.Errorf("RequireKeyOnLoopback calls = %v, want [true]", srv.requireKey)
	}
	if !h.app.Preferences().Bool(PrefRequireKeyOnLoopback) {
		t.Errorf("preference %q not set", PrefRequireKeyOnLoopback)
	}
	// This computer now needs the key too: Open in browser pairs it.
	test.Tap(ui.openButton)
	test.Tap(ui.keyCheck)
	test.Tap(ui.openButton)
	want := []string{loopback + "/pair?key=key0", loopback}
	if !slices.Equal(opened, want) {
		t.Errorf("Open in browser opened %q, want %q", opened, want)
	}
	if !slices.Equal(srv.requireKey, []bool{true, false}) || h.app.Preferences().Bool(PrefRequireKeyOnLoopback) {
		t.Errorf("after unchecking: calls %v, preference %v; want [true false], false", srv.requireKey, h.app.Preferences().Bool(PrefRequireKeyOnLoopback))
	}
}

func TestRequireKeyCheckFromPreferences(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetBool(PrefRequireKeyOnLoopback, true)
	ui := newUI(a, player.New(player.Options{}), newFakeServer(loopbackAddr, wifiAddr), demo, hooks{tick: make(chan time.Time)})
	t.Cleanup(ui.Window().Close)
	if !ui.keyCheck.Checked {
		t.Errorf("key check off, want it on as the preference says")
	}
}

func TestSplitAddresses(t *testing.T) {
	lo6 := Address{URL: "http://[::1]:1", Host: "::1", Loopback: true}
	tests := []struct {
		in           []Address
		wantLoopback string
		wantLAN      []Address
	}{
		{nil, "", nil},
		{[]Address{loopbackAddr}, loopback, nil},
		{[]Address{loopbackAddr, wifiAddr}, loopback, []Address{wifiAddr}},
		{[]Address{wifiAddr, loopbackAddr, dockerAddr}, loopback, []Address{wifiAddr, dockerAddr}},
		{[]Address{wifiAddr}, "", []Address{wifiAddr}},
		{[]Address{loopbackAddr, lo6}, loopback, nil},
	}
	for _, tc := range tests {
		loop, lan := splitAddresses(tc.in)
		if loop != tc.wantLoopback || !slices.Equal(lan, tc.wantLAN) {
			t.Errorf("splitAddresses(%v) = %q, %v; want %q, %v", tc.in, loop, lan, tc.wantLoopback, tc.wantLAN)
		}
	}
}

func TestQRImage(t *testing.T) {
	link := "http://192.168.100.200:7477/pair?key=" + strings.Repeat("k", 27)
	img, err := qrImage(link, qrSide)
	if err != nil {
		t.Fatal(err)
	}
	side := img.Bounds().Dx()
	if side != img.Bounds().Dy() || side < qrSide-30 || side > qrSide+30 {
		t.Errorf("QR code of %q is %v, want a square about %d wide", link, img.Bounds(), qrSide)
	}
	// Each module is a whole number of pixels, black for a set module, and
	// the border is the white quiet zone.
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	bitmap := q.Bitmap()
	if side%len(bitmap) != 0 {
		t.Fatalf("QR code is %d pixels wide for %d modules, want a whole number of pixels per module", side, len(bitmap))
	}
	scale := side / len(bitmap)
	for y, row := range bitmap {
		for x, set := range row {
			for _, p := range []image.Point{{x * scale, y * scale}, {(x+1)*scale - 1, (y+1)*scale - 1}} {
				if r, _, _, _ := img.At(p.X, p.Y).RGBA(); (r == 0) != set {
					t.Fatalf("pixel %v is %v, want module (%d, %d) set %v", p, img.At(p.X, p.Y), x, y, set)
				}
			}
		}
	}
	if bitmap[0][0] || !bitmap[4][4] {
		t.Errorf("bitmap has no quiet zone")
	}
	if _, err := qrImage(strings.Repeat("x", 5000), qrSide); err == nil {
		t.Errorf("qrImage of 5000 bytes succeeded, want an error")
	}
}

// TestQRCodeScans reads the QR code off the rendered window with zbarimg
// (Debian's zbar-tools, which `make test` installs), as a phone's camera
// would.
func TestQRCodeScans(t *testing.T) {
	zbarimg, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatal("zbarimg not installed (apt-get install zbar-tools, or run make test)")
	}
	srv := newFakeServer(loopbackAddr, wifiAddr, ethernetAddr)
	h := newHarness(t, srv, demo)
	h.ui.addressSelect.SetSelected("10.0.0.5")
	h.ui.Window().Resize(fyne.NewSize(1080, 660))
	file := filepath.Join(t.TempDir(), "window.png")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, h.ui.Window().Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbarimg, "-q", "--raw", file).Output()
	if err != nil {
		t.Fatalf("zbarimg found no code in the window: %v", err)
	}
	if got, want := strings.TrimSpace(string(out)), srv.PairingURL(ethernet); got != want {
		t.Errorf("QR code in the window reads %q, want %q", got, want)
	}
}
