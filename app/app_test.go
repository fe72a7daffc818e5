package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"earshot/assets"
	"earshot/player"
	"earshot/player/playertest"
)

// waitFor is how long a test waits for a scan to be shown before failing.
const waitFor = 60 * time.Second

// lanServer returns a server listening on all interfaces of a machine
// with one LAN address.
func lanServer() *fakeServer {
	return newFakeServer(loopbackAddr, wifiAddr)
}

// shown is what the window showed right after applying one event or error.
type shown struct {
	ev       player.Event
	err      error
	library  string
	status   string
	progress float64
	// importance is the status line's; tracks is the number of tracks the
	// table shows.
	importance widget.Importance
	tracks     int
}

func (s shown) String() string {
	return fmt.Sprintf("{kind %d err %v library %q status %q progress %.2f}", s.ev.Kind, s.err, s.library, s.status, s.progress)
}

// harness is a UI on a test app, with what it has shown so far.
type harness struct {
	t     *testing.T
	app   fyne.App
	ui    *UI
	shown chan shown
	seen  []shown

	// events is the test's own subscription to the library, to count the
	// scans that have ended; published counts them.
	events    <-chan player.Event
	published int
}

// newHarness makes a UI for a new library on a test app. Each event the UI
// applies is recorded, on the UI goroutine, and sent to h.shown; waiting on
// that channel is how the tests synchronise with the UI.
//
// The devices list never refreshes by itself: with hooks, a test can give
// it a tick channel and a devicesShown hook of its own, and a clock.
func newHarness(t *testing.T, srv Server, fallback player.Source, with ...func(*hooks)) *harness {
	t.Helper()
	return newHarnessLib(t, player.New(player.Options{}), srv, fallback, with...)
}

// newHarnessLib is newHarness over the library lib.
func newHarnessLib(t *testing.T, lib *player.Library, srv Server, fallback player.Source, with ...func(*hooks)) *harness {
	t.Helper()
	h := &harness{t: t, app: test.NewTempApp(t), shown: make(chan shown, 1024)}
	events, unsubscribe := lib.Subscribe()
	h.events = events
	t.Cleanup(unsubscribe)
	ended := make(chan struct{})
	var ui *UI
	hk := hooks{
		applied: func(ev player.Event, err error) {
			s := shown{ev: ev, err: err, library: ui.library.Text, status: ui.status.Text, progress: ui.progress.Value,
				importance: ui.status.Importance, tracks: len(ui.tracks)}
			select {
			case h.shown <- s:
			case <-ended:
			}
		},
		tick: make(chan time.Time), // never ticks
	}
	for _, f := range with {
		f(&hk)
	}
	ui = newUI(h.app, lib, srv, fallback, hk)
	h.ui = ui
	t.Cleanup(func() {
		close(ended)
		ui.Window().Close() // cancels the scan and watch, and ends the event loop
		select {
		case <-usesEnded(ui):
		case <-time.After(waitFor):
			t.Errorf("Library.Use still running %v after the window closed", waitFor)
		}
	})
	return h
}

// until waits for the window to show something that satisfies ok, and
// returns it. It fails the test after waitFor.
func (h *harness) until(what string, ok func(shown) bool) shown {
	h.t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case s := <-h.shown:
			h.seen = append(h.seen, s)
			if ok(s) {
				return s
			}
		case <-deadline:
			h.t.Fatalf("window did not show %s within %v; shown: %v", what, waitFor, h.seen)
		}
	}
}

// usesEnded returns a channel closed once every Library.Use that ui
// started has returned.
func usesEnded(ui *UI) <-chan struct{} {
	ended := make(chan struct{})
	go func() {
		ui.uses.Wait()
		close(ended)
	}()
	return ended
}

