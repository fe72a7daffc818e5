package transcode

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultCacheLimit is the disk cache's default bound: 2 GiB.
const DefaultCacheLimit = 2 << 30

// tempPrefix starts the names of files being made; OpenDiskCache removes
// those an earlier run left.
const tempPrefix = "tmp-"

// ErrTooLarge is returned by [DiskCache.Fill] for an entry bigger than a
// quarter of the cache's limit, which is not kept.
var ErrTooLarge = errors.New("transcode: too large for the cache")

// DefaultCacheDir returns the folder of finished transcodes:
// "earshot/transcodes" in the user's cache folder ([os.UserCacheDir]).
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "earshot", "transcodes"), nil
}

// DiskCache keeps finished transcodes as files in one folder, at most a
// limit of bytes in all, the least recently used evicted first. Entries
// are named by the SHA-256 of a key that the caller makes of the source's
// identity (path, size, modification time) and the transcode's settings,
// so a changed source or setting is a miss. The last use is each file's
// modification time, so the order survives a restart. Safe for
// concurrent use.
type DiskCache struct {
	dir   string
	limit int64

	mu      sync.Mutex
	entries map[string]cacheEntry    // by file name
	total   int64                    // bytes of entries
	filling map[string]chan struct{} // closed when the fill of a name ends
}

type cacheEntry struct {
	size int64
	used time.Time
}

// OpenDiskCache opens the cache in dir (made if missing) bounded by limit
// bytes (≤ 0: [DefaultCacheLimit]): it removes the temporary files of an
// earlier run and counts the entries there, evicting down to the limit.
func OpenDiskCache(dir string, limit int64) (*DiskCache, error) {
	if limit <= 0 {
		limit = DefaultCacheLimit
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	c := &DiskCache{dir: dir, limit: limit, entries: map[string]cacheEntry{}, filling: map[string]chan struct{}{}}
	for _, e := range list {
		if !e.Type().IsRegular() {
			continue
		}
		if strings.HasPrefix(e.Name(), tempPrefix) {
			os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		if info, err := e.Info(); err == nil {
			c.entries[e.Name()] = cacheEntry{info.Size(), info.ModTime()}
			c.total += info.Size()
		}
	}
	c.mu.Lock()
	c.evict("")
	c.mu.Unlock()
	return c, nil
}

// Fits reports whether an entry of size bytes would be kept: at most a
// quarter of the limit (see [ErrTooLarge]).
func (c *DiskCache) Fits(size int64) bool { return size <= c.limit/4 }

// Dir returns the cache's folder.
func (c *DiskCache) Dir() string { return c.dir }

// Size returns the bytes the cache holds now.
func (c *DiskCache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// name returns the file name of key's entry.
func name(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Open returns the entry for key, open for reading, and marks it used
// now; ok is false on a miss.
func (c *DiskCache) Open(key string) (f *os.File, info fs.FileInfo, ok bool) {
	n := name(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[n]
	if !ok {
		return nil, nil, false
	}
	p := filepath.Join(c.dir, n)
	f, err := os.Open(p)
	if err == nil {
		info, err = f.Stat()
	}
	if err != nil { // removed behind our back
		if f != nil {
			f.Close()
		}
		delete(c.entries, n)
		c.total -= e.size
		return nil, nil, false
	}
	now := time.Now()
	os.Chtimes(p, now, now)
	c.entries[n] = cacheEntry{e.size, now}
	return f, info, true
}

// Fill makes the entry for key, unless it is there: build writes the whole
// transcode to the file at path (a temporary name in the cache's folder,
// on its filesystem) and returns nil only when it is complete; Fill then
// syncs it to disk, renames it into place and evicts the least recently
// used entries down to the limit. On an error from build, ctx ending, or an
// entry larger than a quarter of the limit ([ErrTooLarge]) nothing is
// left. A Fill of a key being filled waits for that fill (or ctx): nil
// when it made the entry, else it tries itself.
func (c *DiskCache) Fill(ctx context.Context, key string, build func(ctx context.Context, path string) error) error {
	n := name(key)
	for {
		c.mu.Lock()
		if _, ok := c.entries[n]; ok {
			c.mu.Unlock()
			return nil
		}
		busy, ok := c.filling[n]
		if !ok {
			break // c.mu still held
		}
		c.mu.Unlock()
		select { // then look again: made, or failed and to be tried here
		case <-busy:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	done := make(chan struct{})
	c.filling[n] = done
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.filling, n)
		c.mu.Unlock()
		close(done)
	}()
	return c.fill(ctx, n, build)
}

// fill runs build into a temporary file and puts it in place as entry n.
func (c *DiskCache) fill(ctx context.Context, n string, build func(ctx context.Context, path string) error) error {
	tmp := filepath.Join(c.dir, tempPrefix+rand.Text())
	err := build(ctx, tmp)
	if err == nil {
		err = ctx.Err()
	}
	var size int64
	if err == nil {
		size, err = syncFile(tmp)
	}
	if err == nil && !c.Fits(size) {
		err = ErrTooLarge
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(c.dir, n))
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[n] = cacheEntry{size, time.Now()}
	c.total += size
	c.evict(n)
	return nil
}

// syncFile flushes the file at path to disk and returns its size.
func syncFile(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return 0, err
	}
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// evict removes the least recently used entries, except keep, until the
// total is within the limit. An entry that cannot be removed (open on
// Windows) stays and is tried again next time. c.mu is held.
func (c *DiskCache) evict(keep string) {
	if c.total <= c.limit {
		return
	}
	names := make([]string, 0, len(c.entries))
	for n := range c.entries {
		if n != keep {
			names = append(names, n)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return c.entries[a].used.Compare(c.entries[b].used) })
	for _, n := range names {
		if c.total <= c.limit {
			return
		}
		if err := os.Remove(filepath.Join(c.dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		c.total -= c.entries[n].size
		delete(c.entries, n)
	}
}
