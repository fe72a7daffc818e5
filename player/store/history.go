package store

import (
	"database/sql"
	"earshot/player"
	"fmt"
	"time"
)

// SetStar implements [player.UserStore]. A heart put on again keeps the
// time it was first given.
func (s *SQLiteIndex) SetStar(kind, id string, song *player.TrackRef, on bool, now time.Time) error {
	err := s.userTx(func(tx *sql.Tx) error {
		if !on {
			_, err := tx.Exec(`DELETE FROM stars WHERE kind = ? AND id = ?`, kind, id)
			return err
		}
		if song != nil {
			if err := upsertRefs(tx, []player.TrackRef{*song}); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`INSERT INTO stars (kind, id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, kind, id, now.UnixNano())
		return err
	})
	if err != nil {
		return fmt.Errorf("set heart: %w", err)
	}
	return nil
}

// Stars implements [player.UserStore].
func (s *SQLiteIndex) Stars() ([]player.Star, error) {
	var out []player.Star
	err := s.user(func(db *sql.DB) error {
		rows, err := db.Query(`SELECT kind, id, at FROM stars ORDER BY at DESC, kind, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st player.Star
			var at int64
			if err := rows.Scan(&st.Kind, &st.ID, &at); err != nil {
				return err
			}
			st.At = time.Unix(0, at).UTC()
			out = append(out, st)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read hearts: %w", err)
	}
	return out, nil
}

// RecordPlay implements [player.UserStore]. Listen IDs are remembered for
// [listenMemory].
func (s *SQLiteIndex) RecordPlay(track player.TrackRef, listen string, now time.Time) (bool, error) {
	counted := false
	err := s.userTx(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM listens WHERE at < ?`, now.Add(-listenMemory).UnixNano()); err != nil {
			return err
		}
		res, err := tx.Exec(`INSERT INTO listens (listen_id, track_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			listen, track.ID, now.UnixNano())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // already counted
		}
		if err := upsertRefs(tx, []player.TrackRef{track}); err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO plays (track_id, count, last_played) VALUES (?, 1, ?)
			ON CONFLICT (track_id) DO UPDATE SET count = count + 1, last_played = excluded.last_played`,
			track.ID, now.UnixNano())
		counted = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("count play: %w", err)
	}
	return counted, nil
}

// Plays implements [player.UserStore].
func (s *SQLiteIndex) Plays() ([]player.PlayCount, error) {
	var out []player.PlayCount
	err := s.user(func(db *sql.DB) error {
		rows, err := db.Query(`SELECT track_id, count, last_played FROM plays`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p player.PlayCount
			var at int64
			if err := rows.Scan(&p.TrackID, &p.Count, &at); err != nil {
				return err
			}
			p.LastPlayed = time.Unix(0, at).UTC()
			out = append(out, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read play counts: %w", err)
	}
	return out, nil
}

// SetPosition implements [player.UserStore].
func (s *SQLiteIndex) SetPosition(track player.TrackRef, seconds float64, now time.Time) error {
	err := s.userTx(func(tx *sql.Tx) error {
		if seconds == 0 {
			_, err := tx.Exec(`DELETE FROM positions WHERE track_id = ?`, track.ID)
			return err
		}
		if err := upsertRefs(tx, []player.TrackRef{track}); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO positions (track_id, seconds, at) VALUES (?, ?, ?)
			ON CONFLICT (track_id) DO UPDATE SET seconds = excluded.seconds, at = excluded.at`,
			track.ID, seconds, now.UnixNano())
		return err
	})
	if err != nil {
		return fmt.Errorf("keep position: %w", err)
	}
	return nil
}

// Positions implements [player.UserStore].
func (s *SQLiteIndex) Positions() (map[string]float64, error) {
	out := map[string]float64{}
	err := s.user(func(db *sql.DB) error {
		rows, err := db.Query(`SELECT track_id, seconds FROM positions`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var sec float64
			if err := rows.Scan(&id, &sec); err != nil {
				return err
			}
			out[id] = sec
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read positions: %w", err)
	}
	return out, nil
}

// Refs implements [player.UserStore]: references no playlist, heart, play
// count or position uses any more are left out.
func (s *SQLiteIndex) Refs() ([]player.TrackRef, error) {
	var out []player.TrackRef
	err := s.user(func(db *sql.DB) error {
		rows, err := db.Query(`SELECT ` + refColumns + ` FROM track_refs WHERE track_id IN (
			SELECT track_id FROM playlist_entries UNION SELECT id FROM stars WHERE kind = 'song'
			UNION SELECT track_id FROM plays UNION SELECT track_id FROM positions)`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRef(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read track references: %w", err)
	}
	return out, nil
}

// MoveRefs implements [player.UserStore], in one transaction.
func (s *SQLiteIndex) MoveRefs(moves []player.RefMove) error {
	err := s.userTx(func(tx *sql.Tx) error {
		for _, m := range moves {
			for _, q := range []string{
				`UPDATE playlist_entries SET track_id = ? WHERE track_id = ?`,
				`UPDATE stars SET id = ? WHERE kind = 'song' AND id = ?`,
				`UPDATE OR REPLACE plays SET track_id = ? WHERE track_id = ?`,
				`UPDATE OR REPLACE positions SET track_id = ? WHERE track_id = ?`,
				`UPDATE listens SET track_id = ? WHERE track_id = ?`,
			} {
				if _, err := tx.Exec(q, m.To.ID, m.From); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(`DELETE FROM track_refs WHERE track_id IN (?, ?)`, m.From, m.To.ID); err != nil {
				return err
			}
			r := m.To
			if _, err := tx.Exec(`INSERT INTO track_refs (`+refColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.ID, r.Path, r.Fingerprint, r.Size, r.Hash, r.Title, r.Artist, r.MatchedBy, r.MatchedFrom); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move track references: %w", err)
	}
	return nil
}
