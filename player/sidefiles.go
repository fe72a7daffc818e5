package player

import (
	"cmp"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"earshot/player/cue"
	"earshot/player/playlistfile"
	"earshot/player/probe"
	"earshot/player/textfile"
)

// sideFiles are the files a scan finds beside the music that are not
// music: cue sheets, .lrc lyrics and playlist files (slash paths).
type sideFiles struct {
	cues      map[string][]string // folder → its .cue files, in walk order
	lrcs      map[string]bool     // an .lrc file's path without its extension
	playlists []string
}

// add records the file at the slash path p when it is a side file, and
// reports whether it was one.
func (s *sideFiles) add(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	switch {
	case ext == ".cue":
		if s.cues == nil {
			s.cues = map[string][]string{}
		}
		s.cues[path.Dir(p)] = append(s.cues[path.Dir(p)], p)
	case ext == ".lrc":
		if s.lrcs == nil {
			s.lrcs = map[string]bool{}
		}
		s.lrcs[strings.TrimSuffix(p, path.Ext(p))] = true
	case playlistfile.Is(p):
		s.playlists = append(s.playlists, p)
	default:
		return false
	}
	return true
}

// isSideFile reports whether name is a cue sheet, .lrc or playlist file,
// by its extension: a change to one changes the library.
func isSideFile(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".cue" || ext == ".lrc" || playlistfile.Is(name)
}

// hasLRC reports whether an .lrc file with the same base name sits beside
// the file at the slash path p.
func (s *sideFiles) hasLRC(p string) bool {
	return s.lrcs[strings.TrimSuffix(p, path.Ext(p))]
}

// readSideFile reads the side file at the slash path p of fsys, refusing
// one over [textfile.MaxSize] bytes (not a cue sheet, lyrics or playlist).
func readSideFile(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, textfile.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > textfile.MaxSize {
		return nil, fmt.Errorf("%s: over %d bytes", p, textfile.MaxSize)
	}
	return data, nil
}

// cueSplitter finds the cue sheets of a scan's files, reading each .cue
// file once.
type cueSplitter struct {
	fsys   fs.FS
	side   *sideFiles
	sheets map[string]*cue.Sheet // by path; nil when unreadable
}

// sheet returns the parsed cue file at p, nil when it cannot be read.
func (c *cueSplitter) sheet(p string) *cue.Sheet {
	if s, ok := c.sheets[p]; ok {
		return s
	}
	var s *cue.Sheet
	if data, err := readSideFile(c.fsys, p); err == nil {
		if parsed, err := cue.Parse(data); err == nil {
			s = &parsed
		}
	}
	c.sheets[p] = s
	return s
}

// split returns the tracks a cue sheet makes of whole, a file's track, or
// nil when no sheet splits it. The sheet is, first found first: a .cue
// beside it named like it ("live.cue" or "live.flac.cue" for "live.flac"),
// whose FILE names it or which has one FILE only; the only .cue of its
// folder when that names it in a FILE; the sheet embedded in the file
// (embedded, nil for none: see [embeddedSheet]). A sheet must give the file at least two tracks starting
// within its duration, which must be known.
func (c *cueSplitter) split(whole Track, embedded *cue.Sheet) []Track {
	if whole.Video || !(whole.Duration > 0) {
		return nil
	}
	base := path.Base(whole.Path)
	stem := strings.TrimSuffix(base, path.Ext(base))
	cues := c.side.cues[path.Dir(whole.Path)]
	for _, p := range cues {
		name := strings.TrimSuffix(path.Base(p), path.Ext(p))
		if !strings.EqualFold(name, stem) && !strings.EqualFold(name, base) {
			continue
		}
		if s := c.sheet(p); s != nil {
			if t := splitTrack(whole, *s, s.TracksOf(base, true)); t != nil {
				return t
			}
		}
	}
	if len(cues) == 1 {
		if s := c.sheet(cues[0]); s != nil {
			if t := splitTrack(whole, *s, s.TracksOf(base, false)); t != nil {
				return t
			}
		}
	}
	if embedded != nil {
		return splitTrack(whole, *embedded, embedded.TracksOf(base, true))
	}
	return nil
}

// embeddedSheet returns the cue sheet the file f holds, described by m: a
// CUESHEET comment in its tags, else, for FLAC, a CUESHEET metadata block
// (read from f, whose position it moves); nil when none.
func embeddedSheet(f io.ReadSeeker, m probe.Media) *cue.Sheet {
	if m.Tags.CueSheet != "" {
		if s, err := cue.Parse([]byte(m.Tags.CueSheet)); err == nil {
			return &s
		}
	}
	if m.Format != probe.FLAC {
		return nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil
	}
	if s, err := cue.ReadFLAC(f); err == nil {
		return &s
	}
	return nil
}

