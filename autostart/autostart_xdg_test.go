//go:build unix && !darwin

package autostart

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"earshot/autostart/autostarttest"
)

func TestPath(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name, xdg, dir, want string
	}{
		{"XDG_CONFIG_HOME", "/cfg", "", "/cfg/autostart/io.earshot.app.desktop"},
		{"no XDG_CONFIG_HOME", "", "", filepath.Join(home, ".config/autostart/io.earshot.app.desktop")},
		{"relative XDG_CONFIG_HOME", "cfg", "", filepath.Join(home, ".config/autostart/io.earshot.app.desktop")},
		{"Dir", "/cfg", "/elsewhere", "/elsewhere/io.earshot.app.desktop"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HOME", home)
			t.Setenv("XDG_CONFIG_HOME", tc.xdg)
			got, err := Config{ID: "io.earshot.app", Dir: tc.dir}.Path()
			if err != nil || got != tc.want {
				t.Errorf("Path() = %q, %v, want %q", got, err, tc.want)
			}
		})
	}
	for _, id := range []string{"", ".", "..", "a/b", `a\b`} {
		if got, err := (Config{ID: id}).Path(); !errors.Is(err, ErrInvalid) {
			t.Errorf("Config{ID: %q}.Path() = %q, %v, want ErrInvalid", id, got, err)
		}
	}
}

