package player

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var _ Index = (*SQLiteIndex)(nil)

// ErrIndexClosed is returned by [SQLiteIndex.Load] and [SQLiteIndex.Save]
// after [SQLiteIndex.Close], or once the index could not open its file
// again after finding it unusable or deleted.
var ErrIndexClosed = errors.New("library index is closed")

// errIndexVersion is why a database with a schema version this build does
// not know — written by a newer Earshot — is moved aside.
var errIndexVersion = errors.New("library index has an unknown schema version")

// errIndexData is why an index whose rows make no sense — a value of the
// wrong type, fewer or more tracks than were saved — is moved aside. SQLite
// does not notice every kind of damage by itself.
var errIndexData = errors.New("library index holds inconsistent data")

// errIndexPath is returned for a database path the SQLite driver cannot
// take: it reads everything after a "?" as connection options.
var errIndexPath = errors.New(`library index path must not contain "?"`)

// SQLiteIndex is an [Index] kept in an SQLite database file (through the
// pure-Go modernc.org/sqlite driver, so no cgo). It is safe for concurrent
// use by several goroutines; saves are serialised, loads run in parallel
// and see either the whole of a save or none of it.
//
// An index is a cache of what scans found, never the only copy of anything:
// a file that is not a database, is damaged, was written by a newer Earshot
// or cannot be written is moved aside (renamed "<path>.corrupt-<unix
// seconds>") and an empty index takes its place, so the next scan rebuilds
// it. That happens when the file is opened, and also when damage only shows
// later, in [SQLiteIndex.Load] (which then returns nothing) or
// [SQLiteIndex.Save] (which then saves to the new file).
type SQLiteIndex struct {
	path string
	// saveMu serialises saves within the process, so they never wait on
	// SQLite's busy timeout; other processes are held off by file locks.
	saveMu sync.Mutex

	// mu guards the fields below: held for reading by every use of db,
	// for writing to close or replace it.
	mu sync.RWMutex
	db *sql.DB // nil once closed
	// file is the file db has open, to notice it being deleted.
	file       fs.FileInfo
	movedAside []string
}

// indexSchemaVersion is the schema version this build writes, kept in the
// database's PRAGMA user_version: the number of [indexMigrations] applied.
var indexSchemaVersion = len(indexMigrations)

// indexMigrations are the steps from one schema version to the next:
// applying indexMigrations[i] to a database at version i (0 being a new,
// empty file) brings it to version i+1. Steps are only ever appended; a
// step once released is never edited, since databases in the wild went
// through it as written.
//
// Tracks store every [Track] field. Times are unix nanoseconds (NULL for
// the zero time) so that a rescan's size-and-mtime comparison holds
// exactly; booleans are 0 or 1.
var indexMigrations = []string{
	// Version 1: sources and their tracks.
	`CREATE TABLE sources (
		id   INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE
	);
	CREATE TABLE tracks (
		source_id      INTEGER NOT NULL REFERENCES sources (id),
		path           TEXT NOT NULL,
		id             TEXT NOT NULL,
		title          TEXT NOT NULL,
		artist         TEXT NOT NULL,
		album          TEXT NOT NULL,
		album_artist   TEXT NOT NULL,
		track_number   INTEGER NOT NULL,
		track_total    INTEGER NOT NULL,
		disc_number    INTEGER NOT NULL,
		year           INTEGER NOT NULL,
		genre          TEXT NOT NULL,
		duration       REAL,
		format         TEXT NOT NULL,
		mime_type      TEXT NOT NULL,
		size           INTEGER NOT NULL,
		mod_time       INTEGER,
		has_cover      INTEGER NOT NULL,
		cover_embedded INTEGER NOT NULL,
		cover_file     TEXT NOT NULL
	);
	CREATE INDEX tracks_by_source ON tracks (source_id);`,

	// Version 2: disc totals, the files the last scan could not read, and
	// the number of tracks saved, which Load checks (NULL when unknown).
	`ALTER TABLE tracks ADD COLUMN disc_total INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE sources ADD COLUMN track_count INTEGER;
	CREATE TABLE problems (
		source_id INTEGER NOT NULL REFERENCES sources (id),
		seq       INTEGER NOT NULL,
		text      TEXT NOT NULL,
		PRIMARY KEY (source_id, seq)
	) WITHOUT ROWID;`,

	// Version 3: videos and their picture size. Earlier versions indexed
	// an .mp4 file as audio whatever it held; forgetting the modification
	// time of those makes the next scan read them again, to find the
	// videos among them.
	`ALTER TABLE tracks ADD COLUMN video INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE tracks ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE tracks ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
	UPDATE tracks SET mod_time = NULL WHERE lower(path) LIKE '%.mp4';`,
}

