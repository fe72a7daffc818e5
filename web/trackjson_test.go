package web

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/probe"
)

// trackJSONStrings are strings that encoding/json escapes in every way it
// knows: quotes, backslashes, control characters, HTML, the JavaScript line
// terminators, and invalid UTF-8.
var trackJSONStrings = []string{
	"", "plain", `say "hi"`, `back\slash`, "tab\tnew\nline\rcr", "\b\f\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "Beyoncé Sigur Rós 坂本龍一 Кино", "line\u2028sep\u2029end",
	"bad \xff utf8 \xc3", "\xed\xa0\x80 surrogate", "emoji 🎵", "\u00a0nbsp",
}

// TestTrackJSON holds appendTrackJSON to the bytes encoding/json writes
// for the same track, for tricky strings in every string field and for
// numbers that take each of encoding/json's float forms.
func TestTrackJSON(t *testing.T) {
	durations := []float64{0, 2, 2.04, 1.0 / 3, -1.5, 1e-7, 1e21, 123456789.125, 5e-324, math.MaxFloat64}
	var tracks []player.Track
	for i, s := range trackJSONStrings {
		tracks = append(tracks, player.Track{
			ID: player.TrackID(s), Title: s, Artist: s + "a", Album: "b" + s, AlbumArtist: s, Genre: s,
			TrackNumber: i, TrackTotal: -i, DiscNumber: math.MaxInt, DiscTotal: math.MinInt, Year: 1999,
			Duration: durations[i%len(durations)], Format: probe.Format(s), MIMEType: s, Size: int64(i) << 40,
			Path: s + "/x.mp3", HasCover: i%2 == 0, Video: i%3 == 0, NeedsFFmpeg: i%4 == 1, Width: i % 4 * 640, Height: i % 5 * 360,
			ModTime: time.Unix(int64(i), 0),
		})
	}
	for _, d := range durations {
		tracks = append(tracks, player.Track{Duration: d})
	}
	for _, tr := range tracks {
		want, err := json.Marshal(tr)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendTrackJSON(nil, &tr); string(got) != string(want) {
			t.Errorf("appendTrackJSON(%+v) =\n%s\nwant\n%s", tr, got, want)
		}
	}
}

// TestTrackJSONNonFinite: encoding/json refuses NaN and infinities;
// appendTrackJSON writes 0, so that one odd track does not cut the
// answer short.
func TestTrackJSONNonFinite(t *testing.T) {
	for _, d := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		got := appendTrackJSON(nil, &player.Track{Duration: d})
		var back player.Track
		if err := json.Unmarshal(got, &back); err != nil || back.Duration != 0 {
			t.Errorf("appendTrackJSON with Duration %v = %s (%v), want duration 0", d, got, err)
		}
	}
}

// FuzzTrackJSON compares appendTrackJSON with encoding/json on any
// strings and numbers.
func FuzzTrackJSON(f *testing.F) {
	for i, s := range trackJSONStrings {
		f.Add(s, s+"x", float64(i)/7, int64(i))
	}
	f.Fuzz(func(t *testing.T, title, path string, duration float64, n int64) {
		if math.IsNaN(duration) || math.IsInf(duration, 0) {
			return
		}
		tr := player.Track{ID: title, Title: title, Path: path, Artist: path, Duration: duration, Size: n,
			TrackNumber: int(n), Width: int(n >> 3), Video: n%2 == 0, Format: probe.Format(path),
			HasLyrics: n%3 == 0, Start: duration / 3, End: duration * float64(n%2)}
		want, err := json.Marshal(tr)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendTrackJSON(nil, &tr); string(got) != string(want) {
			t.Errorf("appendTrackJSON =\n%s\nwant\n%s", got, want)
		}
	})
}
