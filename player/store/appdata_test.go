package store

import (
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/player"
)

// TestAppData saves a play queue and ratings, reopens the index, and
// reads them back; a second save replaces the queue, rating 0 removes a
// rating, and bad ratings are refused with nothing written.
func TestAppData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	ix, err := OpenIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	if q, err := ix.PlayQueue(); err != nil || q.TrackIDs != nil || !q.Changed.IsZero() {
		t.Fatalf("PlayQueue of a new index = %+v, %v; want none", q, err)
	}
	long := player.PlayQueue{TrackIDs: []string{"a", "b", "c", "a"}, Current: "c", PositionMS: 1, ChangedBy: "x",
		Changed: time.Unix(5, 0)}
	want := player.PlayQueue{TrackIDs: []string{"b", "a"}, Current: "a", PositionMS: 61500, ChangedBy: "Symfonium",
		Changed: time.Unix(1000, 123)}
	ratings := []player.Rating{rate(player.StarSong, "s1", 5), rate(player.StarAlbum, "al", 1), rate(player.StarArtist, "ar", 3),
		rate(player.StarSong, "s2", 2)}
	for _, q := range []player.PlayQueue{long, want} {
		if err := ix.SavePlayQueue(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range append(ratings, rate(player.StarSong, "s1", 4), rate(player.StarSong, "s2", 0)) {
		if err := ix.SetRating(r); err != nil {
			t.Fatalf("SetRating(%+v): %v", r, err)
		}
	}
	for _, bad := range []player.Rating{rate(player.StarSong, "s3", 6), rate(player.StarSong, "s3", -1), rate("video", "s3", 2),
		rate(player.StarSong, "", 2)} {
		if err := ix.SetRating(bad); !errors.Is(err, player.ErrInvalid) {
			t.Errorf("SetRating(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	ix.Close()
	if ix, err = OpenIndex(path); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	got, err := ix.PlayQueue()
	if err != nil || !slices.Equal(got.TrackIDs, want.TrackIDs) || got.Current != want.Current ||
		got.PositionMS != want.PositionMS || got.ChangedBy != want.ChangedBy || !got.Changed.Equal(want.Changed) {
		t.Errorf("PlayQueue after reopening = %+v, %v; want %+v", got, err, want)
	}
	rs, err := ix.Ratings()
	if err != nil {
		t.Fatal(err)
	}
	cmp := func(a, b player.Rating) int { return strings.Compare(a.Kind+"/"+a.ID, b.Kind+"/"+b.ID) }
	slices.SortFunc(rs, cmp)
	wantR := []player.Rating{rate(player.StarAlbum, "al", 1), rate(player.StarArtist, "ar", 3), rate(player.StarSong, "s1", 4)}
	if !slices.Equal(rs, wantR) {
		t.Errorf("Ratings after reopening = %+v, want %+v", rs, wantR)
	}
}

// TestAppDataMigratesV7 opens a version 7 index that holds an app
// password: it is migrated, the password kept, and the play queue and
// ratings are empty and usable.
func TestAppDataMigratesV7(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(slices.Clone(indexMigrations[:7]), `PRAGMA user_version = 7`,
		`INSERT INTO app_passwords (id, name, password, created) VALUES ('a', 'DSub', 'pw', 1)`) {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	ix := openMigrated(t, path)
	if ps, err := ix.AppPasswords(); err != nil || len(ps) != 1 || ps[0].Password != "pw" {
		t.Errorf("AppPasswords after migrating = %+v, %v", ps, err)
	}
	if q, err := ix.PlayQueue(); err != nil || len(q.TrackIDs) != 0 {
		t.Errorf("PlayQueue after migrating = %+v, %v; want empty", q, err)
	}
	if rs, err := ix.Ratings(); err != nil || len(rs) != 0 {
		t.Errorf("Ratings after migrating = %+v, %v; want none", rs, err)
	}
	q := player.PlayQueue{TrackIDs: []string{"t"}, Current: "t", Changed: time.Unix(1, 0)}
	if err := ix.SavePlayQueue(q); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetRating(player.Rating{Kind: player.StarSong, ID: "t", Stars: 5}); err != nil {
		t.Fatal(err)
	}
	if got, err := ix.PlayQueue(); err != nil || !slices.Equal(got.TrackIDs, q.TrackIDs) {
		t.Errorf("PlayQueue = %+v, %v; want %+v", got, err, q)
	}
}

// rate returns the rating of kind and id with stars.
func rate(kind, id string, stars int) player.Rating {
	return player.Rating{Kind: kind, ID: id, Stars: stars}
}
