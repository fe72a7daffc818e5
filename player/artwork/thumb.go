package artwork

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"slices"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"earshot/player/probe"
)

// ErrBadImage is returned by [Cache.Thumbnail] when the cover art cannot
// be made into a thumbnail: it is corrupt, in a format other than JPEG, PNG,
// GIF or WebP, or larger than [MaxSourcePixels].
var ErrBadImage = errors.New("cover art is not a readable image")

// MaxSourcePixels bounds the cover art [Cache.Thumbnail] will decode: 50
// megapixels, about 200 MB as RGBA. The header is checked with
// DecodeConfig first, so a few bytes claiming 100000×100000 pixels are
// refused without allocating the image.
const MaxSourcePixels = 50_000_000

// thumbQuality is the JPEG quality of thumbnails (1–100).
const thumbQuality = 85

// thumbScaler does the last step of shrinking a cover, after [boxShrink]
// has brought it within twice the thumbnail's size. CatmullRom is sharp and
// antialiased. Straight from a 1000×1000 JPEG to 300 px it costs 36 ms of
// CPU (270 ms from 3000×3000: its support widens with the ratio); after
// boxShrink 7 ms (21 ms), against 2.4 ms for ApproxBiLinear, which reads
// only 4 of the ~11 source pixels under each thumbnail pixel and so
// aliases. See BenchmarkScale. It is a constant in all but name: draw's
// kernels are values, never written.
var thumbScaler draw.Scaler = draw.CatmullRom

// codec decodes one image format.
type codec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// thumbCodecs are the formats Thumbnail reads, by the cover's [probe.SniffImage]
// MIME type: the same sniffing that names the original's Content-Type, and
// no other format registered with package image is tried.
var thumbCodecs = map[string]codec{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/gif":  {gif.DecodeConfig, gif.Decode}, // the first frame
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// makeThumbnail decodes cover and encodes it as a JPEG whose longer side is
// at most size pixels. Every failure to read cover wraps [ErrBadImage].
func makeThumbnail(cover []byte, size int) ([]byte, error) {
	mime := probe.SniffImage(cover)
	c, ok := thumbCodecs[mime]
	if !ok {
		return nil, fmt.Errorf("%w: format %s", ErrBadImage, mime)
	}
	var cfg image.Config
	if err := guard(func() (err error) { cfg, err = c.config(bytes.NewReader(cover)); return err }); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxSourcePixels {
		return nil, fmt.Errorf("%w: %d×%d pixels (at most %d allowed)", ErrBadImage, cfg.Width, cfg.Height, MaxSourcePixels)
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
