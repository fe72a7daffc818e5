package app

import (
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
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"earshot/player"
	"earshot/player/playertest"
)

// newDropHarness is newHarness with the result line of each drop sent,
// once shown, to the channel it returns.
func newDropHarness(t *testing.T, srv Server, fallback player.Source) (*harness, <-chan string) {
	t.Helper()
	results := make(chan string, 16)
	h := newHarness(t, srv, fallback, func(hk *hooks) {
		hk.dropShown = func(text string) { results <- text }
	})
	return h, results
}

// nextDrop waits for the result line of the next drop.
func nextDrop(t *testing.T, results <-chan string) string {
	t.Helper()
	select {
	case r := <-results:
		return r
	case <-time.After(waitFor):
		t.Fatalf("no drop result shown within %v", waitFor)
		return ""
	}
}

// fileURIs returns file URIs for paths.
func fileURIs(paths ...string) []fyne.URI {
	uris := make([]fyne.URI, len(paths))
	for i, p := range paths {
		uris[i] = storage.NewFileURI(p)
	}
	return uris
}

// filesUnder lists the files under dir, as slash paths relative to it,
// sorted, with the folders that hold none.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir {
			entries, err := os.ReadDir(p)
			if err == nil && len(entries) == 0 {
				rel, _ := filepath.Rel(dir, p)
				files = append(files, filepath.ToSlash(rel)+"/")
			}
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// sameFile fails t unless the files at a and b hold the same bytes.
func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(x) != string(y) {
		t.Errorf("%s (%d bytes) differs from %s (%d bytes)", a, len(x), b, len(y))
	}
}

