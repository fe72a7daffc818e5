package app

import (
	"net/url"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// trayItem returns the item of menu labelled label, failing t without one.
func trayItem(t *testing.T, menu *fyne.Menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range menu.Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("tray menu has no %q", label)
	return nil
}

// TestTrayMenu checks the tray menu's items and runs each action: Open in
// browser opens this computer's address, Pair a phone… opens the QR
// dialog, Allow other devices switches LAN access as the window's check
// does (and the menu follows), Pause sharing pauses and becomes Resume
// sharing, and Quit stops the window's work.
func TestTrayMenu(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr)
	h := newHarness(t, srv, demo)
	ui := h.ui
	var tips []string
	ui.SetTray(Tray{Available: true, SetTooltip: func(s string) { tips = append(tips, s) }})
	var opened []string
	ui.openURL = func(u *url.URL) error { opened = append(opened, u.String()); return nil }

	menu := ui.trayMenu()
	var labels []string
	for _, it := range menu.Items {
		if !it.IsSeparator {
			labels = append(labels, it.Label)
		}
	}
	want := []string{trayOpen, trayBrowser, trayPair, trayLAN, trayPause, trayQuit}
	if !slices.Equal(labels, want) {
		t.Fatalf("tray menu = %q, want %q", labels, want)
	}
	if !trayItem(t, menu, trayLAN).Checked || !trayItem(t, menu, trayQuit).IsQuit {
		t.Error("Allow other devices should be checked and Quit be the quit item")
	}

	trayItem(t, menu, trayOpen).Action()
	trayItem(t, menu, trayBrowser).Action()
	if !slices.Equal(opened, []string{loopback}) {
		t.Errorf("Open in browser opened %q, want %q", opened, loopback)
	}
	dialogs := len(ui.dialogs)
	trayItem(t, menu, trayPair).Action()
	if len(ui.dialogs) != dialogs+1 {
		t.Error("Pair a phone… showed no dialog")
	}

	trayItem(t, menu, trayLAN).Action()
	if !slices.Equal(srv.setLAN, []bool{false}) || ui.lanCheck.Checked || h.app.Preferences().BoolWithFallback(PrefAllowLAN, true) {
		t.Errorf("Allow other devices: SetLAN calls %v, check %v; want [false], unchecked, remembered", srv.setLAN, ui.lanCheck.Checked)
	}
	if trayItem(t, ui.trayMenu(), trayLAN).Checked {
		t.Error("the menu still shows other devices allowed")
	}

	trayItem(t, menu, trayPause).Action()
	if !srv.Paused() {
		t.Error("Pause sharing did not pause")
	}
	resume := trayItem(t, ui.trayMenu(), trayResume)
	if tips[len(tips)-1] != "Earshot · sharing paused" {
		t.Errorf("tooltip while paused = %q", tips[len(tips)-1])
	}
	resume.Action()
	if srv.Paused() {
		t.Error("Resume sharing did not resume")
	}

	trayItem(t, menu, trayQuit).Action()
	select {
	case <-ui.quit:
	default:
		t.Error("Quit left the window's work running")
	}
}

// TestTrayTooltip counts the devices playing something.
func TestTrayTooltip(t *testing.T) {
	srv := newFakeServer(loopbackAddr, wifiAddr)
	h := newHarness(t, srv, demo)
	var tip string
	h.ui.SetTray(Tray{Available: true, SetTooltip: func(s string) { tip = s }})
	for _, c := range []struct {
		devices []Device
		want    string
	}{
		{nil, "Earshot · no one listening"},
		{[]Device{{Address: "192.168.1.5", NowPlaying: "A"}, {Address: "192.168.1.6"}}, "Earshot · 1 device listening"},
		{[]Device{{Address: "192.168.1.5", NowPlaying: "A"}, {Address: "192.168.1.6", NowPlaying: "B"}}, "Earshot · 2 devices listening"},
	} {
		h.ui.showDevices(c.devices)
		if tip != c.want {
			t.Errorf("%d devices: tooltip %q, want %q", len(c.devices), tip, c.want)
		}
	}
}

// TestCloseToTray closes the window with a tray: it keeps running and says
// so in a notification the first time only. Without a tray closing quits.
func TestCloseToTray(t *testing.T) {
	h := newHarness(t, newFakeServer(loopbackAddr), demo)
	h.ui.SetTray(Tray{Available: true})
	note := fyne.NewNotification("Earshot is still running", "It keeps playing to your devices. Quit it from its icon in the tray.")
	test.AssertNotificationSent(t, note, h.ui.closeWindow)
	test.AssertNotificationSent(t, nil, h.ui.closeWindow)
	select {
	case <-h.ui.quit:
		t.Fatal("closing the window with a tray stopped the app")
	default:
	}

	h2 := newHarness(t, newFakeServer(loopbackAddr), demo)
	h2.ui.SetTray(Tray{})
	h2.ui.closeWindow()
	select {
	case <-h2.ui.quit:
	default:
		t.Error("closing the window without a tray did not quit")
	}
}
