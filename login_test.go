package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"earshot/autostart/autostarttest"
)

// TestStartAtLogin checks Earshot's own entry: named after the app ID, it
// runs this executable with -login, passes desktop-file-validate, and the
// real binary accepts -login.
func TestStartAtLogin(t *testing.T) {
	cfgHome := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfgHome)
	t.Setenv("XDG_CONFIG_DIRS", t.TempDir()) // no system entries
	item, err := startAtLogin()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ = filepath.EvalSymlinks(exe)
	if want := []string{exe, "-login"}; !slices.Equal(item.Entry.Exec, want) {
		t.Errorf("Exec = %q, want %q", item.Entry.Exec, want)
	}
	if err := item.Enable(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfgHome, "autostart", appID+".desktop")
	autostarttest.ValidateDesktop(t, path)
	if on, err := item.Enabled(); !on || err != nil {
		t.Errorf("Enabled() = %v, %v after Enable, want true", on, err)
	}

	out, err := exec.Command(binary, "-login", "-version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "earshot ") {
		t.Errorf("earshot -login -version: %v\n%s", err, out)
	}
}

// TestDesktopLogin checks "launched at login, Earshot starts in the tray
// without a window" on the tray desktop of [TestDesktopApp]: started with
// -login it serves and its tray icon registers while no window opens; a
// later launch shows the window; Quit in the tray ends it.
func TestDesktopLogin(t *testing.T) {
	d := newDesktop(t)
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	first := startProcess(t, d.env, binary, "-login", "-listen", "127.0.0.1:"+port, "-mdns=false")
	d.waitFor(t, "the tray icon and the server", func() bool {
		return len(d.trayIcons(t)) == 1 && statusCode(base) == http.StatusOK
	})
	if d.showing(t, "Earshot") {
		t.Fatalf("launched with -login and a tray, the window opened: %q", d.windows(t))
	}

	second := exec.Command(binary, "-listen", "127.0.0.1:"+freePort(t), "-mdns=false")
	second.Env = d.env
	if out, err := second.CombinedOutput(); err != nil || !strings.Contains(string(out), "already running") {
		t.Errorf("second launch: %v: %s; want exit 0 saying Earshot runs", err, out)
	}
	d.waitFor(t, "the window the second launch asked for", func() bool { return d.showing(t, "Earshot") })

	d.clickTray(t, "Quit")
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("Quit in the tray did not end the process within 10 s")
	}
}

// TestDesktopLoginBeforeTray launches earshot -login on a desktop whose
// tray comes up later, as when a session starts autostart entries before
// its panel: Earshot serves at once, opens no window while it waits, and
// puts its icon in the tray when the tray comes.
func TestDesktopLoginBeforeTray(t *testing.T) {
	d := startDesktop(t, false)
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	first := startProcess(t, d.env, binary, "-login", "-listen", "127.0.0.1:"+port, "-mdns=false")
	d.waitFor(t, "the server", func() bool { return statusCode(base) == http.StatusOK })
	// The tray comes only once Earshot has looked for one and waits.
	logFile := filepath.Join(d.home, ".cache", "earshot", "logs", "earshot.log")
	d.waitFor(t, "Earshot to wait for a tray", func() bool {
		logged, _ := os.ReadFile(logFile)
		return strings.Contains(string(logged), "waiting for one")
	})
	if d.showing(t, "Earshot") {
		t.Fatalf("launched with -login before the tray, the window opened: %q", d.windows(t))
	}
	d.startTray(t)
	d.waitFor(t, "the tray icon", func() bool { return len(d.trayIcons(t)) == 1 })
	if d.showing(t, "Earshot") {
		t.Fatalf("the window opened when the tray came: %q", d.windows(t))
	}
	d.clickTray(t, "Quit")
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("Quit in the tray did not end the process within 10 s")
	}
}

// trayIcons returns the tray icons registered with the desktop's watcher.
func (d *desktop) trayIcons(t *testing.T) []string {
	conn, err := dbus.Connect(d.bus)
	if err != nil {
		return nil
	}
	defer conn.Close()
	v, err := conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher").GetProperty("org.kde.StatusNotifierWatcher.RegisteredStatusNotifierItems")
	if err != nil {
		return nil
	}
	items, _ := v.Value().([]string)
	return items
}
