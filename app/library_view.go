package app

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"earshot/player"
)

// column is one column of the track table. Columns with a weight share
// the table's spare width in proportion to it; the others keep their width.
type column struct {
	title  string
	width  float32 // the narrowest the column gets
	weight float32
	align  fyne.TextAlign
	text   func(player.Track) string
}

// columns are the track table's columns, in order. Duration is wide
// enough for its title with the sort's arrow ("Duration ▼").
var columns = []column{
	{"Title", 180, 4, fyne.TextAlignLeading, func(t player.Track) string { return t.Title }},
	{"Artist", 120, 3, fyne.TextAlignLeading, func(t player.Track) string { return t.Artist }},
	{"Album", 140, 3, fyne.TextAlignLeading, func(t player.Track) string { return t.Album }},
	{"Duration", 110, 0, fyne.TextAlignTrailing, func(t player.Track) string { return formatDuration(t.Duration) }},
}

// columnWidths shares width (less the padding between columns) among the
// columns: each gets its own width plus its weight's share of the rest.
func columnWidths(width, padding float32) []float32 {
	spare, weights := width-padding*float32(len(columns)), float32(0)
	for _, c := range columns {
		spare -= c.width
		weights += c.weight
	}
	spare = max(spare, 0)
	widths := make([]float32, len(columns))
	for i, c := range columns {
		widths[i] = c.width + spare*c.weight/weights
	}
	return widths
}

// fillWidth is a layout for one table that fills its space and widens the
// table's columns to use the whole width.
type fillWidth struct {
	table *focusTable
	width float32 // the width the columns were last fitted to
}

// MinSize returns the table's minimum size.
func (l *fillWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return objects[0].MinSize()
}

// Layout gives the table all of size and fits its columns to the width.
func (l *fillWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
	if size.Width == l.width {
		return
	}
	l.width = size.Width
	for i, w := range columnWidths(size.Width, theme.Padding()) {
		l.table.SetColumnWidth(i, w)
	}
}

// newTrackTable builds the table of tracks, with a header row naming the
// columns (tapping one sorts by it: sort.go), in a container that fits the
// columns to its width. It shows u.tracks, which showTracks replaces; a
// double-click or Enter on a row plays it (play.go).
func (u *UI) newTrackTable() fyne.CanvasObject {
	t := u.newTable(
		func() (int, int) { return len(u.tracks), len(columns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.Alignment = columns[id.Col].align
			l.SetText(u.cellText(id.Row, id.Col))
		},
	)
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return u.newSortHeader() }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		h := o.(*sortHeader)
		if id.Col < 0 || id.Col >= len(columns) {
			h.SetText("")
			return
		}
		h.col = id.Col
		h.Alignment = columns[id.Col].align
		h.SetText(u.list.sort.title(id.Col))
	}
	t.OnSelected = func(id widget.TableCellID) { u.list.selected = id.Row }
	t.OnUnselected = func(widget.TableCellID) { u.list.selected = -1 }
	t.onActivate = u.playSelected
	for i, c := range columns {
		t.SetColumnWidth(i, c.width)
	}
	u.table = t
	return container.New(&fillWidth{table: t}, t)
}

// cellText is the text of the table cell at row, col; "" outside the table.
func (u *UI) cellText(row, col int) string {
	if row < 0 || row >= len(u.tracks) || col < 0 || col >= len(columns) {
		return ""
	}
	return columns[col].text(u.tracks[row])
}

// setTracks makes tracks, in the library's order, the tracks the table
// lists, filtered by the search and sorted as chosen (see
// [UI.showTracks]), scrolled back to the top.
func (u *UI) setTracks(tracks []player.Track) {
	u.list.all, u.list.sorted = tracks, nil
	u.showTracks()
}

// formatDuration formats a length in seconds as m:ss, or h:mm:ss from an
// hour up; it returns "" for an unknown (zero) length.
func formatDuration(seconds float64) string {
	if seconds <= 0 || math.IsNaN(seconds) || math.IsInf(seconds, 0) {
		return ""
	}
	s := int(seconds) // a 3:59.6 track shows as 3:59, as players count
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
