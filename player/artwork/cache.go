// Package artwork makes and caches the pictures Earshot derives from a
// library's files: JPEG thumbnails of cover art (decoded with the standard
// library and golang.org/x/image, shrunk by a box filter then CatmullRom)
// and poster frames of videos (taken by ffmpeg, when it is installed). A
// [Cache] keeps them in a folder or in a bounded in-memory LRU, makes each
// one once however many callers ask at the same time (singleflight), and
// bounds how many it makes at once. It knows nothing of libraries: callers
// hand it cover bytes, or a [Video] to open.
//
// The package has no package-level mutable state: the ffmpeg path, the
// folder and the concurrency limits are fields of each Cache. Its only
// package-level variables are [ErrBadImage], the decoder table and the
// scaler, which are never written.
package artwork

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

const (
	// memBytes bounds the in-memory cache: about 400 thumbnails of 300 px,
	// or thousands of 96 px.
	memBytes = 8 << 20
	// thumbExt is the file name extension of pictures on disk.
	thumbExt = ".jpg"
	// posterProcs bounds how many ffmpeg processes make posters at once.
	posterProcs = 2
)

// Options configure a [Cache]. The zero value keeps pictures in memory and
// makes no poster frames.
type Options struct {
	// Dir is the folder pictures are kept in as files, so they survive
	// restarts; it is created when first written. "" keeps them in a small
	// in-memory cache instead, the least recently used dropped first.
	Dir string
	// FFmpeg is the path of the ffmpeg executable that takes poster frames
	// (see [FindFFmpeg]); "" makes none, and videos then have no poster.
	FFmpeg string
}

// Cache makes thumbnails and poster frames and keeps them. It is safe for
// concurrent use. Build it with [New].
type Cache struct {
	dir    string
	ffmpeg string

	group singleflight.Group // keyed by thumbKey or posterKey
	// thumbSlots bounds how many thumbnails are made at once to the
	// number of CPUs: decoding is CPU-bound, and a cover near
	// [MaxSourcePixels] takes a few hundred MB while it is decoded.
	thumbSlots chan struct{}
	// posterSlots bounds the ffmpeg processes running at once.
	posterSlots chan struct{}

	mu  sync.Mutex
	mem thumbLRU // pictures when dir is "" or unwritable, and failures

	made atomic.Int64
}

// New returns a cache configured by o.
func New(o Options) *Cache {
	return &Cache{
		dir:         o.Dir,
		ffmpeg:      o.FFmpeg,
		thumbSlots:  make(chan struct{}, runtime.GOMAXPROCS(0)),
		posterSlots: make(chan struct{}, posterProcs),
		mem:         thumbLRU{max: memBytes},
	}
}

// FindFFmpeg returns the path of the ffmpeg executable found in PATH, or
// "" when there is none.
func FindFFmpeg() string {
	p, err := exec.LookPath("ffmpeg")
	if err != nil {
		return ""
	}
	return p
}

// Made returns the number of thumbnails and poster frames the cache has
// made (or tried to make) rather than found cached: a measure of its hits.
func (c *Cache) Made() int64 {
	return c.made.Load()
}

// Thumbnail returns cover, the bytes of an image file, as a JPEG whose
// longer side is size pixels, keeping the aspect ratio. A cover no larger
// than size is re-encoded at its own size, never enlarged; transparent
// parts are flattened onto white.
//
// Thumbnails are made once per distinct cover image and size and then
// cached: in [Options.Dir] as files named by the SHA-256 of the cover's
// bytes and the size ("<64 hex>-300.jpg"), written to a temporary file
// first and then renamed, so that a reader never sees half a thumbnail;
// or, without a folder or when it cannot be written (a full disk), in
// memory. Concurrent calls for the same thumbnail make it once. Each call
// still hashes the cover (SHA-256, about 0.6 ms per MB) to find its entry.
//
// It returns an error wrapping [ErrBadImage] when the cover cannot be
// decoded (remembered in memory, not retried). The returned bytes are
// shared with the cache and must not be modified.
func (c *Cache) Thumbnail(cover []byte, size int) ([]byte, error) {
	if size <= 0 {
		return nil, errors.New("thumbnail size must be positive")
	}
	return c.get(thumbKey(cover, size), func() ([]byte, error) {
		c.thumbSlots <- struct{}{}
		defer func() { <-c.thumbSlots }()
		return makeThumbnail(cover, size)
	})
}

// get returns the picture cached under key, or makes it with build and
// caches it, once however many goroutines ask at the same time.
func (c *Cache) get(key string, build func() ([]byte, error)) ([]byte, error) {
	if e, ok := c.lookup(key); ok {
		return e.data, e.err
	}
	v, err, _ := c.group.Do(key, func() (any, error) {
		// Another flight may have finished between lookup and Do.
		if e, ok := c.lookup(key); ok {
			return e.data, e.err
		}
		c.made.Add(1)
		data, err := build()
		c.store(key, data, err)
		return data, err
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// thumbKey names the thumbnail of cover at size: the hex SHA-256 of the
// cover's bytes, a dash, and the size.
func thumbKey(cover []byte, size int) string {
	sum := sha256.Sum256(cover)
	return hex.EncodeToString(sum[:]) + "-" + strconv.Itoa(size)
}

// lookup returns the cached picture, or the error making it gave, for key;
// ok is false when neither is cached.
func (c *Cache) lookup(key string) (e lruEntry, ok bool) {
	c.mu.Lock()
	e, ok = c.mem.get(key)
	c.mu.Unlock()
	if ok || c.dir == "" {
		return e, ok
	}
	data, err := os.ReadFile(filepath.Join(c.dir, key+thumbExt))
	// A file cut short by a crash before the rename reached the disk is
	// made again rather than served.
	if err != nil || !isJPEG(data) {
		return lruEntry{}, false
	}
	return lruEntry{key: key, data: data}, true
}

// store caches a picture, or the error making it gave: a picture in the
// folder when one is set and writable, else (and errors always) in memory.
func (c *Cache) store(key string, data []byte, err error) {
	if err == nil && c.dir != "" && writeFileAtomic(c.dir, key+thumbExt, data) == nil {
		return
	}
	c.mu.Lock()
	c.mem.add(key, data, err)
	c.mu.Unlock()
}

// isJPEG reports whether data starts with a JPEG start-of-image marker and
// ends with an end-of-image marker.
func isJPEG(data []byte) bool {
	return len(data) >= 4 && data[0] == 0xFF && data[1] == 0xD8 &&
		data[len(data)-2] == 0xFF && data[len(data)-1] == 0xD9
}

// writeFileAtomic writes data to dir/name through a temporary file in dir
// and a rename, so the file appears whole or not at all. It makes dir
// (mode 0700) when missing, also after someone deleted it to clear the
// cache.
func writeFileAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
