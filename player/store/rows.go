package store

import (
	"context"
	"database/sql"
	"earshot/player"
	"earshot/player/probe"
	"errors"
	"fmt"
	"math"
	"time"
)

// Save replaces the tracks and problems kept for the source called name
// with the given ones, in one transaction: a concurrent [SQLiteIndex.Load],
// or a crash, sees the old set or the new one, never a mix. When the file
// was deleted since it was opened, Save creates it again. Every field of
// each track is kept; see [SQLiteIndex.Load] for how they come back.
// Problems keep their order.
func (s *SQLiteIndex) Save(name string, tracks []player.Track, problems []string) error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if db, gone := s.deleted(); gone {
		if err := s.replace(db, false); err != nil {
			return fmt.Errorf("save library %q: %w", name, err)
		}
	}
	err := s.use(func(db *sql.DB) error { return saveSource(db, name, tracks, problems) })
	if err != nil {
		return fmt.Errorf("save library %q: %w", name, err)
	}
	return nil
}

// saveSource is [SQLiteIndex.Save] on db.
func saveSource(db *sql.DB, name string, tracks []player.Track, problems []string) error {
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sources (name, track_count) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET track_count = excluded.track_count`, name, len(tracks)); err != nil {
		return err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE name = ?`, name).Scan(&id); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM tracks WHERE source_id = ?`, `DELETE FROM problems WHERE source_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}

	args := make([]any, 0, insertBatch*(trackColumnCount+1))
	if len(tracks) >= insertBatch {
		batch, err := tx.PrepareContext(ctx, insertTracksSQL)
		if err != nil {
			return err
		}
		defer batch.Close()
		for len(tracks) >= insertBatch {
			args = args[:0]
			for _, t := range tracks[:insertBatch] {
				args = appendTrackRow(args, id, t)
			}
			if _, err := batch.ExecContext(ctx, args...); err != nil {
				return err
			}
			tracks = tracks[insertBatch:]
		}
	}
	if len(tracks) > 0 {
		one, err := tx.PrepareContext(ctx, insertTrackSQL)
		if err != nil {
			return err
		}
		defer one.Close()
		for _, t := range tracks {
			if _, err := one.ExecContext(ctx, appendTrackRow(args[:0], id, t)...); err != nil {
				return err
			}
		}
	}

	if len(problems) > 0 {
		st, err := tx.PrepareContext(ctx, insertProblemSQL)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, p := range problems {
			if _, err := st.ExecContext(ctx, id, i, p); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// appendTrackRow appends the values of one tracks row to args: the source
// id, then t's fields in [trackColumns] order.
func appendTrackRow(args []any, source int64, t player.Track) []any {
	return append(args, source,
		t.Path, t.ID, t.Title, t.Artist, t.Album, t.AlbumArtist,
		t.TrackNumber, t.TrackTotal, t.DiscNumber, t.DiscTotal, t.Year, t.Genre,
		t.Duration, string(t.Format), t.MIMEType, t.Size, unixNanos(t.ModTime),
		t.HasCover, t.CoverEmbedded, t.CoverFile, t.Video, t.Width, t.Height, t.NeedsFFmpeg,
		finite(t.Start), finite(t.End), t.HasLyrics, t.LyricsEmbedded)
}

// finite returns f, or 0 for NaN and infinities, which the NOT NULL
// start_time and end_time columns cannot keep (SQLite stores NaN as NULL).
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// The times that unix nanoseconds in an int64 can hold: 1677-09-21 to
// 2262-04-11.
var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// unixNanos returns t as unix nanoseconds for the mod_time column, or nil
// (NULL) for the zero time and for times beyond the range of int64
// nanoseconds, which a file system does not give.
func unixNanos(t time.Time) any {
	if t.IsZero() || t.Before(minNanoTime) || t.After(maxNanoTime) {
		return nil
	}
	return t.UnixNano()
}

// Load returns the tracks and problems saved for the source called name,
// or nil, nil and no error when nothing was saved for it. Tracks come back
// in no particular order, with every field as saved except:
//   - ModTime is in the local time zone and has no monotonic clock reading,
//     as [os.Stat] reports it; it is [time.Time.Equal] to what was saved to
//     the nanosecond. A time outside 1677–2262 comes back as the zero time
//     (so a rescan reads that file again).
//   - A NaN Duration comes back as 0, since SQLite keeps no NaN.
func (s *SQLiteIndex) Load(name string) (tracks []player.Track, problems []string, err error) {
	err = s.use(func(db *sql.DB) error {
		var err error
		tracks, problems, err = loadSource(db, name)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load library %q: %w", name, err)
	}
	return tracks, problems, nil
}

// loadSource is [SQLiteIndex.Load] on db.
func loadSource(db *sql.DB, name string) ([]player.Track, []string, error) {
	ctx := context.Background()
	// A read-only transaction is a consistent snapshot under WAL, and
	// does not take the write lock.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	var (
		id    int64
		count sql.NullInt64 // NULL when saved by version 1
	)
	err = tx.QueryRowContext(ctx, `SELECT id, track_count FROM sources WHERE name = ?`, name).Scan(&id, &count)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var tracks []player.Track
	if count.Valid && count.Int64 > 0 {
		tracks = make([]player.Track, 0, min(count.Int64, 1<<20))
	}
	rows, err := tx.QueryContext(ctx, selectTracksSQL, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	in := interner{}
	for rows.Next() {
		t, err := scanTrack(rows)
		if err != nil {
			return nil, nil, err
		}
		in.track(&t)
		tracks = append(tracks, t)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if count.Valid && count.Int64 != int64(len(tracks)) {
		return nil, nil, fmt.Errorf("%w: %d tracks where %d were saved", errIndexData, len(tracks), count.Int64)
	}
	if len(tracks) == 0 {
		tracks = nil
	}
	var problems []string
	rows, err = tx.QueryContext(ctx, selectProblemsSQL, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, nil, fmt.Errorf("%w: %w", errIndexData, err)
		}
		problems = append(problems, p)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return tracks, problems, nil
}

// interner makes equal strings share one copy: the driver gives each value
// of each row a string of its own, and artists, albums, genres, formats
// and cover files repeat from track to track (about 8 MB of 20 at 100,000
// tracks).
type interner map[string]string

// track interns t's strings that repeat.
func (in interner) track(t *player.Track) {
	for _, s := range []*string{&t.Artist, &t.Album, &t.AlbumArtist, &t.Genre, &t.MIMEType, &t.CoverFile} {
		*s = in.string(*s)
	}
	t.Format = probe.Format(in.string(string(t.Format)))
}

// string returns the first string equal to s that in saw.
func (in interner) string(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	in[s] = s
	return s
}

// scanTrack reads a row of [selectTracksSQL].
func scanTrack(rows *sql.Rows) (player.Track, error) {
	var (
		t        player.Track
		duration sql.NullFloat64
		format   string
		modTime  sql.NullInt64
	)
	err := rows.Scan(&t.Path, &t.ID, &t.Title, &t.Artist, &t.Album, &t.AlbumArtist,
		&t.TrackNumber, &t.TrackTotal, &t.DiscNumber, &t.DiscTotal, &t.Year, &t.Genre,
		&duration, &format, &t.MIMEType, &t.Size, &modTime,
		&t.HasCover, &t.CoverEmbedded, &t.CoverFile, &t.Video, &t.Width, &t.Height, &t.NeedsFFmpeg,
		&t.Start, &t.End, &t.HasLyrics, &t.LyricsEmbedded)
	if err != nil {
		// The driver gave a value of the wrong type for its column.
		return player.Track{}, fmt.Errorf("%w: %w", errIndexData, err)
	}
	t.Duration = duration.Float64
	t.Format = probe.Format(format)
	if modTime.Valid {
		t.ModTime = time.Unix(0, modTime.Int64)
	}
	return t, nil
}
