package store

import (
	"database/sql"
	"earshot/player"
	"errors"
	"fmt"
	"strconv"
	"time"
)

var _ player.UserStore = (*SQLiteIndex)(nil)

// listenMemory is how long [SQLiteIndex.RecordPlay] remembers a listen ID,
// against a client sending the same listen twice.
const listenMemory = 30 * 24 * time.Hour

// refColumns are the track_refs columns, in the order of [scanRef].
const refColumns = `track_id, path, fingerprint, size, head_hash, title, artist, matched_by, matched_from`

// upsertRefSQL keeps a track reference: what a scan reads of the file is
// updated, a hash already taken is kept when the new reference has none,
// and how it was last found again stays.
const upsertRefSQL = `INSERT INTO track_refs (track_id, path, fingerprint, size, head_hash, title, artist)
	VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (track_id) DO UPDATE SET path = excluded.path, fingerprint = excluded.fingerprint,
	size = excluded.size, title = excluded.title, artist = excluded.artist,
	head_hash = CASE WHEN excluded.head_hash != '' THEN excluded.head_hash ELSE track_refs.head_hash END`

// user runs f on the database for the user-data methods. Unlike
// [SQLiteIndex.use], it never moves the file aside on an error: the file
// holds more than a cache now, and an error of one statement is reported.
func (s *SQLiteIndex) user(f func(*sql.DB) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return ErrIndexClosed
	}
	return f(s.db)
}

// userTx runs f in a transaction, committed when f returns nil.
func (s *SQLiteIndex) userTx(f func(*sql.Tx) error) error {
	return s.user(func(db *sql.DB) error {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := f(tx); err != nil {
			return err
		}
		return tx.Commit()
	})
}

// upsertRefs keeps refs (see [upsertRefSQL]), each ID once.
func upsertRefs(tx *sql.Tx, refs []player.TrackRef) error {
	st, err := tx.Prepare(upsertRefSQL)
	if err != nil {
		return err
	}
	defer st.Close()
	done := make(map[string]bool, len(refs))
	for _, r := range refs {
		if done[r.ID] {
			continue
		}
		done[r.ID] = true
		if _, err := st.Exec(r.ID, r.Path, r.Fingerprint, r.Size, r.Hash, r.Title, r.Artist); err != nil {
			return err
		}
	}
	return nil
}

// scanRef reads a row of [refColumns].
func scanRef(rows interface{ Scan(...any) error }) (player.TrackRef, error) {
	var r player.TrackRef
	err := rows.Scan(&r.ID, &r.Path, &r.Fingerprint, &r.Size, &r.Hash, &r.Title, &r.Artist, &r.MatchedBy, &r.MatchedFrom)
	return r, err
}

// playlistID parses a playlist ID, or returns [player.ErrPlaylistNotFound].
func playlistID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return 0, player.ErrPlaylistNotFound
	}
	return n, nil
}

