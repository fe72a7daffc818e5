package logfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRotate writes lines past the limit twice: the file never passes the
// limit, the one before is kept as .1, the oldest is dropped, and no line
// is lost across a rotation.
func TestRotate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "earshot.log")
	w, err := Open(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	line := func(i int) []byte { return []byte(strings.Repeat(string(rune('a'+i)), 29) + "\n") } // 30 bytes
	for i := range 10 {
		if _, err := w.Write(line(i)); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	cur, _ := os.ReadFile(path)
	old, _ := os.ReadFile(path + ".1")
	// 10 lines of 30 bytes, 3 per file: g h i → .1, j → current.
	if want := line(9); !bytes.Equal(cur, want) {
		t.Errorf("current = %q, want %q", cur, want)
	}
	if want := bytes.Join([][]byte{line(6), line(7), line(8)}, nil); !bytes.Equal(old, want) {
		t.Errorf(".1 = %q, want %q", old, want)
	}
	if info, err := os.Stat(filepath.Dir(path)); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("log folder: %v %v, want mode 0700", info.Mode().Perm(), err)
	}
}

// TestReopenAppends reopens an existing log: writes go after what is
// there, and its size counts toward the limit.
func TestReopenAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.log")
	os.WriteFile(path, []byte(strings.Repeat("x", 90)), 0o600)
	w, err := Open(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("0123456789")) // fits: 100
	w.Write([]byte("z"))          // rotates
	w.Close()
	if cur, _ := os.ReadFile(path); string(cur) != "z" {
		t.Errorf("current = %q, want z", cur)
	}
	if old, _ := os.ReadFile(path + ".1"); len(old) != 100 {
		t.Errorf(".1 holds %d bytes, want 100", len(old))
	}
	if _, err := w.Write([]byte("late")); err == nil {
		t.Error("a write after Close succeeded")
	}
}
