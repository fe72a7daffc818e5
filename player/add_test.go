package player_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"earshot/player"
	"earshot/player/playertest"
)

// addLibrary returns a library scanned from a new empty folder, and that
// folder.
func addLibrary(t *testing.T) (*player.Library, string) {
	t.Helper()
	dir := t.TempDir()
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	return lib, dir
}

// stage writes data into lib's incoming folder and returns its path.
func stage(t *testing.T, lib *player.Library, data []byte) string {
	t.Helper()
	in, err := lib.IncomingDir()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(in, "up-*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return f.Name()
}

// filesUnder lists the regular files under dir as slash paths.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestAddPlacesByTags adds tagged files and checks where each lands: by
// album artist (or artist), album, disc and track number, with unsafe
// characters replaced; a video in Videos/; a kept name in Uploads/.
func TestAddPlacesByTags(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	src := t.TempDir()
	playertest.Generate(t, src,
		playertest.Spec{Path: "a.flac", Kind: playertest.FLAC, Seconds: 1, Tags: map[string]string{
			"title": "Song: One?", "artist": "Guest", "album_artist": "AC/DC", "album": "Back in Black", "track": "3/10"}},
		playertest.Spec{Path: "b.mp3", Kind: playertest.MP3CBR, Seconds: 1, Tags: map[string]string{
			"title": "Two", "artist": "Solo", "album": "Set", "track": "1/9", "disc": "2/2"}},
		playertest.Spec{Path: "c.m4a", Kind: playertest.AAC, Seconds: 1},
		playertest.Spec{Path: "clip.mp4", Kind: playertest.H264, Seconds: 1},
	)
	lib, dir := addLibrary(t)
	cases := []struct {
		file, name string
		keep       bool
		want       string
	}{
		{"a.flac", "a.flac", false, "AC_DC/Back in Black/03 Song_ One_.flac"},
		{"b.mp3", "b.mp3", false, "Solo/Set/2-01 Two.mp3"},
		{"c.m4a", "My Track.m4a", false, "Unknown Artist/Unknown Album/My Track.m4a"},
		{"clip.mp4", "Holiday.MP4", false, "Videos/Holiday.MP4"},
		{"a.flac", "Live/CON.flac", true, "Uploads/Live/_CON.flac"},
	}
	for _, c := range cases {
		data, err := os.ReadFile(filepath.Join(src, c.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := lib.Add(stage(t, lib, data), c.name, c.keep)
		if err != nil {
			t.Fatalf("Add(%s): %v", c.name, err)
		}
		if got.Path != c.want || got.Duplicate {
			t.Errorf("Add(%s) = %+v, want path %q", c.name, got, c.want)
		}
		placed, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.want)))
		if err != nil || !bytes.Equal(placed, data) {
			t.Errorf("%s: not the same bytes in the library (%v)", c.want, err)
		}
	}
	if left := filesUnder(t, filepath.Join(dir, player.IncomingFolder)); len(left) != 0 {
		t.Errorf("incoming folder still holds %v", left)
	}
}

