package artwork

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/draw"
)

// testPicture returns a w×h image with detail everywhere (gradients and a
// pattern), so JPEG sizes and decode times are close to real album art.
func testPicture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(x*255/w), uint8(y*255/h), uint8((x*x+y*y)/7), 255
		}
	}
	return img
}

// encodeJPEG, encodePNG and encodeGIF encode img, failing tb on error.
func encodeJPEG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// webp75x100 is gopher-doc.1bpp.lossless.webp from golang.org/x/image's
// testdata (BSD licence): a 75×100 lossless WebP.
var webp75x100, _ = base64.StdEncoding.DecodeString("UklGRrIBAABXRUJQVlA4TKUBAAAvSsAYAA8w//M///MfeJAkbXvaSG7m8Q3GfYSBJekwQztm/IcZlgwnmWImn2BK7aFmBtnVir6q//8VOkFE/xm4baTIu8c48ArEo6+B3zFKYln3pqClSCKX0begFTAXFOLXHSyF8cCNcZEG4OywuA4KVVfJCiArU7GAgJI8+lJP/OKMT/fBAjevg1cYB7YVkFuWga2lyPi5I0HFy5YTpWIHg0RZpkniRVW9odHAKOwosWuOGdxIyn2OvaCDvhg/we6TwadPBPbqBV58MsLmMJ8yZnOWk8SRz4N+QoyPL+MnamzMvcE1rHNEr91F9GKZPVUcS9w7PhhH36suB9qPeYb/oLk6cuTiJ0wOK3m5h1cKjW6EVZCYMK7dxcKCBdgP9HkKr9gkAO2P8GKZGWVdIAatQa+1IDpt6qyorVwdy01xdW8Jkfk6xjEXmVQQ+HQdFr6OKhIN34dXWq0+0qr6EJSCeeVLH9+gvGTLyqM65PQ44ihzlTXxQKjKbAvshXgir7Lil9w4L2bvMycmjQcqXaMCO6BlY28i+FOLzbfI1vEqxAhotocAAA==")

// pngHeader returns the start of a PNG file whose header (IHDR) claims a
// w×h RGBA image, followed by a small IDAT chunk of garbage: a decoder that
// trusts the header allocates w×h×4 bytes before finding out.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no interlace
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte("\x78\x9c garbage"))
	chunk("IEND", nil)
	return b.Bytes()
}

// decodeThumb decodes a thumbnail, failing t when it is not a JPEG.
func decodeThumb(t *testing.T, thumb []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(thumb))
	if err != nil {
		t.Fatalf("thumbnail is not a JPEG: %v", err)
	}
	return img
}

func TestFitSize(t *testing.T) {
	tests := []struct {
		w, h, size, wantW, wantH int
	}{
		{1000, 1000, 300, 300, 300}, // square
		{1000, 500, 300, 300, 150},  // wide
		{500, 1000, 300, 150, 300},  // tall
		{1001, 500, 96, 96, 48},     // rounded: 47.95
		{300, 300, 300, 300, 300},   // exact
		{300, 100, 300, 300, 100},   // exact on the longer side
		{50, 40, 300, 50, 40},       // tiny: never enlarged
		{10000, 1, 96, 96, 1},       // a sliver keeps one pixel
		{1, 10000, 96, 1, 96},
	}
	for _, tc := range tests {
		if w, h := fitSize(tc.w, tc.h, tc.size); w != tc.wantW || h != tc.wantH {
			t.Errorf("fitSize(%d, %d, %d) = %d×%d, want %d×%d", tc.w, tc.h, tc.size, w, h, tc.wantW, tc.wantH)
		}
	}
}

