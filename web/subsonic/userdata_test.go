package subsonic

import (
	"encoding/json"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/store"
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

// TestPlayQueueAndRatingsKept saves a play queue and rates a song, an
// album and an artist, then opens the index again under a new handler,
// as after a restart: the queue and ratings are still there, and the
// ratings show as userRating. Rating 0 removes one; bad ratings answer
// error 0 and unknown IDs error 70, changing nothing.
func TestPlayQueueAndRatingsKept(t *testing.T) {
	f := newFixture(t)
	song, other := f.lib.Search("Waterloo")[0], f.lib.Search("Devils")[0]
	gold := f.lib.Search("Dancing")[0]
	goldID, beckID, odelayID := player.AlbumID("Abba", "Gold"), player.ArtistID("Beck"), player.AlbumID("Beck", "Odelay")
	if gold.Album != "Gold" {
		t.Fatalf("fixture: %+v", gold)
	}
	calls := []struct {
		method string
		params []string
		code   int // -1 for ok
	}{
		{"savePlayQueue", []string{"id", other.ID, "id", song.ID, "current", song.ID, "position", "61500"}, -1},
		{"setRating", []string{"id", song.ID, "rating", "5"}, -1},
		{"setRating", []string{"id", other.ID, "rating", "3"}, -1},
		{"setRating", []string{"id", other.ID, "rating", "0"}, -1},
		{"setRating", []string{"id", goldID, "rating", "2"}, -1},
		{"setRating", []string{"id", beckID, "rating", "1"}, -1},
		{"setRating", []string{"id", odelayID, "rating", "4"}, -1},
		{"setRating", []string{"id", song.ID, "rating", "6"}, CodeGeneric},
		{"setRating", []string{"id", song.ID, "rating", "-1"}, CodeGeneric},
		{"setRating", []string{"id", song.ID, "rating", "four"}, CodeGeneric},
		{"setRating", []string{"id", song.ID}, CodeMissingParam},
		{"setRating", []string{"id", "nosuchid", "rating", "3"}, CodeNotFound},
	}
	for _, c := range calls {
		if _, code := answer(t, f.call(c.method, f.with(c.params...), "json").Body.Bytes()); code != c.code {
			t.Errorf("%s %v: code %d, want %d", c.method, c.params, code, c.code)
		}
	}
	f.ix.Close()
	ix, err := store.OpenIndex(f.ixPath)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	f.h = New(Options{Library: f.lib, Passwords: ix, Data: ix, Media: f.media, Guard: f.guard, ServerVersion: "test"})
	var v struct {
		R struct {
			PlayQueue  PlayQueue
			Song       Child
			Album      AlbumDetail
			AlbumList2 AlbumList2
		} `json:"subsonic-response"`
	}
	json.Unmarshal(f.call("getPlayQueue", f.auth(), "json").Body.Bytes(), &v)
	if q := v.R.PlayQueue; q.Current != song.ID || q.Position != 61500 || len(q.Entries) != 2 ||
		q.Entries[0].ID != other.ID || q.Entries[1].UserRating != 5 || q.ChangedBy != "test" {
		t.Errorf("getPlayQueue after a restart: %+v", q)
	}
	for id, want := range map[string]int{song.ID: 5, other.ID: 0} {
		v.R.Song = Child{}
		json.Unmarshal(f.call("getSong", f.with("id", id), "json").Body.Bytes(), &v)
		if v.R.Song.ID != id || v.R.Song.UserRating != want {
			t.Errorf("getSong %s: userRating %d, want %d", id, v.R.Song.UserRating, want)
		}
	}
	json.Unmarshal(f.call("getAlbum", f.with("id", goldID), "json").Body.Bytes(), &v)
	if v.R.Album.UserRating != 2 {
		t.Errorf("getAlbum: userRating %d, want 2", v.R.Album.UserRating)
	}
	json.Unmarshal(f.call("getAlbumList2", f.with("type", "highest"), "json").Body.Bytes(), &v)
	if got := v.R.AlbumList2.Albums; len(got) != 2 || got[0].ID != odelayID || got[1].ID != goldID {
		t.Errorf("getAlbumList2 highest: %+v, want Odelay (4) then Gold (2)", got)
	}
	rs, err := ix.Ratings()
	if err != nil || len(rs) != 4 {
		t.Errorf("ratings kept: %+v, %v; want the song's, the albums' and the artist's", rs, err)
	}
	for _, r := range rs {
		if r.Kind == player.StarArtist && (r.ID != beckID || r.Stars != 1) {
			t.Errorf("artist rating %+v, want Beck's 1", r)
		}
	}
}
