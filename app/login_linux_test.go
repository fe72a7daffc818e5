package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"earshot/autostart"
	"earshot/autostart/autostarttest"
)

// TestLoginCheckWritesEntry ticks the check over the real XDG autostart
// entry in a fresh XDG_CONFIG_HOME: ticking writes an entry that
// desktop-file-validate passes and that runs this executable with -login;
// unticking removes it.
func TestLoginCheckWritesEntry(t *testing.T) {
	cfgHome := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfgHome)
	t.Setenv("XDG_CONFIG_DIRS", t.TempDir()) // no system entries
	exec, err := autostart.Executable("-login")
	if err != nil {
		t.Fatal(err)
	}
	item := autostart.Item{
		Config: autostart.Config{ID: "io.earshot.app"},
		Entry:  autostart.Entry{Name: "Earshot", Comment: "Plays your music in every browser in the house", Icon: "io.earshot.app", Exec: exec},
	}
	path := filepath.Join(cfgHome, "autostart", "io.earshot.app.desktop")

	ui := newHarness(t, lanServer(), demo).ui
	ui.OfferStartAtLogin(item)
	if ui.login.check.Checked {
		t.Fatalf("check ticked with no autostart entry")
	}
	test.Tap(ui.login.check)
	if ui.login.err.Visible() {
		t.Fatalf("ticking failed: %s", ui.login.err.Text)
	}
	autostarttest.ValidateDesktop(t, path)
	data, err := os.ReadFile(path)
	if want := "\nExec=" + exec[0] + " -login\n"; err != nil || !strings.Contains(string(data), want) {
		t.Errorf("entry (%v):\n%s\nwant the line %q", err, data, strings.TrimSpace(want))
	}
	if on, err := item.Enabled(); !on || err != nil {
		t.Errorf("Enabled() after ticking = %v, %v, want true", on, err)
	}

	// A window opened later shows the entry as on.
	again := newHarness(t, lanServer(), demo).ui
	again.OfferStartAtLogin(item)
	if !again.login.check.Checked {
		t.Errorf("a new window's check is unticked while the entry exists")
	}

	test.Tap(ui.login.check)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("entry still there after unticking: %v", err)
	}
	if ui.login.check.Checked || ui.login.err.Visible() {
		t.Errorf("after unticking: check %v, error line %q", ui.login.check.Checked, ui.login.err.Text)
	}
}

// TestLoginCheckWriteFails ticks the check where the entry cannot be
// written (the autostart folder's place is a file): the check stays
// unticked and the window says why.
func TestLoginCheckWriteFails(t *testing.T) {
	cfgHome := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfgHome)
	t.Setenv("XDG_CONFIG_DIRS", t.TempDir())
	if err := os.WriteFile(filepath.Join(cfgHome, "autostart"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	item := autostart.Item{Config: autostart.Config{ID: "io.earshot.app"}, Entry: autostart.Entry{Name: "Earshot", Exec: []string{"/opt/earshot", "-login"}}}
	ui := newHarness(t, lanServer(), demo).ui
	ui.OfferStartAtLogin(item)
	test.Tap(ui.login.check)
	if ui.login.check.Checked {
		t.Errorf("check ticked though the entry could not be written")
	}
	wantErrorLine(t, ui, "Couldn't make Earshot start at login: autostart:")
}
