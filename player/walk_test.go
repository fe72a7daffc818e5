package player

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// failFS is an FS whose ReadDir fails for the folders in bad, after
// returning their first entry.
type failFS struct {
	fstest.MapFS
	bad map[string]bool
}

var errWalkTest = errors.New("unreadable for the test")

func (f failFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := f.MapFS.ReadDir(name)
	if f.bad[name] {
		return entries[:min(1, len(entries))], errWalkTest
	}
	return entries, err
}

// walkLog records the calls of a WalkDirFunc as lines, returning SkipDir
// for folders named "skip" and SkipAll at a file named "stop".
func walkLog(log *[]string) fs.WalkDirFunc {
	return func(p string, d fs.DirEntry, err error) error {
		*log = append(*log, fmt.Sprintf("%s dir=%v err=%v", p, d != nil && d.IsDir(), err))
		switch {
		case d != nil && d.Name() == "skip" && err == nil:
			return fs.SkipDir
		case d != nil && d.Name() == "stop":
			return fs.SkipAll
		}
		return nil
	}
}

// testTree is a library-like tree with names that sort differently with
// and without the separator ("a b" and "a/…"), hidden and skipped
// folders, and enough folders to fill the read-ahead.
func testTree(stop bool) fstest.MapFS {
	m := fstest.MapFS{}
	for a := range 30 {
		for b := range 4 {
			for t := range 3 {
				m[fmt.Sprintf("artist %02d/album %d/%02d.mp3", a, b, t)] = &fstest.MapFile{}
			}
		}
	}
	for _, p := range []string{"a/z.mp3", "a b/x.mp3", "a-b/y.mp3", "a/b/c/d.mp3", ".hidden/h.mp3",
		"x/skip/s.mp3", "x/skip2/s.mp3", "top.mp3", "x/.h/e.mp3", "ünï/cödé.mp3"} {
		m[p] = &fstest.MapFile{}
	}
	if stop {
		m["artist 10/album 2/stop"] = &fstest.MapFile{}
	}
	return m
}

// TestWalkDirLikeWalkDir checks that walkDir calls its function with the
// paths, entries and errors fs.WalkDir gives, in the same order, with
// SkipDir, SkipAll and folders that cannot be read, for any number of
// workers.
func TestWalkDirLikeWalkDir(t *testing.T) {
	notHidden := func(_ string, d fs.DirEntry) bool { return !strings.HasPrefix(d.Name(), ".") }
	all := func(string, fs.DirEntry) bool { return true }
	cases := map[string]fs.FS{
		"tree":     testTree(false),
		"skip all": testTree(true),
		"errors":   failFS{testTree(false), map[string]bool{"artist 03": true, "a/b": true, "x": true}},
		"empty":    fstest.MapFS{},
	}
	for name, fsys := range cases {
		var want []string
		if err := fs.WalkDir(fsys, ".", walkLog(&want)); err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{0, 1, 2, 8} {
			for _, prefetch := range []func(string, fs.DirEntry) bool{notHidden, all} {
				var got []string
				if err := walkDir(context.Background(), fsys, workers, prefetch, walkLog(&got)); err != nil {
					t.Fatalf("%s, %d workers: walkDir: %v", name, workers, err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s, %d workers: walkDir calls\n%s\nwant (fs.WalkDir)\n%s", name, workers,
						strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		}
	}
}

// TestWalkDirStops checks that walkDir returns the error its function
// returns, and the context's when that ends.
func TestWalkDirStops(t *testing.T) {
	fsys := testTree(false)
	boom := errors.New("boom")
	n := 0
	err := walkDir(context.Background(), fsys, 2, func(string, fs.DirEntry) bool { return true }, func(p string, d fs.DirEntry, err error) error {
		if n++; n == 50 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 50 {
		t.Errorf("walkDir = %v after %d calls, want boom after 50", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = walkDir(ctx, fsys, 2, func(string, fs.DirEntry) bool { return true }, func(p string, d fs.DirEntry, err error) error {
		if n++; n == 20 {
			cancel()
		}
		return ctx.Err()
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("walkDir after cancel = %v, want context.Canceled", err)
	}
}

// TestWalkOrder checks walkOrder against the order fs.WalkDir visits.
func TestWalkOrder(t *testing.T) {
	var visited []string
	fs.WalkDir(testTree(false), ".", func(p string, d fs.DirEntry, err error) error {
		if p != "." {
			visited = append(visited, p)
		}
		return nil
	})
	if !slices.IsSortedFunc(visited, walkOrder) {
		t.Errorf("walkOrder does not sort the paths in fs.WalkDir order: %q", visited)
	}
	shuffled := slices.Clone(visited)
	slices.Reverse(shuffled)
	slices.SortFunc(shuffled, walkOrder)
	if !slices.Equal(shuffled, visited) {
		t.Errorf("sorted by walkOrder: %q, want %q", shuffled, visited)
	}
}
