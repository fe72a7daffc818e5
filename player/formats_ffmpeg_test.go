package player_test

import (
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// formatCase is one file of the library TestScanEveryFormat makes.
type formatCase struct {
	path   string
	kind   playertest.Kind
	format probe.Format
	tagged bool // the format carries the spec's tags
	cover  bool // a cover is embedded
}

// formatCases are one file per format ffmpeg (or, for Musepack, mpcenc)
// can write; [handMadeCases] are the others.
var formatCases = []formatCase{
	{"mp3/a.mp3", playertest.MP3CBR, probe.MP3, true, true},
	{"flac/a.flac", playertest.FLAC, probe.FLAC, true, true},
	{"ogg/a.ogg", playertest.Vorbis, probe.Ogg, true, false},
	{"opus/a.opus", playertest.Opus, probe.Opus, true, false},
	{"m4a/aac.m4a", playertest.AAC, probe.M4A, true, true},
	{"m4a/alac.m4a", playertest.ALAC, probe.M4A, true, true},
	{"wav/a.wav", playertest.WAVE, probe.WAV, false, false},
	{"aiff/a.aiff", playertest.AIFF, probe.AIFF, true, true},
	{"aiff/a.aifc", playertest.AIFC, probe.AIFF, true, true},
	{"wma/a.wma", playertest.WMA, probe.WMA, true, true},
	{"wv/a.wv", playertest.WavPack, probe.WavPack, true, false},
	{"tta/a.tta", playertest.TTA, probe.TTA, true, false},
	{"ac3/a.ac3", playertest.AC3, probe.AC3, false, false},
	{"eac3/a.eac3", playertest.EAC3, probe.EAC3, false, false},
	{"aac/a.aac", playertest.ADTS, probe.AAC, false, false},
	{"mp2/a.mp2", playertest.MP2, probe.MP2, false, false},
	{"mka/a.mka", playertest.MKA, probe.MKA, true, true},
	{"webm/a.webm", playertest.WebMAudio, probe.WebM, true, false},
	{"mpc/a.mpc", playertest.Musepack, probe.Musepack, true, false},
}

// handMadeCase is a file of TestScanEveryFormat's library in a format
// that no program here writes, made by hand with a title and no other tag.
type handMadeCase struct {
	path   string
	format probe.Format
	title  string
	data   []byte
}

// handMadeCases are the DSD files (ffmpeg reads DSF and DSDIFF but writes
// neither) and a Monkey's Audio file (no encoder is packaged), silent; the
// APE file is two frames long.
func handMadeCases() []handMadeCase {
	return []handMadeCase{
		{"dsf/a.dsf", probe.DSF, "Quiet", playertest.DSF(1.5, "Quiet")},
		{"dff/a.dff", probe.DFF, "Quiet DFF", playertest.DFF(1.5, "Quiet DFF")},
		{"ape/a.ape", probe.APE, "Quiet APE", playertest.APE(7.3, "Quiet APE")},
	}
}

// makeFormatLibrary generates formatCases, writes handMadeCases, and adds
// two videos and an unreadable file, under a new folder it returns.
func makeFormatLibrary(t *testing.T) string {
	dir := t.TempDir()
	tags := map[string]string{"title": "Song", "artist": "Band", "album": "Record", "track": "3/12", "date": "2001"}
	var specs []playertest.Spec
	for _, c := range formatCases {
		specs = append(specs, playertest.Spec{Path: c.path, Kind: c.kind, Seconds: 7.3, Tags: tags, Cover: c.cover})
	}
	specs = append(specs, playertest.Spec{Path: "video/a.mkv", Kind: playertest.MKVVideo, Seconds: 2},
		playertest.Spec{Path: "video/a.avi", Kind: playertest.AVIVideo, Seconds: 2})
	playertest.Generate(t, dir, specs...)
	write := func(name string, data []byte) {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range handMadeCases() {
		write(c.path, c.data)
	}
	write("broken/garbage.wma", []byte(strings.Repeat("this is not a Windows Media file\n", 50)))
	return dir
}

// ffprobeLog returns Tools whose ffprobe is a wrapper that notes each run
// in a log file, and a function counting the runs so far.
func ffprobeLog(t *testing.T) (*probe.Tools, func() int) {
	real := probe.FindTools()
	if !real.Available() {
		t.Fatal("ffprobe and ffmpeg must be installed")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "runs")
	wrapper := filepath.Join(dir, "ffprobe")
	script := "#!/bin/sh\necho run >> '" + log + "'\nexec '" + real.FFprobe + "' \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return &probe.Tools{FFprobe: wrapper, FFmpeg: real.FFmpeg}, func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "run\n")
	}
}

// TestScanEveryFormat makes a library of one file per format and scans it
// with ffmpeg and without.
func TestScanEveryFormat(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := makeFormatLibrary(t)
	t.Run("with ffmpeg", func(t *testing.T) { testScanWithFFmpeg(t, dir) })
	t.Run("without ffmpeg", func(t *testing.T) { testScanWithoutFFmpeg(t, dir) })
	t.Run("ffmpeg installed later", func(t *testing.T) { testFFmpegInstalledLater(t, dir) })
}

// memIndex is an [player.Index] in memory.
type memIndex struct {
	mu       sync.Mutex
	tracks   map[string][]player.Track
	problems map[string][]string
}

func (m *memIndex) Load(name string) ([]player.Track, []string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.tracks[name]), slices.Clone(m.problems[name]), nil
}

