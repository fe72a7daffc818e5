package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"earshot/player/playertest"
)

// smallDisk mounts a tmpfs of size (as mount(8) takes it, "8m") on a new
// folder and returns it; it is unmounted when the test ends. It needs
// root; CI runs as root, so there it always runs.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the full-disk tests need root to mount a tmpfs")
		}
		t.Skip("needs root to mount a tmpfs (CI runs it as root)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fillDisk writes a file in dir until the disk is full.
func fillDisk(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

// wantError checks that res is status with a JSON error saying says.
func wantError(t *testing.T, what string, res tusResponse, status int, says string) {
	t.Helper()
	var body errorBody
	if res.Status != status || json.Unmarshal([]byte(res.Body), &body) != nil || !strings.Contains(body.Error, says) {
		t.Errorf("%s: %d %s, want %d saying %q", what, res.Status, res.Body, status, says)
	}
}

// wantNothingLeft checks that the library folder holds only the files
// named in keep, and that its incoming folder is empty.
func wantNothingLeft(t *testing.T, us *uploadServer, keep ...string) {
	t.Helper()
	got := us.libraryFiles(t)
	if strings.Join(got, ",") != strings.Join(keep, ",") {
		t.Errorf("library folder holds %v, want %v", got, keep)
	}
}

// TestUploadFullDisk is the library on a full small tmpfs: an
// upload is refused with 507 before a byte is sent, leaving nothing.
func TestUploadFullDisk(t *testing.T) {
	audio := makeAudio(t, playertest.Spec{Path: "a.flac", Kind: playertest.FLAC, Seconds: 2})
	us := newUploadServer(t, smallDisk(t, "8m"), Options{})
	c := newTUSClient(us.URL)
	wantError(t, "upload to an 8 MiB disk", c.upload(t, "a.flac", audio["a.flac"], 1<<20), http.StatusInsufficientStorage, "Not enough space")
	wantNothingLeft(t, us)
}

// TestUploadDiskFillsMidway fills the disk between two PATCHes: the
// second is refused with 507 saying the disk is full, and the upload's
// bytes are removed (its HEAD is a 404).
func TestUploadDiskFillsMidway(t *testing.T) {
	us := newUploadServer(t, smallDisk(t, "8m"), Options{UploadReserve: 1})
	c := newTUSClient(us.URL)
	res := c.create(t, "big.flac", 4<<20)
	if res.Status != http.StatusCreated {
		t.Fatalf("create = %d %s", res.Status, res.Body)
	}
	loc := c.location(t, res)
	if res := c.patch(t, loc, 0, bytes.NewReader(make([]byte, 1<<20))); res.Status != http.StatusNoContent {
		t.Fatalf("first PATCH = %d %s", res.Status, res.Body)
	}
	fillDisk(t, us.dir)
	wantError(t, "PATCH on a full disk", c.patch(t, loc, 1<<20, bytes.NewReader(make([]byte, 3<<20))), http.StatusInsufficientStorage, "disk is full")
	if res := c.do(t, http.MethodHead, loc, nil, nil); res.Status != http.StatusNotFound {
		t.Errorf("HEAD after the failed write = %d, want 404", res.Status)
	}
	wantNothingLeft(t, us, "filler")
}

// TestUploadFolderGone removes the library folder between two PATCHes:
// the second gets a clear error, and nothing is left anywhere.
func TestUploadFolderGone(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "Music")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	us := newUploadServer(t, dir, Options{})
	c := newTUSClient(us.URL)
	loc := c.location(t, c.create(t, "a.flac", 2<<20))
	if res := c.patch(t, loc, 0, bytes.NewReader(make([]byte, 1<<20))); res.Status != http.StatusNoContent {
		t.Fatalf("first PATCH = %d %s", res.Status, res.Body)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	wantError(t, "PATCH after the folder went", c.patch(t, loc, 1<<20, bytes.NewReader(make([]byte, 1<<20))), http.StatusInternalServerError, "library folder is gone")
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("the folder's parent holds %d entries, want none", len(entries))
	}
}
