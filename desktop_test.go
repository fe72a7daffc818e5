package main

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// desktop is a display with a session bus, a window manager and a tray
// host, for the window's tests: Xvfb, dbus-daemon, matchbox (so that
// wmctrl can close a window as its close button does), and Debian's
// status-notifier-watcher with gtk-sni-tray-standalone showing the icons.
type desktop struct {
	env  []string // DISPLAY, DBUS_SESSION_BUS_ADDRESS, a fresh HOME and XDG_RUNTIME_DIR
	bus  string
	home string
}

// startProcess starts name with args in env and kills it when t ends.
func startProcess(t *testing.T, env []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// firstLine starts name with args and returns the first line it writes on
// the pipe given to it as file descriptor 3 (Xvfb -displayfd,
// dbus-daemon --print-address).
func firstLine(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = env
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		t.Fatalf("%s wrote no line: %v", name, err)
	}
	return strings.TrimSpace(line)
}

// newDesktop starts the desktop with its tray.
func newDesktop(t *testing.T) *desktop {
	t.Helper()
	return startDesktop(t, true)
}

// startDesktop starts the desktop, with its tray when withTray. It needs
// the packages `make test` installs (xvfb, dbus, matchbox-window-manager,
// wmctrl, haskell-status-notifier-item-utils, haskell-gtk-sni-tray-utils).
func startDesktop(t *testing.T, withTray bool) *desktop {
	t.Helper()
	home := t.TempDir()
	run := filepath.Join(home, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_RUNTIME_DIR=" + run, "LANG=en_US.UTF-8"}
	display := firstLine(t, env, "Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	env = append(env, "DISPLAY=:"+display)
	bus := firstLine(t, env, "dbus-daemon", "--session", "--nofork", "--print-address=3")
	env = append(env, "DBUS_SESSION_BUS_ADDRESS="+bus)
	d := &desktop{env: env, bus: bus, home: home}
	startProcess(t, env, "matchbox-window-manager", "-use_titlebar", "no")
	if withTray {
		d.startTray(t)
	}
	return d
}

// startTray starts the desktop's tray: the watcher, once it owns its bus
// name, and the host that shows the icons.
func (d *desktop) startTray(t *testing.T) {
	t.Helper()
	startProcess(t, d.env, "status-notifier-watcher")
	d.waitFor(t, "the tray's watcher", func() bool { return d.busNameOwned(t, "org.kde.StatusNotifierWatcher") })
	startProcess(t, d.env, "gtk-sni-tray-standalone", "--bottom")
}

// waitFor polls cond until it holds, failing t after 30 s. The desktop's
// programs give no signal to wait on: their state is read back.
func (d *desktop) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// busNameOwned reports whether name has an owner on the session bus.
func (d *desktop) busNameOwned(t *testing.T, name string) bool {
	conn, err := dbus.Connect(d.bus)
	if err != nil {
		return false
	}
	defer conn.Close()
	var owned bool
	return conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned) == nil && owned
}

// windows returns the titles of the windows the window manager shows.
func (d *desktop) windows(t *testing.T) []string {
	cmd := exec.Command("wmctrl", "-l")
	cmd.Env = d.env
	out, _ := cmd.Output()
	var titles []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) >= 4 {
			titles = append(titles, strings.Join(f[3:], " "))
		}
	}
	return titles
}

// showing reports whether a window titled title is shown.
func (d *desktop) showing(t *testing.T, title string) bool {
	for _, w := range d.windows(t) {
		if w == title {
			return true
		}
	}
	return false
}

