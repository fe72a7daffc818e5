//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/dhowden/tag"
)

// readBack returns what dhowden/tag read as a trackSpec with no Path, its
// Cover holding the embedded picture's bytes.
func readBack(m tag.Metadata) trackSpec {
	t := trackSpec{Title: m.Title(), Artist: m.Artist(), Album: m.Album(), AlbumArtist: m.AlbumArtist(),
		Genre: m.Genre(), Year: m.Year()}
	t.Track, t.TrackTotal = m.Track()
	t.Disc, t.DiscTotal = m.Disc()
	if p := m.Picture(); p != nil {
		t.Cover = p.Data
	}
	return t
}

// sameTags reports whether got carries want's tags and cover.
func sameTags(got, want trackSpec) bool {
	return bytes.Equal(got.Cover, want.Cover) && withoutCover(got) == withoutCover(want)
}

// tagFields is a trackSpec's tags without its path and cover, comparable
// with == and readable in a failure message.
type tagFields struct {
	Title, Artist, Album, AlbumArtist, Genre string
	Track, TrackTotal, Disc, DiscTotal, Year int
}

func withoutCover(t trackSpec) tagFields {
	return tagFields{t.Title, t.Artist, t.Album, t.AlbumArtist, t.Genre, t.Track, t.TrackTotal, t.Disc, t.DiscTotal, t.Year}
}

// verify reads back the tags of about samples files spread over specs, the
// first and last included, and returns an error naming the first that does
// not match its plan. It then checks that ffprobe accepts the first file
// as MP3 of the encoded length, with its title.
func verify(ctx context.Context, dir string, specs []trackSpec, samples int, seconds float64) error {
	step := max(1, len(specs)/samples)
	for i := 0; i < len(specs); i += step {
		if err := verifyOne(dir, specs[i]); err != nil {
			return err
		}
	}
	if err := verifyOne(dir, specs[len(specs)-1]); err != nil {
		return err
	}
	return probe(ctx, filepath.Join(dir, filepath.FromSlash(specs[0].Path)), specs[0].Title, seconds)
}

func verifyOne(dir string, s trackSpec) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(s.Path)))
	if err != nil {
		return err
	}
	defer f.Close()
	m, err := tag.ReadFrom(f)
	if err != nil {
		return fmt.Errorf("verify %s: %w", s.Path, err)
	}
	if got := readBack(m); !sameTags(got, s) {
		return fmt.Errorf("verify %s: read back %+v (cover %d bytes), want %+v (cover %d bytes)",
			s.Path, withoutCover(got), len(got.Cover), withoutCover(s), len(s.Cover))
	}
	return nil
}

// probe checks with ffprobe that file is MP3 audio of about seconds with
// the given title tag.
func probe(ctx context.Context, file, title string, seconds float64) error {
	out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-of", "json",
		"-show_entries", "format=format_name,duration:format_tags=title:stream=codec_name", file).Output()
	if err != nil {
		return fmt.Errorf("ffprobe %s: %w", file, err)
	}
	var p struct {
		Streams []struct {
			CodecName string `json:"codec_name"`
		}
		Format struct {
			FormatName string `json:"format_name"`
			Duration   string
			Tags       map[string]string
		}
	}
	if err := json.Unmarshal(out, &p); err != nil {
		return fmt.Errorf("ffprobe %s: %w", file, err)
	}
	d, _ := strconv.ParseFloat(p.Format.Duration, 64)
	switch {
	// A cover shows as a second, "mjpeg" stream (an attached picture).
	case p.Format.FormatName != "mp3" || len(p.Streams) == 0 || p.Streams[0].CodecName != "mp3":
		return fmt.Errorf("ffprobe %s: not MP3 audio: %s", file, out)
	case math.Abs(d-seconds) > 0.1:
		return fmt.Errorf("ffprobe %s: duration %v s, want %v", file, d, seconds)
	case p.Format.Tags["title"] != title:
		return fmt.Errorf("ffprobe %s: title %q, want %q", file, p.Format.Tags["title"], title)
	}
	return nil
}