func TestThumbnail(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		cover []byte
		want  map[int]image.Point // size → dimensions
	}{
		{"square jpeg", "cover.jpg", encodeJPEG(t, testPicture(1000, 1000)), map[int]image.Point{96: {96, 96}, 300: {300, 300}}},
		{"wide jpeg", "cover.jpg", encodeJPEG(t, testPicture(800, 400)), map[int]image.Point{96: {96, 48}, 300: {300, 150}}},
		{"tall png", "cover.png", encodePNG(t, testPicture(400, 1000)), map[int]image.Point{96: {38, 96}, 300: {120, 300}}},
		{"exact png", "cover.png", encodePNG(t, testPicture(300, 200)), map[int]image.Point{96: {96, 64}, 300: {300, 200}}},
		{"tiny gif", "cover.gif", encodeGIF(t, testPicture(50, 40)), map[int]image.Point{96: {50, 40}, 300: {50, 40}}},
		{"webp", "cover.webp", webp75x100, map[int]image.Point{96: {72, 96}, 300: {75, 100}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(Options{})
			for _, size := range []int{96, 300} {
				pic, err := c.Thumbnail(tc.cover, size)
				if err != nil {
					t.Fatalf("Thumbnail(%d): %v", size, err)
				}
				if got := decodeThumb(t, pic).Bounds().Size(); got != tc.want[size] {
					t.Errorf("Thumbnail(%d) is %v, want %v", size, got, tc.want[size])
				}
			}
		})
	}
}

// TestThumbnailTransparent checks that transparent pixels become white, not
// JPEG's default black.
func TestThumbnailTransparent(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 400, 400))
	for y := 100; y < 300; y++ {
		for x := 100; x < 300; x++ {
			img.Set(x, y, color.NRGBA{0, 0, 255, 255})
		}
	}
	pic, err := New(Options{}).Thumbnail(encodePNG(t, img), 96)
	if err != nil {
		t.Fatal(err)
	}
	thumb := decodeThumb(t, pic)
	for _, p := range []struct {
		at   image.Point
		want color.RGBA
	}{{image.Pt(2, 2), color.RGBA{255, 255, 255, 255}}, {image.Pt(48, 48), color.RGBA{0, 0, 255, 255}}} {
		r, g, b, _ := thumb.At(p.at.X, p.at.Y).RGBA()
		got := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}
		if absDiff(got.R, p.want.R) > 8 || absDiff(got.G, p.want.G) > 8 || absDiff(got.B, p.want.B) > 8 {
			t.Errorf("pixel %v = %v, want about %v", p.at, got, p.want)
		}
	}
}

func absDiff(a, b uint8) uint8 { return max(a, b) - min(a, b) }

// TestThumbnailErrors checks that covers that cannot be thumbnailed fail
// with ErrBadImage, and that a size must be positive.
func TestThumbnailErrors(t *testing.T) {
	good := encodeJPEG(t, testPicture(200, 200))
	tests := []struct {
		name  string
		cover []byte
		size  int
		want  error // nil: any error
	}{
		{"size 0", good, 0, nil},
		{"negative size", good, -300, nil},
		{"corrupt jpeg", []byte("\xff\xd8\xff\xe0 not really a JPEG"), 96, ErrBadImage},
		{"truncated jpeg", good[:len(good)/2], 96, ErrBadImage},
		{"corrupt png", []byte("\x89PNG\r\n\x1a\nrubbish"), 300, ErrBadImage},
		{"bad png data", pngHeader(10, 10), 300, ErrBadImage},
		{"unknown format", []byte("BM\x00\x00 a bitmap, say"), 96, ErrBadImage},
		{"empty file", []byte{}, 96, ErrBadImage},
		{"header bomb", pngHeader(100000, 100000), 300, ErrBadImage},
		{"just over the limit", pngHeader(10000, 5001), 300, ErrBadImage},
		{"zero width", pngHeader(0, 10), 300, ErrBadImage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			thumb, err := New(Options{}).Thumbnail(tc.cover, tc.size)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("Thumbnail(%d) = %d bytes, %v; want %v", tc.size, len(thumb), err, tc.want)
			}
		})
	}
}

// TestThumbnailHeaderBomb checks that a PNG claiming 100000×100000 pixels
// is refused from its header: decoding it would allocate 40 GB.
func TestThumbnailHeaderBomb(t *testing.T) {
	c := New(Options{})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.Thumbnail(pngHeader(100000, 100000), 300)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrBadImage) || !strings.Contains(err.Error(), "100000×100000") {
		t.Errorf("Thumbnail = %v, want ErrBadImage naming the dimensions", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes, want under 1 MB", n)
	}
}