// trackColumns are the tracks columns [SQLiteIndex.Save] writes and
// [SQLiteIndex.Load] reads, in the order of [appendTrackRow] and [scanTrack].
const trackColumns = `path, id, title, artist, album, album_artist,
	track_number, track_total, disc_number, disc_total, year, genre,
	duration, format, mime_type, size, mod_time,
	has_cover, cover_embedded, cover_file, video, width, height`

// trackColumnCount is the number of names in trackColumns.
const trackColumnCount = 23

// insertBatch is how many tracks one INSERT statement writes. Many rows per
// statement spare the per-statement cost of database/sql and the driver (a
// quarter of the time of a save, one row at a time); 50 rows of 24 values
// stay far below SQLite's limit of 32,766 bound values, and more rows gain
// nothing measurable.
const insertBatch = 50

// The statements Save and Load run.
var (
	insertTracksSQL = insertTracksStatement(insertBatch)
	insertTrackSQL  = insertTracksStatement(1)
	// In the order saved, which is library order: a restore then need not
	// sort (see [sortTracks]).
	selectTracksSQL   = `SELECT ` + trackColumns + ` FROM tracks WHERE source_id = ? ORDER BY rowid`
	insertProblemSQL  = `INSERT INTO problems (source_id, seq, text) VALUES (?, ?, ?)`
	selectProblemsSQL = `SELECT text FROM problems WHERE source_id = ? ORDER BY seq`
)

// insertTracksStatement returns an INSERT of n tracks.
func insertTracksStatement(n int) string {
	row := "(?" + strings.Repeat(", ?", trackColumnCount) + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO tracks (source_id, " + trackColumns + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// DefaultIndexPath returns where Earshot keeps its library index:
// "earshot/library.db" in the user's cache folder as [os.UserCacheDir]
// finds it ($XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on
// macOS, %LocalAppData% on Windows). It returns an error when the system
// has no cache folder (for example, neither $XDG_CACHE_HOME nor $HOME set).
func DefaultIndexPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find library index: %w", err)
	}
	return filepath.Join(dir, "earshot", "library.db"), nil
}

// OpenIndex opens the library index at path, creating the file and its
// parent folders (mode 0700) when missing, and migrating a database from an
// older Earshot to the current schema in place. A file that is not an
// SQLite database, is damaged, or comes from a newer Earshot is moved aside
// and replaced with an empty index: see [SQLiteIndex].
//
// The database runs in WAL mode with synchronous=NORMAL (a power cut may
// lose the last save, never corrupt the file) and waits up to 5 s for
// another process's lock. OpenIndex returns an error only when no index can
// be kept at path at all — a folder that cannot be created or written, a
// file locked by another process beyond the wait, a path containing "?" —
// and Earshot then runs without one. The caller closes the index.
func OpenIndex(path string) (*SQLiteIndex, error) {
	s := &SQLiteIndex{path: path}
	if err := s.open(); err != nil {
		return nil, fmt.Errorf("open library index %s: %w", path, err)
	}
	return s, nil
}

