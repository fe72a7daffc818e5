package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"earshot/autostart/autostarttest"
)

// TestStartAtLogin checks Earshot's own entry: named after the app ID, it
// runs this executable with -login, passes desktop-file-validate, and the
// real binary accepts -login.
func TestStartAtLogin(t *testing.T) {
	cfgHome := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfgHome)
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