// settle waits until a scan of the source called name is done (its
// ScanDone published: Library.Use then only watches), and the window has
// shown the end of every scan published so far, and returns what it showed
// at the last end. The scans' ScanDone events are counted on the test's own
// subscription.
func (h *harness) settle(name string) shown {
	h.t.Helper()
	deadline := time.After(waitFor)
	for scanned := false; !scanned; {
		select {
		case ev := <-h.events:
			if ev.Kind == player.ScanDone {
				h.published++
				scanned = ev.Source == name
			}
		case <-deadline:
			h.t.Fatalf("no scan of %q done within %v; shown: %v", name, waitFor, h.seen)
		}
	}
	for drained := false; !drained; {
		select {
		case ev := <-h.events:
			if ev.Kind == player.ScanDone {
				h.published++
			}
		default:
			drained = true
		}
	}
	count := func() int {
		n := 0
		for _, s := range h.seen {
			if s.ev.Kind == player.ScanDone {
				n++
			}
		}
		return n
	}
	if count() >= h.published {
		return h.lastDone()
	}
	h.until(fmt.Sprintf("the end of %d scans", h.published), func(shown) bool { return count() >= h.published })
	return h.lastDone()
}

// lastDone is what the window showed at the last end of a scan.
func (h *harness) lastDone() shown {
	h.t.Helper()
	for _, s := range slices.Backward(h.seen) {
		if s.ev.Kind == player.ScanDone {
			return s
		}
	}
	h.t.Fatalf("no scan has ended; shown: %v", h.seen)
	return shown{}
}

// rows returns the text of the track table: header row first. It reads
// the cells through the table's own create and update functions.
func rows(tb *widget.Table) [][]string {
	nrows, ncols := tb.Length()
	var out [][]string
	header := tb.CreateHeader()
	var row []string
	for c := range ncols {
		tb.UpdateHeader(widget.TableCellID{Row: -1, Col: c}, header)
		row = append(row, header.(*sortHeader).Text)
	}
	out = append(out, row)
	cell := tb.CreateCell()
	for r := range nrows {
		row = nil
		for c := range ncols {
			tb.UpdateCell(widget.TableCellID{Row: r, Col: c}, cell)
			row = append(row, cell.(*widget.Label).Text)
		}
		out = append(out, row)
	}
	return out
}

var header = []string{"Title", "Artist", "Album", "Duration"}

// threeTracks writes three tagged MP3s, two albums by two artists, under
// dir and returns the table the window should show for them.
func threeTracks(t *testing.T, dir string) [][]string {
	t.Helper()
	playertest.Generate(t, dir,
		playertest.Spec{Path: "Quiet Rooms/Attic Songs/02 Floorboards.mp3", Kind: playertest.MP3CBR, Seconds: 3,
			Tags: map[string]string{"title": "Floorboards", "artist": "Quiet Rooms", "album": "Attic Songs", "track": "2/2"}},
		playertest.Spec{Path: "Quiet Rooms/Attic Songs/01 Dust.mp3", Kind: playertest.MP3CBR, Seconds: 2,
			Tags: map[string]string{"title": "Dust", "artist": "Quiet Rooms", "album": "Attic Songs", "track": "1/2"}},
		playertest.Spec{Path: "Ada Lark/Blue Hour/01 Evening Bus.mp3", Kind: playertest.MP3CBR, Seconds: 2,
			Tags: map[string]string{"title": "Evening Bus", "artist": "Ada Lark", "album": "Blue Hour", "track": "1/1"}},
	)
	return [][]string{
		header,
		{"Evening Bus", "Ada Lark", "Blue Hour", "0:02"},
		{"Dust", "Quiet Rooms", "Attic Songs", "0:02"},
		{"Floorboards", "Quiet Rooms", "Attic Songs", "0:03"},
	}
}

// demoRows is the table the window shows for the bundled demo library.
var demoRows = [][]string{
	header,
	{"Porch Light", "The Earshot Band", "Earshot Demo", "0:07"},
	{"Kitchen Radio", "The Earshot Band", "Earshot Demo", "0:07"},
	{"Across the Hall", "The Earshot Band", "Earshot Demo", "0:07"},
	{"Goodnight, House", "The Earshot Band", "Earshot Demo", "0:08"},
}

