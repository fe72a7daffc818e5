package player

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// countAfter is the most of a track, in seconds, that must be heard for a
// play to count: 4 minutes, or half the track when that is shorter (the
// Last.fm scrobbling rule).
const countAfter = 240

// maxListenID is the longest listen ID [Library.RecordPlay] takes, in bytes.
const maxListenID = 100

// Favourites are the songs, albums and artists with a heart, newest heart
// first. Hearts on things the library no longer holds are left out.
type Favourites struct {
	Songs   []Track
	Albums  []Album
	Artists []Artist
}

// HistoryEntry is a track with its play count and when it was last played
// (the zero time and 0 for one never played).
type HistoryEntry struct {
	Track      Track
	Count      int
	LastPlayed time.Time
}

// The views of [Library.History].
const (
	// HistoryRecent: tracks played, most recently played first.
	HistoryRecent = "recent"
	// HistoryMost: tracks played, most played first.
	HistoryMost = "most"
	// HistoryAdded: every track, newest file first (by modification time:
	// a library keeps no date of its own for when a file arrived).
	HistoryAdded = "added"
)

// SetStar puts a heart on (on true) or takes it off the song, album or
// artist (kind [StarSong], [StarAlbum] or [StarArtist]) with the given ID.
// A heart can be put only on what the library holds: an unknown song is an
// [*UnknownTracksError], an unknown album or artist or a bad kind an error
// wrapping [ErrInvalid]. A heart can always be taken off.
func (l *Library) SetStar(kind, id string, on bool) error {
	if l.user == nil {
		return ErrNoUserData
	}
	var song *TrackRef
	switch kind {
	case StarSong:
		if on {
			refs, err := l.refs([]string{id}, nil)
			if err != nil {
				return err
			}
			song = &refs[0]
		}
	case StarAlbum:
		if _, ok := l.view().albumByID[id]; on && !ok {
			return errUnknown("album", id)
		}
	case StarArtist:
		if _, ok := l.view().artistByID[id]; on && !ok {
			return errUnknown("artist", id)
		}
	default:
		return fmt.Errorf("%w: kind must be song, album or artist", ErrInvalid)
	}
	if err := l.user.SetStar(kind, id, song, on, time.Now()); err != nil {
		return err
	}
	l.changed("stars")
	return nil
}

// Favourites returns what has a heart.
func (l *Library) Favourites() (Favourites, error) {
	if l.user == nil {
		return Favourites{}, ErrNoUserData
	}
	stars, err := l.user.Stars()
	if err != nil {
		return Favourites{}, err
	}
	f := Favourites{Songs: []Track{}, Albums: []Album{}, Artists: []Artist{}}
	v := l.view()
	l.mu.RLock()
	defer l.mu.RUnlock()
	for _, s := range stars {
		switch s.Kind {
		case StarSong:
			if i, ok := l.byID[s.ID]; ok {
				f.Songs = append(f.Songs, l.tracks[i])
			}
		case StarAlbum:
			if i, ok := v.albumByID[s.ID]; ok {
				f.Albums = append(f.Albums, v.albums[i].Album)
			}
		case StarArtist:
			if i, ok := v.artistByID[s.ID]; ok {
				f.Artists = append(f.Artists, v.artists[i].Artist)
			}
		}
	}
	return f, nil
}

// Starred reports which of the kind's IDs have a heart.
func (l *Library) Starred(kind string) (map[string]bool, error) {
	if l.user == nil {
		return nil, ErrNoUserData
	}
	stars, err := l.user.Stars()
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, s := range stars {
		if s.Kind == kind {
			out[s.ID] = true
		}
	}
	return out, nil
}

// PlayResult is what [Library.RecordPlay] did: whether the listen counted
// as a play, and the track's play count after it.
type PlayResult struct {
	Counted bool `json:"counted"`
	Count   int  `json:"count"`
}

// RecordPlay reports that the track with the given ID was listened to for
// played seconds (what was heard, not where playback stopped), in the
// listen the client calls listen (1 to 100 printable ASCII characters).
// The listen counts as a play when played reaches half the track or 4
// minutes, whichever is less (the Last.fm rule; 4 minutes for a track of
// unknown length), and only once per listen ID: sending the same listen
// again changes nothing. It returns an [*UnknownTracksError] for an
// unknown track and an error wrapping [ErrInvalid] for a bad listen ID or
// played value.
func (l *Library) RecordPlay(trackID, listen string, played float64) (PlayResult, error) {
	if l.user == nil {
		return PlayResult{}, ErrNoUserData
	}
	if len(listen) == 0 || len(listen) > maxListenID || !printableASCII(listen) {
		return PlayResult{}, fmt.Errorf("%w: listenId must be 1 to %d printable ASCII characters", ErrInvalid, maxListenID)
	}
	if math.IsNaN(played) || math.IsInf(played, 0) || played < 0 {
		return PlayResult{}, fmt.Errorf("%w: played must be a number of seconds, 0 or more", ErrInvalid)
	}
	refs, err := l.refs([]string{trackID}, nil)
	if err != nil {
		return PlayResult{}, err
	}
	t, err := l.Track(trackID)
	if err != nil {
		return PlayResult{}, err
	}
	var res PlayResult
	if played >= playThreshold(t.Duration) {
		if res.Counted, err = l.user.RecordPlay(refs[0], listen, time.Now()); err != nil {
			return PlayResult{}, err
		}
	}
	plays, err := l.user.Plays()
	if err != nil {
		return PlayResult{}, err
	}
	for _, p := range plays {
		if p.TrackID == trackID {
			res.Count = p.Count
		}
	}
	if res.Counted {
		l.changed("plays")
	}
	return res, nil
}

