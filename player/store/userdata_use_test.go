package store

import (
	"context"
	"earshot/player"
	"earshot/player/playertest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestMovedFileFollowedByUse is the check on a real folder that
// [player.Library.Use] watches: a hearted, playlisted, played file moved
// into another folder with os.Rename is, after the rescan the move
// triggers, still hearted, in the playlist at its place and played once,
// found by its content.
func TestMovedFileFollowedByUse(t *testing.T) {
	dir := t.TempDir()
	for name, n := range map[string]int{"A/one.wav": 1000, "A/two.wav": 2000} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, playertest.WAV(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix := openTestIndex(t)
	lib := player.New(player.Options{Index: ix, UserData: ix})
	events, unsubscribe := lib.Subscribe()
	defer unsubscribe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lib.Use(ctx, src) }()
	defer func() { cancel(); <-done }()
	await := func(what string, ok func(player.Event) bool) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case e := <-events:
				if ok(e) {
					return
				}
			case <-deadline:
				t.Fatalf("no %s within 10 s", what)
			}
		}
	}
	await("first scan", func(e player.Event) bool { return e.Kind == player.ScanDone })
	one, two := player.TrackID("A/one.wav"), player.TrackID("A/two.wav")
	p, err := lib.CreatePlaylist("p", []string{two, one})
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.SetStar(player.StarSong, two, true); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.RecordPlay(two, "l", 1); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "B"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "A", "two.wav"), filepath.Join(dir, "B", "two.wav")); err != nil {
		t.Fatal(err)
	}
	await("the move followed", func(e player.Event) bool { return e.Kind == player.UserDataChanged && e.What == "moved" })
	moved := player.TrackID("B/two.wav")
	ids, how := entryIDs(t, lib, p.ID)
	if !slices.Equal(ids, []string{moved, one}) || how[0] != player.MatchContent {
		t.Errorf("playlist = %v matched by %q, want [%s %s], the first by content", ids, how, moved, one)
	}
	if starred, err := lib.Starred(player.StarSong); err != nil || !starred[moved] || len(starred) != 1 {
		t.Errorf("hearted songs = %v, %v; want %s", starred, err, moved)
	}
	if hist, err := lib.History(player.HistoryRecent, 5); err != nil || len(hist) != 1 || hist[0].Track.ID != moved || hist[0].Count != 1 {
		t.Errorf("recently played = %+v, %v; want %s once", hist, err, moved)
	}
}
