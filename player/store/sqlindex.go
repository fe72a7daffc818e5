// Package store keeps a library between runs in an SQLite database file:
// [SQLiteIndex] implements [player.Index], and a launch restores the last
// scan's tracks from it without opening the files. It also implements
// [player.UserStore]: playlists, hearts, play counts and positions. The
// schema is versioned and migrated in place; a file this build cannot use
// is moved aside (kept, with whatever user data it held) and the tracks
// are rebuilt by the next scan.
//
// Its package-level variables are error values and the migration and SQL
// statement tables, built once and never written.
package store

import (
	"database/sql"
	"earshot/player"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var _ player.Index = (*SQLiteIndex)(nil)

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

// SQLiteIndex is a [player.Index] kept in an SQLite database file (through the
// pure-Go modernc.org/sqlite driver, so no cgo). It is safe for concurrent
// use by several goroutines; saves are serialised, loads run in parallel
// and see either the whole of a save or none of it.
//
// The tracks are a cache of what scans found; the user data of
// [player.UserStore] is not, and its methods never move the file aside on
// an error of theirs. A file that is not a database, is damaged, was written by a newer Earshot
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
