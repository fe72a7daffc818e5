package player_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// scan scans fsys into a new library and returns both, failing t on error.
func scan(t *testing.T, fsys fs.FS) (*player.Library, player.Report) {
	t.Helper()
	lib := player.New(player.Options{})
	rep, err := lib.Scan(context.Background(), player.Source{Name: "test", FS: fsys})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return lib, rep
}

func paths(tracks []player.Track) []string {
	var out []string
	for _, t := range tracks {
		out = append(out, t.Path)
	}
	return out
}

func TestScanFindsAudioAndSkipsTheRest(t *testing.T) {
	wav := &fstest.MapFile{Data: playertest.WAV(8000)}
	fsys := fstest.MapFS{
		"a.wav":                  wav,
		"Artist/Album/01.wav":    wav,
		"Artist/Album/02.WAV":    wav,
		"Artist/Album/notes.txt": {Data: []byte("hi")},
		"Artist/Album/cover.jpg": {Data: []byte("\xff\xd8\xff\xe0 jpeg")},
		".hidden/x.wav":          wav,
		"Artist/._01.wav":        {Data: []byte("AppleDouble junk")},
		"deep/a/b/c/d/e.wav":     wav,
		"broken.wav":             {Data: []byte("RIFF\x00\x00\x00\x00WAVEjunk")},
		"empty.mp3":              {Data: nil},
		"noise.flac":             {Data: []byte("this is not a flac file at all")},
	}
	lib, rep := scan(t, fsys)
	got := paths(lib.Tracks())
	slices.Sort(got)
	want := []string{"Artist/Album/01.wav", "Artist/Album/02.WAV", "a.wav", "deep/a/b/c/d/e.wav"}
	if !slices.Equal(got, want) {
		t.Errorf("tracks = %q, want %q", got, want)
	}
	if rep.Tracks != len(want) {
		t.Errorf("Report.Tracks = %d, want %d", rep.Tracks, len(want))
	}
	var skipped []string
	for _, err := range rep.Skipped {
		skipped = append(skipped, strings.SplitN(err.Error(), ":", 2)[0])
	}
	slices.Sort(skipped)
	if want := []string{"broken.wav", "empty.mp3", "noise.flac"}; !slices.Equal(skipped, want) {
		t.Errorf("skipped = %q, want %q (errors: %v)", skipped, want, rep.Skipped)
	}
}

func TestScanTrackFields(t *testing.T) {
	fsys := fstest.MapFS{
		"Some Band/Record/07 My Song.wav": {Data: playertest.WAV(16000 * 3), ModTime: time.Unix(1700000000, 0)},
		"Some Band/Record/folder.png":     {Data: []byte("\x89PNG\r\n\x1a\nrest")},
		"Some Band/Record/cover.jpg":      {Data: []byte("\xff\xd8\xff\xe0 jpeg")},
	}
	lib, _ := scan(t, fsys)
	tr, err := lib.Track(player.TrackID("Some Band/Record/07 My Song.wav"))
	if err != nil {
		t.Fatal(err)
	}
	want := player.Track{
		ID: player.TrackID("Some Band/Record/07 My Song.wav"), Title: "07 My Song",
		Artist: player.UnknownArtist, Album: "Record", Duration: 3,
		Format: probe.WAV, MIMEType: "audio/wav", Size: 44 + 16000*3,
		Path: "Some Band/Record/07 My Song.wav", HasCover: true, ModTime: time.Unix(1700000000, 0),
	}
	gotJSON, _ := json.Marshal(tr)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) || !tr.ModTime.Equal(want.ModTime) {
		t.Errorf("track =\n%s %v\nwant\n%s %v", gotJSON, tr.ModTime, wantJSON, want.ModTime)
	}
	pic, err := lib.Cover(tr.ID)
	if err != nil {
		t.Fatalf("Cover: %v", err)
	}
	if pic.MIMEType != "image/jpeg" {
		t.Errorf("cover type %q, want image/jpeg (cover.jpg beats folder.png)", pic.MIMEType)
	}
}

func TestTrackIDStable(t *testing.T) {
	tests := []struct{ a, b string }{
		{"x/y.mp3", "x/y.mp3"},
	}
	for _, tc := range tests {
		if player.TrackID(tc.a) != player.TrackID(tc.b) {
			t.Errorf("TrackID(%q) changed between calls", tc.a)
		}
	}
	seen := map[string]string{}
	for _, p := range []string{"a.mp3", "A.mp3", "a/b.mp3", "a/b.flac", "é.mp3", "e\u0301.mp3"} {
		id := player.TrackID(p)
		if len(id) != 12 || strings.ContainsAny(id, "/+=?#%") {
			t.Errorf("TrackID(%q) = %q, want 12 URL-safe characters", p, id)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("TrackID(%q) = TrackID(%q)", p, other)
		}
		seen[id] = p
	}
	// Two libraries scanned separately give the same IDs.
	fsys := fstest.MapFS{"a/b.wav": {Data: playertest.WAV(100)}}
	l1, _ := scan(t, fsys)
	l2, _ := scan(t, fsys)
	if l1.Tracks()[0].ID != l2.Tracks()[0].ID {
		t.Error("IDs differ between scans")
	}
}

