package player

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"weak"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
	"golang.org/x/sync/singleflight"
)

// ThumbnailSizes are the sizes [Library.Thumbnail] makes, in pixels of the
// longer side: 96 for track lists (shown at 44 px, sharp on 2× screens) and
// 300 for the album grid. Callers must not modify it.
var ThumbnailSizes = []int{96, 300}

// ErrBadSize is returned by [Library.Thumbnail] for a size that is not one
// of [ThumbnailSizes].
var ErrBadSize = errors.New("unsupported thumbnail size")

// ErrBadImage is returned by [Library.Thumbnail] when the cover art cannot
// be made into a thumbnail: it is corrupt, in a format other than JPEG, PNG,
// GIF or WebP, or larger than [MaxThumbnailSourcePixels].
var ErrBadImage = errors.New("cover art is not a readable image")

// MaxThumbnailSourcePixels bounds the cover art [Library.Thumbnail] will
// decode: 50 megapixels, about 200 MB as RGBA. The header is checked with
// DecodeConfig first, so a few bytes claiming 100000×100000 pixels are
// refused without allocating the image.
const MaxThumbnailSourcePixels = 50_000_000

const (
	// thumbQuality is the JPEG quality of thumbnails (1–100).
	thumbQuality = 85
	// thumbMemBytes bounds the in-memory cache used when no thumbnail
	// folder is set: about 400 thumbnails of 300 px, or thousands of 96 px.
	thumbMemBytes = 8 << 20
	// thumbExt is the file name extension of thumbnails on disk.
	thumbExt = ".jpg"
)

// thumbScaler does the last step of shrinking a cover, after [boxShrink]
// has brought it within twice the thumbnail's size. CatmullRom is sharp and
// antialiased. Straight from a 1000×1000 JPEG to 300 px it costs 36 ms of
// CPU (270 ms from 3000×3000: its support widens with the ratio); after
// boxShrink 7 ms (21 ms), against 2.4 ms for ApproxBiLinear, which reads
// only 4 of the ~11 source pixels under each thumbnail pixel and so
// aliases. See BenchmarkScale.
var thumbScaler draw.Scaler = draw.CatmullRom

// Thumbnail returns the cover art of the track with the given ID as a JPEG
// whose longer side is size pixels, one of [ThumbnailSizes], keeping the
// aspect ratio. A cover no larger than size is re-encoded at its own size,
// never enlarged; transparent parts are flattened onto white.
//
// Thumbnails are made once per distinct cover image and size and then
// cached (see [Library.SetThumbnailDir]): twelve tracks sharing an album's
// art share one thumbnail, and a changed cover gets a new one. Concurrent
// calls for the same thumbnail make it once. Each call still reads and
// hashes the cover (SHA-256, about 0.6 ms per MB) to find its cache entry.
//
// It returns an error wrapping [ErrBadSize] for another size, the errors of
// [Library.Cover] ([ErrNotFound], [ErrNoCover], …), and an error wrapping
// [ErrBadImage] when the cover cannot be decoded. The returned Data is
// shared with the cache and must not be modified.
func (l *Library) Thumbnail(id string, size int) (Picture, error) {
	if !slices.Contains(ThumbnailSizes, size) {
		return Picture{}, fmt.Errorf("thumbnail size %d: %w", size, ErrBadSize)
	}
	pic, err := l.Cover(id)
	if err != nil {
		return Picture{}, err
	}
	data, err := l.thumbs().get(pic.Data, size)
	if err != nil {
		return Picture{}, fmt.Errorf("thumbnail of track %s: %w", id, err)
	}
	return Picture{Data: data, MIMEType: "image/jpeg"}, nil
}

// SetThumbnailDir makes [Library.Thumbnail] keep thumbnails as files in dir,
// creating it if needed, so they survive restarts. Each file is named by
// the SHA-256 of the cover's bytes and the size ("<64 hex>-300.jpg") and
// written to a temporary file first, then renamed, so a reader never sees
// half a thumbnail. With dir "" (the default) thumbnails are kept in a small
// in-memory cache instead, the least recently used dropped first.
//
// It returns the error from [os.MkdirAll]; the library then keeps using
// memory. A thumbnail that later cannot be written (a full disk) is kept
// in memory too.
func (l *Library) SetThumbnailDir(dir string) error {
	s := l.thumbs()
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("thumbnail folder: %w", err)
		}
	}
	s.mu.Lock()
	s.dir = dir
	s.mu.Unlock()
	return nil
}

