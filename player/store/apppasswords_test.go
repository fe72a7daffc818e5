package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"earshot/player"
)

// TestAppPasswords adds, lists (across a reopen), and revokes app
// passwords, and refuses a duplicate.
func TestAppPasswords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	ix, err := OpenIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Unix(1000, 0)
	a := player.AppPassword{ID: "a", Name: "Symfonium on Pixel", Password: "pw-a", Created: t0}
	b := player.AppPassword{ID: "b", Name: "DSub", Password: "pw-b", Created: t0.Add(time.Second)}
	for _, p := range []player.AppPassword{b, a} {
		if err := ix.AddAppPassword(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.AddAppPassword(a); err == nil {
		t.Error("AddAppPassword of a taken ID succeeded")
	}
	ix.Close()
	if ix, err = OpenIndex(path); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	got, err := ix.AppPasswords()
	if err != nil || len(got) != 2 || got[0] != a || got[1].ID != "b" || got[1].Password != "pw-b" {
		t.Fatalf("AppPasswords() = %+v, %v; want a then b", got, err)
	}
	if err := ix.RevokeAppPassword("a"); err != nil {
		t.Fatal(err)
	}
	if err := ix.RevokeAppPassword("a"); !errors.Is(err, player.ErrAppPasswordNotFound) {
		t.Errorf("second RevokeAppPassword = %v, want ErrAppPasswordNotFound", err)
	}
	if got, _ := ix.AppPasswords(); len(got) != 1 || got[0].ID != "b" {
		t.Errorf("after revoke: %+v", got)
	}
}