func TestScanEventsAndStatus(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, p := range []string{"1.wav", "2.wav", "3.wav", "4.wav", "5.wav"} {
		fsys[p] = &fstest.MapFile{Data: playertest.WAV(100)}
	}
	lib := player.New(player.Options{})
	events, cancel := lib.Subscribe()
	defer cancel()
	if _, err := lib.Scan(context.Background(), player.Source{Name: "five", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	var kinds []player.EventKind
	var last player.Event
	for len(kinds) == 0 || last.Kind != player.ScanDone {
		last = <-events
		kinds = append(kinds, last.Kind)
	}
	if kinds[0] != player.ScanStarted {
		t.Errorf("first event %v, want ScanStarted", kinds[0])
	}
	if last.Tracks != 5 || last.Scanned != 5 || last.Total != 5 || last.Source != "five" {
		t.Errorf("ScanDone = %+v, want 5 tracks of 5 from five", last)
	}
	if st := lib.Status(); st != (player.Status{Library: "five", Tracks: 5, Scanned: 5, Total: 5}) {
		t.Errorf("Status = %+v", st)
	}
}

// blockingFS blocks every Open until release is closed, to hold a scan open.
type blockingFS struct {
	fstest.MapFS
	started chan struct{}
	release chan struct{}
}

func (b blockingFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, ".wav") {
		select {
		case b.started <- struct{}{}:
		default:
		}
		<-b.release
	}
	return b.MapFS.Open(name)
}

func TestScanRefusesASecondScan(t *testing.T) {
	b := blockingFS{fstest.MapFS{"a.wav": {Data: playertest.WAV(100)}}, make(chan struct{}, 1), make(chan struct{})}
	lib := player.New(player.Options{})
	done := make(chan error)
	go func() {
		_, err := lib.Scan(context.Background(), player.Source{Name: "slow", FS: b})
		done <- err
	}()
	<-b.started
	if !lib.Status().Scanning {
		t.Error("Status.Scanning = false during a scan")
	}
	if _, err := lib.Scan(context.Background(), player.Source{Name: "other", FS: fstest.MapFS{}}); !errors.Is(err, player.ErrAlreadyScanning) {
		t.Errorf("second Scan = %v, want ErrAlreadyScanning", err)
	}
	close(b.release)
	if err := <-done; err != nil {
		t.Fatalf("first scan: %v", err)
	}
	if lib.Len() != 1 || lib.Name() != "slow" {
		t.Errorf("library = %d tracks from %q", lib.Len(), lib.Name())
	}
}

func TestScanCancelledKeepsOldLibrary(t *testing.T) {
	lib, _ := scan(t, fstest.MapFS{"old.wav": {Data: playertest.WAV(100)}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := lib.Scan(ctx, player.Source{Name: "new", FS: fstest.MapFS{"new.wav": {Data: playertest.WAV(100)}}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Scan = %v, want context.Canceled", err)
	}
	if got := paths(lib.Tracks()); !slices.Equal(got, []string{"old.wav"}) {
		t.Errorf("tracks after cancelled scan = %q", got)
	}
}

func TestSearch(t *testing.T) {
	lib := tagged(t)
	tests := []struct {
		q    string
		want []string
	}{
		{"", []string{"Alpha", "Beta", "Gamma"}},
		{"alpha", []string{"Alpha"}},
		{"ALPHA", []string{"Alpha"}},
		{"zed", []string{"Alpha", "Beta", "Gamma"}},
		{"ann", []string{"Gamma"}},
		{"tribute", []string{"Gamma"}},
		{"first", []string{"Alpha", "Beta"}},
		{"first bet", []string{"Beta"}},
		{"lph", []string{"Alpha"}},     // inside a word
		{"irst eta", []string{"Beta"}}, // every word inside some word
		{"nothing", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, tr := range lib.Search(tc.q) {
			got = append(got, tr.Title)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

// fakeTags is a hand-written TagReader that names tags by file size.
type fakeTags map[int64]probe.Tags

func (f fakeTags) ReadTags(r io.ReadSeeker) (probe.Tags, error) {
	n, _ := r.Seek(0, io.SeekEnd)
	if tg, ok := f[n]; ok {
		return tg, nil
	}
	return probe.Tags{}, probe.ErrNoTags
}

// tagged returns a library of three tracks told apart by size.
func tagged(t *testing.T) *player.Library {
	t.Helper()
	lib := player.New(player.Options{Tags: fakeTags{
		44 + 100: {Title: "Alpha", Artist: "Zed", Album: "First", Track: 1},
		44 + 200: {Title: "Beta", Artist: "Zed", Album: "First", Track: 2},
		44 + 300: {Title: "Gamma", Artist: "Ann", Album: "Zed Tribute", AlbumArtist: "Zed", Track: 1},
	}})
	fsys := fstest.MapFS{
		"1.wav": {Data: playertest.WAV(100)}, "2.wav": {Data: playertest.WAV(200)}, "3.wav": {Data: playertest.WAV(300)},
	}
	if _, err := lib.Scan(context.Background(), player.Source{Name: "t", FS: fsys}); err != nil {
		t.Fatal(err)
	}
	return lib
}