// clickTray clicks the tray menu item labelled label of the one icon
// registered with the watcher, as a tray host does: com.canonical.dbusmenu
// GetLayout, then Event(id, "clicked").
func (d *desktop) clickTray(t *testing.T, label string) {
	t.Helper()
	conn, err := dbus.Connect(d.bus)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	v, err := conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher").GetProperty("org.kde.StatusNotifierWatcher.RegisteredStatusNotifierItems")
	items, _ := v.Value().([]string)
	if err != nil || len(items) != 1 {
		t.Fatalf("tray icons registered: %v (%v), want one", items, err)
	}
	// An entry is "service/path", or the service alone for the default
	// path (Fyne's tray registers that way).
	service, path, ok := strings.Cut(items[0], "/")
	if !ok {
		path = "StatusNotifierItem"
	}
	item := conn.Object(service, dbus.ObjectPath("/"+path))
	mv, err := item.GetProperty("org.kde.StatusNotifierItem.Menu")
	if err != nil {
		t.Fatalf("the icon %q has no menu: %v", items[0], err)
	}
	menu := conn.Object(service, mv.Value().(dbus.ObjectPath))
	var revision uint32
	var layout struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	if err := menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&revision, &layout); err != nil {
		t.Fatalf("GetLayout: %v", err)
	}
	var labels []string
	for _, c := range layout.Children {
		child, ok := c.Value().([]any)
		if !ok || len(child) < 2 {
			continue
		}
		id, _ := child[0].(int32)
		props, _ := child[1].(map[string]dbus.Variant)
		l, _ := props["label"].Value().(string)
		labels = append(labels, l)
		if l == label {
			call := menu.Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
			if call.Err != nil {
				t.Fatalf("click %q: %v", label, call.Err)
			}
			return
		}
	}
	t.Fatalf("tray menu %q has no %q", labels, label)
}

// statusCode answers GET /api/status at base's status code, 0 when nothing
// answers.
func statusCode(base string) int {
	res, err := http.Get(base + "/api/status")
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// TestDesktopApp is the desktop check on a fresh HOME with a tray
// host: the window opens and serves; closing it hides it and the server
// keeps answering; a second launch exits 0 within a second and shows the
// first one's window again, leaving one process on one port; the tray's
// Quit ends the process and frees the port. The log went to the user
// cache folder.
func TestDesktopApp(t *testing.T) {
	d := newDesktop(t)
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	first := startProcess(t, d.env, binary, "-listen", "127.0.0.1:"+port, "-mdns=false")
	d.waitFor(t, "the window", func() bool { return d.showing(t, "Earshot") && statusCode(base) == http.StatusOK })

	// The close button, as the window manager sends it (WM_DELETE_WINDOW).
	// It is sent again until the window hides: a window manager that is
	// still setting the window up may drop it.
	closes := 0
	d.waitFor(t, "the window to hide", func() bool {
		if !d.showing(t, "Earshot") {
			return true
		}
		closes++
		cmd := exec.Command("wmctrl", "-c", "Earshot")
		cmd.Env = d.env
		cmd.Run()
		return false
	})
	t.Logf("the window hid after %d close requests", closes)
	if got := statusCode(base); got != http.StatusOK {
		t.Fatalf("after closing the window /api/status = %d, want 200", got)
	}

	start := time.Now()
	second := exec.Command(binary, "-listen", "127.0.0.1:"+freePort(t), "-mdns=false")
	second.Env = d.env
	out, err := second.CombinedOutput()
	took := time.Since(start)
	if err != nil || took > time.Second || !strings.Contains(string(out), "already running") {
		t.Errorf("second launch: %v after %v: %s; want exit 0 within 1 s", err, took, out)
	}
	t.Logf("second launch exited in %v", took.Round(time.Millisecond))
	d.waitFor(t, "the hidden window to show again", func() bool { return d.showing(t, "Earshot") })
	if n := strings.Count(strings.Join(d.windows(t), "\n"), "Earshot"); n != 1 {
		t.Errorf("%d Earshot windows, want 1", n)
	}
	if out, err := exec.Command("pgrep", "-c", "-f", binary).Output(); strings.TrimSpace(string(out)) != "1" {
		t.Errorf("pgrep counts %q Earshot processes (%v), want 1", out, err)
	}

	d.waitFor(t, "the tray icon", func() bool { return len(d.trayIcons(t)) == 1 })
	d.clickTray(t, "Quit")
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Errorf("wait: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Quit in the tray did not end the process within 10 s")
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatalf("port %s still taken after Quit: %v", port, err)
	}
	l.Close()
	logged, err := os.ReadFile(filepath.Join(d.home, ".cache", "earshot", "logs", "earshot.log"))
	if err != nil || !strings.Contains(string(logged), "Earshot started") || !strings.Contains(string(logged), "127.0.0.1:"+port) {
		t.Errorf("log file: %v\n%s", err, logged)
	}
}

// TestHeadlessPortTaken checks that headless mode, unlike the window,
// exits 1 when its port is taken, saying so.
func TestHeadlessPortTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cmd := exec.Command(binary, "-headless", "-listen", l.Addr().String(), "-mdns=false", "-key-file", filepath.Join(t.TempDir(), "key"), "-index", "off")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "headless mode does not pick another port") {
		t.Errorf("headless on a taken port: %v: %s", err, out)
	}
}
