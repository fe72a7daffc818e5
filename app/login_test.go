package app

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// fakeLogin is a LoginItem in memory that records its calls and fails
// them with the errors set.
type fakeLogin struct {
	on                         bool
	calls                      []string
	readErr, enableErr, offErr error
}

func (f *fakeLogin) Enabled() (bool, error) {
	f.calls = append(f.calls, "enabled")
	return f.on, f.readErr
}

func (f *fakeLogin) Enable() error {
	f.calls = append(f.calls, "enable")
	if f.enableErr != nil {
		return f.enableErr
	}
	f.on = true
	return nil
}

func (f *fakeLogin) Disable() error {
	f.calls = append(f.calls, "disable")
	if f.offErr != nil {
		return f.offErr
	}
	f.on = false
	return nil
}

func TestLoginCheckHiddenUntilOffered(t *testing.T) {
	ui := newHarness(t, lanServer(), demo).ui
	if ui.login.box.Visible() {
		t.Errorf("start-at-login check shown before OfferStartAtLogin")
	}
	item := &fakeLogin{}
	ui.OfferStartAtLogin(item)
	if !ui.login.box.Visible() || !ui.login.check.Visible() || ui.login.err.Visible() {
		t.Errorf("after OfferStartAtLogin: box %v, check %v, error line %v; want true, true, false",
			ui.login.box.Visible(), ui.login.check.Visible(), ui.login.err.Visible())
	}
	if ui.login.check.Text != "Start Earshot when I log in" {
		t.Errorf("check says %q", ui.login.check.Text)
	}
	// The check comes between the panel's buttons and the devices in the
	// Tab order.
	c := ui.Window().Canvas()
	c.Focus(ui.deviceList)
	test.FocusPrevious(c)
	if c.Focused() != ui.login.check {
		t.Errorf("Shift+Tab from the devices focuses %s, want the start-at-login check", focusName(ui))
	}
	test.FocusPrevious(c)
	if c.Focused() == ui.login.check || c.Focused() == nil {
		t.Errorf("Shift+Tab from the start-at-login check focuses %s, want a control before it", focusName(ui))
	}
}

func TestLoginCheckShowsEnabled(t *testing.T) {
	for _, on := range []bool{false, true} {
		ui := newHarness(t, lanServer(), demo).ui
		item := &fakeLogin{on: on}
		ui.OfferStartAtLogin(item)
		if ui.login.check.Checked != on {
			t.Errorf("entry enabled %v: check ticked %v", on, ui.login.check.Checked)
		}
		if !slices.Equal(item.calls, []string{"enabled"}) {
			t.Errorf("entry enabled %v: calls %v on offering, want [enabled]", on, item.calls)
		}
	}
}

func TestLoginCheckTicks(t *testing.T) {
	ui := newHarness(t, lanServer(), demo).ui
	item := &fakeLogin{}
	ui.OfferStartAtLogin(item)
	test.Tap(ui.login.check)
	if !item.on || !ui.login.check.Checked || ui.login.err.Visible() {
		t.Errorf("after ticking: entry on %v, check %v, error line shown %v; want true, true, false",
			item.on, ui.login.check.Checked, ui.login.err.Visible())
	}
	test.Tap(ui.login.check)
	if item.on || ui.login.check.Checked {
		t.Errorf("after unticking: entry on %v, check %v; want false, false", item.on, ui.login.check.Checked)
	}
	if want := []string{"enabled", "enable", "disable"}; !slices.Equal(item.calls, want) {
		t.Errorf("calls %v, want %v", item.calls, want)
	}
}

func TestLoginCheckErrors(t *testing.T) {
	ui := newHarness(t, lanServer(), demo).ui
	item := &fakeLogin{enableErr: errors.New("permission denied")}
	ui.OfferStartAtLogin(item)

	test.Tap(ui.login.check)
	if ui.login.check.Checked || item.on {
		t.Errorf("after a failed Enable: check %v, entry on %v; want both false", ui.login.check.Checked, item.on)
	}
	wantErrorLine(t, ui, "Couldn't make Earshot start at login: permission denied")

	item.enableErr = nil
	test.Tap(ui.login.check)
	if !ui.login.check.Checked || ui.login.err.Visible() {
		t.Errorf("after Enable worked: check %v, error line shown %v (%q); want true, false",
			ui.login.check.Checked, ui.login.err.Visible(), ui.login.err.Text)
	}

	item.offErr = errors.New("read-only file system")
	test.Tap(ui.login.check)
	if !ui.login.check.Checked || !item.on {
		t.Errorf("after a failed Disable: check %v, entry on %v; want both true", ui.login.check.Checked, item.on)
	}
	wantErrorLine(t, ui, "Couldn't stop Earshot starting at login: read-only file system")

	// When the entry cannot be read either, the check goes back to
	// where it was before the tap.
	item.readErr = errors.New("I/O error")
	test.Tap(ui.login.check)
	if !ui.login.check.Checked {
		t.Errorf("after a failed Disable with an unreadable entry: check unticked, want ticked as before")
	}
}

func TestLoginCheckUnreadable(t *testing.T) {
	ui := newHarness(t, lanServer(), demo).ui
	ui.OfferStartAtLogin(&fakeLogin{on: true, readErr: errors.New("permission denied")})
	if ui.login.check.Checked {
		t.Errorf("check ticked for an entry that cannot be read")
	}
	wantErrorLine(t, ui, "Can't tell whether Earshot starts at login: permission denied")
}

// wantErrorLine fails t unless the line under the check shows want.
func wantErrorLine(t *testing.T, ui *UI, want string) {
	t.Helper()
	if !ui.login.err.Visible() || !strings.Contains(ui.login.err.Text, want) {
		t.Errorf("error line shown %v with %q, want %q", ui.login.err.Visible(), ui.login.err.Text, want)
	}
}

func TestShowsAtStart(t *testing.T) {
	tests := []struct {
		atLogin, tray, want bool
	}{
		{false, false, true},
		{false, true, true},
		{true, false, true}, // no tray: the window is the only way in
		{true, true, false},
	}
	for _, tc := range tests {
		ui := newHarness(t, lanServer(), demo).ui
		ui.SetTray(Tray{Available: tc.tray})
		if got := ui.showsAtStart(tc.atLogin); got != tc.want {
			t.Errorf("at login %v, tray %v: shows the window %v, want %v", tc.atLogin, tc.tray, got, tc.want)
		}
	}
}