var demo = player.Source{Name: "Demo library", FS: assets.Demo}

func TestChooseFolder(t *testing.T) {
	dir := t.TempDir()
	want := threeTracks(t, dir)
	h := newHarness(t, lanServer(), demo)

	h.ui.ChooseFolder(dir)
	done := h.settle(dir)

	if done.library != dir {
		t.Errorf("library when done = %q, want %q", done.library, dir)
	}
	if got := h.app.Preferences().String(prefLibraryFolder); got != dir {
		t.Errorf("preference %q = %q, want %q", prefLibraryFolder, got, dir)
	}
	if got := rows(&h.ui.table.Table); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("table = %q, want %q", got, want)
	}
	if done.status != "3 tracks" || h.ui.status.Text != "3 tracks" {
		t.Errorf("status when done = %q, now %q, want %q", done.status, h.ui.status.Text, "3 tracks")
	}
	if h.ui.library.Text != dir {
		t.Errorf("library = %q, want %q", h.ui.library.Text, dir)
	}
	if h.ui.progress.Value != 1 || h.ui.progress.Visible() {
		t.Errorf("progress bar: value %v, visible %v; want 1, hidden", h.ui.progress.Value, h.ui.progress.Visible())
	}

	// The scan was shown from its start, counting up to every file.
	first := h.seen[0]
	if first.ev.Kind != player.ScanStarted || first.library != dir || first.status != "Looking for music…" || first.progress != 0 {
		t.Errorf("first shown = %v, want the start of a scan of %s", first, dir)
	}
	last := -1.0
	var counts []string
	for _, s := range h.seen {
		if s.ev.Kind == player.ScanDone {
			break // later scans are the folder watch's
		}
		if s.ev.Kind != player.ScanProgress {
			continue
		}
		if s.progress < last {
			t.Errorf("progress went back from %v to %v", last, s.progress)
		}
		last = s.progress
		counts = append(counts, s.status)
	}
	if len(counts) == 0 || counts[len(counts)-1] != "3 of 3 files" || last != 1 {
		t.Errorf("progress shown %q ending at %v, want it to end at %q and 1", counts, last, "3 of 3 files")
	}

	// The whole window renders with the tracks in it.
	h.ui.Window().Resize(fyne.NewSize(1080, 660))
	if img := h.ui.Window().Canvas().Capture(); img.Bounds().Dx() == 0 {
		t.Errorf("window rendered an empty image")
	}
}

func TestChooseFolderReplacesRunningScan(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	threeTracks(t, first)
	playertest.Generate(t, second, playertest.Spec{Path: "only.mp3", Kind: playertest.MP3CBR, Seconds: 2,
		Tags: map[string]string{"title": "Only One", "artist": "Solo", "album": "Single"}})
	h := newHarness(t, lanServer(), demo)

	h.ui.ChooseFolder(first)
	h.ui.ChooseFolder(second) // cancels the first scan if it is still running
	done := h.settle(second)
	if done.library != second || h.ui.library.Text != second {
		t.Errorf("library when done = %q, now %q, want %q", done.library, h.ui.library.Text, second)
	}

	want := [][]string{header, {"Only One", "Solo", "Single", "0:02"}}
	if got := rows(&h.ui.table.Table); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("table = %q, want %q", got, want)
	}
	if done.status != "1 track" {
		t.Errorf("status = %q, want %q", done.status, "1 track")
	}
	if got := h.app.Preferences().String(prefLibraryFolder); got != second {
		t.Errorf("preference %q = %q, want %q", prefLibraryFolder, got, second)
	}
}

