package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"earshot/player/playertest"
)

// tusRequest sends one tus 1.0.0 request to the server at base as the
// page would (same Origin) and returns the answer, its body read.
func tusRequest(t *testing.T, base, method, target string, header map[string]string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+target, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Origin", base)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// TestUploadSurvivesKill uploads a FLAC to a headless Earshot, kills the
// server with SIGKILL while a PATCH is in flight, starts it again on the
// same port, library and index, and resumes: the server's offset holds
// at least what was acknowledged before the kill, the rest is sent from
// there, and the library gets a byte-identical file. Until the last byte
// no file but the incoming folder's is in the library folder.
func TestUploadSurvivesKill(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	src := t.TempDir()
	playertest.Generate(t, src, playertest.Spec{Path: "live.flac", Kind: playertest.FLAC, Seconds: 40,
		Tags: map[string]string{"title": "Encore", "artist": "Band", "album": "Live", "track": "9"}})
	data, err := os.ReadFile(filepath.Join(src, "live.flac"))
	if err != nil {
		t.Fatal(err)
	}
	lib, state := t.TempDir(), t.TempDir()
	args := []string{"-library", lib, "-listen", "127.0.0.1:" + freePort(t),
		"-key-file", filepath.Join(state, "key"), "-index", filepath.Join(state, "library.db")}
	first := startHeadless(t, nil, args...)
	base := first.url

	meta := "filename " + base64.StdEncoding.EncodeToString([]byte("live.flac"))
	res, body := tusRequest(t, base, http.MethodPost, "/api/uploads", map[string]string{
		"Upload-Length": strconv.Itoa(len(data)), "Upload-Metadata": meta}, nil)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", res.StatusCode, body)
	}
	loc := res.Header.Get("Location")[len(base):]
	patch := func(off int, r io.Reader) (*http.Response, string) {
		return tusRequest(t, base, http.MethodPatch, loc, map[string]string{
			"Content-Type": "application/offset+octet-stream", "Upload-Offset": strconv.Itoa(off)}, r)
	}
	acked := len(data) / 3
	if res, body := patch(0, bytes.NewReader(data[:acked])); res.StatusCode != http.StatusNoContent {
		t.Fatalf("first PATCH = %d %s", res.StatusCode, body)
	}
	// A second PATCH is in flight (its body half sent) when the server dies.
	pr, pw := io.Pipe()
	inFlight := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPatch, base+loc, pr)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Origin", base)
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		req.Header.Set("Upload-Offset", strconv.Itoa(acked))
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		inFlight <- err
	}()
	if _, err := pw.Write(data[acked : acked+len(data)/4]); err != nil {
		t.Fatal(err)
	}
	first.cmd.Process.Signal(syscall.SIGKILL)
	first.cmd.Wait()
	pw.CloseWithError(io.ErrUnexpectedEOF)
	<-inFlight
	if left := filesBeside(t, lib); len(left) != 0 {
		t.Fatalf("after the kill the library folder holds %v", left)
	}

	startHeadless(t, nil, args...)
	res, body = tusRequest(t, base, http.MethodHead, loc, nil, nil)
	off, err := strconv.Atoi(res.Header.Get("Upload-Offset"))
	if res.StatusCode != http.StatusOK || err != nil || off < acked || off > acked+len(data)/4 {
		t.Fatalf("HEAD after restart = %d, offset %q; want between %d and %d", res.StatusCode, res.Header.Get("Upload-Offset"), acked, acked+len(data)/4)
	}
	t.Logf("resumed at byte %d of %d (%d acknowledged before the kill)", off, len(data), acked)
	if res, body := patch(off, bytes.NewReader(data[off:])); res.StatusCode != http.StatusOK {
		t.Fatalf("resumed PATCH = %d %s", res.StatusCode, body)
	}
	got, err := os.ReadFile(filepath.Join(lib, "Band", "Live", "09 Encore.flac"))
	if err != nil || sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("the library's file differs from the upload (%v)", err)
	}
	if left := filesBeside(t, lib); len(left) != 1 {
		t.Errorf("library folder holds %v, want the one file", left)
	}
}

// filesBeside lists the files under dir, outside its hidden incoming
// folder, as slash paths.
func filesBeside(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".earshot-incoming" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}
