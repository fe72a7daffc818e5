package player_test

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"earshot/player"
	"earshot/player/playertest"
	"earshot/player/probe"
)

// videoFixtures are the videos of TestVideos: every container and
// extension Earshot reads as video, each a few seconds long.
var videoFixtures = []struct {
	spec   playertest.Spec
	title  string
	format probe.Format
	mime   string
}{
	{playertest.Spec{Path: "Films/Alpha.mov", Kind: playertest.H264, Seconds: 3}, "Alpha", probe.MOV, "video/quicktime"},
	{playertest.Spec{Path: "Films/beta.webm", Kind: playertest.VP9, Seconds: 2.5}, "beta", probe.WebM, "video/webm"},
	{playertest.Spec{Path: "Films/Gamma.mp4", Kind: playertest.H264, Seconds: 4, Tags: map[string]string{"title": "Gamma (tagged)"}}, "Gamma (tagged)", probe.MP4, "video/mp4"},
	{playertest.Spec{Path: "Films/delta.M4V", Kind: playertest.H264, Seconds: 2}, "delta", probe.MP4, "video/mp4"},
	{playertest.Spec{Path: "Films/epsilon.mp4", Kind: playertest.H264Fragmented, Seconds: 3}, "epsilon", probe.MP4, "video/mp4"},
}