// TestThumbnailMemoryCache checks that without a folder the second call for
// a thumbnail, and for a bad cover, decodes nothing.
func TestThumbnailMemoryCache(t *testing.T) {
	tests := []struct {
		name  string
		cover []byte
		ok    bool
	}{
		{"good", encodeJPEG(t, testPicture(600, 600)), true},
		{"corrupt", []byte("\xff\xd8\xff\xe0 corrupt"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(Options{})
			first, err1 := c.Thumbnail(tc.cover, 300)
			second, err2 := c.Thumbnail(tc.cover, 300)
			if (err1 == nil) != tc.ok || (err2 == nil) != tc.ok {
				t.Fatalf("Thumbnail errors = %v, %v; want success %v", err1, err2, tc.ok)
			}
			if !bytes.Equal(first, second) {
				t.Error("the cached thumbnail differs from the first")
			}
			if n := c.Made(); n != 1 {
				t.Errorf("decoded %d times, want 1", n)
			}
			if _, err := c.Thumbnail(tc.cover, 96); (err == nil) != tc.ok {
				t.Errorf("Thumbnail(96) = %v", err)
			}
			if n := c.Made(); n != 2 {
				t.Errorf("after another size, decoded %d times, want 2", n)
			}
		})
	}
}

// thumbFiles lists the files in dir, failing t on error.
func thumbFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestThumbnailDiskCache checks the folder layout, that a thumbnail made
// once is read back by another cache (after a restart), and that a file
// cut short is made again.
func TestThumbnailDiskCache(t *testing.T) {
	cover := encodeJPEG(t, testPicture(640, 480))
	dir := filepath.Join(t.TempDir(), "thumbs") // created on first write
	made, err := New(Options{Dir: dir}).Thumbnail(cover, 300)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(cover)
	name := fmt.Sprintf("%x-300.jpg", sum)
	if got := thumbFiles(t, dir); !slices.Equal(got, []string{name}) {
		t.Fatalf("thumbnail folder holds %q, want [%s]", got, name)
	}
	onDisk, _ := os.ReadFile(filepath.Join(dir, name))
	if !bytes.Equal(onDisk, made) {
		t.Error("the file differs from the thumbnail returned")
	}

	restarted := New(Options{Dir: dir})
	again, err := restarted.Thumbnail(cover, 300)
	if err != nil || !bytes.Equal(again, made) {
		t.Errorf("after a restart: %v, same bytes %v", err, bytes.Equal(again, made))
	}
	if n := restarted.Made(); n != 0 {
		t.Errorf("after a restart, decoded %d times, want 0 (read from the folder)", n)
	}

	os.WriteFile(filepath.Join(dir, name), onDisk[:len(onDisk)/2], 0o644)
	if _, err := restarted.Thumbnail(cover, 300); err != nil {
		t.Fatal(err)
	}
	if n := restarted.Made(); n != 1 {
		t.Errorf("with the file cut short, decoded %d times, want 1", n)
	}
	if repaired, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(repaired, onDisk) {
		t.Error("the cut file was not rewritten")
	}

	os.RemoveAll(dir) // someone clears the cache while Earshot runs
	if _, err := restarted.Thumbnail(cover, 96); err != nil {
		t.Fatal(err)
	}
	if got, want := thumbFiles(t, dir), []string{fmt.Sprintf("%x-96.jpg", sum)}; !slices.Equal(got, want) {
		t.Errorf("after the folder was deleted, it holds %q, want %q", got, want)
	}
}