func TestStart(t *testing.T) {
	music := t.TempDir()
	musicRows := threeTracks(t, music)
	tests := map[string]struct {
		remembered  string // the preference before Start; "" for none
		wantLibrary string
		wantRows    [][]string
	}{
		"first run scans the fallback":           {"", "Demo library", demoRows},
		"remembered folder":                      {music, music, musicRows},
		"remembered folder gone, fallback":       {filepath.Join(music, "gone"), "Demo library", demoRows},
		"remembered path not a folder, fallback": {filepath.Join(music, "Ada Lark/Blue Hour/01 Evening Bus.mp3"), "Demo library", demoRows},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, lanServer(), demo)
			if tc.remembered != "" {
				h.app.Preferences().SetString(prefLibraryFolder, tc.remembered)
			}
			h.ui.Start(t.Context())
			done := h.settle(tc.wantLibrary)
			if done.library != tc.wantLibrary {
				t.Errorf("library = %q, want %q", done.library, tc.wantLibrary)
			}
			if got := rows(&h.ui.table.Table); !slices.EqualFunc(got, tc.wantRows, slices.Equal) {
				t.Errorf("table = %q, want %q", got, tc.wantRows)
			}
			if want := fmt.Sprintf("%d tracks", len(tc.wantRows)-1); done.status != want {
				t.Errorf("status = %q, want %q", done.status, want)
			}
			// Start only reads the preference; choosing a folder writes it.
			if got := h.app.Preferences().String(prefLibraryFolder); got != tc.remembered {
				t.Errorf("preference %q = %q, want %q", prefLibraryFolder, got, tc.remembered)
			}
		})
	}
}

func TestChooseFolderThatCannotOpen(t *testing.T) {
	h := newHarness(t, lanServer(), demo)
	h.ui.ChooseFolder(filepath.Join(t.TempDir(), "missing"))
	if got := h.app.Preferences().String(prefLibraryFolder); got != "" {
		t.Errorf("preference %q = %q after a failed choice, want it unset", prefLibraryFolder, got)
	}
	if h.ui.Window().Canvas().Overlays().Top() == nil {
		t.Errorf("no error dialog shown for a folder that does not exist")
	}
}

func TestSkippedFiles(t *testing.T) {
	dir := t.TempDir()
	playertest.Generate(t, dir, playertest.Spec{Path: "good.mp3", Kind: playertest.MP3CBR, Seconds: 2,
		Tags: map[string]string{"title": "Good", "artist": "A", "album": "B"}})
	for name, data := range map[string]string{"empty.flac": "", "notes.txt": "not audio"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, lanServer(), demo)
	h.ui.ChooseFolder(dir)
	done := h.settle(dir)
	if want := "1 track · 1 file skipped"; done.status != want {
		t.Errorf("status = %q, want %q", done.status, want)
	}
	if b := h.ui.problemsButton; !b.Visible() || b.Text != "1 file could not be read" {
		t.Errorf("problems button visible=%v text %q, want the skipped file announced", b.Visible(), b.Text)
	}
	test.Tap(h.ui.problemsButton)
	if h.ui.Window().Canvas().Overlays().Top() == nil {
		t.Error("tapping the problems button opened no list")
	}
	if p := h.ui.lib.Problems(); len(p) != 1 || !strings.Contains(p[0], "empty.flac") {
		t.Errorf("problems listed = %q, want empty.flac", p)
	}
}

// brokenFS is a file system whose root cannot be read.
type brokenFS struct{}

