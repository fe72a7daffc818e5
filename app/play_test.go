package app

import (
	"net/url"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"earshot/player"
)

// recordOpens makes ui record the addresses it opens instead of opening
// them, and returns them.
func recordOpens(ui *UI) *[]string {
	var opened []string
	ui.openURL = func(u *url.URL) error { opened = append(opened, u.String()); return nil }
	return &opened
}

// rowAt returns a position, in the table's coordinates, inside the row
// that shows the track titled title: it taps down the table's first
// column until that row is selected. It fails the test when no row is.
func rowAt(t *testing.T, ui *UI, title string) fyne.Position {
	t.Helper()
	defer ui.table.UnselectAll()
	for y := float32(1); y < ui.table.Size().Height; y += 4 {
		p := fyne.NewPos(10, y)
		ui.table.Tapped(&fyne.PointEvent{Position: p})
		if r := ui.list.selected; r >= 0 && ui.tracks[r].Title == title {
			return p
		}
	}
	t.Fatalf("no row of the table shows %q", title)
	return fyne.Position{}
}

// trackID returns the ID of the track of sixTracks titled title, as
// newSixTracks numbers them.
func trackID(t *testing.T, title string) string {
	t.Helper()
	for i, tr := range sixTracks {
		if tr.Title == title {
			return player.TrackID(sixPath(i))
		}
	}
	t.Fatalf("no track titled %q", title)
	return ""
}

func TestDoubleClickPlaysInBrowser(t *testing.T) {
	ui := newSixTracks(t, lanServer()).ui
	opened := recordOpens(ui)
	test.Tap(headerOf(t, ui, 1)) // sorted by artist: rows move, the right one must still play
	for _, title := range []string{"Hoppípolla", "Track 2"} {
		ui.table.DoubleTapped(&fyne.PointEvent{Position: rowAt(t, ui, title)})
		want := loopback + "/#/play/" + trackID(t, title)
		if n := len(*opened); n == 0 || (*opened)[n-1] != want {
			t.Errorf("double-click on %q opened %q, want %q last", title, *opened, want)
		}
	}
	// A double-click on the table outside its rows (here on the header row)
	// plays nothing.
	before := len(*opened)
	ui.table.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(10, 5)})
	if len(*opened) != before {
		t.Errorf("double-click on the header opened %q", (*opened)[before:])
	}
}

func TestEnterPlaysFocusedRow(t *testing.T) {
	ui := newSixTracks(t, lanServer()).ui
	opened := recordOpens(ui)
	c := ui.Window().Canvas()
	ui.list.search.SetText("sigur")
	pressKey(c, fyne.KeyTab) // choose
	pressKey(c, fyne.KeyTab) // search
	pressKey(c, fyne.KeyReturn)
	pressKey(c, fyne.KeyDown)
	pressKey(c, fyne.KeyReturn)
	want := []string{loopback + "/#/play/" + trackID(t, "Hoppípolla")}
	if len(*opened) != 1 || (*opened)[0] != want[0] {
		t.Errorf("Enter on the second row of a search for %q opened %q, want %q", "sigur", *opened, want)
	}
}

func TestPlayURL(t *testing.T) {
	id := trackID(t, "Glósóli")
	tests := map[string]struct {
		srv        *fakeServer
		requireKey bool
		want       string // "" for an error and nothing opened
	}{
		"loopback":           {lanServer(), false, loopback + "/#/play/" + id},
		"key on loopback":    {lanServer(), true, loopback + "/pair?key=key0#/play/" + id},
		"only a LAN address": {newFakeServer(wifiAddr), false, wifi + "/pair?key=key0#/play/" + id},
		"not serving":        {newFakeServer(), false, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ui := newSixTracks(t, tc.srv).ui
			opened := recordOpens(ui)
			if tc.requireKey {
				test.Tap(ui.keyCheck)
			}
			ui.list.search.SetText("glosoli")
			c := ui.Window().Canvas()
			c.Focus(ui.table)
			pressKey(c, fyne.KeyReturn)
			if tc.want == "" {
				if len(*opened) != 0 || c.Overlays().Top() == nil {
					t.Errorf("not serving: opened %q, dialog %v; want nothing opened and an error shown", *opened, c.Overlays().Top())
				}
				return
			}
			if len(*opened) != 1 || (*opened)[0] != tc.want {
				t.Errorf("Enter on %q opened %q, want %q", "Glósóli", *opened, tc.want)
			}
		})
	}
}
