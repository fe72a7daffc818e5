package player_test

import (
	"os"
	"path/filepath"
	"testing"

	"earshot/player"
	"earshot/player/playertest"
)

// TestWatchSideFiles checks that the watcher rescans when a cue sheet, an
// .lrc file or a playlist file alone is added: the file is split, the
// track gains lyrics, and the playlist is listed, each after a scan.
func TestWatchSideFiles(t *testing.T) {
	dir := t.TempDir()
	put := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("Live/live.wav", playertest.WAV(60*16000))
	put("Band/song.wav", playertest.WAV(16000))
	w := startWatch(t, dir, nil)

	put("Live/live.cue", []byte(liveCue))
	waitScanDone(t, w.events, "the scan after live.cue was added")
	checkCueTracks(t, w.lib, "Live/live.wav")

	put("Band/song.lrc", []byte("[00:00.50]La\n"))
	waitScanDone(t, w.events, "the scan after song.lrc was added")
	if tr, err := w.lib.Track(player.TrackID("Band/song.wav")); err != nil || !tr.HasLyrics {
		t.Errorf("song.wav after song.lrc came: HasLyrics %v, %v", tr.HasLyrics, err)
	}

	put("list.m3u8", []byte("Band/song.wav\n"))
	waitScanDone(t, w.events, "the scan after list.m3u8 was added")
	if ps := w.lib.FilePlaylists(); len(ps) != 1 || ps[0].Entries != 1 || ps[0].Missing != 0 {
		t.Errorf("FilePlaylists = %+v, want list.m3u8 with its one track", ps)
	}
}
