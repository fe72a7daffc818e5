package main

import (
	"bytes"
	"image/png"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// packageID is the application ID that names the launcher, the icon and
// the AppStream file (FyneApp.toml's ID).
const packageID = "io.earshot.app"

// TestPackages builds the packages as a user would, with the Makefile: the
// Linux tar.xz (its launcher and metainfo pass desktop-file-validate and
// appstreamcli), installs it for a user with a fresh HOME, checks that the
// launcher's Exec line runs the installed binary at the version
// `make -s print-version` names, uninstalls it, and cross-builds the
// Windows .exe. The cgo builds take minutes the first time, so it is one
// test, skipped only under -short.
func TestPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the packages with cgo: minutes")
	}
	version := strings.TrimSpace(runCmd(t, nil, "make", "-s", "print-version"))
	if version == "" || version == "dev" {
		t.Fatalf("make -s print-version = %q, want FyneApp.toml's Version", version)
	}
	dist := t.TempDir()
	home := t.TempDir()
	prefix := filepath.Join(home, ".local")

	// A fresh HOME, keeping the real Go caches so that nothing is fetched
	// or compiled twice; xz's fastest level, as the contents are what counts.
	env := []string{"HOME=" + home, "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=", "XZ_OPT=-0"}
	for _, v := range []string{"GOPATH", "GOMODCACHE", "GOCACHE"} {
		env = append(env, v+"="+strings.TrimSpace(runCmd(t, nil, "go", "env", v)))
	}
	runCmd(t, env, "make", "-s", "install", "PKG_DIR="+dist, "PREFIX="+prefix)

	t.Run("linux package", func(t *testing.T) {
		tarball := filepath.Join(dist, "earshot-"+version+"-linux-amd64.tar.xz")
		unpacked := t.TempDir()
		runCmd(t, nil, "tar", "-xJf", tarball, "-C", unpacked)
		checkTree(t, filepath.Join(unpacked, "earshot", "usr", "local"), version)
		for _, f := range []string{"install.sh", "Makefile"} {
			if _, err := os.Stat(filepath.Join(unpacked, "earshot", f)); err != nil {
				t.Errorf("package lacks %s: %v", f, err)
			}
		}
	})

	t.Run("install", func(t *testing.T) {
		checkTree(t, prefix, version)
		desktop := filepath.Join(prefix, "share", "applications", packageID+".desktop")
		exe := filepath.Join(prefix, "bin", "earshot")
		if got := desktopKey(t, desktop, "Exec"); got != exe {
			t.Errorf("installed launcher Exec=%q, want %q", got, exe)
		}
		// dex reads the launcher as a menu would; run its command with -version.
		out := runCmd(t, env, "dex", "--dry-run", desktop)
		cmd, ok := strings.CutPrefix(strings.TrimSpace(lastLine(out)), "Executing command: ")
		if !ok {
			t.Fatalf("dex --dry-run printed %q, want the command it would run", out)
		}
		args := strings.Fields(strings.Trim(cmd, "[]"))
		for i, a := range args {
			args[i] = strings.Trim(a, "',")
		}
		if got := runCmd(t, env, args[0], "-version"); got != "earshot "+version+"\n" {
			t.Errorf("%s -version = %q, want %q", args[0], got, "earshot "+version)
		}
		// What install put under PREFIX: the files its list names, the list
		// and nothing else.
		var files []string
		filepath.WalkDir(prefix, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, path)
			}
			return err
		})
		if len(files) != 8 { // bin, launcher, metainfo, 4 icons, the list
			t.Errorf("install put %d files, want 8: %q", len(files), files)
		}
	})

	t.Run("launch from the menu", func(t *testing.T) {
		// The installed launcher opens the window, as a menu runs it: dex
		// runs its Exec line (the default address, :7477, since a launcher
		// passes no flags), on a desktop with a tray whose Quit ends it.
		d := startDesktop(t, true)
		desktop := filepath.Join(prefix, "share", "applications", packageID+".desktop")
		exe := filepath.Join(prefix, "bin", "earshot")
		t.Cleanup(func() { exec.Command("pkill", "-KILL", "-f", exe).Run() })
		startProcess(t, d.env, "dex", desktop)
		base := "http://127.0.0.1:7477"
		d.waitFor(t, "the window opened from the launcher, and its tray icon", func() bool {
			return d.showing(t, "Earshot") && statusCode(base) == http.StatusOK && len(d.trayIcons(t)) == 1
		})
		d.clickTray(t, "Quit")
		d.waitFor(t, "Quit to end it", func() bool { return exec.Command("pgrep", "-f", exe).Run() != nil })
	})

	t.Run("uninstall", func(t *testing.T) {
		runCmd(t, env, "make", "-s", "uninstall", "PREFIX="+prefix)
		if _, err := os.Stat(prefix); !os.IsNotExist(err) {
			left := runCmd(t, nil, "find", prefix)
			t.Errorf("after uninstall %s still holds:\n%s", prefix, left)
		}
	})

	t.Run("windows exe", func(t *testing.T) {
		runCmd(t, nil, "make", "-s", "package-windows", "PKG_DIR="+dist)
		exe := filepath.Join(dist, "earshot-"+version+"-windows-amd64.exe")
		if out := runCmd(t, nil, "file", "-b", exe); !strings.HasPrefix(out, "PE32+ executable (GUI) x86-64") {
			t.Errorf("file %s = %q, want a PE32+ GUI executable for x86-64", exe, out)
		}
		// The version resource (VERSION.Build) that fyne package links in
		// beside the icon.
		data, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		if want := utf16le(version + "."); !bytes.Contains(data, want) {
			t.Errorf("%s has no version resource %q", exe, version+".N")
		}
	})
}