// TestThumbnailConcurrent checks that callers asking for one thumbnail at
// the same time make it once and all get it (run with -race).
func TestThumbnailConcurrent(t *testing.T) {
	for _, dir := range []string{"", t.TempDir()} {
		t.Run(map[bool]string{false: "memory", true: "folder"}[dir != ""], func(t *testing.T) {
			cover := encodeJPEG(t, testPicture(1000, 1000))
			c := New(Options{Dir: dir})
			const callers = 32
			results := make([][]byte, callers)
			var wg sync.WaitGroup
			for i := range callers {
				wg.Go(func() {
					thumb, err := c.Thumbnail(cover, []int{96, 300}[i%2])
					if err != nil {
						t.Error(err)
					}
					results[i] = thumb
				})
			}
			wg.Wait()
			if n := c.Made(); n != 2 {
				t.Errorf("decoded %d times, want 2 (one per size)", n)
			}
			for i := range results {
				if !bytes.Equal(results[i], results[i%2]) {
					t.Errorf("caller %d got a different thumbnail", i)
				}
			}
			if dir != "" {
				if files := thumbFiles(t, dir); len(files) != 2 {
					t.Errorf("folder holds %q, want two thumbnails and no temporary files", files)
				}
			}
		})
	}
}

// TestThumbnailDirUnwritable checks that a folder that cannot be made
// (its parent is a file) leaves thumbnails in memory.
func TestThumbnailDirUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	c := New(Options{Dir: filepath.Join(file, "thumbs")})
	cover := encodeJPEG(t, testPicture(100, 100))
	for range 2 {
		if _, err := c.Thumbnail(cover, 96); err != nil {
			t.Fatalf("Thumbnail = %v; want the memory cache", err)
		}
	}
	if n := c.Made(); n != 1 {
		t.Errorf("made %d times, want 1 (the second from memory)", n)
	}
}

// toYCbCr converts img to a *image.YCbCr with the given chroma layout.
func toYCbCr(img image.Image, r image.YCbCrSubsampleRatio) *image.YCbCr {
	b := img.Bounds()
	out := image.NewYCbCr(b, r)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			out.Y[out.YOffset(x, y)] = yy
			out.Cb[out.COffset(x, y)] = cb
			out.Cr[out.COffset(x, y)] = cr
		}
	}
	return out
}

// TestBoxShrink compares boxShrink with averaging img.At over each block,
// for each kind of image the decoders return.
func TestBoxShrink(t *testing.T) {
	pic := testPicture(61, 47) // not multiples of k: the edges are dropped
	// YCbCr is averaged before conversion to RGB, which clamps: equal to
	// averaging RGB only within the RGB gamut, so test it on soft gradients.
	soft := image.NewRGBA(pic.Bounds())
	for y := range 47 {
		for x := range 61 {
			soft.SetRGBA(x, y, color.RGBA{uint8(60 + 2*x), uint8(60 + 2*y), uint8(200 - x - y), 255})
		}
	}
	nrgba := image.NewNRGBA(pic.Bounds())
	gray := image.NewGray(pic.Bounds())
	paletted := image.NewPaletted(pic.Bounds(), []color.Color{color.Black, color.White, color.RGBA{200, 0, 0, 255}, color.Transparent})
	for y := range 47 {
		for x := range 61 {
			nrgba.Set(x, y, color.NRGBA{uint8(x * 4), uint8(y * 5), 90, uint8(x * y % 256)})
			gray.Set(x, y, pic.At(x, y))
			paletted.SetColorIndex(x, y, uint8((x/3+y/2)%4))
		}
	}
	tests := []struct {
		name string
		img  image.Image
		slop int // allowed difference per channel
	}{
		{"RGBA", pic, 0},
		{"RGBA subimage", pic.SubImage(image.Rect(5, 3, 50, 40)), 0},
		{"NRGBA with alpha", nrgba, 1},
		{"Gray", gray, 0},
		{"Paletted with transparency", paletted, 0},
		{"YCbCr 4:4:4", toYCbCr(soft, image.YCbCrSubsampleRatio444), 2},
		{"YCbCr 4:2:0", toYCbCr(soft, image.YCbCrSubsampleRatio420), 2},
		{"YCbCr 4:2:2", toYCbCr(soft, image.YCbCrSubsampleRatio422), 2},
		{"YCbCr 4:4:0", toYCbCr(soft, image.YCbCrSubsampleRatio440), 2},
		{"YCbCr 4:1:1", toYCbCr(soft, image.YCbCrSubsampleRatio411), 2},
		{"YCbCr 4:1:0", toYCbCr(soft, image.YCbCrSubsampleRatio410), 2},
		{"YCbCr subimage", toYCbCr(soft, image.YCbCrSubsampleRatio420).SubImage(image.Rect(5, 3, 50, 40)), 2},
	}
	for _, tc := range tests {
		for _, k := range []int{2, 3, 7} {
			t.Run(fmt.Sprintf("%s/k=%d", tc.name, k), func(t *testing.T) {
				b := tc.img.Bounds()
				got := boxShrink(tc.img, k)
				if want := image.Rect(0, 0, b.Dx()/k, b.Dy()/k); got.Bounds() != want {
					t.Fatalf("boxShrink is %v, want %v", got.Bounds(), want)
				}
				for dy := range b.Dy() / k {
					for dx := range b.Dx() / k {
						var sum [4]int
						for y := b.Min.Y + dy*k; y < b.Min.Y+dy*k+k; y++ {
							for x := b.Min.X + dx*k; x < b.Min.X+dx*k+k; x++ {
								c := color.RGBAModel.Convert(tc.img.At(x, y)).(color.RGBA)
								sum[0] += int(c.R)
								sum[1] += int(c.G)
								sum[2] += int(c.B)
								sum[3] += int(c.A)
							}
						}
						g := got.RGBAAt(dx, dy)
						for i, v := range []uint8{g.R, g.G, g.B, g.A} {
							if want := sum[i] / (k * k); abs(int(v)-want) > tc.slop {
								t.Fatalf("pixel (%d, %d) channel %d = %d, want %d±%d", dx, dy, i, v, want, tc.slop)
							}
						}
					}
				}
			})
		}
	}
}

