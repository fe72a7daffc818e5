package store

import (
	"database/sql"
	"time"

	"earshot/player"
)

var _ player.AppPasswordStore = (*SQLiteIndex)(nil)

// AppPasswords implements [player.AppPasswordStore]: every app password,
// oldest first.
func (s *SQLiteIndex) AppPasswords() ([]player.AppPassword, error) {
	var out []player.AppPassword
	err := s.user(func(db *sql.DB) error {
		rows, err := db.Query(`SELECT id, name, password, created FROM app_passwords ORDER BY created, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p player.AppPassword
			var created int64
			if err := rows.Scan(&p.ID, &p.Name, &p.Password, &created); err != nil {
				return err
			}
			p.Created = time.Unix(0, created)
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// AddAppPassword implements [player.AppPasswordStore]: it keeps p, and
// fails when its ID or password is taken.
func (s *SQLiteIndex) AddAppPassword(p player.AppPassword) error {
	return s.user(func(db *sql.DB) error {
		_, err := db.Exec(`INSERT INTO app_passwords (id, name, password, created) VALUES (?, ?, ?, ?)`,
			p.ID, p.Name, p.Password, p.Created.UnixNano())
		return err
	})
}

// RevokeAppPassword implements [player.AppPasswordStore]: it deletes the
// app password with the given ID, or returns
// [player.ErrAppPasswordNotFound].
func (s *SQLiteIndex) RevokeAppPassword(id string) error {
	return s.user(func(db *sql.DB) error {
		res, err := db.Exec(`DELETE FROM app_passwords WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return player.ErrAppPasswordNotFound
		}
		return nil
	})
}
