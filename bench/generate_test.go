//go:build linux

package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dhowden/tag"
)

// TestGenerate writes a 50-track library and checks its folder shape and
// that github.com/dhowden/tag reads every tag back as planned.
func TestGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ffmpeg: not run with -short")
	}
	ctx := context.Background()
	src, err := sampleFLAC(ctx)
	if err != nil {
		t.Fatal(err)
	}
	audio, err := encodeAudio(ctx, src, defaultAudio)
	if err != nil {
		t.Fatal(err)
	}
	if len(audio) < 8<<10 || len(audio) > 16<<10 {
		t.Errorf("encoded audio is %d bytes, want 8–16 KB", len(audio))
	}
	const n = 50
	specs := plan(n, 1)
	dir := t.TempDir()
	if err := generate(ctx, dir, specs, audio); err != nil {
		t.Fatal(err)
	}

	// Artist/Album (year)/NN Title.mp3, or D-NN for albums of several discs.
	shape := regexp.MustCompile(`^[^/]+/[^/]+ \((19|20)\d\d\)/(\d-)?\d\d [^/]+\.mp3$`)
	var files []string
	err = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != n {
		t.Fatalf("generate wrote %d files, want %d", len(files), n)
	}
	for _, p := range files {
		if !shape.MatchString(p) {
			t.Errorf("file %q does not have the shape Artist/Album (year)/NN Title.mp3", p)
		}
	}

	var compilations, covers, nonASCII, multiDisc int
	for _, s := range specs {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(s.Path)))
		if err != nil {
			t.Fatal(err)
		}
		m, err := tag.ReadFrom(f)
		f.Close()
		if err != nil {
			t.Errorf("tag.ReadFrom(%s): %v", s.Path, err)
			continue
		}
		if got := readBack(m); !sameTags(got, s) {
			t.Errorf("tags of %s = %+v, want %+v", s.Path, got, withoutCover(s))
		}
		if s.AlbumArtist == VariousArtists {
			compilations++
		}
		if s.Cover != nil {
			covers++
		}
		if s.DiscTotal > 1 {
			multiDisc++
		}
		if strings.ContainsFunc(s.Artist+s.Title+s.Album, func(r rune) bool { return r >= 0x80 }) {
			nonASCII++
		}
	}
	for name, count := range map[string]int{"compilation": compilations, "embedded cover": covers, "non-ASCII": nonASCII, "multi-disc": multiDisc} {
		if count == 0 {
			t.Errorf("no %s track among the first %d", name, n)
		}
	}

	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
		filepath.Join(dir, filepath.FromSlash(specs[0].Path))).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "2.0") {
		t.Errorf("ffprobe of %s = %q, %v; want a duration of about 2 s", specs[0].Path, out, err)
	}
}

// TestID3v23Encoding checks the bytes of a tag against the ID3v2.3.0
// layout: syncsafe tag size, big-endian frame sizes, ISO-8859-1 for ASCII
// and UTF-16 with a BOM otherwise.
func TestID3v23Encoding(t *testing.T) {
	b := id3v23(trackSpec{Title: "Jóga", Artist: "Björk"})
	tests := []struct {
		name      string
		got, want []byte
	}{
		{"header", b[:6], []byte("ID3\x03\x00\x00")},
		// TIT2: 1 + 2 (BOM) + 2×4 = 11 bytes; TPE1: 1 + 2 + 2×5 = 13.
		{"tag size", b[6:10], syncsafe(10 + 11 + 10 + 13 + id3Padding)},
		{"TIT2 header", b[10:20], []byte("TIT2\x00\x00\x00\x0b\x00\x00")},
		{"TIT2 body", b[20:31], []byte("\x01\xff\xfeJ\x00\xf3\x00g\x00a\x00")},
		{"TPE1 header", b[31:41], []byte("TPE1\x00\x00\x00\x0d\x00\x00")},
	}
	for _, tt := range tests {
		if !bytes.Equal(tt.got, tt.want) {
			t.Errorf("%s = % x, want % x", tt.name, tt.got, tt.want)
		}
	}
	if got := encodeText("Abba"); !bytes.Equal(got, []byte("\x00Abba")) {
		t.Errorf("encodeText(%q) = % x, want ISO-8859-1", "Abba", got)
	}
}

func syncsafe(n int) []byte {
	return []byte{byte(n >> 21 & 0x7f), byte(n >> 14 & 0x7f), byte(n >> 7 & 0x7f), byte(n & 0x7f)}
}

// TestStripTags checks that leading ID3v2 and trailing ID3v1 tags go and
// the frames between stay.
func TestStripTags(t *testing.T) {
	frames := []byte{0xFF, 0xFB, 0x90, 0x64, 1, 2, 3}
	v1 := append([]byte("TAG"), make([]byte, 125)...)
	tests := map[string]struct {
		in, want []byte
	}{
		"bare":      {frames, frames},
		"id3v2":     {append(id3v23(trackSpec{Title: "x"}), frames...), frames},
		"two id3v2": {append(append(id3v23(trackSpec{Title: "x"}), id3v23(trackSpec{Title: "y"})...), frames...), frames},
		"id3v1":     {append(append([]byte{}, frames...), v1...), frames},
	}
	for name, tt := range tests {
		if got := stripTags(tt.in); !bytes.Equal(got, tt.want) {
			t.Errorf("%s: stripTags = % x, want % x", name, got, tt.want)
		}
	}
}

// TestArtistNamesUnique checks that artistName never repeats itself.
func TestArtistNamesUnique(t *testing.T) {
	seen := map[string]int{}
	for i := range 20000 {
		name := artistName(i)
		if j, ok := seen[name]; ok {
			t.Fatalf("artistName(%d) = artistName(%d) = %q", i, j, name)
		}
		seen[name] = i
	}
}

// TestIDCounter checks that idCounter finds `"id":` however the answer is
// split into writes.
func TestIDCounter(t *testing.T) {
	answer := `{"tracks":[{"id":"a"},{"id":"b"},{"title":"x","id":"c"}]}`
	for _, size := range []int{1, 2, 3, 5, 7, len(answer)} {
		var c idCounter
		for s := answer; s != ""; s = s[min(size, len(s)):] {
			c.Write([]byte(s[:min(size, len(s))]))
		}
		if c.ids != 3 || c.n != int64(len(answer)) {
			t.Errorf("writes of %d bytes: idCounter counted %d ids in %d bytes, want 3 in %d", size, c.ids, c.n, len(answer))
		}
	}
}

// TestQueries checks that the search queries are valid UTF-8, not blank,
// and of every kind.
func TestQueries(t *testing.T) {
	qs := queries(plan(2000, 1), 1000, 1)
	kinds := map[queryKind]int{}
	for _, q := range qs {
		if !utf8.ValidString(q.q) || strings.TrimSpace(q.q) == "" {
			t.Errorf("query %q (%s) is blank or not UTF-8", q.q, queryKindNames[q.kind])
		}
		kinds[q.kind]++
	}
	for k, name := range queryKindNames {
		if kinds[queryKind(k)] == 0 {
			t.Errorf("no %s query among %d", name, len(qs))
		}
	}
}
