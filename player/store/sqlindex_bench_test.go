package store

import (
	"cmp"
	"earshot/player"
	"slices"
	"testing"
)

// ixBenchTracks is the size of the library the index benchmarks keep: a
// launch must serve a library this large in well under a second.
const ixBenchTracks = 50_000

// BenchmarkSave50k measures saving a 50,000-track library over the one
// already saved, as every scan does.
func BenchmarkSave50k(b *testing.B) {
	ix := openTestIndex(b)
	tracks := ixTracks(0, ixBenchTracks)
	problems := []string{"a.mp3: corrupt file", "b.flac: permission denied"}
	for b.Loop() {
		if err := ix.Save("/music", tracks, problems); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad50k measures loading a 50,000-track library.
func BenchmarkLoad50k(b *testing.B) {
	ix := openTestIndex(b)
	if err := ix.Save("/music", ixTracks(0, ixBenchTracks), nil); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		tracks, _, err := ix.Load("/music")
		if err != nil || len(tracks) != ixBenchTracks {
			b.Fatalf("Load = %d tracks, %v", len(tracks), err)
		}
	}
}

// BenchmarkRestore50k measures what a launch does before it can serve a
// 50,000-track library: open the index, load the tracks and build the
// library from them. The tracks are saved in library order, as a scan
// saves them.
func BenchmarkRestore50k(b *testing.B) {
	ix := openTestIndex(b)
	tracks := ixTracks(0, ixBenchTracks)
	slices.SortFunc(tracks, func(a, b player.Track) int { // about the library's order
		return cmp.Or(cmp.Compare(a.AlbumArtist, b.AlbumArtist), cmp.Compare(a.Album, b.Album),
			cmp.Compare(a.DiscNumber, b.DiscNumber), cmp.Compare(a.TrackNumber, b.TrackNumber), cmp.Compare(a.Path, b.Path))
	})
	if err := ix.Save("/music", tracks, nil); err != nil {
		b.Fatal(err)
	}
	path := ix.path
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	src := player.Source{Name: "/music"}
	for b.Loop() {
		ix, err := OpenIndex(path)
		if err != nil {
			b.Fatal(err)
		}
		lib := player.New(player.Options{Index: ix})
		if n, err := lib.Restore(src); err != nil || n != ixBenchTracks {
			b.Fatalf("Restore = %d, %v", n, err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
