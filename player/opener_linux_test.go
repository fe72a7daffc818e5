//go:build linux

package player

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"earshot/player/playertest"
)

// TestOpenBeneath checks the one-call openat2 path of [Source.openFile]
// against the [os.Root] walk it replaces for files in subfolders: it opens
// a track and a link to another file of the library itself, hands every
// link that leaves the folder (relative or absolute) and every absolute
// link to the root, and [Source.openFile] then answers exactly as the root
// does: the library's files, never the secret outside, and a named pipe
// refused without blocking. The file's Stat is the one read at opening.
func TestOpenBeneath(t *testing.T) {
	outside := t.TempDir()
	secret := playertest.WAV(99)
	if err := os.WriteFile(filepath.Join(outside, "secret.wav"), secret, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	song, other := playertest.WAV(10), playertest.WAV(20)
	for name, data := range map[string][]byte{"A/B/song.wav": song, "C/other.wav": other} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	up, err := filepath.Rel(filepath.Join(dir, "A", "B"), filepath.Join(outside, "secret.wav"))
	if err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"A/B/cross.wav": filepath.Join("..", "..", "C", "other.wav"),
		"A/B/up.wav":    up,
		"A/B/abs.wav":   filepath.Join(outside, "secret.wav"),
		"A/B/absin.wav": filepath.Join(dir, "C", "other.wav"),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p); err != nil { // each link works outside a root
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "A", "B", "pipe.wav"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		beneath bool   // openat2 opens it itself
		want    []byte // nil: openFile must fail
	}{
		{"A/B/song.wav", true, song},
		{"A/B/cross.wav", true, other},
		{"A/B/up.wav", false, nil},
		{"A/B/abs.wav", false, nil},
		{"A/B/absin.wav", false, nil}, // os.Root refuses absolute links too
		{"A/B/pipe.wav", true, nil},
		{"A/B/gone.wav", false, nil},
	}
	for _, c := range cases {
		f, ok := openBeneath(src.dir, c.name)
		if ok != c.beneath {
			t.Errorf("openBeneath(%s) ok = %v, want %v", c.name, ok, c.beneath)
		}
		if ok {
			f.Close()
		}
		_, rootErr := src.root.Stat(filepath.FromSlash(c.name))
		got, err := src.openFile(c.name)
		if c.want == nil {
			if rootErr == nil && c.name != "A/B/pipe.wav" {
				t.Errorf("the root opens %s; the case's premise is wrong", c.name)
			}
			if err == nil {
				got.Close()
				t.Errorf("openFile(%s) opened it, want an error (the root says %v)", c.name, rootErr)
			}
			continue
		}
		if err != nil || rootErr != nil {
			t.Errorf("openFile(%s) = %v, root says %v; want both to open it", c.name, err, rootErr)
			continue
		}
		data, err := io.ReadAll(got)
		info, _ := got.Stat()
		got.Close()
		if err != nil || !bytes.Equal(data, c.want) || info.Size() != int64(len(c.want)) || !info.Mode().IsRegular() {
			t.Errorf("openFile(%s): read %d bytes (err %v), Stat size %d; want its %d bytes", c.name, len(data), err, info.Size(), len(c.want))
		}
	}
	if _, err := src.openFile("A/B/pipe.wav"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("openFile(pipe) = %v, want ErrNotRegular", err)
	}
}