// TestDropIntoLibrary drops real audio files, a folder with hidden
// entries and a garbage .mp3 on the window of a library folder: the
// audio goes to Artist/Album/NN Title.ext, the garbage is refused with
// its reason, nothing else is left in the library (the hidden files were
// skipped, the incoming folder is empty) and the dropped files stay where
// they were. A second drop of a file already added says so, after the
// first drop's result, and so does a drop of a file inside the library
// folder, which is not copied again under its tags' name.
func TestDropIntoLibrary(t *testing.T) {
	playertest.NeedsFFmpeg(t)
	lib, src := t.TempDir(), t.TempDir()
	tags := func(title, track string) map[string]string {
		return map[string]string{"title": title, "artist": "Ada Lark", "album": "Blue Hour", "track": track}
	}
	playertest.Generate(t, src,
		playertest.Spec{Path: "evening.flac", Kind: playertest.FLAC, Seconds: 1, Tags: tags("Evening Bus", "1/2")},
		playertest.Spec{Path: "Blue Hour/b.mp3", Kind: playertest.MP3CBR, Seconds: 1, Tags: tags("Night Tram", "2/2")},
		playertest.Spec{Path: "Blue Hour/.hidden.mp3", Kind: playertest.MP3CBR, Seconds: 1, Tags: tags("Hidden", "3/3")},
		playertest.Spec{Path: "Blue Hour/.cache/c.mp3", Kind: playertest.MP3CBR, Seconds: 1, Tags: tags("Cached", "4/4")},
	)
	garbage := filepath.Join(src, "garbage.mp3")
	if err := os.WriteFile(garbage, []byte("MZ\x90\x00 this is a program, not a song"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := filesUnder(t, src)

	// A file already in the library folder, under a name of its own.
	loose := filepath.Join(lib, "misc", "loose.mp3")
	playertest.Generate(t, lib, playertest.Spec{Path: "misc/loose.mp3", Kind: playertest.MP3CBR, Seconds: 1, Tags: tags("Loose", "5/5")})

	h, results := newDropHarness(t, lanServer(), demo)
	h.ui.ChooseFolder(lib)
	h.settle(lib)

	flac := filepath.Join(src, "evening.flac")
	h.ui.dropped(fyne.Position{}, fileURIs(flac, filepath.Join(src, "Blue Hour"), garbage))
	h.ui.dropped(fyne.Position{}, fileURIs(flac)) // waits for the first drop
	h.ui.dropped(fyne.Position{}, fileURIs(loose))

	first := nextDrop(t, results)
	lines := strings.Split(first, "\n")
	if want := "Added 2 files: Ada Lark / Blue Hour / 01 Evening Bus.flac …"; lines[0] != want {
		t.Errorf("drop result's first line = %q, want %q", lines[0], want)
	}
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "Refused garbage.mp3: ") || len(lines[1]) <= len("Refused garbage.mp3: ") {
		t.Errorf("drop result = %q, want the added files then %q with its reason", first, "Refused garbage.mp3: …")
	}
	if second := nextDrop(t, results); second != duplicateText {
		t.Errorf("second drop's result = %q, want %q", second, duplicateText)
	}
	if third := nextDrop(t, results); third != duplicateText {
		t.Errorf("result of a drop from the library folder = %q, want %q", third, duplicateText)
	}
	if h.ui.dropResult.Text != duplicateText || !h.ui.dropResult.Visible() {
		t.Errorf("drop line = %q (visible %v), want %q", h.ui.dropResult.Text, h.ui.dropResult.Visible(), duplicateText)
	}

	// The incoming folder may stay, empty.
	got := slices.DeleteFunc(filesUnder(t, lib), func(p string) bool { return p == ".earshot-incoming/" })
	want := []string{"Ada Lark/Blue Hour/01 Evening Bus.flac", "Ada Lark/Blue Hour/02 Night Tram.mp3", "misc/loose.mp3"}
	if !slices.Equal(got, want) {
		t.Errorf("library holds %q, want %q", got, want)
	}
	sameFile(t, flac, filepath.Join(lib, "Ada Lark/Blue Hour/01 Evening Bus.flac"))
	sameFile(t, filepath.Join(src, "Blue Hour/b.mp3"), filepath.Join(lib, "Ada Lark/Blue Hour/02 Night Tram.mp3"))
	if after := filesUnder(t, src); !slices.Equal(after, before) {
		t.Errorf("dropped folder holds %q after the drop, want %q as before", after, before)
	}

	// The folder watch finds the new files: the window lists them.
	h.until("the two tracks added and the one already there", func(s shown) bool { return s.ev.Kind == player.ScanDone && s.tracks == 3 })
}

// TestDropWithoutFolder drops a file on the window of the demo library,
// which is not a folder that files could be added to.
func TestDropWithoutFolder(t *testing.T) {
	h, results := newDropHarness(t, lanServer(), demo)
	h.ui.Start(t.Context())
	h.settle(demo.Name)
	song := filepath.Join(t.TempDir(), "song.wav")
	if err := os.WriteFile(song, playertest.WAV(8000), 0o644); err != nil {
		t.Fatal(err)
	}

	h.ui.dropped(fyne.Position{}, fileURIs(song))
	if got := nextDrop(t, results); got != noFolderText {
		t.Errorf("drop result = %q, want %q", got, noFolderText)
	}
	if h.ui.dropResult.Importance != widget.WarningImportance {
		t.Errorf("drop line's importance = %v, want warning", h.ui.dropResult.Importance)
	}
	checkDropLineLaidOut(t, h.ui)
	if _, err := os.Stat(song); err != nil {
		t.Errorf("dropped file gone: %v", err)
	}
}

// checkDropLineLaidOut checks that the drop line, shown, has room for its
// text above the track table: the window made room when it appeared.
func checkDropLineLaidOut(t *testing.T, ui *UI) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	line, table := d.AbsolutePositionForObject(ui.dropResult), d.AbsolutePositionForObject(ui.table)
	size, need := ui.dropResult.Size(), ui.dropResult.MinSize()
	if !ui.dropResult.Visible() || size.Height < need.Height || line.Y+size.Height > table.Y {
		t.Errorf("drop line %q (visible %v) at y %v, %v high (needs %v); table at y %v: want the line in full above the table",
			ui.dropResult.Text, ui.dropResult.Visible(), line.Y, size.Height, need.Height, table.Y)
	}
}

// TestDropLineLayout checks that the window makes room for the drop line
// as it appears, grows and shrinks.
func TestDropLineLayout(t *testing.T) {
	ui := newHarness(t, lanServer(), demo).ui
	table := fyne.CurrentApp().Driver().AbsolutePositionForObject(ui.table).Y
	ui.setDropLine("Adding 1 of 3: a.flac…", widget.MediumImportance)
	checkDropLineLaidOut(t, ui)
	ui.setDropLine("Added 2 files: A / B / 01 a.flac …\nRefused x.mp3: not an audio or video file Earshot can play\nRefused y.mp3: the file is empty", widget.WarningImportance)
	checkDropLineLaidOut(t, ui)
	grown := fyne.CurrentApp().Driver().AbsolutePositionForObject(ui.table).Y
	ui.setDropLine(duplicateText, widget.MediumImportance)
	checkDropLineLaidOut(t, ui)
	shrunk := fyne.CurrentApp().Driver().AbsolutePositionForObject(ui.table).Y
	if !(table < shrunk && shrunk < grown) {
		t.Errorf("table at y %v before a drop, %v under three lines, %v under one: want it lower under more lines", table, grown, shrunk)
	}
}