func abs(n int) int { return max(n, -n) }

func TestThumbLRU(t *testing.T) {
	data := func(n int) []byte { return make([]byte, n) }
	entry := (&lruEntry{key: "k"}).cost() // an empty entry's cost
	tests := []struct {
		name string
		max  int
		adds []string // keys, each of 100 bytes
		get  string   // touched after the first two adds
		want []string // kept, most recent first
	}{
		{"fits", 3 * (entry + 100), []string{"a", "b", "c"}, "", []string{"c", "b", "a"}},
		{"drops oldest", 2 * (entry + 100), []string{"a", "b", "c"}, "", []string{"c", "b"}},
		{"get refreshes", 2 * (entry + 100), []string{"a", "b", "c"}, "a", []string{"c", "a"}},
		{"replace", 2 * (entry + 100), []string{"a", "a", "b"}, "", []string{"b", "a"}},
		{"too big to keep", 50, []string{"a"}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := thumbLRU{max: tc.max}
			for i, k := range tc.adds {
				if i == 2 && tc.get != "" {
					c.get(tc.get)
				}
				c.add(k, data(100), nil)
			}
			var got []string
			for el := c.order.Front(); el != nil; el = el.Next() {
				got = append(got, el.Value.(*lruEntry).key)
			}
			if !slices.Equal(got, tc.want) || len(c.byKey) != len(tc.want) || c.used > c.max {
				t.Errorf("cache holds %q (%d in map, %d/%d bytes), want %q", got, len(c.byKey), c.used, c.max, tc.want)
			}
		})
	}
}

func TestGuard(t *testing.T) {
	if err := guard(func() error { panic("decoder bug") }); err == nil || !strings.Contains(err.Error(), "decoder bug") {
		t.Errorf("guard(panic) = %v", err)
	}
	want := errors.New("plain")
	if err := guard(func() error { return want }); err != want {
		t.Errorf("guard(error) = %v, want %v", err, want)
	}
}

