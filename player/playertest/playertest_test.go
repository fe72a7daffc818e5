package playertest

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dhowden/tag"
)

// TestGenerateTags checks that every kind is written with the requested
// length and with tags that github.com/dhowden/tag reads back, as the
// library scanner will. dhowden/tag cannot read WAV, so for WAV the tags are
// checked with ffprobe instead.
func TestGenerateTags(t *testing.T) {
	tags := map[string]string{
		"title":        "Song Title",
		"artist":       "Some Artist",
		"album":        "The Album",
		"album_artist": "Album Artist",
		"track":        "3/12",
		"disc":         "1/2",
		"date":         "2019",
		"genre":        "Jazz",
	}
	tests := []struct {
		kind      Kind
		path      string
		cover     bool // whether tag.ReadFrom should find a picture
		noTagRead bool // dhowden/tag cannot read the format
	}{
		{MP3CBR, "cbr.mp3", true, false},
		{MP3VBR, "vbr.mp3", true, false},
		{MP3VBRNoXing, "vbr-noxing.mp3", true, false},
		{FLAC, "a.flac", true, false},
		{Vorbis, "a.ogg", false, false},
		{Opus, "a.opus", false, false},
		{AAC, "aac.m4a", true, false},
		{ALAC, "alac.m4a", true, false},
		{WAVE, "a.wav", false, true},
	}
	dir := t.TempDir()
	var specs []Spec
	for _, tt := range tests {
		specs = append(specs, Spec{Path: "Artist/Album/" + tt.path, Kind: tt.kind, Seconds: 2, Tags: tags, Cover: true})
	}
	Generate(t, dir, specs...)

	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			file := filepath.Join(dir, "Artist", "Album", tt.path)
			// ffprobe only estimates the length of MP3 without a Xing
			// header from its bit rate, so it is not checked here.
			if d := Probe(t, file); tt.kind != MP3VBRNoXing && math.Abs(d-2) > 0.1 {
				t.Errorf("Probe(%s) = %v, want 2 ± 0.1", tt.path, d)
			}
			if d := DecodedDuration(t, file); math.Abs(d-2) > 0.1 {
				t.Errorf("DecodedDuration(%s) = %v, want 2 ± 0.1", tt.path, d)
			}
			if tt.noTagRead {
				out := ffprobe(t, "-show_entries", "format_tags=title,artist,album", file)
				for _, want := range []string{tags["title"], tags["artist"], tags["album"]} {
					if !strings.Contains(out, want) {
						t.Errorf("ffprobe tags of %s = %q, want %q in them", tt.path, out, want)
					}
				}
				return
			}
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, err := tag.ReadFrom(f)
			if err != nil {
				t.Fatalf("tag.ReadFrom(%s): %v", tt.path, err)
			}
			strs := []struct{ name, got, want string }{
				{"Title", m.Title(), tags["title"]},
				{"Artist", m.Artist(), tags["artist"]},
				{"Album", m.Album(), tags["album"]},
				{"AlbumArtist", m.AlbumArtist(), tags["album_artist"]},
				{"Genre", m.Genre(), tags["genre"]},
			}
			for _, s := range strs {
				if s.got != s.want {
					t.Errorf("%s: %s() = %q, want %q", tt.path, s.name, s.got, s.want)
				}
			}
			if n, total := m.Track(); n != 3 || total != 12 {
				t.Errorf("%s: Track() = %d, %d, want 3, 12", tt.path, n, total)
			}
			if n, total := m.Disc(); n != 1 || total != 2 {
				t.Errorf("%s: Disc() = %d, %d, want 1, 2", tt.path, n, total)
			}
			if y := m.Year(); y != 2019 {
				t.Errorf("%s: Year() = %d, want 2019", tt.path, y)
			}
			p := m.Picture()
			if got := p != nil; got != tt.cover {
				t.Fatalf("%s: Picture() present = %v, want %v", tt.path, got, tt.cover)
			}
			if p != nil && !strings.HasPrefix(string(p.Data), "\xff\xd8\xff") {
				t.Errorf("%s: picture %q is not a JPEG", tt.path, p.MIMEType)
			}
		})
	}
}

// TestGenerateDefaultLength checks that a zero Seconds gives DefaultSeconds.
func TestGenerateDefaultLength(t *testing.T) {
	dir := t.TempDir()
	Generate(t, dir, Spec{Path: "x.wav", Kind: WAVE})
	if d := Probe(t, filepath.Join(dir, "x.wav")); d != DefaultSeconds {
		t.Errorf("Probe(x.wav) = %v, want %v", d, DefaultSeconds)
	}
}