// open opens s.path as s.db, moving what is there aside and starting
// afresh when it cannot be used. The caller holds s.mu, or has s to itself.
func (s *SQLiteIndex) open() error {
	if strings.Contains(s.path, "?") {
		return errIndexPath
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	db, err := openIndexDB(s.path)
	if err != nil && unusable(err) {
		if err := s.moveAside(); err != nil {
			return err
		}
		db, err = openIndexDB(s.path)
	}
	if err != nil {
		return err
	}
	file, err := os.Stat(s.path)
	if err != nil {
		db.Close()
		return err
	}
	s.db, s.file = db, file
	return nil
}

// moveAside moves the database at s.path aside and notes where to. The
// caller holds s.mu, or has s to itself.
func (s *SQLiteIndex) moveAside() error {
	aside, err := moveAside(s.path)
	if aside != "" {
		s.movedAside = append(s.movedAside, aside)
	}
	return err
}

// openIndexDB opens the database at path, brings its schema up to date and
// checks that the statements Save and Load run compile against it.
func openIndexDB(path string) (*sql.DB, error) {
	// Every connection of the pool gets these settings. _txlock=immediate
	// makes writing transactions take the write lock at BEGIN, so they never
	// fail half-way on a lock a reader upgrades; read-only ones stay deferred.
	dsn := path + "?_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// Each connection has its own page cache and C thread state: a few are
	// plenty for one writer and some readers.
	db.SetMaxOpenConns(4)
	if err := migrate(db); err != nil {
		db.Close()
		return nil, err
	}
	for _, q := range []string{insertTracksSQL, insertTrackSQL, selectTracksSQL, insertProblemSQL, selectProblemsSQL} {
		// A database that claims the current version but lacks a column
		// fails here, and is moved aside like a damaged one.
		st, err := db.Prepare(q)
		if err != nil {
			db.Close()
			return nil, err
		}
		st.Close()
	}
	// The journal mode is kept in the file, so it is set once the file is
	// known to be ours: a file moved aside stays as it was found.
	if _, err := db.Exec(`PRAGMA journal_mode = WAL`); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrate applies the migrations db lacks in one transaction, so that a
// failure leaves it at its old version. It returns [errIndexVersion] for a
// database from a newer Earshot.
func migrate(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version < 0 || version > indexSchemaVersion {
		return fmt.Errorf("%w: %d (this build knows 0 to %d)", errIndexVersion, version, indexSchemaVersion)
	}
	if version == indexSchemaVersion {
		return nil
	}
	for v := version; v < indexSchemaVersion; v++ {
		if _, err := tx.Exec(indexMigrations[v]); err != nil {
			return fmt.Errorf("migrate library index to version %d: %w", v+1, err)
		}
	}
	// PRAGMA takes no parameters; the version is a number we made.
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, indexSchemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// unusable reports whether err means that the database file itself will not
// do, so that a new one must replace it: it is not a database, is damaged,
// comes from a newer Earshot, has a schema other than ours, or cannot be
// written although its folder can (it was deleted while open, belongs to
// another user, or its header says so). It reports false for trouble a new
// file would not cure — a lock held by another process, a full disk, an
// I/O error, a folder that cannot be written — which the caller reports.
func unusable(err error) bool {
	if errors.Is(err, errIndexVersion) || errors.Is(err, errIndexData) {
		return true
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff { // the primary result code
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT,
		sqlite3.SQLITE_ERROR, sqlite3.SQLITE_SCHEMA, sqlite3.SQLITE_MISMATCH,
		sqlite3.SQLITE_CONSTRAINT, sqlite3.SQLITE_READONLY:
		return true
	}
	return false
}

// moveAside renames the database at path, with its write-ahead log and
// rollback journal, to "<path>.corrupt-<unix seconds>" (with a further
// "-n" should that exist), and removes its shared-memory file. The log must
// not stay: SQLite would replay it into the new database. It returns the
// new name, or "" when there was no database at path.
func moveAside(path string) (string, error) {
	base := fmt.Sprintf("%s.corrupt-%d", path, time.Now().Unix())
	aside := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = fmt.Sprintf("%s-%d", base, n)
	}
	moved := true
	if err := os.Rename(path, aside); errors.Is(err, fs.ErrNotExist) {
		moved = false
	} else if err != nil {
		return "", fmt.Errorf("move damaged library index aside: %w", err)
	}
	for _, suffix := range []string{"-wal", "-journal"} {
		if err := os.Rename(path+suffix, aside+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("move damaged library index aside: %w", err)
		}
	}
	if err := os.Remove(path + "-shm"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("move damaged library index aside: %w", err)
	}
	if !moved {
		return "", nil
	}
	return aside, nil
}

// MovedAside returns the names the index's unusable database files were
// renamed to since [OpenIndex], oldest first; nil when none were. Earshot
// may log them: they are kept only for diagnosis.
func (s *SQLiteIndex) MovedAside() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]string(nil), s.movedAside...)
}

// Close closes the database. Load and Save then return [ErrIndexClosed];
// closing again does nothing.
func (s *SQLiteIndex) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	if err != nil {
		return fmt.Errorf("close library index: %w", err)
	}
	return nil
}

