package store

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/probe"
)

// v4Columns are the tracks columns of schema versions 4 and 5.
const v4Columns = `path, id, title, artist, album, album_artist,
	track_number, track_total, disc_number, disc_total, year, genre,
	duration, format, mime_type, size, mod_time,
	has_cover, cover_embedded, cover_file, video, width, height, needs_ffmpeg`

// saveV4 saves tracks as versions 4 and 5 did, into db at one of them.
func saveV4(db *sql.DB, name string, tracks []player.Track) error {
	res, err := db.Exec(`INSERT INTO sources (name, track_count) VALUES (?, ?)`, name, len(tracks))
	if err != nil {
		return err
	}
	id, _ := res.LastInsertId()
	q := `INSERT INTO tracks (source_id, ` + v4Columns + `) VALUES (?` + strings.Repeat(", ?", 24) + `)`
	for _, t := range tracks {
		if _, err := db.Exec(q, appendTrackRow(nil, id, t)[:25]...); err != nil {
			return err
		}
	}
	return nil
}

// TestIndexMigratesV5 builds a version 5 database holding songs and a
// video, opens it, and checks that version 6 forgot the songs' modification
// times (the next scan reads their lyrics and cue sheets) but not the
// video's, gave every track no lyrics and no cue range, and keeps those
// fields of later saves.
func TestIndexMigratesV5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(slices.Clone(indexMigrations[:5]), `PRAGMA user_version = 5`) {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tracks := ixTracks(0, 4)
	tracks[2].Video, tracks[2].Width, tracks[2].Height = true, 640, 360
	tracks[2].Format, tracks[2].MIMEType = probe.MP4, probe.MP4.MIMEType()
	if err := saveV4(db, "lib", tracks); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ix := openMigrated(t, path)
	var version int
	if err := ix.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != indexSchemaVersion || version < 6 {
		t.Fatalf("user_version = %d, %v; want %d", version, err, indexSchemaVersion)
	}
	want := slices.Clone(tracks)
	for i := range want {
		if !want[i].Video {
			want[i].ModTime = time.Time{}
		}
	}
	checkLoad(t, ix, "lib", want, nil)

	// Cue tracks of one file and lyrics round-trip.
	whole := ixTrack(10)
	var cue []player.Track
	for n, span := range [][2]float64{{0, 61.5}, {61.5, 200.25}} {
		c := whole
		c.ID = player.CueTrackID(whole.Path, n+1)
		c.TrackNumber, c.Start, c.End, c.Duration = n+1, span[0], span[1], span[1]-span[0]
		cue = append(cue, c)
	}
	lyr := ixTrack(11)
	lyr.HasLyrics, lyr.LyricsEmbedded = true, true
	lrc := ixTrack(12)
	lrc.HasLyrics = true
	saved := append(cue, lyr, lrc)
	if err := ix.Save("lib", saved, nil); err != nil {
		t.Fatal(err)
	}
	checkLoad(t, ix, "lib", saved, nil)
}