// Playlists implements [player.UserStore].
func (s *SQLiteIndex) Playlists() ([]player.PlaylistInfo, error) {
	out := []player.PlaylistInfo{}
	err := s.user(func(db *sql.DB) error {
		rows, err := db.Query(`SELECT id, name, created, updated,
			(SELECT count(*) FROM playlist_entries e WHERE e.playlist_id = p.id) FROM playlists p ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPlaylist(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list playlists: %w", err)
	}
	return out, nil
}

// scanPlaylist reads id, name, created, updated and the entry count.
func scanPlaylist(row interface{ Scan(...any) error }) (player.PlaylistInfo, error) {
	var p player.PlaylistInfo
	var id, created, updated int64
	if err := row.Scan(&id, &p.Name, &created, &updated, &p.Tracks); err != nil {
		return p, err
	}
	p.ID = strconv.FormatInt(id, 10)
	p.Created, p.Updated = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
	return p, nil
}

// playlistInfo reads the playlist id in tx.
func playlistInfo(q interface {
	QueryRow(string, ...any) *sql.Row
}, id int64) (player.PlaylistInfo, error) {
	p, err := scanPlaylist(q.QueryRow(`SELECT id, name, created, updated,
		(SELECT count(*) FROM playlist_entries e WHERE e.playlist_id = p.id) FROM playlists p WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, player.ErrPlaylistNotFound
	}
	return p, err
}

// Playlist implements [player.UserStore].
func (s *SQLiteIndex) Playlist(id string) (player.Playlist, error) {
	n, err := playlistID(id)
	if err != nil {
		return player.Playlist{}, err
	}
	var p player.Playlist
	err = s.user(func(db *sql.DB) error {
		tx, err := db.Begin() // one snapshot of the playlist and its entries
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if p.PlaylistInfo, err = playlistInfo(tx, n); err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT e.track_id, coalesce(r.path, ''), coalesce(r.fingerprint, ''),
			coalesce(r.size, 0), coalesce(r.head_hash, ''), coalesce(r.title, ''), coalesce(r.artist, ''),
			coalesce(r.matched_by, ''), coalesce(r.matched_from, '')
			FROM playlist_entries e LEFT JOIN track_refs r ON r.track_id = e.track_id
			WHERE e.playlist_id = ? ORDER BY e.pos`, n)
		if err != nil {
			return err
		}
		defer rows.Close()
		p.Entries = make([]player.TrackRef, 0, p.Tracks)
		for rows.Next() {
			r, err := scanRef(rows)
			if err != nil {
				return err
			}
			p.Entries = append(p.Entries, r)
		}
		return rows.Err()
	})
	if err != nil {
		return player.Playlist{}, fmt.Errorf("read playlist %s: %w", id, err)
	}
	return p, nil
}

// CreatePlaylist implements [player.UserStore].
func (s *SQLiteIndex) CreatePlaylist(name string, entries []player.TrackRef, now time.Time) (player.PlaylistInfo, error) {
	var p player.PlaylistInfo
	err := s.userTx(func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO playlists (name, created, updated) VALUES (?, ?, ?)`, name, now.UnixNano(), now.UnixNano())
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if err := insertEntries(tx, id, 0, entries); err != nil {
			return err
		}
		p, err = playlistInfo(tx, id)
		return err
	})
	if err != nil {
		return player.PlaylistInfo{}, fmt.Errorf("create playlist: %w", err)
	}
	return p, nil
}

// insertEntries keeps entries' references and adds them to the playlist
// id from position pos on.
func insertEntries(tx *sql.Tx, id int64, pos int, entries []player.TrackRef) error {
	if err := upsertRefs(tx, entries); err != nil {
		return err
	}
	st, err := tx.Prepare(`INSERT INTO playlist_entries (playlist_id, pos, track_id) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for i, r := range entries {
		if _, err := st.Exec(id, pos+i, r.ID); err != nil {
			return err
		}
	}
	return nil
}

// UpdatePlaylist implements [player.UserStore].
func (s *SQLiteIndex) UpdatePlaylist(id string, name *string, entries, appended []player.TrackRef, now time.Time) (player.PlaylistInfo, error) {
	n, err := playlistID(id)
	if err != nil {
		return player.PlaylistInfo{}, err
	}
	var p player.PlaylistInfo
	err = s.userTx(func(tx *sql.Tx) error {
		if p, err = playlistInfo(tx, n); err != nil {
			return err
		}
		if name != nil {
			if _, err := tx.Exec(`UPDATE playlists SET name = ? WHERE id = ?`, *name, n); err != nil {
				return err
			}
		}
		count := p.Tracks
		if entries != nil {
			if _, err := tx.Exec(`DELETE FROM playlist_entries WHERE playlist_id = ?`, n); err != nil {
				return err
			}
			if err := insertEntries(tx, n, 0, entries); err != nil {
				return err
			}
			count = len(entries)
		}
		if appended != nil {
			if count+len(appended) > player.MaxPlaylistEntries {
				return player.ErrTooManyEntries
			}
			var next int
			if err := tx.QueryRow(`SELECT coalesce(max(pos) + 1, 0) FROM playlist_entries WHERE playlist_id = ?`, n).Scan(&next); err != nil {
				return err
			}
			if err := insertEntries(tx, n, next, appended); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`UPDATE playlists SET updated = ? WHERE id = ?`, now.UnixNano(), n); err != nil {
			return err
		}
		p, err = playlistInfo(tx, n)
		return err
	})
	if err != nil {
		return player.PlaylistInfo{}, fmt.Errorf("change playlist %s: %w", id, err)
	}
	return p, nil
}

// DeletePlaylist implements [player.UserStore].
func (s *SQLiteIndex) DeletePlaylist(id string) error {
	n, err := playlistID(id)
	if err != nil {
		return err
	}
	err = s.userTx(func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM playlists WHERE id = ?`, n)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			return cmpErr(err, player.ErrPlaylistNotFound)
		}
		_, err = tx.Exec(`DELETE FROM playlist_entries WHERE playlist_id = ?`, n)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete playlist %s: %w", id, err)
	}
	return nil
}

// cmpErr returns err when it is not nil, else otherwise.
func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