func (m *memIndex) Save(name string, tracks []player.Track, problems []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tracks[name], m.problems[name] = slices.Clone(tracks), slices.Clone(problems)
	return nil
}

// testFFmpegInstalledLater scans the library in dir without ffmpeg into an
// index, then, as a launch after installing ffmpeg does, restores the
// index into a library that has it and rescans: the files that needed
// ffmpeg are read (and only they), and none needs it any more.
func testFFmpegInstalledLater(t *testing.T, dir string) {
	ix := &memIndex{tracks: map[string][]player.Track{}, problems: map[string][]string{}}
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	without := player.New(player.Options{Index: ix, Tools: &probe.Tools{}})
	if _, err := without.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	tools, runs := ffprobeLog(t)
	lib := player.New(player.Options{Index: ix, Tools: tools})
	if _, err := lib.Restore(src); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	var probed int
	for _, tr := range append(lib.Tracks(), lib.Videos()...) {
		if tr.NeedsFFmpeg {
			t.Errorf("%s still needs ffmpeg", tr.Path)
		}
		if tr.Format.NeedsFFprobe() {
			probed++
		}
	}
	if n := runs(); n != probed+1 { // and the unreadable file
		t.Errorf("ffprobe ran %d times, want %d: once per file that needed it", n, probed+1)
	}
}

// testScanWithFFmpeg scans the library in dir: every playable file is
// listed with a length within 0.1 s of what ffmpeg decodes, its tags and
// its cover; the videos are videos; the unreadable file is a problem with
// ffprobe's reason. A rescan runs ffprobe on no unchanged file.
func testScanWithFFmpeg(t *testing.T, dir string) {
	tools, runs := ffprobeLog(t)
	lib := player.New(player.Options{Tools: tools})
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	for _, c := range formatCases {
		tr, err := lib.Track(player.TrackID(c.path))
		if err != nil {
			t.Errorf("%s: not listed: %v (problems: %q)", c.path, err, lib.Problems())
			continue
		}
		checkFormatTrack(t, lib, tr, c, filepath.Join(dir, c.path))
	}
	for _, c := range handMadeCases() {
		tr, err := lib.Track(player.TrackID(c.path))
		if err != nil {
			t.Errorf("%s: not listed: %v (problems: %q)", c.path, err, lib.Problems())
			continue
		}
		want := playertest.DecodedLength(t, filepath.Join(dir, c.path))
		if tr.Title != c.title || math.Abs(tr.Duration-want) > 0.1 || tr.Format != c.format || tr.NeedsFFmpeg {
			t.Errorf("%s: %q, %.3f s, format %q, needs ffmpeg %v; want %q, %.3f s (decoded), %q",
				c.path, tr.Title, tr.Duration, tr.Format, tr.NeedsFFmpeg, c.title, want, c.format)
		}
	}
	videos := paths(lib.Videos())
	if !slices.Equal(videos, []string{"video/a.avi", "video/a.mkv"}) {
		t.Errorf("videos = %q, want the AVI and the MKV", videos)
	}
	for _, v := range lib.Videos() {
		if v.Width != playertest.VideoWidth || v.Height != playertest.VideoHeight || math.Abs(v.Duration-2) > 0.1 {
			t.Errorf("%s: %dx%d, %.3f s; want %dx%d, 2 s", v.Path, v.Width, v.Height, v.Duration, playertest.VideoWidth, playertest.VideoHeight)
		}
	}
	problems := lib.Problems()
	if len(problems) != 1 || !strings.HasPrefix(problems[0], "broken/garbage.wma: ") || !strings.Contains(problems[0], "Invalid data") {
		t.Errorf("problems = %q, want only broken/garbage.wma with ffprobe's reason", problems)
	}

	before := runs()
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	// Only the unreadable file, which is no track, is read again.
	if n := runs() - before; n != 1 {
		t.Errorf("a rescan of an unchanged library ran ffprobe %d times, want 1 (the unreadable file)", n)
	}
}

