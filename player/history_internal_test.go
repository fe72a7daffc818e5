package player

import "testing"

// TestPlayThreshold checks the Last.fm rule: half the track, at most 4
// minutes; 4 minutes when the length is unknown.
func TestPlayThreshold(t *testing.T) {
	for _, tc := range []struct{ duration, want float64 }{
		{0, 240},
		{10, 5},
		{479, 239.5},
		{480, 240},
		{3600, 240},
	} {
		if got := playThreshold(tc.duration); got != tc.want {
			t.Errorf("playThreshold(%v) = %v, want %v", tc.duration, got, tc.want)
		}
	}
}

// TestFingerprint checks that the fingerprint ignores case and rounds
// the duration to 0.1 s, and falls back to the artist.
func TestFingerprint(t *testing.T) {
	a := Track{Artist: "Band", Album: "LP", Title: "Song", TrackNumber: 3, Duration: 201.04}
	b := Track{AlbumArtist: "BAND", Album: "lp", Title: "song", TrackNumber: 3, Duration: 200.96}
	if Fingerprint(&a) != Fingerprint(&b) {
		t.Errorf("Fingerprint(%+v) = %q != Fingerprint(%+v) = %q", a, Fingerprint(&a), b, Fingerprint(&b))
	}
	b.Duration = 201.2
	if Fingerprint(&a) == Fingerprint(&b) {
		t.Errorf("durations 201.04 and 201.2 share fingerprint %q", Fingerprint(&a))
	}
}
