package app

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"earshot/player"
)

// memIndex is a player.Index holding one source's tracks in memory.
type memIndex []player.Track

func (m memIndex) Load(string) ([]player.Track, []string, error) { return slices.Clone(m), nil, nil }
func (m memIndex) Save(string, []player.Track, []string) error   { return nil }

// sixTracks are the tracks of the search and sort tests: accents, case
// and numbers that a naive order gets wrong.
var sixTracks = []player.Track{
	{Title: "Hymne à l'amour", Artist: "Édith Piaf", Album: "Best Of", TrackNumber: 1, Duration: 200},
	{Title: "La Vie en rose", Artist: "Édith Piaf", Album: "Best Of", TrackNumber: 2, Duration: 190},
	{Title: "Glósóli", Artist: "Sigur Rós", Album: "Takk", TrackNumber: 2, Duration: 370},
	{Title: "Hoppípolla", Artist: "Sigur Rós", Album: "Takk", TrackNumber: 3, Duration: 270},
	{Title: "Track 10", Artist: "ada lark", Album: "Blue Hour", Duration: 65},
	{Title: "Track 2", Artist: "Ada Lark", Album: "Blue Hour", Duration: 125.5},
}

// libraryOrder is the titles of sixTracks in the library's order: by
// artist (as player compares names: "É" after "S"), album, track number,
// then title ("Track 10" before "Track 2").
var libraryOrder = []string{"Track 10", "Track 2", "Glósóli", "Hoppípolla", "Hymne à l'amour", "La Vie en rose"}

// newSixTracks returns a harness whose window shows sixTracks, restored
// from an index (nothing is scanned), over the server srv.
func newSixTracks(t *testing.T, srv Server) *harness {
	t.Helper()
	tracks := slices.Clone(sixTracks)
	for i := range tracks {
		tracks[i].Path = sixPath(i)
		tracks[i].ID = player.TrackID(tracks[i].Path)
		tracks[i].Format = "mp3"
	}
	lib := player.New(player.Options{Index: memIndex(tracks)})
	if n, err := lib.Restore(player.Source{Name: "Six"}); n != len(tracks) || err != nil {
		t.Fatalf("Restore = %d, %v; want %d, nil", n, err, len(tracks))
	}
	h := newHarnessLib(t, lib, srv, demo)
	h.ui.Window().Resize(fyne.NewSize(1080, 660)) // every row on screen
	h.ui.setTracks(lib.Tracks())
	if got := titles(h.ui); !slices.Equal(got, libraryOrder) {
		t.Fatalf("table before any search or sort = %q, want %q", got, libraryOrder)
	}
	return h
}

// sixPath is the path of sixTracks[i] in the library.
func sixPath(i int) string { return fmt.Sprintf("%02d.mp3", i) }

// titles returns the Title column of the table, top to bottom.
func titles(ui *UI) []string {
	var out []string
	for _, r := range rows(&ui.table.Table)[1:] {
		out = append(out, r[0])
	}
	return out
}

func TestSearchFiltersAsYouType(t *testing.T) {
	ui := newSixTracks(t, lanServer()).ui
	c := ui.Window().Canvas()
	// The field is reached by Tab from the window's first control.
	pressKey(c, fyne.KeyTab)
	pressKey(c, fyne.KeyTab)
	if got := focusName(ui); got != "search" {
		t.Fatalf("second Tab focused %q, want the search field", got)
	}
	steps := []struct {
		typed string // added to the field
		want  []string
		found string
	}{
		{"e", []string{"La Vie en rose", "Hymne à l'amour", "Track 10", "Track 2"}, "4 of 6 tracks"}, // "en", "Édith", then inside "Blue"
		{"d", []string{"Hymne à l'amour", "La Vie en rose"}, "2 of 6 tracks"},                        // "Édith" only: library order
		{"ith piaf", []string{"Hymne à l'amour", "La Vie en rose"}, "2 of 6 tracks"},
		{"z", nil, "No tracks match"},
	}
	for _, s := range steps {
		test.Type(ui.list.search, s.typed)
		if got := titles(ui); !slices.Equal(got, s.want) {
			t.Errorf("after typing to %q: titles %q, want %q", ui.list.search.Text, got, s.want)
		}
		if !ui.list.found.Visible() || ui.list.found.Text != s.found {
			t.Errorf("after typing to %q: count %q (shown %v), want %q", ui.list.search.Text, ui.list.found.Text, ui.list.found.Visible(), s.found)
		}
	}
	// Escape clears the field and shows every track again.
	pressKey(c, fyne.KeyEscape)
	if ui.list.search.Text != "" || ui.list.found.Visible() {
		t.Errorf("after Escape: field %q, count shown %v; want empty, hidden", ui.list.search.Text, ui.list.found.Visible())
	}
	if got := titles(ui); !slices.Equal(got, libraryOrder) {
		t.Errorf("after Escape: titles %q, want %q", got, libraryOrder)
	}
	// Enter moves on to the table.
	test.Type(ui.list.search, "takk")
	pressKey(c, fyne.KeyReturn)
	if got := focusName(ui); got != "table" {
		t.Errorf("Enter in the search field focused %q, want the table", got)
	}
}

func TestSearchMatchesAsThePageDoes(t *testing.T) {
	ui := newSixTracks(t, lanServer()).ui
	tests := []struct {
		q    string
		want []string
	}{
		{"edith", []string{"Hymne à l'amour", "La Vie en rose"}},                                   // no accent typed
		{"ÉDITH", []string{"Hymne à l'amour", "La Vie en rose"}},                                   // case
		{"glosoli", []string{"Glósóli"}},                                                           // accents in the title
		{"ros sig", []string{"Glósóli", "Hoppípolla"}},                                             // word prefixes, any order
		{"la", []string{"La Vie en rose", "Hymne à l'amour", "Track 10", "Track 2", "Hoppípolla"}}, // title start, in title, other fields, inside a word
		{"blue track 2", []string{"Track 2"}},
		{"  ", libraryOrder}, // no words: every track
	}
	for _, tc := range tests {
		ui.list.search.SetText(tc.q)
		if got := titles(ui); !slices.Equal(got, tc.want) {
			t.Errorf("search %q: titles %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestSearchEscapeWithoutText(t *testing.T) {
	ui := newSixTracks(t, lanServer()).ui
	c := ui.Window().Canvas()
	ui.list.search.SetText("x")
	ui.showProblems()
	esc := &fyne.KeyEvent{Name: fyne.KeyEscape}
	ui.list.search.TypedKey(esc) // clears the field; the dialog stays
	if c.Overlays().Top() == nil || ui.list.search.Text != "" {
		t.Fatalf("first Escape: dialog %v, field %q; want the dialog open, the field empty", c.Overlays().Top(), ui.list.search.Text)
	}
	ui.list.search.TypedKey(esc) // nothing to clear: goes on to the window, which closes the dialog
	if c.Overlays().Top() != nil {
		t.Errorf("second Escape left the dialog open")
	}
}

func TestSearchKeptAcrossRescans(t *testing.T) {
	ui := newSixTracks(t, lanServer()).ui
	ui.list.search.SetText("sigur")
	ui.setTracks(ui.lib.Tracks()) // as a scan of the folder, done, does
	if got, want := titles(ui), []string{"Glósóli", "Hoppípolla"}; !slices.Equal(got, want) {
		t.Errorf("after the library was shown again: titles %q, want %q", got, want)
	}
}