// TestRoundTrip enables, checks and disables an entry in a fresh
// XDG_CONFIG_HOME whose autostart folder does not exist yet.
func TestRoundTrip(t *testing.T) {
	cfgHome := filepath.Join(t.TempDir(), "config")
	t.Setenv("XDG_CONFIG_HOME", cfgHome)
	t.Setenv("XDG_CONFIG_DIRS", t.TempDir()) // no system entries
	c := Config{ID: "io.earshot.app"}
	path := filepath.Join(cfgHome, "autostart", "io.earshot.app.desktop")
	wantEnabled := func(want bool) {
		t.Helper()
		if got, err := c.Enabled(); got != want || err != nil {
			t.Fatalf("Enabled() = %v, %v, want %v", got, err, want)
		}
	}
	wantEnabled(false)

	e := Entry{Name: "Earshot", Comment: "Your music in every browser in the house", Icon: "io.earshot.app",
		Exec: []string{"/home/me/My Apps/earshot", "-login"}}
	if err := c.Enable(e); err != nil {
		t.Fatal(err)
	}
	autostarttest.ValidateDesktop(t, path)
	wantEnabled(true)
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("autostart folder: %v, %v, want mode 0700", fi, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("entry: %v, %v, want mode 0644", fi, err)
	}

	// An entry a session's settings turned off reads as disabled, and
	// Enable turns it on again.
	if err := os.WriteFile(path, []byte("[Desktop Entry]\nType=Application\nName=Earshot\nExec=earshot\nHidden=true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantEnabled(false)
	if err := c.Enable(e); err != nil {
		t.Fatal(err)
	}
	wantEnabled(true)

	if err := c.Disable(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("entry still there after Disable: %v", err)
	}
	wantEnabled(false)
	if err := c.Disable(); err != nil {
		t.Errorf("second Disable() = %v, want nil", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Errorf("autostart folder holds %v after Disable, want nothing (no temporary files)", entries)
	}
}

// TestEnableValidates writes entries whose command lines need every kind
// of quoting and checks each with desktop-file-validate.
func TestEnableValidates(t *testing.T) {
	tests := map[string][]string{
		"spaces":      {"/opt/My Apps/earshot", "-login"},
		"quotes":      {"/opt/earshot", `say "hi"`, "it's"},
		"percent":     {"/opt/50% off/earshot", "100%", "%u"},
		"shell chars": {"/opt/earshot", "$HOME", "`id`", `back\slash`, "a;b|c&d", "(x)", "~", "#1", "*?"},
		"newline":     {"/opt/earshot", "two\nlines", "tab\there"},
		"unicode":     {"/home/josé/Música/earshot", "é ✓"},
		"empty arg":   {"/opt/earshot", ""},
	}
	for name, argv := range tests {
		t.Run(name, func(t *testing.T) {
			c := Config{ID: "io.earshot.app", Dir: t.TempDir()}
			if err := c.Enable(Entry{Name: " Earshot\\ ", Comment: "tab\tand\nnewline", Exec: argv}); err != nil {
				t.Fatal(err)
			}
			path, _ := c.Path()
			autostarttest.ValidateDesktop(t, path)
		})
	}
}

// TestEnableFails checks that an entry that cannot be written is an error
// that leaves what was there.
func TestEnableFails(t *testing.T) {
	dir := t.TempDir()
	c := Config{ID: "io.earshot.app", Dir: dir}
	e := Entry{Name: "Earshot", Exec: []string{"/opt/earshot", "-login"}}
	if err := c.Enable(e); err != nil {
		t.Fatal(err)
	}
	path, _ := c.Path()
	before, _ := os.ReadFile(path)
	if err := c.Enable(Entry{Name: "Earshot", Exec: []string{"/opt/a=b/earshot"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Enable with '=' in the executable = %v, want ErrInvalid", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("entry changed by a failed Enable:\n%s\nwant\n%s", after, before)
	}

	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	blocked := Config{ID: "io.earshot.app", Dir: filepath.Join(file, "autostart")}
	if err := blocked.Enable(e); err == nil {
		t.Errorf("Enable under a file = nil, want an error")
	}
	if got, err := blocked.Enabled(); got || err == nil {
		t.Errorf("Enabled under a file = %v, %v, want false and an error", got, err)
	}
}

// TestGLibReadsExec has GLib (gio launch, as GNOME's session starts
// autostart entries) run an entry whose arguments need every kind of
// quoting, and checks that the program gets exactly those arguments: a
// script writes them, NUL-separated, into a named pipe the test reads.
func TestGLibReadsExec(t *testing.T) {
	gio := lookTool(t, "gio", "libglib2.0-bin")
	dir := t.TempDir()
	fifo := filepath.Join(dir, "argv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "my args.sh")
	body := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > '" + fifo + "'\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	argv := []string{script, "two words", `say "hi"`, "100%", "%u", `back\slash`, "$HOME", "`id`", "it's", "", "a;b|c&d", "é ✓"}
	c := Config{ID: "io.earshot.test", Dir: dir}
	if err := c.Enable(Entry{Name: "Args", Exec: argv}); err != nil {
		t.Fatal(err)
	}
	path, _ := c.Path()
	got := make(chan []byte, 1)
	go func() {
		data, _ := os.ReadFile(fifo) // blocks until the script opens the pipe
		got <- data
	}()
	if out, err := exec.Command(gio, "launch", path).CombinedOutput(); err != nil {
		t.Fatalf("gio launch %s: %v\n%s", path, err, out)
	}
	select {
	case data := <-got:
		args := strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
		if !slices.Equal(args, argv[1:]) {
			t.Errorf("GLib ran the script with %q, want %q", args, argv[1:])
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the script launched by gio did not write its arguments within 30 s")
	}
}

// lookTool returns the path of the command name, from the Debian package
// pkg that make's test dependencies install. Without it the test fails,
// except under -short, which skips.
func lookTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if testing.Short() {
			t.Skipf("%s not installed (%s); skipped under -short", name, pkg)
		}
		t.Fatalf("%s not installed: install %s (make deps-test): %v", name, pkg, err)
	}
	return p
}

// TestSystemEntry checks an entry installed in a system autostart folder
// ($XDG_CONFIG_DIRS): it reads as enabled, Disable hides it with the
// user's own Hidden=true entry (which desktop-file-validate passes),
// Enable replaces that with a full entry, and a system entry that is
// itself hidden reads as disabled. Only the first system folder that has
// the entry counts.
func TestSystemEntry(t *testing.T) {
	root := t.TempDir()
	sys1, sys2 := filepath.Join(root, "sys1"), filepath.Join(root, "sys2")
	t.Setenv("XDG_CONFIG_DIRS", "relative:"+sys1+":"+sys2)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(root, "home"))
	writeEntry := func(dir, extra string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, "autostart"), 0o755); err != nil {
			t.Fatal(err)
		}
		body := "[Desktop Entry]\nType=Application\nName=Earshot\nExec=earshot -login\n" + extra
		if err := os.WriteFile(filepath.Join(dir, "autostart", "io.earshot.app.desktop"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := Config{ID: "io.earshot.app"}
	wantEnabled := func(want bool) {
		t.Helper()
		if got, err := c.Enabled(); got != want || err != nil {
			t.Fatalf("Enabled() = %v, %v, want %v", got, err, want)
		}
	}
	writeEntry(sys2, "")
	wantEnabled(true)
	writeEntry(sys1, "Hidden=true\n") // sys1 comes first and hides it
	wantEnabled(false)
	if err := os.Remove(filepath.Join(sys1, "autostart", "io.earshot.app.desktop")); err != nil {
		t.Fatal(err)
	}
	wantEnabled(true)

	if err := c.Disable(); err != nil {
		t.Fatal(err)
	}
	wantEnabled(false)
	path, _ := c.Path()
	autostarttest.ValidateDesktop(t, path)
	if data, err := os.ReadFile(path); err != nil || !strings.Contains(string(data), "\nHidden=true\n") {
		t.Errorf("user entry after Disable (%v):\n%s\nwant Hidden=true", err, data)
	}

	if err := c.Enable(Entry{Name: "Earshot", Exec: []string{"/opt/earshot", "-login"}}); err != nil {
		t.Fatal(err)
	}
	wantEnabled(true)

	// A Config with its own Dir looks nowhere else.
	if got, err := (Config{ID: "io.earshot.app", Dir: t.TempDir()}).Enabled(); got || err != nil {
		t.Errorf("Enabled() with an empty Dir = %v, %v, want false", got, err)
	}
}

func TestSystemEntries(t *testing.T) {
	tests := map[string][]string{
		"":                   {"/etc/xdg/autostart/x.desktop"},
		"relative":           {"/etc/xdg/autostart/x.desktop"},
		"/a:/b/":             {"/a/autostart/x.desktop", "/b/autostart/x.desktop"},
		"/a::relative:/b":    {"/a/autostart/x.desktop", "/b/autostart/x.desktop"},
		"/usr/share/ubuntu:": {"/usr/share/ubuntu/autostart/x.desktop"},
	}
	for env, want := range tests {
		t.Setenv("XDG_CONFIG_DIRS", env)
		if got := systemEntries("x"); !slices.Equal(got, want) {
			t.Errorf("XDG_CONFIG_DIRS=%q: systemEntries = %q, want %q", env, got, want)
		}
	}
}
