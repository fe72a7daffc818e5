package app

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"earshot/player"
)

func TestUploadsCheck(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr)
	h := newHarness(t, srv, demo)
	ui := h.ui
	if ui.uploadsCheck.Text != "Allow uploads from other devices" {
		t.Errorf("uploads check says %q", ui.uploadsCheck.Text)
	}
	if ui.uploadsCheck.Checked {
		t.Fatalf("uploads check on for a server that refuses uploads from other devices")
	}
	if len(srv.setUploads) != 0 {
		t.Errorf("SetUploadsFromLAN called %v before any tap", srv.setUploads)
	}

	test.Tap(ui.uploadsCheck)
	if !slices.Equal(srv.setUploads, []bool{true}) || !srv.UploadsFromLAN() {
		t.Errorf("SetUploadsFromLAN calls = %v, want [true]", srv.setUploads)
	}
	if !h.app.Preferences().Bool(PrefUploadsFromLAN) {
		t.Errorf("preference %q not set after checking", PrefUploadsFromLAN)
	}
	if got := LoadSettings(h.app.Preferences(), func() string { return "k" }); !got.UploadsFromLAN {
		t.Errorf("LoadSettings after checking = %+v, want UploadsFromLAN", got)
	}

	test.Tap(ui.uploadsCheck)
	if !slices.Equal(srv.setUploads, []bool{true, false}) || srv.UploadsFromLAN() {
		t.Errorf("SetUploadsFromLAN calls = %v, want [true false]", srv.setUploads)
	}
	if h.app.Preferences().BoolWithFallback(PrefUploadsFromLAN, true) {
		t.Errorf("preference %q still set after unchecking", PrefUploadsFromLAN)
	}
}

// TestUploadsCheckShowsServer checks that the switch shows what the
// server does (main applies the preference to it before the window opens).
func TestUploadsCheckShowsServer(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr)
	srv.uploads = true
	ui := newUI(test.NewTempApp(t), player.New(player.Options{}), srv, demo, hooks{tick: make(chan time.Time)})
	t.Cleanup(ui.Window().Close)
	if !ui.uploadsCheck.Checked {
		t.Errorf("uploads check off for a server that allows uploads from other devices")
	}
	if len(srv.setUploads) != 0 {
		t.Errorf("SetUploadsFromLAN called %v by opening the window", srv.setUploads)
	}
}
