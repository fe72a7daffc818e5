package app

import (
	"fmt"
	"testing"

	"time"

	"fyne.io/fyne/v2/test"

	"earshot/player"
)

// BenchmarkWindowSearch measures what the window does on each key typed
// in the search field and on a tap on a header, over a library of 50,000
// tracks (1,000 artists of 5 albums of 10 tracks): searchFor with the
// table unsorted and sorted by title, and a sort by title (collation keys
// for every track).
func BenchmarkWindowSearch(b *testing.B) {
	const artists, albums, tracks = 1000, 5, 10
	var ts []player.Track
	for a := range artists {
		for al := range albums {
			for n := range tracks {
				p := fmt.Sprintf("%d/%d/%02d.mp3", a, al, n)
				ts = append(ts, player.Track{ID: player.TrackID(p), Path: p, Format: "mp3", TrackNumber: n + 1,
					Title: fmt.Sprintf("Song %d of Día %d", n, a*albums+al), Artist: fmt.Sprintf("Artist %d", a),
					Album: fmt.Sprintf("Album %d", al), Duration: float64(60 + (a+al+n)%300)})
			}
		}
	}
	lib := player.New(player.Options{Index: memIndex(ts)})
	if _, err := lib.Restore(player.Source{Name: "big"}); err != nil {
		b.Fatal(err)
	}
	a := test.NewTempApp(b)
	ui := newUI(a, lib, lanServer(), demo, hooks{tick: make(chan time.Time)})
	b.Cleanup(func() { ui.Window().Close() })
	ui.setTracks(lib.Tracks())
	b.Run("type/unsorted", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			ui.searchFor([]string{"s", "so", "song 3", "dia 4"}[i%4])
		}
	})
	b.Run("sort/title", func(b *testing.B) {
		ui.searchFor("")
		for b.Loop() {
			ui.list.sort, ui.list.sorted = tableSort{0, ascending}, nil
			ui.showTracks()
		}
	})
	b.Run("type/sorted", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			ui.searchFor([]string{"s", "so", "song 3", "dia 4"}[i%4])
		}
	})
}
