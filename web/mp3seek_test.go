package web

import (
	"bytes"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/probe"
)

// synthMP3 returns an MP3 file of frames of MPEG-1 Layer III at 44.1 kHz:
// for each bit-rate index in rates, count frames of that rate, behind a
// 20-byte ID3v2 tag; the frame bodies never look like a sync word.
func synthMP3(count int, rates ...byte) []byte {
	b := []byte("ID3\x03\x00\x00\x00\x00\x00\x0a")
	b = append(b, make([]byte, 10)...)
	kbps := map[byte]int{1: 32, 9: 128, 14: 320}
	for _, r := range rates {
		frame := bytes.Repeat([]byte{0x55}, 144*kbps[r]*1000/44100)
		copy(frame, []byte{0xff, 0xfb, r << 4, 0x00})
		for range count {
			b = append(b, frame...)
		}
	}
	return b
}

// mp3SeekLibrary is a library of a VBR MP3 without a Xing header and a CBR
// one, with the MapFS behind it.
func mp3SeekLibrary(t *testing.T) (*player.Library, fstest.MapFS) {
	t.Helper()
	mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"A/B/vbr.mp3": {Data: synthMP3(300, 1, 14, 9), ModTime: mod},
		"A/B/cbr.mp3": {Data: synthMP3(300, 9), ModTime: mod},
	}
	return testLibrary(t, fsys), fsys
}

// TestStreamMP3AsMP4 checks the stream of a VBR MP3 without a Xing header:
// served as audio/mp4, the bytes [probe.MP3AsMP4] describes, with its own
// strong ETag; ranges inside the header, across its end into the MP3's
// frames, at the end, and several at once (multipart) are the right bytes;
// If-Range with the new tag gives a range and with the file's own tag the
// whole; If-None-Match gives 304; HEAD states the length. A CBR MP3 is
// served as it is.
func TestStreamMP3AsMP4(t *testing.T) {
	lib, fsys := mp3SeekLibrary(t)
	h := New(lib, Options{}).Handler()
	file := fsys["A/B/vbr.mp3"].Data
	m, ok, err := probe.MP3AsMP4(bytes.NewReader(file), int64(len(file)))
	if err != nil || !ok {
		t.Fatalf("MP3AsMP4 = %v, %v", ok, err)
	}
	want := append(append([]byte(nil), m.Header...), file[m.From:m.To]...)
	info, err := fs.Stat(fsys, "A/B/vbr.mp3")
	if err != nil {
		t.Fatal(err)
	}
	fileTag := fileETag(info)
	url := "/api/tracks/" + player.TrackID("A/B/vbr.mp3") + "/stream"

	rec := do(h, http.MethodGet, url, nil)
	tag := rec.Header().Get("ETag")
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) || rec.Header().Get("Content-Type") != "audio/mp4" {
		t.Fatalf("GET = %d, %s, %d bytes (equal: %v); want 200, audio/mp4, %d bytes", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len(), bytes.Equal(rec.Body.Bytes(), want), len(want))
	}
	if tag == fileTag || len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		t.Errorf("ETag = %s: want a strong tag other than the MP3's %s", tag, fileTag)
	}

	hl := int64(len(m.Header))
	n := int64(len(want))
	ranges := []struct {
		spec       string
		first, end int64 // want want[first:end]
	}{
		{"bytes=0-99", 0, 100},
		{"bytes=" + strconv.FormatInt(hl-10, 10) + "-" + strconv.FormatInt(hl+9, 10), hl - 10, hl + 10},
		{"bytes=" + strconv.FormatInt(hl, 10) + "-", hl, n},
		{"bytes=" + strconv.FormatInt(hl+5000, 10) + "-" + strconv.FormatInt(hl+6000, 10), hl + 5000, hl + 6001},
		{"bytes=-100", n - 100, n},
	}
	for _, r := range ranges {
		rec := do(h, http.MethodGet, url, http.Header{"Range": {r.spec}})
		cr := "bytes " + strconv.FormatInt(r.first, 10) + "-" + strconv.FormatInt(r.end-1, 10) + "/" + strconv.FormatInt(n, 10)
		if rec.Code != 206 || rec.Header().Get("Content-Range") != cr || !bytes.Equal(rec.Body.Bytes(), want[r.first:r.end]) {
			t.Errorf("Range %s = %d, %q, %d bytes; want 206, %q, the %d bytes", r.spec, rec.Code, rec.Header().Get("Content-Range"), rec.Body.Len(), cr, r.end-r.first)
		}
	}

	// Two ranges at once, one across the header's end.
	rec = do(h, http.MethodGet, url, http.Header{"Range": {"bytes=10-19," + strconv.FormatInt(hl-3, 10) + "-" + strconv.FormatInt(hl+3, 10)}})
	parts := multipartBodies(t, rec)
	if rec.Code != 206 || len(parts) != 2 || !bytes.Equal(parts[0], want[10:20]) || !bytes.Equal(parts[1], want[hl-3:hl+4]) {
		t.Errorf("two ranges = %d, %d parts; want 206 and the two slices", rec.Code, len(parts))
	}

	tail := "bytes=" + strconv.FormatInt(hl, 10) + "-"
	if rec := do(h, http.MethodGet, url, http.Header{"Range": {tail}, "If-Range": {tag}}); rec.Code != 206 {
		t.Errorf("If-Range with the stream's tag = %d, want 206", rec.Code)
	}
	if rec := do(h, http.MethodGet, url, http.Header{"Range": {tail}, "If-Range": {fileTag}}); rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), want) {
		t.Errorf("If-Range with the MP3's own tag = %d, %d bytes; want 200 and the whole stream", rec.Code, rec.Body.Len())
	}
	if rec := do(h, http.MethodGet, url, http.Header{"If-None-Match": {tag}}); rec.Code != 304 {
		t.Errorf("If-None-Match = %d, want 304", rec.Code)
	}
	if rec := do(h, http.MethodHead, url, nil); rec.Code != 200 || rec.Header().Get("Content-Length") != strconv.FormatInt(n, 10) || rec.Body.Len() != 0 {
		t.Errorf("HEAD = %d, Content-Length %q, %d body bytes; want 200, %d, none", rec.Code, rec.Header().Get("Content-Length"), rec.Body.Len(), n)
	}

	cbr := fsys["A/B/cbr.mp3"].Data
	cbrInfo, err := fs.Stat(fsys, "A/B/cbr.mp3")
	if err != nil {
		t.Fatal(err)
	}
	fileTag = fileETag(cbrInfo)
	rec = do(h, http.MethodGet, "/api/tracks/"+player.TrackID("A/B/cbr.mp3")+"/stream", nil)
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), cbr) || rec.Header().Get("Content-Type") != "audio/mpeg" || rec.Header().Get("ETag") != fileTag {
		t.Errorf("CBR GET = %d, %s, ETag %s, %d bytes; want 200, audio/mpeg, %s, the file as it is", rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("ETag"), rec.Body.Len(), fileTag)
	}
}

