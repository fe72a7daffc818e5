package web

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
)

// thumbFS is a library of three albums: one with an 800×400 JPEG cover, one
// without a cover, and one whose cover is corrupt.
func thumbFS(t *testing.T) (fstest.MapFS, []byte) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 800, 400))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var cover bytes.Buffer
	if err := jpeg.Encode(&cover, img, nil); err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{
		"Art/Album/01.wav":       {Data: playertest.WAV(800)},
		"Art/Album/cover.jpg":    {Data: cover.Bytes()},
		"Bare/Album/01.wav":      {Data: playertest.WAV(800)},
		"Broken/Album/01.wav":    {Data: playertest.WAV(800)},
		"Broken/Album/cover.png": {Data: []byte("\x89PNG\r\n\x1a\n not a PNG")},
	}, cover.Bytes()
}

// trackIDs returns the IDs of lib's tracks by their folder's first element.
func trackIDs(lib *player.Library) map[string]string {
	ids := map[string]string{}
	for _, tr := range lib.Tracks() {
		ids[strings.Split(tr.Path, "/")[0]] = tr.ID
	}
	return ids
}

func TestThumbnail(t *testing.T) {
	fsys, original := thumbFS(t)
	lib := testLibrary(t, fsys)
	ids := trackIDs(lib)
	h := New(lib, Options{}).Handler()
	tests := []struct {
		name, id, query string
		code            int
		size            image.Point // of the JPEG, for a 200 thumbnail
		err             string      // the JSON error, for other codes
	}{
		{"list", ids["Art"], "?size=96", 200, image.Pt(96, 48), ""},
		{"grid", ids["Art"], "?size=300", 200, image.Pt(300, 150), ""},
		{"original", ids["Art"], "", 200, image.Pt(800, 400), ""},
		{"size 97", ids["Art"], "?size=97", 400, image.Point{}, badThumbSize},
		{"size 800", ids["Art"], "?size=800", 400, image.Point{}, badThumbSize},
		{"size not a number", ids["Art"], "?size=big", 400, image.Point{}, badThumbSize},
		{"size empty", ids["Art"], "?size=", 400, image.Point{}, badThumbSize},
		{"no cover", ids["Bare"], "?size=96", 404, image.Point{}, "no cover art"},
		{"corrupt cover", ids["Broken"], "?size=300", 404, image.Point{}, "cover art is not a readable image"},
		{"unknown track", "nope", "?size=96", 404, image.Point{}, "track not found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := "/api/tracks/" + tc.id + "/cover" + tc.query
			rec := do(h, "GET", target, nil)
			if rec.Code != tc.code {
				t.Fatalf("GET %s: status %d, want %d (%q)", target, rec.Code, tc.code, rec.Body)
			}
			if tc.code != 200 {
				if got := jsonError(t, rec); got != tc.err {
					t.Errorf("GET %s: error %q, want %q", target, got, tc.err)
				}
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != "image/jpeg" {
				t.Errorf("Content-Type = %q, want image/jpeg", ct)
			}
			img, err := jpeg.Decode(rec.Body)
			if err != nil {
				t.Fatalf("body is not a JPEG: %v", err)
			}
			if got := img.Bounds().Size(); got != tc.size {
				t.Errorf("GET %s: %v image, want %v", target, got, tc.size)
			}
			wantCC := thumbCacheControl
			if tc.query == "" {
				wantCC = "no-cache" // the original, as before thumbnails
			}
			if cc := rec.Header().Get("Cache-Control"); cc != wantCC {
				t.Errorf("Cache-Control = %q, want %q", cc, wantCC)
			}
		})
	}
	if rec := do(h, "GET", "/api/tracks/"+ids["Art"]+"/cover", nil); !bytes.Equal(rec.Body.Bytes(), original) {
		t.Error("without ?size= the original cover's bytes are not served")
	}
}

// TestThumbnailRevalidation checks the ETag: distinct per size, and a 304
// with no body when the browser already has it.
func TestThumbnailRevalidation(t *testing.T) {
	fsys, _ := thumbFS(t)
	lib := testLibrary(t, fsys)
	h := New(lib, Options{}).Handler()
	base := "/api/tracks/" + trackIDs(lib)["Art"] + "/cover"
	etags := map[string]bool{}
	for _, size := range player.ThumbnailSizes {
		target := base + "?size=" + strconv.Itoa(size)
		rec := do(h, "GET", target, nil)
		etag := rec.Header().Get("ETag")
		if rec.Code != 200 || !strings.HasPrefix(etag, `"`+strconv.Itoa(size)+"-") || etags[etag] {
			t.Fatalf("GET %s: status %d, ETag %q; want 200 and a new tag starting with the size", target, rec.Code, etag)
		}
		etags[etag] = true
		tests := []struct {
			ifNoneMatch string
			code        int
		}{
			{etag, 304},
			{`W/` + etag, 304}, // If-None-Match compares weakly (RFC 9110 §13.1.2)
			{`"other", ` + etag, 304},
			{`"other"`, 200},
		}
		for _, tc := range tests {
			rec := do(h, "GET", target, http.Header{"If-None-Match": {tc.ifNoneMatch}})
			if rec.Code != tc.code {
				t.Errorf("GET %s, If-None-Match %s: status %d, want %d", target, tc.ifNoneMatch, rec.Code, tc.code)
			}
			if tc.code == 304 && rec.Body.Len() != 0 {
				t.Errorf("304 with a %d-byte body", rec.Body.Len())
			}
		}
	}
}

// TestThumbnailHead checks HEAD: the headers of a GET, no body.
func TestThumbnailHead(t *testing.T) {
	fsys, _ := thumbFS(t)
	lib := testLibrary(t, fsys)
	h := New(lib, Options{}).Handler()
	target := "/api/tracks/" + trackIDs(lib)["Art"] + "/cover?size=96"
	get, head := do(h, "GET", target, nil), do(h, "HEAD", target, nil)
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(get.Body.Len()) ||
		head.Header().Get("ETag") != get.Header().Get("ETag") {
		t.Errorf("HEAD: status %d, %d-byte body, headers %v; want GET's headers (%v) and no body", head.Code, head.Body.Len(), head.Header(), get.Header())
	}
}

// TestBadThumbSizeMessage keeps the 400 message in step with the sizes.
func TestBadThumbSizeMessage(t *testing.T) {
	for _, size := range player.ThumbnailSizes {
		if !strings.Contains(badThumbSize, strconv.Itoa(size)) {
			t.Errorf("%q does not mention size %d", badThumbSize, size)
		}
	}
}

// TestThumbnailTransparency checks that a cover with transparent pixels
// is served as an opaque JPEG (flattened onto white).
func TestThumbnailTransparency(t *testing.T) {
	var buf bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 10, 10)) // all transparent
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	lib := testLibrary(t, fstest.MapFS{"A/B/01.wav": {Data: playertest.WAV(800)}, "A/B/cover.png": {Data: buf.Bytes()}})
	rec := do(New(lib, Options{}).Handler(), "GET", "/api/tracks/"+lib.Tracks()[0].ID+"/cover?size=96", nil)
	got, err := jpeg.Decode(rec.Body)
	if err != nil {
		t.Fatalf("status %d: %v", rec.Code, err)
	}
	if c := color.GrayModel.Convert(got.At(5, 5)).(color.Gray); c.Y < 250 {
		t.Errorf("transparent pixel served as %v, want white", c)
	}
}
