package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/store"
)

// clientSeen is what web/e2e/subsonic-client.mjs prints.
type clientSeen struct {
	PingToken, PingKey        string
	Wrong                     int
	Albums                    []string
	SongID, SongTitle         string
	Search                    []string
	All                       int
	WaterlooID                string
	RangeStatus               int
	RangeSha                  string
	OffsetStatus              int
	OffsetType                string
	OffsetLength, OffsetBytes int64
	CoverStatus               int
	CoverType, CoverSha       string
	Star, Scrobble, SaveQueue string
	Starred, Playlist         []string
	Queue                     struct {
		Current  string
		Position int64
		IDs      []string
	}
}

// TestSubsonicRealClient runs the subsonic-api npm package, a
// third-party client, under Node against a real server on a generated
// library, and asserts each thing it did: token and apiKey logins (and a
// wrong password's error 40), artists → artist → album → song, search3,
// a Range stream (206, the file's exact bytes), a timeOffset=30 MP3
// stream of a 40 s FLAC (about 10 s, exact length), a 300 px cover (the
// page's thumbnail), a star, a playlist of two songs, a scrobble and a
// saved play queue read back, each seen in the library afterwards.
func TestSubsonicRealClient(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	if _, err := os.Stat("e2e/node_modules/subsonic-api"); err != nil {
		t.Fatal("web/e2e/node_modules has no subsonic-api: run `make deps-test` (npm ci --prefix web/e2e)")
	}
	dir := t.TempDir()
	playertest.Generate(t, dir,
		playertest.Spec{Path: "Beck/Odelay/01 Devils.flac", Kind: playertest.FLAC, Seconds: 40,
			Tags: map[string]string{"title": "Devils Haircut", "artist": "Beck", "album": "Odelay"}},
		playertest.Spec{Path: "Beck/Sea Change/01 Golden.mp3", Kind: playertest.MP3CBR, Seconds: 2,
			Tags: map[string]string{"title": "The Golden Age", "artist": "Beck", "album": "Sea Change"}},
		playertest.Spec{Path: "Abba/Gold/02 Waterloo.mp3", Kind: playertest.MP3CBR, Seconds: 2, Cover: true,
			Tags: map[string]string{"title": "Waterloo", "artist": "Abba", "album": "Gold"}})
	ix, err := store.OpenIndex(filepath.Join(t.TempDir(), "library.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	lib := player.New(player.Options{Index: ix, UserData: ix})
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	s := New(lib, Options{Key: testKey, AppPasswords: ix})
	ap, err := s.CreateAppPassword("subsonic-api")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	cmd := exec.Command("node", "e2e/subsonic-client.mjs", srv.URL, ap.Password)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var c clientSeen
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "Beck/Odelay/01 Devils.flac"))
	part := sha256.Sum256(data[100:1100])
	cover := send(s.Handler(), "GET", "/api/tracks/"+c.WaterlooID+"/cover?size=300", loopPeer, nil)
	coverSum := sha256.Sum256(cover.Body.Bytes())
	checks := []struct {
		what string
		ok   bool
	}{
		{"token and apiKey logins", c.PingToken == "ok" && c.PingKey == "ok" && c.Wrong == 40},
		{"artist's albums", slices.Equal(c.Albums, []string{"Odelay", "Sea Change"})},
		{"song", c.SongTitle == "Devils Haircut"},
		{"search3", slices.Equal(c.Search, []string{"Waterloo"}) && c.All == 3},
		{"Range stream", c.RangeStatus == 206 && c.RangeSha == hex.EncodeToString(part[:])},
		{"timeOffset=30 stream", c.OffsetStatus == 200 && c.OffsetType == "audio/mpeg" && c.OffsetBytes == c.OffsetLength &&
			c.OffsetLength > 9*16000 && c.OffsetLength < 11*16000},
		{"cover size=300", c.CoverStatus == 200 && c.CoverType == "image/jpeg" && c.CoverSha == hex.EncodeToString(coverSum[:])},
		{"star", c.Star == "ok" && slices.Equal(c.Starred, []string{c.WaterlooID})},
		{"playlist", slices.Equal(c.Playlist, []string{c.WaterlooID, c.SongID})},
		{"scrobble and queue", c.Scrobble == "ok" && c.SaveQueue == "ok" && c.Queue.Current == c.WaterlooID &&
			c.Queue.Position == 5000 && slices.Equal(c.Queue.IDs, []string{c.SongID, c.WaterlooID})},
	}
	for _, ck := range checks {
		if !ck.ok {
			t.Errorf("%s: client saw %+v", ck.what, c)
		}
	}
	fav, _ := lib.Favourites()
	plays, _ := lib.PlayCounts()
	pls, _ := lib.Playlists()
	if len(fav.Songs) != 1 || len(plays) != 1 || plays[0].Count != 1 || len(pls) != 1 || pls[0].Tracks != 2 {
		t.Errorf("library after the client: hearts %d, plays %+v, playlists %+v", len(fav.Songs), plays, pls)
	}
}
