package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/collate"

	"earshot/player"
)

// trackList is what the track table shows and how: the library's tracks,
// the search typed above the table and the sort chosen in its header.
// It is touched on the UI goroutine only.
type trackList struct {
	all    []player.Track // the library's tracks, in its order
	query  string         // the search field's text
	sort   tableSort
	sorted []player.Track // all sorted by sort; nil until needed

	collator *collate.Collator
	search   *searchEntry
	found    *widget.Label // "3 of 5,000 tracks" while searching; hidden otherwise
	// selected is the table's selected row, -1 for none.
	selected int
}

// searchPlaceholder is what the empty search field says.
const searchPlaceholder = "Search titles, artists and albums"

// searchEntry is the search field: a one-line [widget.Entry] where Escape
// clears the text, or, when there is none, goes on to onKey (the window's
// handler, which closes the dialog on top).
type searchEntry struct {
	widget.Entry
	onKey func(*fyne.KeyEvent)
}

// TypedKey clears the field on Escape and otherwise edits it as an Entry.
func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name != fyne.KeyEscape {
		e.Entry.TypedKey(ev)
		return
	}
	if e.Text != "" {
		e.SetText("") // OnChanged shows every track again
		return
	}
	if e.onKey != nil {
		e.onKey(ev)
	}
}

// newSearchBar builds the search field above the track table, with the
// count of tracks found on its right. Typing filters the table at once;
// Enter moves the focus to the table.
func (u *UI) newSearchBar() fyne.CanvasObject {
	u.list.selected = -1
	u.list.sort = tableSort{col: -1}
	u.list.collator = newCollator()
	e := &searchEntry{onKey: u.typedKey}
	e.PlaceHolder = searchPlaceholder
	e.OnChanged = u.searchFor
	e.OnSubmitted = func(string) { u.win.Canvas().Focus(u.table) }
	e.ExtendBaseWidget(e)
	u.list.search = e
	u.list.found = widget.NewLabel("")
	u.list.found.Hide()
	return container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), u.list.found, e)
}

// searchFor filters the table to the tracks matching q.
func (u *UI) searchFor(q string) {
	u.list.query = q
	u.showTracks()
}

// showTracks shows in the table the library's tracks that match the
// search, in the order chosen: by the sorted column when there is one,
// else best matches first while searching ([player.Library.Search], which
// ignores case and diacritics as the page's search does), else in the
// library's order. The table is scrolled back to the top.
func (u *UI) showTracks() {
	l := &u.list
	shown := l.all
	if l.sort.col >= 0 {
		if l.sorted == nil {
			l.sorted = sortTracks(l.all, l.sort, l.collator)
		}
		shown = l.sorted
	}
	searching := strings.TrimSpace(l.query) != ""
	if searching {
		hits := u.lib.Search(l.query)
		if l.sort.col < 0 {
			shown = hits
		} else {
			ids := make(map[string]struct{}, len(hits))
			for _, t := range hits {
				ids[t.ID] = struct{}{}
			}
			var kept []player.Track
			for _, t := range shown {
				if _, ok := ids[t.ID]; ok {
					kept = append(kept, t)
				}
			}
			shown = kept
		}
	}
	u.tracks = shown
	u.table.UnselectAll()
	u.table.Refresh() // the rows, and the headers' ▲ or ▼
	u.table.ScrollToTop()
	if !searching {
		l.found.Hide()
		return
	}
	l.found.SetText(foundText(len(shown), len(l.all)))
	l.found.Show()
}

// foundText says how many of the library's tracks a search found: "No
// tracks match", "1 of 4 tracks", "3 of 5,000 tracks".
func foundText(found, all int) string {
	if found == 0 {
		return "No tracks match"
	}
	return formatCount(found) + " of " + plural(all, "track", "tracks")
}