func TestInFolder(t *testing.T) {
	tests := []struct {
		dir, p string
		want   bool
	}{
		{"/music", "/music/a/b.mp3", true},
		{"/music/", "/music/b.mp3", true},
		{"/music", "/music", false},
		{"/music", "/musicals/b.mp3", false},
		{"/music", "/b.mp3", false},
		{"/music", "/music/../b.mp3", false},
		{"/music", "/music/..b.mp3", true},
		{"", "/music/b.mp3", false},
	}
	for _, tc := range tests {
		if got := inFolder(filepath.FromSlash(tc.dir), filepath.FromSlash(tc.p)); got != tc.want {
			t.Errorf("inFolder(%q, %q) = %v, want %v", tc.dir, tc.p, got, tc.want)
		}
	}
}

func TestDroppedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a.mp3", "Album/02 b.flac", "Album/01 a.flac", "Album/.DS_Store", "Album/.git/x.mp3", "Album/Disc 2/c.ogg", ".top.mp3"} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "a.mp3"), filepath.Join(dir, "Album", "link.mp3")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "Album", "loop")); err != nil {
		t.Fatal(err)
	}
	web, err := storage.ParseURI("https://example.com/song.mp3")
	if err != nil {
		t.Fatal(err)
	}
	uris := append(fileURIs(filepath.Join(dir, "a.mp3"), filepath.Join(dir, ".top.mp3"), filepath.Join(dir, "Album"), filepath.Join(dir, "gone.mp3")), web)

	files, refused := droppedFiles(uris)
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f.path)
		got = append(got, filepath.ToSlash(rel)+" as "+f.name)
	}
	// A hidden file dropped by itself is imported: only folders' hidden
	// entries are skipped.
	want := []string{"a.mp3 as a.mp3", ".top.mp3 as .top.mp3", "Album/01 a.flac as Album/01 a.flac",
		"Album/02 b.flac as Album/02 b.flac", "Album/Disc 2/c.ogg as Album/Disc 2/c.ogg", "Album/link.mp3 as Album/link.mp3"}
	if !slices.Equal(got, want) {
		t.Errorf("droppedFiles = %q, want %q", got, want)
	}
	if len(refused) != 2 || refused[0].name != "gone.mp3" || !errors.Is(refused[0].err, fs.ErrNotExist) ||
		refused[1].name != "https://example.com/song.mp3" || !errors.Is(refused[1].err, errNotLocal) {
		t.Errorf("refused = %v, want gone.mp3 (not found) and the https URI (not local)", refused)
	}
}

func TestDropSummary(t *testing.T) {
	notMedia := func(name string) refusal {
		return refusal{name: name, err: errors.New("not audio or video Earshot can read")}
	}
	// Import's errors start with the file's base name.
	imported := refusal{name: "Album/x.mp3", err: fmt.Errorf("x.mp3: %w (no frames)", player.ErrNotMedia)}
	tests := []struct {
		name string
		in   dropResult
		want string
		imp  widget.Importance
	}{
		{"one added", dropResult{added: []string{"A/B/01 T.flac"}}, "Added A / B / 01 T.flac", widget.SuccessImportance},
		{"three added", dropResult{added: []string{"A/B/01 T.flac", "A/B/02 U.flac", "Videos/v.mp4"}},
			"Added 3 files: A / B / 01 T.flac …", widget.SuccessImportance},
		{"one duplicate", dropResult{duplicates: 1}, "Already in your library", widget.MediumImportance},
		{"duplicates", dropResult{duplicates: 2}, "2 files already in your library", widget.MediumImportance},
		{"added and duplicate", dropResult{added: []string{"Uploads/x.mp3"}, duplicates: 1},
			"Added Uploads / x.mp3 · 1 file already in your library", widget.SuccessImportance},
		{"refused", dropResult{refused: []refusal{notMedia("x.mp3")}},
			"Refused x.mp3: not audio or video Earshot can read", widget.DangerImportance},
		{"added and refused", dropResult{added: []string{"A/B/01 T.flac"}, refused: []refusal{notMedia("Album/cover.jpg")}},
			"Added A / B / 01 T.flac\nRefused Album/cover.jpg: not audio or video Earshot can read", widget.WarningImportance},
		{"many refused", dropResult{refused: []refusal{notMedia("1"), notMedia("2"), notMedia("3"), notMedia("4"), notMedia("5")}},
			"Refused 1: not audio or video Earshot can read\nRefused 2: not audio or video Earshot can read\n" +
				"Refused 3: not audio or video Earshot can read\nand 2 more refused", widget.DangerImportance},
		{"Import's error", dropResult{refused: []refusal{imported}},
			"Refused Album/x.mp3: not an audio or video file Earshot can play (no frames)", widget.DangerImportance},
		{"no folder", dropResult{noFolder: true}, noFolderText, widget.WarningImportance},
		{"nothing", dropResult{}, noFilesText, widget.MediumImportance},
	}
	for _, tc := range tests {
		text, imp := tc.in.summary()
		if text != tc.want || imp != tc.imp {
			t.Errorf("%s: summary() = %q, %v; want %q, %v", tc.name, text, imp, tc.want, tc.imp)
		}
	}
}
