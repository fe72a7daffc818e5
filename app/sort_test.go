package app

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// headerOf returns the header of column col that the table shows.
func headerOf(t *testing.T, ui *UI, col int) *sortHeader {
	t.Helper()
	var found *sortHeader
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if h, ok := o.(*sortHeader); ok && h.col == col && h.Visible() {
			found = h
		}
		switch o := o.(type) {
		case fyne.Widget: // its renderer as drawn, not a new one as test.LaidOutObjects makes
			for _, c := range test.WidgetRenderer(o).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		}
	}
	walk(ui.table)
	if found == nil {
		t.Fatalf("no header on screen for column %d", col)
	}
	return found
}

func TestSortByColumn(t *testing.T) {
	tests := []struct {
		col      string
		up, down []string // titles after one tap and after two
	}{
		{"Title",
			[]string{"Glósóli", "Hoppípolla", "Hymne à l'amour", "La Vie en rose", "Track 2", "Track 10"},
			[]string{"Track 10", "Track 2", "La Vie en rose", "Hymne à l'amour", "Hoppípolla", "Glósóli"}},
		// "ada lark" and "Ada Lark" tie (case is ignored) and keep the
		// library's order both ways; "Édith" sorts as "Edith".
		{"Artist",
			[]string{"Track 10", "Track 2", "Hymne à l'amour", "La Vie en rose", "Glósóli", "Hoppípolla"},
			[]string{"Glósóli", "Hoppípolla", "Hymne à l'amour", "La Vie en rose", "Track 10", "Track 2"}},
		{"Album",
			[]string{"Hymne à l'amour", "La Vie en rose", "Track 10", "Track 2", "Glósóli", "Hoppípolla"},
			[]string{"Glósóli", "Hoppípolla", "Track 10", "Track 2", "Hymne à l'amour", "La Vie en rose"}},
		{"Duration",
			[]string{"Track 10", "Track 2", "La Vie en rose", "Hymne à l'amour", "Hoppípolla", "Glósóli"},
			[]string{"Glósóli", "Hoppípolla", "Hymne à l'amour", "La Vie en rose", "Track 2", "Track 10"}},
	}
	ui := newSixTracks(t, lanServer()).ui
	for _, tc := range tests {
		col := slices.IndexFunc(columns, func(c column) bool { return c.title == tc.col })
		steps := []struct {
			want   []string
			header string
		}{
			{tc.up, tc.col + " ▲"}, {tc.down, tc.col + " ▼"}, {libraryOrder, tc.col},
		}
		for i, s := range steps {
			test.Tap(headerOf(t, ui, col))
			if got := titles(ui); !slices.Equal(got, s.want) {
				t.Errorf("%s tapped %d times: titles %q, want %q", tc.col, i+1, got, s.want)
			}
			var heads []string
			for c := range columns {
				heads = append(heads, headerOf(t, ui, c).Text)
			}
			for c, text := range heads {
				want := columns[c].title
				if c == col {
					want = s.header
				}
				if text != want {
					t.Errorf("%s tapped %d times: headers %q, want %q for %s", tc.col, i+1, heads, want, columns[c].title)
				}
			}
		}
	}
}

func TestSortWithSearch(t *testing.T) {
	ui := newSixTracks(t, lanServer()).ui
	ui.list.search.SetText("la") // best matches first: "La Vie…", "Hymne à l'amour", Ada Lark's, then "Hoppípolla"
	test.Tap(headerOf(t, ui, 0))
	test.Tap(headerOf(t, ui, 0)) // by title, descending
	want := []string{"Track 10", "Track 2", "La Vie en rose", "Hymne à l'amour", "Hoppípolla"}
	if got := titles(ui); !slices.Equal(got, want) {
		t.Errorf("search %q sorted by title descending: %q, want %q", "la", got, want)
	}
	test.Tap(headerOf(t, ui, 0)) // the sort off: best matches first again
	want = []string{"La Vie en rose", "Hymne à l'amour", "Track 10", "Track 2", "Hoppípolla"}
	if got := titles(ui); !slices.Equal(got, want) {
		t.Errorf("search %q unsorted: %q, want %q", "la", got, want)
	}
}

func TestSortHeaderKeys(t *testing.T) {
	ui := newSixTracks(t, lanServer()).ui
	c := ui.Window().Canvas()
	for range 4 { // choose, search, table, Title
		pressKey(c, fyne.KeyTab)
	}
	pressKey(c, fyne.KeyTab) // Artist
	if got := focusName(ui); got != "Artist" {
		t.Fatalf("fifth Tab focused %q, want the Artist header", got)
	}
	for _, k := range []fyne.KeyName{fyne.KeyReturn, fyne.KeySpace} {
		pressKey(c, k)
	}
	if got := headerOf(t, ui, 1).Text; got != "Artist ▼" {
		t.Errorf("Enter then Space on the Artist header: it says %q, want %q", got, "Artist ▼")
	}
}
