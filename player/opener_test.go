package player

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"earshot/player/playertest"
)

// TestScanOpener scans a folder of more folders than the opener keeps
// handles on, with links between folders of the library and out of it, and
// checks it opens exactly what the library's root opens: every regular file,
// a link to another folder of the library, but no link leading outside.
func TestScanOpener(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.wav"), playertest.WAV(10), 0o644)
	dir := t.TempDir()
	var want []string
	for i := range maxFolderHandles + 5 {
		folder := fmt.Sprintf("Artist %02d/Album", i)
		os.MkdirAll(filepath.Join(dir, folder), 0o755)
		for j := range 3 {
			p := fmt.Sprintf("%s/%02d.wav", folder, j)
			os.WriteFile(filepath.Join(dir, p), playertest.WAV(10+i), 0o644)
			want = append(want, p)
		}
	}
	links := map[string]string{
		"Artist 00/Album/cross.wav": filepath.Join("..", "..", "Artist 01", "Album", "00.wav"), // inside the library
		"Artist 00/Album/out.wav":   filepath.Join(outside, "secret.wav"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	want = append(want, "Artist 00/Album/cross.wav")
	slices.Sort(want)

	src, err := OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := newScanOpener(src)
	defer o.close()
	for _, p := range append(slices.Clone(want), "Artist 00/Album/out.wav", "Artist 00/Album/gone.wav", "Nowhere/x.wav") {
		f, err := o.open(p)
		rf, rerr := openSeeker(src.FS, p)
		if (err == nil) != (rerr == nil) {
			t.Errorf("open(%q) error = %v; through the root: %v", p, err, rerr)
		}
		if err == nil {
			fi, _ := f.Stat()
			ri, _ := rf.Stat()
			if !os.SameFile(fi, ri) {
				t.Errorf("open(%q) opened another file than the root does", p)
			}
			f.Close()
			rf.Close()
		}
		if len(o.dirs) > maxFolderHandles {
			t.Fatalf("after %q the opener holds %d folder handles, more than %d", p, len(o.dirs), maxFolderHandles)
		}
	}

	lib := New(Options{})
	rep, err := lib.Scan(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range lib.Tracks() {
		got = append(got, tr.Path)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("scan found %q, want %q (report %+v)", got, want, rep)
	}
}