// playThreshold returns how many seconds of a track lasting duration
// seconds must be heard for a play to count.
func playThreshold(duration float64) float64 {
	if duration <= 0 {
		return countAfter
	}
	return min(duration/2, countAfter)
}

// printableASCII reports whether s holds only the characters ' ' to '~'.
func printableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// History returns at most limit tracks of the given view ([HistoryRecent],
// [HistoryMost] or [HistoryAdded]) with their play counts; tracks the
// library no longer holds are left out. A bad view is an error wrapping
// [ErrInvalid].
func (l *Library) History(view string, limit int) ([]HistoryEntry, error) {
	if l.user == nil {
		return nil, ErrNoUserData
	}
	if view != HistoryRecent && view != HistoryMost && view != HistoryAdded {
		return nil, fmt.Errorf("%w: view must be recent, most or added", ErrInvalid)
	}
	plays, err := l.user.Plays()
	if err != nil {
		return nil, err
	}
	byTrack := make(map[string]PlayCount, len(plays))
	for _, p := range plays {
		byTrack[p.TrackID] = p
	}
	var out []HistoryEntry
	if view == HistoryAdded {
		ts := l.listed().tracks
		idx := make([]int32, len(ts))
		for i := range idx {
			idx[i] = int32(i)
		}
		slices.SortStableFunc(idx, func(a, b int32) int { return ts[b].ModTime.Compare(ts[a].ModTime) })
		for _, i := range idx[:min(limit, len(idx))] {
			out = append(out, HistoryEntry{Track: ts[i]})
		}
	} else {
		l.mu.RLock()
		for _, p := range plays {
			if i, ok := l.byID[p.TrackID]; ok && !l.tracks[i].Video {
				out = append(out, HistoryEntry{Track: l.tracks[i]})
			}
		}
		l.mu.RUnlock()
	}
	for i := range out {
		p := byTrack[out[i].Track.ID]
		out[i].Count, out[i].LastPlayed = p.Count, p.LastPlayed
	}
	switch view {
	case HistoryRecent:
		slices.SortStableFunc(out, func(a, b HistoryEntry) int { return b.LastPlayed.Compare(a.LastPlayed) })
	case HistoryMost:
		slices.SortStableFunc(out, func(a, b HistoryEntry) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), b.LastPlayed.Compare(a.LastPlayed))
		})
	}
	return out[:min(limit, len(out))], nil
}

// SetPosition keeps where the track with the given ID was left, in seconds
// from its start, so that it can be resumed there (see [Library.Positions]).
// Only tracks longer than [LongTrack] keep one: for others, and for a
// position outside the track, it returns an error wrapping [ErrInvalid]. A
// position under 1 s or within 5 s of the end forgets the one kept (the
// track was restarted or finished).
func (l *Library) SetPosition(trackID string, seconds float64) error {
	if l.user == nil {
		return ErrNoUserData
	}
	refs, err := l.refs([]string{trackID}, nil)
	if err != nil {
		return err
	}
	t, err := l.Track(trackID)
	if err != nil {
		return err
	}
	switch {
	case t.Duration <= LongTrack:
		return fmt.Errorf("%w: positions are kept for tracks over 20 minutes only", ErrInvalid)
	case math.IsNaN(seconds) || seconds < 0 || seconds > t.Duration:
		return fmt.Errorf("%w: seconds must be from 0 to the track's duration, %.1f", ErrInvalid, t.Duration)
	}
	if seconds < 1 || seconds > t.Duration-5 {
		seconds = 0
	}
	if err := l.user.SetPosition(refs[0], seconds, time.Now()); err != nil {
		return err
	}
	l.changed("positions")
	return nil
}

// Positions returns where long tracks were left, in seconds, by track ID:
// see [Library.SetPosition]. A library without a [UserStore] keeps none.
func (l *Library) Positions() (map[string]float64, error) {
	if l.user == nil {
		return map[string]float64{}, nil
	}
	return l.user.Positions()
}