// splitTrack makes the tracks of whole, a file's track, that a cue sheet s
// gives it (tracks): each from its start to the next one's (the last to
// the end of the file), with the sheet's titles, performers and numbers,
// and the file's tags where the sheet has none. A track starting where the
// one before it does, or past the end of the file, is dropped; nil when
// fewer than two are left.
func splitTrack(whole Track, s cue.Sheet, tracks []cue.Track) []Track {
	tracks = slices.Clone(tracks)
	slices.SortStableFunc(tracks, func(a, b cue.Track) int { return cmp.Compare(a.Start, b.Start) })
	var out []Track
	seen := map[int]bool{}
	for i, ct := range tracks {
		end := whole.Duration
		if i+1 < len(tracks) {
			end = min(end, tracks[i+1].Start)
		}
		if !(end > ct.Start) {
			continue
		}
		n := ct.Number
		if n <= 0 || seen[n] {
			n = 1000 + i // a sheet numbering a track twice: still one ID each
		}
		seen[n] = true
		t := whole
		t.ID = CueTrackID(whole.Path, n)
		t.TrackNumber = ct.Number
		t.Title = cmp.Or(ct.Title, fmt.Sprintf("Track %02d", ct.Number))
		t.Artist = cmp.Or(ct.Performer, s.Performer, whole.Artist)
		t.AlbumArtist = cmp.Or(s.Performer, whole.AlbumArtist)
		t.Album = cmp.Or(s.Title, whole.Album)
		t.Year = cmp.Or(s.Year, whole.Year)
		t.Genre = cmp.Or(s.Genre, whole.Genre)
		t.Start, t.End, t.Duration = ct.Start, end, end-ct.Start
		t.HasLyrics, t.LyricsEmbedded = false, false
		out = append(out, t)
	}
	if len(out) < 2 {
		return nil
	}
	for i := range out {
		out[i].TrackTotal = len(out)
	}
	return out
}

// splitCues returns, by position in results, the tracks cue sheets make
// of the files they split, and whether that differs from the last scan:
// a file read again whose tracks are not all the same as old's, or an
// unchanged file that a sheet now splits.
func (l *Library) splitCues(src Source, results []fileResult, found walkResult, old []Track, prev map[string]int) (map[int][]Track, bool) {
	c := &cueSplitter{fsys: src.files(), side: &found.side, sheets: map[string]*cue.Sheet{}}
	var (
		out     map[int][]Track
		changed bool
	)
	for i, res := range results {
		var (
			whole    Track
			embedded *cue.Sheet
		)
		switch {
		case res.read == nil:
			whole = old[res.prev]
		case res.read.err != nil:
			continue
		default:
			whole, embedded = res.read.track, res.read.cue
		}
		if len(c.side.cues[path.Dir(whole.Path)]) == 0 && embedded == nil {
			continue
		}
		tracks := c.split(whole, embedded)
		if tracks == nil {
			continue
		}
		for j := range tracks {
			found.finish(&tracks[j])
		}
		if out == nil {
			out = map[int][]Track{}
		}
		out[i] = tracks
		changed = changed || res.read == nil || !sameAsBefore(tracks, old, prev)
	}
	return out, changed
}

// sameAsBefore reports whether every one of tracks is in old (found by ID
// through prev) exactly as it is now.
func sameAsBefore(tracks, old []Track, prev map[string]int) bool {
	for _, t := range tracks {
		j, ok := prev[t.ID]
		if !ok {
			return false
		}
		was := old[j]
		if !was.ModTime.Equal(t.ModTime) {
			return false
		}
		was.ModTime, t.ModTime = time.Time{}, time.Time{} // == compares time zones too
		if was != t {
			return false
		}
	}
	return true
}

// finish sets what t, a track of a file the scan found, owes to the files
// beside it: its folder's cover and an .lrc file of the same name (cue
// tracks have no lyrics of their own).
func (found *walkResult) finish(t *Track) {
	t.CoverFile = found.covers[path.Dir(t.Path)]
	t.HasCover = t.CoverEmbedded || t.CoverFile != ""
	t.HasLyrics = t.End == 0 && (t.LyricsEmbedded || found.side.hasLRC(t.Path))
}
