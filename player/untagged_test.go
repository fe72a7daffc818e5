package player_test

import (
	"testing"
	"testing/fstest"

	"earshot/player"
	"earshot/player/playertest"
)

// TestUntaggedNames checks that an untagged file's album is its folder's
// name (Unknown Album at the root) and its title its file name, so that
// untagged files of different folders are different albums.
func TestUntaggedNames(t *testing.T) {
	wav := &fstest.MapFile{Data: playertest.WAV(16000)}
	fsys := fstest.MapFS{
		"loose.wav":                    wav,
		"Tapes/Side A.wav":             wav,
		"Tapes/Side B.final.wav":       wav,
		"Boxes/Live 1999/01 Intro.wav": wav,
	}
	lib, _ := scan(t, fsys)
	tests := []struct{ path, album, title string }{
		{"loose.wav", player.UnknownAlbum, "loose"},
		{"Tapes/Side A.wav", "Tapes", "Side A"},
		{"Tapes/Side B.final.wav", "Tapes", "Side B.final"},
		{"Boxes/Live 1999/01 Intro.wav", "Live 1999", "01 Intro"},
	}
	for _, tc := range tests {
		tr, err := lib.Track(player.TrackID(tc.path))
		if err != nil {
			t.Fatalf("Track(%s): %v", tc.path, err)
		}
		if tr.Album != tc.album || tr.Title != tc.title || tr.Artist != player.UnknownArtist {
			t.Errorf("%s: album %q, title %q, artist %q; want %q, %q, %q", tc.path, tr.Album, tr.Title, tr.Artist, tc.album, tc.title, player.UnknownArtist)
		}
	}
	var albums []string
	for _, a := range lib.Albums() {
		albums = append(albums, a.Title)
	}
	if len(albums) != 3 {
		t.Errorf("albums %q, want Live 1999, Tapes and Unknown Album apart", albums)
	}
}
