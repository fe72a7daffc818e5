package store

import "strings"

// indexSchemaVersion is the schema version this build writes, kept in the
// database's PRAGMA user_version: the number of [indexMigrations] applied.
var indexSchemaVersion = len(indexMigrations)

// indexMigrations are the steps from one schema version to the next:
// applying indexMigrations[i] to a database at version i (0 being a new,
// empty file) brings it to version i+1. Steps are only ever appended; a
// step once released is never edited, since databases in the wild went
// through it as written.
//
// Tracks store every [player.Track] field. Times are unix nanoseconds (NULL for
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

	// Version 4: files of the formats only ffmpeg reads, listed without
	// their tags and length when it is missing. Earlier versions indexed
	// an audio-only .webm file as a video; forgetting the modification
	// time of those makes the next scan read them again.
	`ALTER TABLE tracks ADD COLUMN needs_ffmpeg INTEGER NOT NULL DEFAULT 0;
	UPDATE tracks SET mod_time = NULL WHERE lower(path) LIKE '%.webm';`,

	// Version 5: what people make of the library (player.UserStore):
	// playlists, hearts, play counts, positions in long tracks, and the
	// references of the tracks they name, to follow a file that moves.
	// Times are unix nanoseconds. Unlike the tracks, these are no cache.
	`CREATE TABLE track_refs (
		track_id     TEXT PRIMARY KEY,
		path         TEXT NOT NULL,
		fingerprint  TEXT NOT NULL,
		size         INTEGER NOT NULL,
		head_hash    TEXT NOT NULL,
		title        TEXT NOT NULL,
		artist       TEXT NOT NULL,
		matched_by   TEXT NOT NULL DEFAULT '',
		matched_from TEXT NOT NULL DEFAULT ''
	) WITHOUT ROWID;
	CREATE TABLE playlists (
		id      INTEGER PRIMARY KEY,
		name    TEXT NOT NULL,
		created INTEGER NOT NULL,
		updated INTEGER NOT NULL
	);
	CREATE TABLE playlist_entries (
		playlist_id INTEGER NOT NULL,
		pos         INTEGER NOT NULL,
		track_id    TEXT NOT NULL,
		PRIMARY KEY (playlist_id, pos)
	) WITHOUT ROWID;
	CREATE INDEX playlist_entries_by_track ON playlist_entries (track_id);
	CREATE TABLE stars (
		kind TEXT NOT NULL,
		id   TEXT NOT NULL,
		at   INTEGER NOT NULL,
		PRIMARY KEY (kind, id)
	) WITHOUT ROWID;
	CREATE TABLE plays (
		track_id    TEXT PRIMARY KEY,
		count       INTEGER NOT NULL,
		last_played INTEGER NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE listens (
		listen_id TEXT PRIMARY KEY,
		track_id  TEXT NOT NULL,
		at        INTEGER NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE positions (
		track_id TEXT PRIMARY KEY,
		seconds  REAL NOT NULL,
		at       INTEGER NOT NULL
	) WITHOUT ROWID;`,

	// Version 6: the tracks of cue sheets (where each starts and ends in
	// its file, in seconds; 0 for a track that is a file of its own) and
	// lyrics. Earlier versions read neither the lyrics nor the cue sheets
	// in tags, and named untagged files' albums "Unknown Album" wherever
	// they were: forgetting the modification time of the music makes the
	// next scan read it again.
	`ALTER TABLE tracks ADD COLUMN start_time REAL NOT NULL DEFAULT 0;
	ALTER TABLE tracks ADD COLUMN end_time REAL NOT NULL DEFAULT 0;
	ALTER TABLE tracks ADD COLUMN has_lyrics INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE tracks ADD COLUMN lyrics_embedded INTEGER NOT NULL DEFAULT 0;
	UPDATE tracks SET mod_time = NULL WHERE video = 0;`,

	// Version 7: app passwords for Subsonic apps (player.AppPassword). The
	// password itself is kept: token logins need it (see its doc).
	`CREATE TABLE app_passwords (
		id       TEXT PRIMARY KEY,
		name     TEXT NOT NULL,
		password TEXT NOT NULL UNIQUE,
		created  INTEGER NOT NULL
	) WITHOUT ROWID;`,

	// Version 8: what Subsonic apps save (player.AppDataStore): the one
	// play queue (its tracks in play_queue_entries; position in
	// milliseconds, changed in unix nanoseconds) and the ratings, 1 to 5,
	// of songs, albums and artists.
	`CREATE TABLE play_queue (
		id          INTEGER PRIMARY KEY CHECK (id = 1),
		current     TEXT NOT NULL,
		position_ms INTEGER NOT NULL,
		changed_by  TEXT NOT NULL,
		changed     INTEGER NOT NULL
	);
	CREATE TABLE play_queue_entries (
		pos      INTEGER PRIMARY KEY,
		track_id TEXT NOT NULL
	);
	CREATE TABLE ratings (
		kind  TEXT NOT NULL,
		id    TEXT NOT NULL,
		stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
		PRIMARY KEY (kind, id)
	) WITHOUT ROWID;`,
}

// trackColumns are the tracks columns [SQLiteIndex.Save] writes and
// [SQLiteIndex.Load] reads, in the order of [appendTrackRow] and [scanTrack].
const trackColumns = `path, id, title, artist, album, album_artist,
	track_number, track_total, disc_number, disc_total, year, genre,
	duration, format, mime_type, size, mod_time,
	has_cover, cover_embedded, cover_file, video, width, height, needs_ffmpeg,
	start_time, end_time, has_lyrics, lyrics_embedded`

// trackColumnCount is the number of names in trackColumns.
const trackColumnCount = 28

// insertBatch is how many tracks one INSERT statement writes. Many rows per
// statement spare the per-statement cost of database/sql and the driver (a
// quarter of the time of a save, one row at a time); 50 rows of 29 values
// stay far below SQLite's limit of 32,766 bound values, and more rows gain
// nothing measurable.
const insertBatch = 50

// The statements Save and Load run.
var (
	insertTracksSQL = insertTracksStatement(insertBatch)
	insertTrackSQL  = insertTracksStatement(1)
	// In the order saved, which is library order: a restore then need not
	// sort (see player's sortTracks).
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
