package app

import (
	"bytes"
	"cmp"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"earshot/player"
)

// The track table sorts by a column when its header is tapped (or, with
// the header focused, on Enter or Space): ascending first, descending on
// the next tap, and back to the library's own order (album artist, album,
// disc, track) on the third. Text columns sort as people read them, by
// the Unicode Collation Algorithm with the root locale: case, accents and
// width are ignored ("édith" sorts with "Edith") and numbers compare by
// value ("Track 2" before "Track 10"). Ties keep the library's order.

// Sort directions of [tableSort].
const (
	ascending  = "▲"
	descending = "▼"
)

// tableSort is how the track table is sorted: by column col in the
// direction dir (ascending or descending), or, when col is -1, in the
// library's order.
type tableSort struct {
	col int
	dir string
}

// next returns the sort after a tap on the header of column col.
func (s tableSort) next(col int) tableSort {
	switch {
	case s.col != col:
		return tableSort{col, ascending}
	case s.dir == ascending:
		return tableSort{col, descending}
	}
	return tableSort{col: -1}
}

// title returns the header text of column col: its title, with ▲ or ▼
// when the table is sorted by it.
func (s tableSort) title(col int) string {
	if s.col == col {
		return columns[col].title + " " + s.dir
	}
	return columns[col].title
}

// sortTracks returns a sorted copy of tracks, in the library's order,
// by s. c collates the text columns; it is not safe for concurrent use.
func sortTracks(tracks []player.Track, s tableSort, c *collate.Collator) []player.Track {
	out := slices.Clone(tracks)
	if s.col < 0 || s.col >= len(columns) {
		return out
	}
	sign := 1
	if s.dir == descending {
		sign = -1
	}
	if columns[s.col].title == "Duration" {
		slices.SortStableFunc(out, func(a, b player.Track) int { return sign * cmp.Compare(a.Duration, b.Duration) })
		return out
	}
	// Collation keys, computed once per track, into one buffer.
	var buf collate.Buffer
	keys := make([][]byte, len(out))
	text := columns[s.col].text
	for i, t := range out {
		keys[i] = c.KeyFromString(&buf, text(t))
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return sign * bytes.Compare(keys[a], keys[b]) })
	sorted := make([]player.Track, len(out))
	for i, k := range idx {
		sorted[i] = out[k]
	}
	return sorted
}

// newCollator returns the collator the table sorts text with: the root
// locale's order, ignoring case, accents and width, numbers by value.
func newCollator() *collate.Collator {
	return collate.New(language.Und, collate.Loose, collate.Numeric)
}

// sortHeader is a column header of the track table: its title in bold,
// with ▲ or ▼ when the table is sorted by it. Tapping it, or Enter or
// Space while it has the focus, sorts by its column.
type sortHeader struct {
	widget.Label
	ring  focusRing
	col   int                  // the column it heads; set by the table's UpdateHeader
	onTap func(col int)        // sorts by col
	onKey func(*fyne.KeyEvent) // keys it does not use; may be nil
}

// newSortHeader returns a header that calls onTap with its column.
func (u *UI) newSortHeader() *sortHeader {
	h := &sortHeader{onTap: u.sortBy, onKey: u.typedKey}
	h.TextStyle = fyne.TextStyle{Bold: true}
	h.Truncation = fyne.TextTruncateEllipsis
	h.ExtendBaseWidget(h)
	return h
}

// Tapped sorts by the header's column.
func (h *sortHeader) Tapped(*fyne.PointEvent) {
	if h.onTap != nil {
		h.onTap(h.col)
	}
}

// Cursor shows the pointing hand over the header, as over a link.
func (h *sortHeader) Cursor() desktop.Cursor { return desktop.PointerCursor }

// TypedKey sorts on Enter, keypad Enter or Space and passes other keys on.
func (h *sortHeader) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		h.Tapped(&fyne.PointEvent{})
	default:
		if h.onKey != nil {
			h.onKey(ev)
		}
	}
}

// TypedRune ignores typed text.
func (h *sortHeader) TypedRune(rune) {}

// FocusGained shows the focus ring.
func (h *sortHeader) FocusGained() { h.ring.show(true) }

// FocusLost hides the focus ring.
func (h *sortHeader) FocusLost() { h.ring.show(false) }

// CreateRenderer draws the label with its focus ring.
func (h *sortHeader) CreateRenderer() fyne.WidgetRenderer {
	return h.ring.wrap(h, h.Label.CreateRenderer())
}

// sortBy sorts the table by column col as a tap on its header does
// (see [tableSort.next]) and shows the result.
func (u *UI) sortBy(col int) {
	u.list.sort = u.list.sort.next(col)
	u.list.sorted = nil
	u.showTracks()
}