// checkTree checks a package or installed tree under prefix: the launcher
// passes desktop-file-validate and has the keys a menu uses, the metainfo
// passes appstreamcli and names version, the icons have their sizes, and
// bin/earshot prints version.
func checkTree(t *testing.T, prefix, version string) {
	t.Helper()
	desktop := filepath.Join(prefix, "share", "applications", packageID+".desktop")
	runCmd(t, nil, "desktop-file-validate", desktop)
	for key, want := range map[string]string{
		"Name": "Earshot", "Icon": packageID, "Categories": "AudioVideo;Audio;Player;", "StartupWMClass": "Earshot",
	} {
		if got := desktopKey(t, desktop, key); got != want {
			t.Errorf("%s: %s=%q, want %q", desktop, key, got, want)
		}
	}
	for _, key := range []string{"GenericName", "Comment", "Keywords", "Exec"} {
		if desktopKey(t, desktop, key) == "" {
			t.Errorf("%s has no %s", desktop, key)
		}
	}
	metainfo := filepath.Join(prefix, "share", "metainfo", packageID+".metainfo.xml")
	runCmd(t, nil, "appstreamcli", "validate", "--no-net", "--pedantic", metainfo)
	if data, _ := os.ReadFile(metainfo); !bytes.Contains(data, []byte(`<release version="`+version+`"`)) {
		t.Errorf("%s has no release %s", metainfo, version)
	}
	for _, size := range []int{48, 128, 256, 512} { // pixels
		px := strconv.Itoa(size)
		file := filepath.Join(prefix, "share", "icons", "hicolor", px+"x"+px, "apps", packageID+".png")
		f, err := os.Open(file)
		if err != nil {
			t.Error(err)
			continue
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != size || cfg.Height != size {
			t.Errorf("%s: %dx%d, %v; want %dx%d", file, cfg.Width, cfg.Height, err, size, size)
		}
	}
	if got := runCmd(t, nil, filepath.Join(prefix, "bin", "earshot"), "-version"); got != "earshot "+version+"\n" {
		t.Errorf("packaged earshot -version = %q, want %q", got, "earshot "+version)
	}
}

// runCmd runs a command with extra environment and returns its standard
// output; a failure ends the test with its output.
func runCmd(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

// desktopKey returns key's value in a desktop entry's [Desktop Entry] group.
func desktopKey(t *testing.T, file, key string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), key+"="); ok {
			return v
		}
	}
	return ""
}

// lastLine is s's last non-empty line.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// utf16le is s in UTF-16, little-endian, as Windows resources store text.
func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
