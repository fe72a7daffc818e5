package player

import (
	"strings"
	"unicode"
)

// Search returns the tracks whose title, artist or album contain every word
// of q, ignoring case, in library order. An empty query matches every track.
func (l *Library) Search(q string) []Track {
	words := strings.Fields(fold(q))
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := []Track{}
	for _, t := range l.tracks {
		hay := fold(t.Title + "\x00" + t.Artist + "\x00" + t.Album + "\x00" + t.AlbumArtist)
		if containsAll(hay, words) {
			out = append(out, t)
		}
	}
	return out
}

func containsAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// fold lower-cases s with Unicode simple case folding.
func fold(s string) string {
	return strings.Map(unicode.ToLower, s)
}

// compareFold compares a and b ignoring case.
func compareFold(a, b string) int {
	return strings.Compare(fold(a), fold(b))
}