// thumbState is one library's thumbnail cache.
type thumbState struct {
	group singleflight.Group // keyed by thumbKey

	mu  sync.Mutex
	dir string   // "" keeps thumbnails in mem only
	mem thumbLRU // thumbnails when dir is "" or unwritable, and bad covers

	decodes atomic.Int64 // thumbnails made (or tried), for tests
}

// thumbSlots bounds how many thumbnails are made at once, across
// libraries, to the number of CPUs: decoding is CPU-bound, and a cover near
// [MaxThumbnailSourcePixels] takes a few hundred MB while it is decoded.
var thumbSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// thumbStates holds each library's thumbState. It sits beside [Library]
// rather than in it so that this file is self-contained; the weak key and
// the cleanup drop an entry when its library is garbage collected.
var thumbStates sync.Map // weak.Pointer[Library] → *thumbState

// thumbs returns l's thumbnail cache, creating it on first use.
func (l *Library) thumbs() *thumbState {
	key := weak.Make(l)
	if s, ok := thumbStates.Load(key); ok {
		return s.(*thumbState)
	}
	s, loaded := thumbStates.LoadOrStore(key, &thumbState{mem: thumbLRU{max: thumbMemBytes}})
	if !loaded {
		runtime.AddCleanup(l, func(k weak.Pointer[Library]) { thumbStates.Delete(k) }, key)
	}
	return s.(*thumbState)
}

// thumbKey names the thumbnail of cover at size: the hex SHA-256 of the
// cover's bytes, a dash, and the size.
func thumbKey(cover []byte, size int) string {
	sum := sha256.Sum256(cover)
	return hex.EncodeToString(sum[:]) + "-" + strconv.Itoa(size)
}

// get returns the JPEG thumbnail of cover at size, from the cache or made
// now, once however many goroutines ask at the same time.
func (s *thumbState) get(cover []byte, size int) ([]byte, error) {
	key := thumbKey(cover, size)
	if e, ok := s.lookup(key); ok {
		return e.data, e.err
	}
	v, err, _ := s.group.Do(key, func() (any, error) {
		// Another flight may have finished between lookup and Do.
		if e, ok := s.lookup(key); ok {
			return e.data, e.err
		}
		s.decodes.Add(1)
		data, err := makeThumbnail(cover, size)
		s.store(key, data, err)
		return data, err
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// lookup returns the cached thumbnail, or the error a bad cover gave, for
// key; ok is false when neither is cached.
func (s *thumbState) lookup(key string) (e lruEntry, ok bool) {
	s.mu.Lock()
	dir := s.dir
	e, ok = s.mem.get(key)
	s.mu.Unlock()
	if ok || dir == "" {
		return e, ok
	}
	data, err := os.ReadFile(filepath.Join(dir, key+thumbExt))
	// A file cut short by a crash before the rename reached the disk is
	// made again rather than served.
	if err != nil || !isJPEG(data) {
		return lruEntry{}, false
	}
	return lruEntry{key: key, data: data}, true
}

// store caches a thumbnail, or the error its cover gave: a thumbnail in the
// folder when one is set and writable, else (and errors always) in memory.
func (s *thumbState) store(key string, data []byte, err error) {
	s.mu.Lock()
	dir := s.dir
	s.mu.Unlock()
	if err == nil && dir != "" && writeFileAtomic(dir, key+thumbExt, data) == nil {
		return
	}
	s.mu.Lock()
	s.mem.add(key, data, err)
	s.mu.Unlock()
}

// isJPEG reports whether data starts with a JPEG start-of-image marker and
// ends with an end-of-image marker.
func isJPEG(data []byte) bool {
	return len(data) >= 4 && data[0] == 0xFF && data[1] == 0xD8 &&
		data[len(data)-2] == 0xFF && data[len(data)-1] == 0xD9
}

// writeFileAtomic writes data to dir/name through a temporary file in dir
// and a rename, so the file appears whole or not at all. It makes dir again
// if someone deleted it to clear the cache.
func writeFileAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
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

// codec decodes one image format.
type codec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// thumbCodecs are the formats Thumbnail reads, by the cover's [sniffImage]
// MIME type: the same sniffing that names the original's Content-Type, and
// no other format registered with package image is tried.
var thumbCodecs = map[string]codec{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/gif":  {gif.DecodeConfig, gif.Decode}, // the first frame
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// makeThumbnail decodes cover and encodes it as a JPEG whose longer side is
// at most size pixels, waiting for one of [thumbSlots]. Every failure to
// read cover wraps [ErrBadImage].
func makeThumbnail(cover []byte, size int) ([]byte, error) {
	thumbSlots <- struct{}{}
	defer func() { <-thumbSlots }()
	mime := sniffImage(cover)
	c, ok := thumbCodecs[mime]
	if !ok {
		return nil, fmt.Errorf("%w: format %s", ErrBadImage, mime)
	}
	var cfg image.Config
	if err := guard(func() (err error) { cfg, err = c.config(bytes.NewReader(cover)); return err }); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxThumbnailSourcePixels {
		return nil, fmt.Errorf("%w: %d×%d pixels (at most %d allowed)", ErrBadImage, cfg.Width, cfg.Height, MaxThumbnailSourcePixels)
	}
	var img image.Image
	if err := guard(func() (err error) { img, err = c.decode(bytes.NewReader(cover)); return err }); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadImage, err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, scaleDown(img, size), &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil, fmt.Errorf("encode thumbnail: %w", err)
	}
	return buf.Bytes(), nil
}

// guard runs f, turning a panic into an error: the decoders read untrusted
// files, and a decoder bug must cost one thumbnail, not the server.
func guard(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("decoder panic: %v", v)
		}
	}()
	return f()
}

// scaleDown returns img shrunk so that its longer side is size pixels, by
// [boxShrink] then [thumbScaler], or img itself when it is no larger. An image that may be
// transparent is flattened onto white, since JPEG has no alpha.
func scaleDown(img image.Image, size int) image.Image {
	b := img.Bounds()
	w, h := fitSize(b.Dx(), b.Dy(), size)
	opaque := isOpaque(img)
	if w == b.Dx() && h == b.Dy() && opaque {
		return img
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	op := draw.Src
	if !opaque {
		draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
		op = draw.Over
	}
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), img, b.Min, op)
		return dst
	}
	if k := shrinkFactor(b.Dx(), b.Dy(), w, h); k >= 2 {
		img = boxShrink(img, k)
	}
	thumbScaler.Scale(dst, dst.Bounds(), img, img.Bounds(), op, nil)
	return dst
}

