package web

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// sideFS is a library with a cue sheet over one WAV file, an .lrc file
// beside a track, and an M3U8 and a PLS playlist with a missing entry.
func sideFS() fstest.MapFS {
	mod := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	wav := func(s int) *fstest.MapFile { return &fstest.MapFile{Data: playertest.WAV(16000 * s), ModTime: mod} }
	text := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), ModTime: mod} }
	return fstest.MapFS{
		"Live/live.wav": wav(10),
		"Live/live.cue": text("PERFORMER \"The Band\"\nTITLE \"Live\"\nFILE \"live.wav\" WAVE\n" +
			"TRACK 01 AUDIO\nTITLE \"Intro\"\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nTITLE \"Song\"\nINDEX 01 00:04:30\n"),
		"Band/Song.wav":    wav(2),
		"Band/Song.lrc":    text("[00:00.50]First line\n[00:01.25][00:01.75]Twice\n"),
		"Band/Plain.wav":   wav(1),
		"Band/Plain.lrc":   text("Words without times\n"),
		"Lists/mix.m3u8":   text("#EXTM3U\n#EXTINF:2,Band - Song\n..\\Band\\Song.wav\n#EXTINF:99,Gone\n../Band/Gone.wav\nhttp://radio.example/\n"),
		"Lists/other.pls":  text("[playlist]\nFile1=../Band/Plain.wav\nTitle1=Plain\nNumberOfEntries=1\n"),
		"Band/NoWords.wav": wav(1),
	}
}

// TestSideFilesAPI checks the lyrics and playlist-file routes, and the
// JSON of cue tracks, against golden files.
func TestSideFilesAPI(t *testing.T) {
	lib := testLibrary(t, sideFS())
	h := New(lib, Options{}).Handler()
	var mixID string
	for _, p := range lib.FilePlaylists() {
		if p.Path == "Lists/mix.m3u8" {
			mixID = p.ID
		}
	}
	tests := []struct {
		name, target string
		code         int
	}{
		{"lyrics-synced", "/api/tracks/" + player.TrackID("Band/Song.wav") + "/lyrics", 200},
		{"lyrics-plain", "/api/tracks/" + player.TrackID("Band/Plain.wav") + "/lyrics", 200},
		{"lyrics-none", "/api/tracks/" + player.TrackID("Band/NoWords.wav") + "/lyrics", 404},
		{"lyrics-unknown", "/api/tracks/nope/lyrics", 404},
		{"cue-track", "/api/tracks/" + player.CueTrackID("Live/live.wav", 2), 200},
		{"playlist-files", "/api/playlist-files", 200},
		{"playlist-file", "/api/playlist-files/" + mixID, 200},
		{"playlist-file-unknown", "/api/playlist-files/file-nope", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(h, "GET", tc.target, nil)
			if rec.Code != tc.code {
				t.Fatalf("GET %s: status %d, want %d: %s", tc.target, rec.Code, tc.code, rec.Body)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, rec.Body.Bytes(), "", "  "); err != nil {
				t.Fatalf("invalid JSON %q: %v", rec.Body, err)
			}
			golden := filepath.Join("testdata", tc.name+".golden")
			if *update {
				os.WriteFile(golden, pretty.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("GET %s =\n%s\nwant (%s)\n%s", tc.target, pretty.Bytes(), golden, want)
			}
		})
	}
}