// multipartBodies returns the bodies of the parts of a multipart/byteranges
// answer, failing t when it is not one.
func multipartBodies(t *testing.T, rec *httptest.ResponseRecorder) [][]byte {
	t.Helper()
	mt, params, err := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	if err != nil || mt != "multipart/byteranges" {
		t.Fatalf("Content-Type %q: not multipart/byteranges (%v)", rec.Header().Get("Content-Type"), err)
	}
	var parts [][]byte
	mr := multipart.NewReader(bytes.NewReader(rec.Body.Bytes()), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("multipart part: %v", err)
		}
		parts = append(parts, b)
	}
}

// TestRemuxFileRead reads a remuxFile through io.Copy in small and odd
// pieces from several positions: each read must give the bytes of header
// and file range at that position, and a file shorter than it was must be
// an error, not a silent end.
func TestRemuxFileRead(t *testing.T) {
	file := []byte("0123456789abcdefghij")
	m := probe.MP4Remux{Header: []byte("HEAD"), From: 3, To: 15}
	want := "HEAD3456789abcde"
	for _, start := range []int64{0, 2, 4, 9, 15, 16, 40} {
		r := &remuxFile{f: bytes.NewReader(file), m: m, fpos: -1}
		if _, err := r.Seek(start, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		buf := make([]byte, 3)
		if _, err := io.CopyBuffer(&got, struct{ io.Reader }{r}, buf); err != nil {
			t.Errorf("read from %d: %v", start, err)
		}
		exp := ""
		if start < int64(len(want)) {
			exp = want[start:]
		}
		if got.String() != exp {
			t.Errorf("read from %d = %q, want %q", start, got.String(), exp)
		}
	}
	r := &remuxFile{f: bytes.NewReader(file[:10]), m: m, fpos: -1}
	if _, err := io.ReadAll(r); err == nil {
		t.Error("reading past a file that shrank: no error")
	}
	if _, err := r.Seek(-1, io.SeekStart); err == nil {
		t.Error("Seek(-1): no error")
	}
}