func (brokenFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

func TestScanError(t *testing.T) {
	h := newHarness(t, lanServer(), player.Source{Name: "Broken", FS: brokenFS{}})
	h.ui.Start(t.Context())
	s := h.until("a scan error", func(s shown) bool { return s.err != nil })
	if !errors.Is(s.err, fs.ErrPermission) {
		t.Errorf("error shown = %v, want a permission error", s.err)
	}
	if !strings.HasPrefix(s.status, "Could not scan the folder: ") || h.ui.status.Importance != widget.DangerImportance {
		t.Errorf("status = %q (importance %v), want a scan error in the danger style", s.status, h.ui.status.Importance)
	}
	// The scan's ScanDone was shown before the error, not after it.
	if !slices.ContainsFunc(h.seen, func(s shown) bool { return s.ev.Kind == player.ScanDone }) {
		t.Errorf("error shown before the scan's end; shown: %v", h.seen)
	}
	if h.ui.progress.Visible() {
		t.Errorf("progress bar still visible after the scan failed")
	}
}

func TestChooseButtonOpensFolderDialog(t *testing.T) {
	h := newHarness(t, lanServer(), demo)
	if h.ui.Window().Title() != "Earshot" {
		t.Errorf("window title = %q, want Earshot", h.ui.Window().Title())
	}
	test.Tap(h.ui.chooseButton)
	if h.ui.Window().Canvas().Overlays().Top() == nil {
		t.Errorf("tapping %q showed no dialog", h.ui.chooseButton.Text)
	}
}

func TestStartStopsWithContext(t *testing.T) {
	h := newHarness(t, lanServer(), demo)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	h.ui.Start(ctx) // a scan under an ended context does not run
	select {
	case <-usesEnded(h.ui):
	case <-time.After(waitFor):
		t.Fatalf("scan under a cancelled context still running after %v", waitFor)
	}
	if st := h.ui.lib.Status(); st.Tracks != 0 || st.Scanning {
		t.Errorf("library status = %+v, want empty and idle", st)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, ""},
		{-1, ""},
		{0.4, "0:00"},
		{2.04, "0:02"},
		{59.99, "0:59"},
		{61, "1:01"},
		{600, "10:00"},
		{3599.5, "59:59"},
		{3600, "1:00:00"},
		{3725, "1:02:05"},
		{36000, "10:00:00"},
	}
	for _, tc := range tests {
		if got := formatDuration(tc.in); got != tc.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	tests := []struct {
		in   int
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1,000"},
		{12345, "12,345"},
		{1234567, "1,234,567"},
		{-1234, "-1,234"},
	}
	for _, tc := range tests {
		if got := formatCount(tc.in); got != tc.want {
			t.Errorf("formatCount(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStatusText(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{progressText(1234, 5000), "1,234 of 5,000 files"},
		{progressText(0, 1), "0 of 1 file"},
		{doneText(5000, 0), "5,000 tracks"},
		{doneText(1, 0), "1 track"},
		{doneText(0, 0), "No music found"},
		{doneText(5000, 3), "5,000 tracks · 3 files skipped"},
		{doneText(2, 1), "2 tracks · 1 file skipped"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestFolderMissing takes the library folder away while the window shows
// it: the status line says so and the tracks stay; when the folder is
// back, the library is rescanned by itself.
func TestFolderMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Music")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	want := threeTracks(t, dir)
	h := newHarness(t, lanServer(), demo)
	h.ui.ChooseFolder(dir)
	h.settle(dir)

	if err := os.Rename(dir, dir+"-away"); err != nil {
		t.Fatal(err)
	}
	// Read what the window showed as the hook saw it, on the UI goroutine:
	// the widgets change again once the folder is back.
	s := h.until("the folder missing", func(s shown) bool { return s.ev.Kind == player.FolderMissing })
	if s.status != missingText || s.importance != widget.WarningImportance {
		t.Errorf("status = %q (importance %v), want %q as a warning", s.status, s.importance, missingText)
	}
	if s.tracks != len(want)-1 {
		t.Errorf("table while the folder is missing shows %d tracks, want the cached %d", s.tracks, len(want)-1)
	}

	if err := os.Rename(dir+"-away", dir); err != nil {
		t.Fatal(err)
	}
	done := h.settle(dir)
	if done.status != "3 tracks" || done.library != dir || done.importance != widget.MediumImportance {
		t.Errorf("after the folder came back: library %q, status %q (importance %v); want %q, %q", done.library, done.status, done.importance, dir, "3 tracks")
	}
}