// BenchmarkThumbnail measures a 1000×1000 JPEG cover made into a 300 px
// thumbnail: cold (hash, decode, scale, encode), and a cache hit from memory
// and from the folder (hash and lookup). Reading the cover is not counted.
func BenchmarkThumbnail(b *testing.B) {
	cover := encodeJPEG(b, testPicture(1000, 1000))
	b.Run("cold", func(b *testing.B) {
		b.SetBytes(int64(len(cover)))
		for b.Loop() {
			if _, err := New(Options{}).Thumbnail(cover, 300); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, name := range []string{"hit-memory", "hit-disk"} {
		b.Run(name, func(b *testing.B) {
			var o Options
			if name == "hit-disk" {
				o.Dir = b.TempDir()
			}
			s := New(o)
			s.Thumbnail(cover, 300)
			b.SetBytes(int64(len(cover)))
			for b.Loop() {
				if _, err := s.Thumbnail(cover, 300); err != nil {
					b.Fatal(err)
				}
			}
			if n := s.Made(); n != 1 {
				b.Fatalf("decoded %d times, want 1", n)
			}
		})
	}
}

// BenchmarkScale compares ways of shrinking a decoded cover to 300 px, to
// choose [thumbScaler]: each scaler straight from the source ("direct"),
// and after [boxShrink] ("halved"), as [scaleDown] does.
func BenchmarkScale(b *testing.B) {
	scalers := []struct {
		name string
		s    draw.Scaler
	}{{"ApproxBiLinear", draw.ApproxBiLinear}, {"BiLinear", draw.BiLinear}, {"CatmullRom", draw.CatmullRom}}
	for _, side := range []int{1000, 3000} {
		src, err := jpeg.Decode(bytes.NewReader(encodeJPEG(b, testPicture(side, side))))
		if err != nil {
			b.Fatal(err)
		}
		for _, sc := range scalers {
			dst := image.NewRGBA(image.Rect(0, 0, 300, 300))
			b.Run(fmt.Sprintf("%d/direct/%s", side, sc.name), func(b *testing.B) {
				for b.Loop() {
					sc.s.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
				}
			})
			b.Run(fmt.Sprintf("%d/halved/%s", side, sc.name), func(b *testing.B) {
				for b.Loop() {
					half := image.Image(src)
					if k := shrinkFactor(side, side, 300, 300); k >= 2 {
						half = boxShrink(src, k)
					}
					sc.s.Scale(dst, dst.Bounds(), half, half.Bounds(), draw.Src, nil)
				}
			})
		}
	}
}

// BenchmarkThumbnailSteps splits a cold 1000×1000 thumbnail into its steps.
func BenchmarkThumbnailSteps(b *testing.B) {
	cover := encodeJPEG(b, testPicture(1000, 1000))
	img, _ := jpeg.Decode(bytes.NewReader(cover))
	b.Run("sha256", func(b *testing.B) {
		b.SetBytes(int64(len(cover)))
		for b.Loop() {
			sha256.Sum256(cover)
		}
	})
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			jpeg.Decode(bytes.NewReader(cover))
		}
	})
	b.Run("scale", func(b *testing.B) {
		for b.Loop() {
			scaleDown(img, 300)
		}
	})
	small := scaleDown(img, 300)
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			jpeg.Encode(&bytes.Buffer{}, small, &jpeg.Options{Quality: thumbQuality})
		}
	})
}

// FuzzMakeThumbnail feeds makeThumbnail hostile images: it must never
// panic, must fail only with ErrBadImage, and must return a JPEG no larger
// than asked. Run with: go test ./player/artwork -fuzz FuzzMakeThumbnail
func FuzzMakeThumbnail(f *testing.F) {
	f.Add(encodeJPEG(f, testPicture(40, 30)))
	f.Add(encodePNG(f, testPicture(30, 40)))
	f.Add(encodeGIF(f, testPicture(20, 20)))
	f.Add(webp75x100)
	f.Add(pngHeader(100000, 100000))
	f.Add(pngHeader(20, 20))
	f.Fuzz(func(t *testing.T, cover []byte) {
		// Big claims decode slowly but boundedly; the fuzzer needs speed.
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(cover)); err == nil && cfg.Width*cfg.Height > 1<<20 {
			return
		}
		thumb, err := makeThumbnail(cover, 96)
		if err != nil {
			if !errors.Is(err, ErrBadImage) {
				t.Fatalf("error %v does not wrap ErrBadImage", err)
			}
			return
		}
		img, err := jpeg.Decode(bytes.NewReader(thumb))
		if err != nil {
			t.Fatalf("thumbnail is not a JPEG: %v", err)
		}
		if b := img.Bounds(); b.Dx() > 96 || b.Dy() > 96 || b.Empty() {
			t.Fatalf("thumbnail is %v", b)
		}
	})
}