// TestSpecCheck covers the specs Generate refuses before running ffmpeg.
func TestSpecCheck(t *testing.T) {
	tests := []struct {
		spec Spec
		ok   bool
	}{
		{Spec{Path: "a/b.mp3", Kind: MP3CBR}, true},
		{Spec{Path: "A.MP3", Kind: MP3VBR}, true},
		{Spec{Path: "a.ogg", Kind: Opus}, true},
		{Spec{Path: "a.m4b", Kind: ALAC}, true},
		{Spec{Path: "a.flac", Kind: MP3CBR}, false},
		{Spec{Path: "a.mp3", Kind: "mp2"}, false},
		{Spec{Path: "", Kind: WAVE}, false},
		{Spec{Path: "/abs.wav", Kind: WAVE}, false},
		{Spec{Path: "../up.wav", Kind: WAVE}, false},
		{Spec{Path: "a.wav", Kind: WAVE, Seconds: -1}, false},
	}
	for _, tt := range tests {
		if err := tt.spec.check(); (err == nil) != tt.ok {
			t.Errorf("%+v.check() = %v, want ok %v", tt.spec, err, tt.ok)
		}
	}
}

// TestMetadata checks the splitting of "n/total" for Vorbis comments.
func TestMetadata(t *testing.T) {
	tags := map[string]string{"track": "3/12", "disc": "1/2", "title": "a/b"}
	tests := []struct {
		kind Kind
		want string
	}{
		{FLAC, "disc=1 disctotal=2 title=a/b track=3 tracktotal=12"},
		{MP3CBR, "disc=1/2 title=a/b track=3/12"},
	}
	for _, tt := range tests {
		got := strings.Join(Spec{Tags: tags}.metadata(kinds[tt.kind]), " ")
		if got != tt.want {
			t.Errorf("metadata for %s = %q, want %q", tt.kind, got, tt.want)
		}
	}
}

// TestSourceExists checks that the input recording is found.
func TestSourceExists(t *testing.T) {
	if _, err := os.Stat(source(t)); errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
}

// TestHandMade checks the files made by hand rather than by ffmpeg: ffmpeg
// decodes each with no error or warning (the APE frames' CRCs checked),
// to exactly the asked length in samples, and ffprobe reads its title.
func TestHandMade(t *testing.T) {
	NeedsFFmpeg(t)
	tests := []struct {
		name    string
		data    []byte
		title   string
		seconds float64 // the exact decoded length
	}{
		// DSD decodes to one sample per byte of a channel: 352,800 a second.
		{"a.dsf", DSF(1.5, "DSF title"), "DSF title", 1.5},
		{"a.dff", DFF(1.5, "DFF title"), "DFF title", 1.5},
		{"odd.dff", DFF(0.25, "Odd"), "Odd", 0.25}, // a DITI chunk of odd length
		{"a.ape", APE(1.5, "APE title"), "APE title", 1.5},
		// Two frames, the second one short: 321,930 samples.
		{"long.ape", APE(7.3, "Two frames"), "Two frames", 7.3},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, tt.name)
			if err := os.WriteFile(file, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(ffprobe(t, "-show_entries", "format_tags=title", "file:"+file)); got != tt.title {
				t.Errorf("ffprobe title = %q, want %q", got, tt.title)
			}
			if got := DecodedLength(t, file); got != tt.seconds {
				t.Errorf("DecodedLength = %v s, want exactly %v", got, tt.seconds)
			}
			cmd := exec.Command(tool(t, "ffmpeg"), "-v", "warning", "-nostdin", "-err_detect", "crccheck+explode",
				"-i", "file:"+file, "-f", "null", "-")
			out, err := cmd.CombinedOutput()
			var msgs []string
			for line := range strings.Lines(string(out)) {
				// ffmpeg estimates a DSD file's length from its bit
				// rate, and says so; that is no decoding error.
				if !strings.Contains(line, "Estimating duration from bitrate") {
					msgs = append(msgs, line)
				}
			}
			if err != nil || len(msgs) > 0 {
				t.Errorf("ffmpeg decode: %v\n%s", err, strings.Join(msgs, ""))
			}
		})
	}
}

// TestGenerateMusepack checks that a Musepack fixture is Musepack SV8 of
// the asked length, with its tags in APEv2 items that ffprobe reads.
func TestGenerateMusepack(t *testing.T) {
	dir := t.TempDir()
	tags := map[string]string{"title": "Song", "artist": "Band", "album": "Record", "album_artist": "Various",
		"track": "3/12", "date": "2001", "genre": "Jazz"}
	Generate(t, dir, Spec{Path: "a.mpc", Kind: Musepack, Seconds: 2, Tags: tags})
	file := filepath.Join(dir, "a.mpc")
	if got := strings.TrimSpace(ffprobe(t, "-show_entries", "format=format_name", "file:"+file)); got != "mpc8" {
		t.Errorf("format %q, want mpc8 (Musepack SV8)", got)
	}
	// The encoder codes whole frames of 1,152 samples.
	if d := DecodedLength(t, file); math.Abs(d-2) > 1152.0/44100 {
		t.Errorf("DecodedLength = %v s, want 2 within a frame", d)
	}
	out := ffprobe(t, "-show_entries", "format_tags", "-of", "flat", "file:"+file)
	for _, want := range []string{`Title="Song"`, `Artist="Band"`, `Album="Record"`, `Album_Artist="Various"`,
		`Track="3/12"`, `Year="2001"`, `Genre="Jazz"`} {
		if !strings.Contains(out, want) {
			t.Errorf("ffprobe tags = %s\nwant %s in them", out, want)
		}
	}
}