// TestAddNeverOverwrites adds the same file twice (a duplicate, one copy)
// and a different file with the same tags (a numbered name), and two adds
// of one file at once (one copy).
func TestAddNeverOverwrites(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	src := t.TempDir()
	tags := map[string]string{"title": "T", "artist": "A", "album": "B", "track": "1"}
	playertest.Generate(t, src,
		playertest.Spec{Path: "one.flac", Kind: playertest.FLAC, Seconds: 1, Tags: tags},
		playertest.Spec{Path: "two.flac", Kind: playertest.FLAC, Seconds: 2, Tags: tags},
	)
	one, _ := os.ReadFile(filepath.Join(src, "one.flac"))
	two, _ := os.ReadFile(filepath.Join(src, "two.flac"))
	lib, dir := addLibrary(t)

	var wg sync.WaitGroup
	results := make([]player.Added, 2)
	errs := make([]error, 2)
	for i := range 2 {
		p := stage(t, lib, one)
		wg.Go(func() { results[i], errs[i] = lib.Add(p, "one.flac", false) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if results[0].Duplicate == results[1].Duplicate || results[0].Path != "A/B/01 T.flac" || results[1].Path != "A/B/01 T.flac" {
		t.Errorf("two adds at once = %+v, want one added and one duplicate at A/B/01 T.flac", results)
	}
	third, err := lib.Add(stage(t, lib, one), "again.flac", false)
	if err != nil || !third.Duplicate {
		t.Errorf("third add = %+v, %v; want a duplicate", third, err)
	}
	other, err := lib.Add(stage(t, lib, two), "two.flac", false)
	if err != nil || other.Duplicate || other.Path != "A/B/01 T (2).flac" {
		t.Errorf("different content = %+v, %v; want A/B/01 T (2).flac", other, err)
	}
	want := []string{"A/B/01 T (2).flac", "A/B/01 T.flac"}
	if got := filesUnder(t, dir); !slices.Equal(got, want) {
		t.Errorf("library holds %v, want %v", got, want)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "A/B/01 T.flac")); !bytes.Equal(got, one) {
		t.Error("the first file was overwritten")
	}
}

// TestAddRefuses checks that what is not playable media is refused by its
// content with ErrNotMedia, and leaves nothing in the library or the
// incoming folder: garbage named .mp3, HTML, an empty file, an unknown
// extension, and a FLAC, WAV and M4A cut short (the FLAC caught by
// probe.CheckComplete, the others by the duration readers).
func TestAddRefuses(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	src := t.TempDir()
	playertest.Generate(t, src,
		playertest.Spec{Path: "x.flac", Kind: playertest.FLAC, Seconds: 8},
		playertest.Spec{Path: "x.wav", Kind: playertest.WAVE, Seconds: 2},
		playertest.Spec{Path: "x.m4a", Kind: playertest.AAC, Seconds: 2},
	)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	flac, wav, m4a := read("x.flac"), read("x.wav"), read("x.m4a")
	exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0x4d, 0x00, 0x13}, 5000)...)
	cases := []struct {
		name string
		data []byte
		why  string
	}{
		{"setup.mp3", exe, ""},
		{"page.mp3", []byte("<!doctype html><html><body>not found</body></html>"), ""},
		{"empty.flac", nil, "empty"},
		{"tool.exe", exe, `".exe"`},
		{"half.flac", flac[:len(flac)/2], "cut short"},
		{"half.wav", wav[:len(wav)/2], "truncated"},
		{"half.m4a", m4a[:len(m4a)/2], "truncated"},
	}
	lib, dir := addLibrary(t)
	for _, c := range cases {
		got, err := lib.Add(stage(t, lib, c.data), c.name, false)
		if !errors.Is(err, player.ErrNotMedia) {
			t.Errorf("Add(%s) = %+v, %v; want ErrNotMedia", c.name, got, err)
			continue
		}
		if !strings.Contains(err.Error(), c.why) || !strings.HasPrefix(err.Error(), c.name+": ") {
			t.Errorf("Add(%s) error %q does not name the file and say %q", c.name, err, c.why)
		}
	}
	if got := filesUnder(t, dir); len(got) != 0 {
		t.Errorf("left on disk: %v", got)
	}
	// The whole files pass the same check.
	for name, data := range map[string][]byte{"x.flac": flac, "x.wav": wav, "x.m4a": m4a} {
		if _, err := lib.Add(stage(t, lib, data), name, true); err != nil {
			t.Errorf("whole %s refused: %v", name, err)
		}
	}
}

// TestAddNeedsFolder checks that a library that is not a folder has
// nowhere to add to.
func TestAddNeedsFolder(t *testing.T) {
	lib := player.New(player.Options{})
	if _, err := lib.IncomingDir(); !errors.Is(err, player.ErrNotFolder) {
		t.Errorf("IncomingDir without a folder: %v, want ErrNotFolder", err)
	}
	if _, err := lib.Import(filepath.Join(t.TempDir(), "x.flac"), false); !errors.Is(err, player.ErrNotFolder) {
		t.Errorf("Import without a folder: %v, want ErrNotFolder", err)
	}
}

// TestImportCopies imports a file from outside the library: the original
// stays, the copy lands by its tags.
func TestImportCopies(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	src := t.TempDir()
	playertest.Generate(t, src, playertest.Spec{Path: "s.opus", Kind: playertest.Opus, Seconds: 1,
		Tags: map[string]string{"title": "Hi", "artist": "Me", "album": "Demo", "track": "7"}})
	lib, dir := addLibrary(t)
	got, err := lib.Import(filepath.Join(src, "s.opus"), false)
	if err != nil || got.Path != "Me/Demo/07 Hi.opus" {
		t.Fatalf("Import = %+v, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(src, "s.opus")); err != nil {
		t.Errorf("the original is gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Me/Demo/07 Hi.opus")); err != nil {
		t.Error(err)
	}
}

// TestSafeName checks names that Linux, Windows or macOS would refuse or
// hide, and the length limit.
func TestSafeName(t *testing.T) {
	long := strings.Repeat("é", 150) + ".flac" // 305 bytes
	cases := map[string]string{
		`AC/DC`:            "AC_DC",
		`a\b:c*d?e"f<g>h|`: "a_b_c_d_e_f_g_h_",
		"tab\there":        "tab_here",
		"trailing. . ":     "trailing",
		"  .hidden.mp3":    "hidden.mp3",
		"CON":              "_CON",
		"nul.txt":          "_nul.txt",
		"com7.flac":        "_com7.flac",
		"COM0.flac":        "COM0.flac",
		"Console":          "Console",
		"...":              "_",
		"":                 "_",
		"bad\xffbyte":      "bad_byte",
	}
	for in, want := range cases {
		if got := player.SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	got := player.SafeName(long)
	if len(got) > 180 || !strings.HasSuffix(got, ".flac") || !utf8Valid(got) {
		t.Errorf("SafeName(long) = %q (%d bytes), want at most 180 valid bytes ending .flac", got, len(got))
	}
}

// utf8Valid reports whether s is valid UTF-8.
func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
