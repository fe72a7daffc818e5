package player_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"earshot/player"
	"earshot/player/lyrics"
	"earshot/player/playertest"
)

// scanFolder scans the folder dir into a new library.
func scanFolder(t *testing.T, dir string) *player.Library {
	t.Helper()
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	return lib
}

// TestCueSheetOverFLAC splits a real 20-s FLAC made by ffmpeg with a cue
// sheet beside it, another with the sheet in its CUESHEET comment, and a
// copy of the first with a FLAC CUESHEET block instead, and checks each track's start, end and duration (±0.1 s) against the
// sheet's times and the file's length as ffprobe reads it.
func TestCueSheetOverFLAC(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	sheet := "PERFORMER \"Tape Band\"\nTITLE \"Concert\"\nFILE \"%s\" WAVE\n" +
		"TRACK 01 AUDIO\nTITLE \"One\"\nINDEX 01 00:00:00\n" +
		"TRACK 02 AUDIO\nTITLE \"Two\"\nINDEX 00 00:06:00\nINDEX 01 00:06:30\n" +
		"TRACK 03 AUDIO\nTITLE \"Three\"\nINDEX 01 00:13:00\n"
	playertest.Generate(t, dir,
		playertest.Spec{Path: "Live/concert.flac", Kind: playertest.FLAC, Seconds: 20, Tags: map[string]string{"title": "concert"}},
		playertest.Spec{Path: "Embedded/set.flac", Kind: playertest.FLAC, Seconds: 20,
			Tags: map[string]string{"CUESHEET": fmtSheet(sheet, "CDImage.wav")}},
	)
	if err := os.WriteFile(filepath.Join(dir, "Live", "concert.cue"), []byte(fmtSheet(sheet, "concert.wav")), 0o644); err != nil {
		t.Fatal(err)
	}
	// The same file with a FLAC CUESHEET block instead (no titles there).
	flac, err := os.ReadFile(filepath.Join(dir, "Live", "concert.flac"))
	if err != nil {
		t.Fatal(err)
	}
	block, err := playertest.WithFLACCueSheet(flac, []float64{0, 6 + 30.0/75, 13})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "Block"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Block", "block.flac"), block, 0o644); err != nil {
		t.Fatal(err)
	}
	lib := scanFolder(t, dir)
	length := playertest.Probe(t, filepath.Join(dir, "Block", "block.flac"))
	for i, span := range [][2]float64{{0, 6 + 30.0/75}, {6 + 30.0/75, 13}, {13, length}} {
		tr, err := lib.Track(player.CueTrackID("Block/block.flac", i+1))
		if err != nil {
			t.Fatalf("block.flac track %d: %v", i+1, err)
		}
		// The block has no titles; the file's album tag is none, so the
		// album is the folder's name.
		if tr.Title != fmt.Sprintf("Track %02d", i+1) || tr.Album != "Block" ||
			math.Abs(tr.Start-span[0]) > 0.001 || math.Abs(tr.Duration-(span[1]-span[0])) > 0.1 {
			t.Errorf("block.flac track %d: %q %q, %.3f s from %.3f; want %.3f s from %.3f", i+1, tr.Title, tr.Album, tr.Duration, tr.Start, span[1]-span[0], span[0])
		}
	}
	for _, p := range []string{"Live/concert.flac", "Embedded/set.flac"} {
		length := playertest.Probe(t, filepath.Join(dir, filepath.FromSlash(p)))
		starts := []float64{0, 6 + 30.0/75, 13}
		ends := []float64{starts[1], starts[2], length}
		for i, title := range []string{"One", "Two", "Three"} {
			tr, err := lib.Track(player.CueTrackID(p, i+1))
			if err != nil {
				t.Fatalf("%s track %d: %v", p, i+1, err)
			}
			want := ends[i] - starts[i]
			if tr.Title != title || tr.Album != "Concert" || tr.Artist != "Tape Band" ||
				math.Abs(tr.Start-starts[i]) > 0.001 || math.Abs(tr.End-ends[i]) > 0.1 || math.Abs(tr.Duration-want) > 0.1 {
				t.Errorf("%s track %d: %q %q %q, %.3f–%.3f (%.3f s); want %q, %.3f–%.3f (%.3f s)",
					p, i+1, tr.Title, tr.Album, tr.Artist, tr.Start, tr.End, tr.Duration, title, starts[i], ends[i], want)
			}
		}
		if _, err := lib.Track(player.TrackID(p)); err == nil {
			t.Errorf("%s is listed whole too", p)
		}
	}
	if n := len(lib.Tracks()); n != 9 {
		t.Errorf("%d tracks, want 9", n)
	}
}

// fmtSheet puts the FILE name into sheet.
func fmtSheet(sheet, file string) string {
	return strings.Replace(sheet, "%s", file, 1)
}