// checkFormatTrack checks the track tr of the formatCase c, whose file is
// at file.
func checkFormatTrack(t *testing.T, lib *player.Library, tr player.Track, c formatCase, file string) {
	t.Helper()
	want := playertest.DecodedLength(t, file)
	if math.Abs(tr.Duration-want) > 0.1 {
		t.Errorf("%s: duration %.3f s, decoded %.3f s", c.path, tr.Duration, want)
	}
	if tr.Format != c.format || tr.Video || tr.NeedsFFmpeg {
		t.Errorf("%s: format %q video %v needsFFmpeg %v; want %q audio", c.path, tr.Format, tr.Video, tr.NeedsFFmpeg, c.format)
	}
	if c.tagged && (tr.Title != "Song" || tr.Artist != "Band" || tr.Album != "Record" || tr.TrackNumber != 3 || tr.TrackTotal != 12 || tr.Year != 2001) {
		t.Errorf("%s: tags %q %q %q %d/%d %d; want Song, Band, Record, 3/12, 2001",
			c.path, tr.Title, tr.Artist, tr.Album, tr.TrackNumber, tr.TrackTotal, tr.Year)
	}
	if !c.tagged && c.format.NeedsFFprobe() && tr.Title != "a" {
		t.Errorf("%s: title %q, want the file's name", c.path, tr.Title)
	}
	if tr.HasCover != c.cover {
		t.Errorf("%s: HasCover %v, want %v", c.path, tr.HasCover, c.cover)
	}
	if c.cover {
		if pic, err := lib.Cover(tr.ID); err != nil || pic.MIMEType != "image/jpeg" {
			t.Errorf("%s: Cover = %s, %v; want the embedded JPEG", c.path, pic.MIMEType, err)
		}
	}
}

// testScanWithoutFFmpeg scans the library in dir with no ffmpeg (its
// path in a folder that does not exist): the files only it reads are
// listed as needing it (named after the file, no length), videos among
// them, and nothing is a problem.
func testScanWithoutFFmpeg(t *testing.T, dir string) {
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	lib := player.New(player.Options{Tools: &probe.Tools{FFprobe: filepath.Join(missing, "ffprobe")}})
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath(filepath.Join(missing, "ffprobe")); err == nil {
		t.Fatal("the missing ffprobe exists")
	}
	cases := append(slices.Clone(formatCases), formatCase{path: "broken/garbage.wma", format: probe.WMA})
	for _, c := range handMadeCases() {
		cases = append(cases, formatCase{path: c.path, format: c.format})
	}
	for _, c := range cases {
		tr, err := lib.Track(player.TrackID(c.path))
		if err != nil {
			t.Errorf("%s: not listed: %v", c.path, err)
			continue
		}
		if want := c.format.NeedsFFprobe(); tr.NeedsFFmpeg != want {
			t.Errorf("%s: NeedsFFmpeg = %v, want %v", c.path, tr.NeedsFFmpeg, want)
		}
		if tr.NeedsFFmpeg && (tr.Duration != 0 || tr.Title != strings.TrimSuffix(filepath.Base(c.path), filepath.Ext(c.path))) {
			t.Errorf("%s: %q, %.3f s; want the file's name and no length", c.path, tr.Title, tr.Duration)
		}
	}
	for _, v := range lib.Videos() {
		if !v.NeedsFFmpeg {
			t.Errorf("video %s: NeedsFFmpeg false", v.Path)
		}
	}
	if len(lib.Videos()) != 2 || len(lib.Problems()) != 0 {
		t.Errorf("%d videos, problems %q; want 2 and none", len(lib.Videos()), lib.Problems())
	}
}

// TestScanFFprobeFromStdin scans files only ffprobe reads from a source
// that is not a folder on disk: ffprobe reads them from its standard
// input.
func TestScanFFprobeFromStdin(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir,
		playertest.Spec{Path: "a.wma", Kind: playertest.WMA, Seconds: 3, Tags: map[string]string{"title": "Piped"}},
		playertest.Spec{Path: "a.aac", Kind: playertest.ADTS, Seconds: 3})
	fsys := fstest.MapFS{"junk.wv": {Data: []byte("no WavPack here, only text, not even a header")}}
	for _, name := range []string{"a.wma", "a.aac"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	lib, _ := scan(t, fsys)
	for _, name := range []string{"a.wma", "a.aac"} {
		tr, err := lib.Track(player.TrackID(name))
		want := playertest.DecodedLength(t, filepath.Join(dir, name))
		if err != nil || math.Abs(tr.Duration-want) > 0.1 {
			t.Errorf("%s: %+v, %v; want %.3f s", name, tr, err, want)
		}
	}
	if tr, _ := lib.Track(player.TrackID("a.wma")); tr.Title != "Piped" {
		t.Errorf("a.wma: title %q, want Piped", tr.Title)
	}
	if p := lib.Problems(); len(p) != 1 || !strings.HasPrefix(p[0], "junk.wv: ") {
		t.Errorf("problems = %q, want junk.wv", p)
	}
}