// TestVideos scans a folder of real videos (made by ffmpeg), an audio-only
// .mp4 and two corrupt videos, and checks each video's kind, format, media
// type, length (against ffprobe) and picture size; that the audio-only
// .mp4 is a song; that the corrupt files are reported and skipped; that
// videos stay out of the music (tracks, albums, artists, folders, search)
// and are listed by Videos in title order; and that a video's cover is a
// poster frame that makes thumbnails.
func TestVideos(t *testing.T) {
	dir := t.TempDir()
	specs := []playertest.Spec{{Path: "Music/song.mp4", Kind: playertest.AAC, Seconds: 2, Tags: map[string]string{"title": "Song", "artist": "Band", "album": "Record"}}}
	for _, v := range videoFixtures {
		specs = append(specs, v.spec)
	}
	playertest.Generate(t, dir, specs...)
	// A video cut short before its moov box, and a WebM that is not one.
	whole, err := os.ReadFile(filepath.Join(dir, "Films", "Gamma.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Films", "cut.mp4"), whole[:len(whole)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Films", "noise.webm"), []byte("not a Matroska file at all"), 0o644); err != nil {
		t.Fatal(err)
	}

	src, err := player.OpenFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := player.New(player.Options{})
	rep, err := lib.Scan(context.Background(), src)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if rep.Tracks != 1 || rep.Videos != len(videoFixtures) {
		t.Errorf("Report = %d tracks, %d videos; want 1 song and %d videos", rep.Tracks, rep.Videos, len(videoFixtures))
	}
	var skipped []string
	for _, err := range rep.Skipped {
		skipped = append(skipped, err.Error())
	}
	if len(skipped) != 2 || !strings.HasPrefix(skipped[0], "Films/cut.mp4: ") || !strings.HasPrefix(skipped[1], "Films/noise.webm: ") {
		t.Errorf("Skipped = %q, want Films/cut.mp4 and Films/noise.webm", skipped)
	}

	videos := lib.Videos()
	var gotTitles []string
	for _, v := range videos {
		gotTitles = append(gotTitles, v.Title)
	}
	if want := []string{"Alpha", "beta", "delta", "epsilon", "Gamma (tagged)"}; !slices.Equal(gotTitles, want) {
		t.Errorf("Videos() titles = %q, want %q (by title, ignoring case)", gotTitles, want)
	}
	for _, f := range videoFixtures {
		t.Run(f.spec.Path, func(t *testing.T) {
			v, err := lib.Track(player.TrackID(f.spec.Path))
			if err != nil {
				t.Fatalf("Track: %v", err)
			}
			if !v.Video || v.Format != f.format || v.MIMEType != f.mime || v.Title != f.title {
				t.Errorf("video = {Video %v, Format %q, MIME %q, Title %q}, want {true, %q, %q, %q}",
					v.Video, v.Format, v.MIMEType, v.Title, f.format, f.mime, f.title)
			}
			if v.Width != playertest.VideoWidth || v.Height != playertest.VideoHeight {
				t.Errorf("size = %d×%d, want %d×%d", v.Width, v.Height, playertest.VideoWidth, playertest.VideoHeight)
			}
			want := playertest.Probe(t, filepath.Join(dir, f.spec.Path))
			if math.Abs(v.Duration-want) > 0.05 {
				t.Errorf("Duration = %.3f s, ffprobe says %.3f s", v.Duration, want)
			}
			t.Logf("Duration %.4f s, ffprobe %.4f s", v.Duration, want)
			if !v.HasCover {
				t.Errorf("HasCover = false with ffmpeg installed")
			}
			pic, err := lib.Cover(v.ID)
			if err != nil {
				t.Fatalf("Cover: %v", err)
			}
			img, err := jpeg.Decode(bytes.NewReader(pic.Data))
			if err != nil || pic.MIMEType != "image/jpeg" {
				t.Fatalf("poster is %s and does not decode as JPEG: %v", pic.MIMEType, err)
			}
			if b := img.Bounds(); b.Dx() != playertest.VideoWidth || b.Dy() != playertest.VideoHeight {
				t.Errorf("poster is %d×%d, want the video's %d×%d", b.Dx(), b.Dy(), playertest.VideoWidth, playertest.VideoHeight)
			}
			th, err := lib.Thumbnail(v.ID, 96)
			if err != nil {
				t.Fatalf("Thumbnail: %v", err)
			}
			if cfg, err := jpeg.DecodeConfig(bytes.NewReader(th.Data)); err != nil || cfg.Width != 96 {
				t.Errorf("96 px thumbnail of the poster: %+v, %v", cfg, err)
			}
		})
	}

	// The music is the song alone, whatever view asks.
	song := player.TrackID("Music/song.mp4")
	tracks := lib.Tracks()
	if len(tracks) != 1 || tracks[0].ID != song {
		t.Fatalf("Tracks() = %q, want only Music/song.mp4", paths(tracks))
	}
	if s := tracks[0]; s.Video || s.Format != probe.M4A || s.MIMEType != "audio/mp4" || s.Width != 0 {
		t.Errorf("audio-only .mp4 = {Video %v, Format %q, MIME %q, Width %d}, want audio/mp4 M4A", s.Video, s.Format, s.MIMEType, s.Width)
	}
	if n, st := lib.Len(), lib.Status(); n != 1 || st.Tracks != 1 {
		t.Errorf("Len() = %d, Status().Tracks = %d; want 1 (videos are not counted)", n, st.Tracks)
	}
	if as := lib.Albums(); len(as) != 1 || as[0].Title != "Record" || as[0].TrackCount != 1 {
		t.Errorf("Albums() = %+v, want only Record with 1 track", as)
	}
	if ars := lib.Artists(); len(ars) != 1 || ars[0].Name != "Band" {
		t.Errorf("Artists() = %+v, want only Band", ars)
	}
	if got := lib.Search(""); len(got) != 1 || got[0].ID != song {
		t.Errorf(`Search("") = %q, want only the song`, paths(got))
	}
	if got := lib.SearchAll("alpha", 0); len(got.Tracks) != 0 {
		t.Errorf(`SearchAll("alpha") found %q; videos are not searched`, paths(got.Tracks))
	}
	if _, err := lib.Folder("Films"); !errors.Is(err, player.ErrFolderNotFound) {
		t.Errorf(`Folder("Films") = %v, want ErrFolderNotFound (a folder of videos holds no music)`, err)
	}
	if root, err := lib.Folder(""); err != nil || len(root.Folders) != 1 || root.Folders[0].Name != "Music" {
		t.Errorf(`Folder("") = %+v, %v; want only Music`, root.Folders, err)
	}

	// A rescan of the unchanged folder keeps the videos as they were.
	if _, err := lib.Scan(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if again := lib.Videos(); !slices.EqualFunc(again, videos, func(a, b player.Track) bool {
		return a.ID == b.ID && a.HasCover == b.HasCover && a.Width == b.Width && a.Duration == b.Duration
	}) {
		t.Errorf("after a rescan Videos() = %+v, want %+v", again, videos)
	}
}