// shrinkFactor is the largest whole number k such that a w×h image shrunk
// k times is still at least tw×th: the box filter [boxShrink] does that
// part, and [thumbScaler] the remaining factor, between 1 and 2.
func shrinkFactor(w, h, tw, th int) int {
	return max(1, min(w/tw, h/th))
}

// boxShrink returns img shrunk k times (k ≥ 2) in each direction by
// averaging each k×k block, as premultiplied *image.RGBA; the last w%k
// columns and h%k rows, less than one thumbnail pixel, are dropped. A box
// filter reads every source pixel once, so nothing is skipped (no aliasing)
// and its time grows with the source's pixels only, where a kernel
// scaler's support widens with the ratio; libvips thumbnails the same way
// ("shrink", then "reduce"). JPEG's YCbCr is averaged as decoded, which
// equals averaging RGB since the conversion is affine; other images are
// converted k rows at a time.
func boxShrink(img image.Image, k int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sums := make([][4]uint32, w)
	n := uint32(k * k)
	ycc, isYCC := img.(*image.YCbCr)
	isYCC = isYCC && b.Min == image.Point{}
	rgba, isRGBA := img.(*image.RGBA)
	var strip *image.RGBA // k rows of img as RGBA, when it is neither
	if !isYCC && !isRGBA {
		strip = image.NewRGBA(image.Rect(b.Min.X, 0, b.Max.X, k))
	}
	for dy := range h {
		clear(sums)
		y0 := b.Min.Y + dy*k
		if strip != nil {
			draw.Draw(strip, strip.Bounds(), img, image.Pt(b.Min.X, y0), draw.Src)
		}
		for y := y0; y < y0+k; y++ {
			switch {
			case isYCC:
				addYCbCrRow(sums, ycc, y, k)
			case isRGBA:
				addRGBARow(sums, rgba.Pix[rgba.PixOffset(b.Min.X, y):], k)
			default:
				addRGBARow(sums, strip.Pix[strip.PixOffset(b.Min.X, y-y0):], k)
			}
		}
		out := dst.Pix[dy*dst.Stride:]
		for dx, s := range sums {
			p := out[dx*4 : dx*4+4 : dx*4+4]
			if isYCC {
				p[0], p[1], p[2] = color.YCbCrToRGB(uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n))
				p[3] = 0xFF
			} else {
				p[0], p[1], p[2], p[3] = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n), uint8(s[3]/n)
			}
		}
	}
	return dst
}

