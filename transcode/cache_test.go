package transcode

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeN returns a build function writing n bytes of b.
func writeN(n int, b byte) func(context.Context, string) error {
	return func(_ context.Context, path string) error {
		return os.WriteFile(path, []byte(strings.Repeat(string(b), n)), 0o600)
	}
}

// read returns the entry for key's content, "" on a miss.
func read(t *testing.T, c *DiskCache, key string) string {
	t.Helper()
	f, info, ok := c.Open(key)
	if !ok {
		return ""
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil || int64(len(b)) != info.Size() {
		t.Fatalf("read %s: %d bytes, %v (size %d)", key, len(b), err, info.Size())
	}
	return string(b)
}

// files returns the names in dir.
func files(t *testing.T, dir string) []string {
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return names
}

func TestDiskCacheHitMissAndFailures(t *testing.T) {
	dir := t.TempDir()
	c, err := OpenDiskCache(dir, 4000)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if read(t, c, "a") != "" {
		t.Fatal("hit in an empty cache")
	}
	if err := c.Fill(ctx, "a", writeN(100, 'a')); err != nil || read(t, c, "a") != strings.Repeat("a", 100) || c.Size() != 100 {
		t.Fatalf("after Fill(a): err %v, size %d", err, c.Size())
	}
	// A failing build, one cancelled, and one too large leave nothing.
	boom := errors.New("boom")
	if err := c.Fill(ctx, "b", func(_ context.Context, p string) error { writeN(50, 'b')(ctx, p); return boom }); err != boom {
		t.Errorf("failing build: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	if err := c.Fill(cctx, "c", func(_ context.Context, p string) error { cancel(); return writeN(50, 'c')(ctx, p) }); err != context.Canceled {
		t.Errorf("cancelled fill: %v", err)
	}
	if err := c.Fill(ctx, "d", writeN(1001, 'd')); err != ErrTooLarge {
		t.Errorf("fill of more than a quarter of the limit: %v", err)
	}
	if got := files(t, dir); len(got) != 1 || read(t, c, "b")+read(t, c, "c")+read(t, c, "d") != "" || c.Size() != 100 {
		t.Errorf("after failed fills the folder holds %q, size %d", got, c.Size())
	}
	// A file removed behind the cache's back is a miss.
	os.Remove(filepath.Join(dir, name("a")))
	if read(t, c, "a") != "" || c.Size() != 0 {
		t.Errorf("removed entry: still a hit, or size %d", c.Size())
	}
}

func TestDiskCacheEvictsLeastRecentlyUsed(t *testing.T) {
	dir := t.TempDir()
	c, _ := OpenDiskCache(dir, 4000)
	ctx := context.Background()
	for i, k := range []string{"k0", "k1", "k2", "k3"} {
		c.Fill(ctx, k, writeN(1000, byte('0'+i)))
	}
	read(t, c, "k0") // k0 used last: k1 is now the oldest
	c.Fill(ctx, "k4", writeN(1000, '4'))
	if read(t, c, "k1") != "" || read(t, c, "k0") == "" || read(t, c, "k4") == "" || c.Size() != 4000 {
		t.Errorf("after a fifth entry: k1 kept or k0/k4 lost, size %d", c.Size())
	}
	// The order survives a restart (the mtimes), and a temporary file an
	// interrupted run left is removed. Entry times are set a second apart.
	base := time.Now().Add(-time.Hour)
	for i, k := range []string{"k2", "k3", "k0", "k4"} {
		ts := base.Add(time.Duration(i) * time.Second)
		os.Chtimes(filepath.Join(dir, name(k)), ts, ts)
	}
	os.WriteFile(filepath.Join(dir, tempPrefix+"left"), []byte("partial"), 0o600)
	c2, err := OpenDiskCache(dir, 2500)
	if err != nil {
		t.Fatal(err)
	}
	if got := files(t, dir); len(got) != 2 || read(t, c2, "k0") == "" || read(t, c2, "k4") == "" || c2.Size() != 2000 {
		t.Errorf("reopened with a 2500-byte limit: files %d, size %d; want k0 and k4", len(got), c2.Size())
	}
}

func TestDiskCacheFillsOnce(t *testing.T) {
	c, _ := OpenDiskCache(t.TempDir(), 0)
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	var runs int
	var mu sync.Mutex
	build := func(ctx context.Context, p string) error {
		mu.Lock()
		runs++
		mu.Unlock()
		close(started)
		<-release
		return writeN(10, 'x')(ctx, p)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() { errs[0] = c.Fill(ctx, "k", build) })
	<-started
	for i := 1; i < 3; i++ {
		wg.Go(func() { errs[i] = c.Fill(ctx, "k", build) })
	}
	close(release)
	wg.Wait()
	if runs != 1 || errs[0] != nil || errs[1] != nil || errs[2] != nil || read(t, c, "k") != "xxxxxxxxxx" {
		t.Errorf("three Fills of one key: %d builds, errors %v", runs, errs)
	}
}

func TestDiskCacheFits(t *testing.T) {
	c, _ := OpenDiskCache(t.TempDir(), 4000)
	if !c.Fits(1000) || c.Fits(1001) {
		t.Errorf("Fits(1000), Fits(1001) = %v, %v with a 4000-byte limit; want true, false", c.Fits(1000), c.Fits(1001))
	}
}