// use runs f on the database. When f finds the file [unusable], the file
// is moved aside, a new empty database takes its place, and f runs once
// more on that.
func (s *SQLiteIndex) use(f func(*sql.DB) error) error {
	for retried := false; ; retried = true {
		s.mu.RLock()
		db := s.db
		if db == nil {
			s.mu.RUnlock()
			return ErrIndexClosed
		}
		err := f(db)
		s.mu.RUnlock()
		if retried || !unusable(err) {
			return err
		}
		if rerr := s.replace(db, true); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
}

// replace closes old and opens s.path again, first moving the file aside
// when discard is set, unless another goroutine already replaced old or
// the index was closed.
func (s *SQLiteIndex) replace(old *sql.DB, discard bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db != old {
		return nil
	}
	old.Close()
	s.db = nil
	var err error
	if discard {
		// Should the file not move, reopening it still serves loads.
		err = s.moveAside()
	}
	if oerr := s.open(); oerr != nil {
		return errors.Join(err, fmt.Errorf("reopen library index: %w", oerr))
	}
	return err
}

// deleted reports whether the database file s.db has open was deleted or
// replaced since it was opened. In WAL mode SQLite goes on writing to a
// deleted file, and what it writes would be lost.
func (s *SQLiteIndex) deleted() (db *sql.DB, gone bool) {
	s.mu.RLock()
	db, file := s.db, s.file
	s.mu.RUnlock()
	if db == nil {
		return nil, false
	}
	info, err := os.Stat(s.path)
	return db, errors.Is(err, fs.ErrNotExist) || (err == nil && !os.SameFile(info, file))
}

// Save replaces the tracks and problems kept for the source called name
// with the given ones, in one transaction: a concurrent [SQLiteIndex.Load],
// or a crash, sees the old set or the new one, never a mix. When the file
// was deleted since it was opened, Save creates it again. Every field of
// each track is kept; see [SQLiteIndex.Load] for how they come back.
// Problems keep their order.
func (s *SQLiteIndex) Save(name string, tracks []Track, problems []string) error {
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
func saveSource(db *sql.DB, name string, tracks []Track, problems []string) error {
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
func appendTrackRow(args []any, source int64, t Track) []any {
	return append(args, source,
		t.Path, t.ID, t.Title, t.Artist, t.Album, t.AlbumArtist,
		t.TrackNumber, t.TrackTotal, t.DiscNumber, t.DiscTotal, t.Year, t.Genre,
		t.Duration, string(t.Format), t.MIMEType, t.Size, unixNanos(t.ModTime),
		t.HasCover, t.coverEmbedded, t.coverFile, t.Video, t.Width, t.Height)
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
func (s *SQLiteIndex) Load(name string) (tracks []Track, problems []string, err error) {
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
func loadSource(db *sql.DB, name string) ([]Track, []string, error) {
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
	var tracks []Track
	if count.Valid && count.Int64 > 0 {
		tracks = make([]Track, 0, min(count.Int64, 1<<20))
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
func (in interner) track(t *Track) {
	for _, s := range []*string{&t.Artist, &t.Album, &t.AlbumArtist, &t.Genre, &t.MIMEType, &t.coverFile} {
		*s = in.string(*s)
	}
	t.Format = Format(in.string(string(t.Format)))
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
func scanTrack(rows *sql.Rows) (Track, error) {
	var (
		t        Track
		duration sql.NullFloat64
		format   string
		modTime  sql.NullInt64
	)
	err := rows.Scan(&t.Path, &t.ID, &t.Title, &t.Artist, &t.Album, &t.AlbumArtist,
		&t.TrackNumber, &t.TrackTotal, &t.DiscNumber, &t.DiscTotal, &t.Year, &t.Genre,
		&duration, &format, &t.MIMEType, &t.Size, &modTime,
		&t.HasCover, &t.coverEmbedded, &t.coverFile, &t.Video, &t.Width, &t.Height)
	if err != nil {
		// The driver gave a value of the wrong type for its column.
		return Track{}, fmt.Errorf("%w: %w", errIndexData, err)
	}
	t.Duration = duration.Float64
	t.Format = Format(format)
	if modTime.Valid {
		t.ModTime = time.Unix(0, modTime.Int64)
	}
	return t, nil
}