// addRGBARow adds one row of RGBA pixels, in blocks of k pixels, to sums:
// block i's R, G, B and A in sums[i].
func addRGBARow(sums [][4]uint32, row []byte, k int) {
	for dx := range sums {
		s := &sums[dx]
		for p := range slices.Chunk(row[dx*k*4:(dx+1)*k*4], 4) {
			s[0] += uint32(p[0])
			s[1] += uint32(p[1])
			s[2] += uint32(p[2])
			s[3] += uint32(p[3])
		}
	}
}

// addYCbCrRow adds row y of img, in blocks of k pixels, to sums: Y, Cb and
// Cr in sums[i][0:3] for block i. img.Rect.Min must be (0, 0), as decoders
// make it, so that chroma positions are plain shifts.
func addYCbCrRow(sums [][4]uint32, img *image.YCbCr, y, k int) {
	hs, vs := chromaShifts(img.SubsampleRatio)
	yRow := img.Y[y*img.YStride:]
	c := (y >> vs) * img.CStride
	cbRow, crRow := img.Cb[c:], img.Cr[c:]
	for dx := range sums {
		var sy, scb, scr uint32
		for x := dx * k; x < dx*k+k; x++ {
			sy += uint32(yRow[x])
			scb += uint32(cbRow[x>>hs])
			scr += uint32(crRow[x>>hs])
		}
		s := &sums[dx]
		s[0] += sy
		s[1] += scb
		s[2] += scr
	}
}

// chromaShifts returns how far to shift a pixel's x and y right to find its
// chroma sample, for each of [image.YCbCrSubsampleRatio]'s layouts.
func chromaShifts(r image.YCbCrSubsampleRatio) (hs, vs uint) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 1, 0
	case image.YCbCrSubsampleRatio420:
		return 1, 1
	case image.YCbCrSubsampleRatio440:
		return 0, 1
	case image.YCbCrSubsampleRatio411:
		return 2, 0
	case image.YCbCrSubsampleRatio410:
		return 2, 1
	}
	return 0, 0
}

// fitSize returns the dimensions of a w×h image whose longer side is shrunk
// to size, rounding the shorter side and keeping it at least 1 pixel. An
// image no larger than size keeps its dimensions.
func fitSize(w, h, size int) (int, int) {
	switch {
	case w <= size && h <= size:
		return w, h
	case w >= h:
		return size, max(1, (h*size+w/2)/w)
	default:
		return max(1, (w*size+h/2)/h), size
	}
}

// isOpaque reports whether img has no transparent pixel. Decoded JPEGs
// (YCbCr, Gray, CMYK) answer at once; others are scanned.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// thumbLRU is a cache of thumbnails, and of the errors bad covers gave,
// bounded by the bytes it holds; the least recently used go first. The
// caller locks.
type thumbLRU struct {
	max, used int
	order     list.List // of *lruEntry, most recently used first
	byKey     map[string]*list.Element
}

// lruEntry is one cached thumbnail, or the error its cover gave.
type lruEntry struct {
	key  string
	data []byte
	err  error
}

// cost is what an entry counts against the cache's bound, in bytes.
func (e *lruEntry) cost() int { return len(e.data) + len(e.key) + 64 }

// get returns the entry for key, marking it recently used.
func (c *thumbLRU) get(key string) (lruEntry, bool) {
	el, ok := c.byKey[key]
	if !ok {
		return lruEntry{}, false
	}
	c.order.MoveToFront(el)
	return *el.Value.(*lruEntry), true
}

// add caches data or err under key, then drops the least recently used
// entries until the cache fits its bound. An entry larger than the whole
// bound is not kept.
func (c *thumbLRU) add(key string, data []byte, err error) {
	if c.byKey == nil {
		c.byKey = map[string]*list.Element{}
	}
	if el, ok := c.byKey[key]; ok {
		c.used -= el.Value.(*lruEntry).cost()
		c.order.Remove(el)
		delete(c.byKey, key)
	}
	e := &lruEntry{key: key, data: data, err: err}
	if e.cost() > c.max {
		return
	}
	c.byKey[key] = c.order.PushFront(e)
	c.used += e.cost()
	for c.used > c.max {
		last := c.order.Back()
		old := last.Value.(*lruEntry)
		c.order.Remove(last)
		delete(c.byKey, old.key)
		c.used -= old.cost()
	}
}
