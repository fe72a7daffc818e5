package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"earshot/player"
)

var _ player.AppDataStore = (*SQLiteIndex)(nil)

// PlayQueue implements [player.AppDataStore]: the saved play queue, the
// zero PlayQueue when none was saved.
func (s *SQLiteIndex) PlayQueue() (player.PlayQueue, error) {
	var q player.PlayQueue
	err := s.user(func(db *sql.DB) error {
		var changed int64
		err := db.QueryRow(`SELECT current, position_ms, changed_by, changed FROM play_queue WHERE id = 1`).
			Scan(&q.Current, &q.PositionMS, &q.ChangedBy, &changed)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		q.Changed = time.Unix(0, changed)
		rows, err := db.Query(`SELECT track_id FROM play_queue_entries ORDER BY pos`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			q.TrackIDs = append(q.TrackIDs, id)
		}
		return rows.Err()
	})
	if err != nil {
		return player.PlayQueue{}, fmt.Errorf("play queue: %w", err)
	}
	return q, nil
}

// SavePlayQueue implements [player.AppDataStore]: it replaces the saved
// play queue with q, in one transaction.
func (s *SQLiteIndex) SavePlayQueue(q player.PlayQueue) error {
	err := s.userTx(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT OR REPLACE INTO play_queue (id, current, position_ms, changed_by, changed)
			VALUES (1, ?, ?, ?, ?)`, q.Current, q.PositionMS, q.ChangedBy, q.Changed.UnixNano()); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM play_queue_entries`); err != nil {
			return err
		}
		st, err := tx.Prepare(`INSERT INTO play_queue_entries (pos, track_id) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for i, id := range q.TrackIDs {
			if _, err := st.Exec(i, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save play queue: %w", err)
	}
	return nil
}

// Ratings implements [player.AppDataStore]: every rating.
func (s *SQLiteIndex) Ratings() ([]player.Rating, error) {
	var out []player.Rating
	err := s.user(func(db *sql.DB) error {
		rows, err := db.Query(`SELECT kind, id, stars FROM ratings`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r player.Rating
			if err := rows.Scan(&r.Kind, &r.ID, &r.Stars); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("ratings: %w", err)
	}
	return out, nil
}

// SetRating implements [player.AppDataStore]: it keeps r (Stars 1 to 5)
// or, with Stars 0, removes the rating of r.Kind and r.ID. Another Stars
// or kind is [player.ErrInvalid].
func (s *SQLiteIndex) SetRating(r player.Rating) error {
	if err := r.Check(); err != nil {
		return err
	}
	return s.user(func(db *sql.DB) error {
		var err error
		if r.Stars == 0 {
			_, err = db.Exec(`DELETE FROM ratings WHERE kind = ? AND id = ?`, r.Kind, r.ID)
		} else {
			_, err = db.Exec(`INSERT OR REPLACE INTO ratings (kind, id, stars) VALUES (?, ?, ?)`, r.Kind, r.ID, r.Stars)
		}
		if err != nil {
			return fmt.Errorf("set rating: %w", err)
		}
		return nil
	})
}