// id3Frame is an ID3v2.3 frame: id, 32-bit size, no flags, body.
func id3Frame(id string, body []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(b[4:], uint32(len(body)))
	return append(b, body...)
}

// withID3 returns the MP3 file mp3 with its ID3v2 tag replaced by one
// holding frames.
func withID3(t *testing.T, mp3 []byte, frames ...[]byte) []byte {
	t.Helper()
	if len(mp3) < 10 || string(mp3[:3]) != "ID3" {
		t.Fatal("the MP3 fixture has no ID3v2 tag")
	}
	old := 10 + int(mp3[6])<<21 | int(mp3[7])<<14 | int(mp3[8])<<7 | int(mp3[9])
	var body []byte
	for _, f := range frames {
		body = append(body, f...)
	}
	n := len(body)
	head := []byte{'I', 'D', '3', 3, 0, 0, byte(n >> 21 & 0x7f), byte(n >> 14 & 0x7f), byte(n >> 7 & 0x7f), byte(n & 0x7f)}
	return append(append(head, body...), mp3[old:]...)
}

// TestEmbeddedLyrics checks lyrics from every tag that holds them, in
// files ffmpeg made: Vorbis LYRICS (LRC, synced) in FLAC, UNSYNCEDLYRICS in
// Ogg Vorbis, the MP4 ©lyr atom, and ID3v2 USLT and SYLT frames (SYLT
// winning over USLT), with HasLyrics set by the scan.
func TestEmbeddedLyrics(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir,
		playertest.Spec{Path: "flac.flac", Kind: playertest.FLAC, Seconds: 2, Tags: map[string]string{"LYRICS": "[00:00.50]Flac line\n[00:01.00]Next"}},
		playertest.Spec{Path: "ogg.ogg", Kind: playertest.Vorbis, Seconds: 2, Tags: map[string]string{"UNSYNCEDLYRICS": "Ogg words\nmore"}},
		playertest.Spec{Path: "m4a.m4a", Kind: playertest.AAC, Seconds: 2, Tags: map[string]string{"lyrics": "MP4 words"}},
		playertest.Spec{Path: "src.mp3", Kind: playertest.MP3CBR, Seconds: 2, Tags: map[string]string{"title": "x"}},
		playertest.Spec{Path: "none.mp3", Kind: playertest.MP3CBR, Seconds: 2, Tags: map[string]string{"title": "none"}},
	)
	mp3, err := os.ReadFile(filepath.Join(dir, "src.mp3"))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "src.mp3"))
	uslt := id3Frame("USLT", append([]byte{3, 'e', 'n', 'g', 0}, "Unsynced MP3 words"...))
	syltBody := []byte{3, 'e', 'n', 'g', 2, 1, 0}
	for _, l := range []struct {
		text string
		ms   uint32
	}{{"Synced", 250}, {"\nSecond", 1500}} {
		syltBody = binary.BigEndian.AppendUint32(append(append(syltBody, l.text...), 0), l.ms)
	}
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("uslt.mp3", withID3(t, mp3, id3Frame("TIT2", append([]byte{3}, "USLT"...)), uslt))
	write("sylt.mp3", withID3(t, mp3, id3Frame("TIT2", append([]byte{3}, "SYLT"...)), uslt, id3Frame("SYLT", syltBody)))
	lib := scanFolder(t, dir)
	tests := []struct {
		path string
		want lyrics.Lyrics
	}{
		{"flac.flac", lyrics.Lyrics{Synced: true, Lines: []lyrics.Line{{Time: 0.5, Text: "Flac line"}, {Time: 1, Text: "Next"}}}},
		{"ogg.ogg", lyrics.Lyrics{Text: "Ogg words\nmore"}},
		{"m4a.m4a", lyrics.Lyrics{Text: "MP4 words"}},
		{"uslt.mp3", lyrics.Lyrics{Text: "Unsynced MP3 words"}},
		{"sylt.mp3", lyrics.Lyrics{Synced: true, Lines: []lyrics.Line{{Time: 0.25, Text: "Synced"}, {Time: 1.5, Text: "Second"}}}},
	}
	for _, tc := range tests {
		id := player.TrackID(tc.path)
		tr, err := lib.Track(id)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		got, err := lib.Lyrics(id)
		if err != nil || !tr.HasLyrics || got.Synced != tc.want.Synced || got.Text != tc.want.Text || !slices.Equal(got.Lines, tc.want.Lines) {
			t.Errorf("%s: HasLyrics %v, Lyrics = %+v, %v; want %+v", tc.path, tr.HasLyrics, got, err, tc.want)
		}
	}
	if tr, _ := lib.Track(player.TrackID("none.mp3")); tr.HasLyrics {
		t.Error("none.mp3 has lyrics")
	}
}
