package subsonic

import (
	"encoding/json"
	"testing"
	"time"

	"earshot/player"
)

// TestUserDataShared checks that what an app changes is the page's own
// data: a star is a heart of the library (with the change event the page
// listens to), a scrobble counts one play once per time, a playlist made
// with two songs holds them, and a saved play queue reads back.
func TestUserDataShared(t *testing.T) {
	f := newFixture(t)
	song := f.lib.Search("Waterloo")[0]
	other := f.lib.Search("Devils")[0]
	events, stop := f.lib.Subscribe()
	defer stop()
	if _, code := answer(t, f.call("star", f.with("id", song.ID), "json").Body.Bytes()); code != -1 {
		t.Fatalf("star: code %d", code)
	}
	timeout := time.After(time.Second)
	for got := false; !got; {
		select {
		case e := <-events:
			got = e.Kind == player.UserDataChanged
		case <-timeout:
			t.Fatal("no UserDataChanged event within 1 s of star")
		}
	}
	if fav, _ := f.lib.Favourites(); len(fav.Songs) != 1 || fav.Songs[0].ID != song.ID {
		t.Errorf("favourites after star: %+v", fav.Songs)
	}
	for range 2 {
		f.call("scrobble", f.with("id", song.ID, "time", "1700000000000"), "json")
	}
	f.call("scrobble", f.with("id", song.ID, "submission", "false"), "json")
	plays, _ := f.lib.PlayCounts()
	if len(plays) != 1 || plays[0].Count != 1 {
		t.Errorf("plays after the same scrobble twice and a now-playing one: %+v, want one play", plays)
	}
	var v struct {
		R struct {
			Playlist  Playlist
			PlayQueue PlayQueue
		} `json:"subsonic-response"`
	}
	body := f.call("createPlaylist", f.with("name", "Road trip", "songId", song.ID, "songId", other.ID), "json").Body.Bytes()
	if err := json.Unmarshal(body, &v); err != nil || v.R.Playlist.SongCount != 2 || len(v.R.Playlist.Entries) != 2 ||
		v.R.Playlist.Entries[1].ID != other.ID {
		t.Fatalf("createPlaylist: %v %s", err, body)
	}
	if p, err := f.lib.Playlist(v.R.Playlist.ID); err != nil || p.Name != "Road trip" || len(p.Entries) != 2 {
		t.Errorf("the library's playlist: %+v, %v", p, err)
	}
	f.call("updatePlaylist", f.with("playlistId", v.R.Playlist.ID, "songIndexToRemove", "0", "name", "Trip"), "json")
	if p, _ := f.lib.Playlist(v.R.Playlist.ID); p.Name != "Trip" || len(p.Entries) != 1 || p.Entries[0].Track.ID != other.ID {
		t.Errorf("after updatePlaylist: %q, %d entries", p.Name, len(p.Entries))
	}
	f.call("savePlayQueue", f.with("id", other.ID, "id", song.ID, "current", song.ID, "position", "42000"), "json")
	json.Unmarshal(f.call("getPlayQueue", f.auth(), "json").Body.Bytes(), &v)
	if q := v.R.PlayQueue; q.Current != song.ID || q.Position != 42000 || len(q.Entries) != 2 || q.Entries[0].ID != other.ID || q.ChangedBy != "test" {
		t.Errorf("getPlayQueue: %+v", q)
	}
	if _, code := answer(t, f.call("deletePlaylist", f.with("id", v.R.Playlist.ID), "json").Body.Bytes()); code != -1 {
		t.Errorf("deletePlaylist: code %d", code)
	}
	if _, code := answer(t, f.call("getPlaylist", f.with("id", v.R.Playlist.ID), "json").Body.Bytes()); code != CodeNotFound {
		t.Errorf("deleted playlist: code %d, want 70", code)
	}
}
