package player

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"earshot/player/lyrics"
)

// ErrNoLyrics is returned by [Library.Lyrics] for a track without lyrics.
var ErrNoLyrics = errors.New("no lyrics")

// Lyrics returns the lyrics of the track with the given ID, read now from,
// first found first: an .lrc file beside it with the same base name (any
// case of ".lrc"), an ID3v2 SYLT frame (synced, millisecond times), or the
// unsynchronised lyrics of its tags (ID3v2 USLT, Vorbis LYRICS or
// UNSYNCEDLYRICS, MP4 ©lyr), read as LRC when they hold time tags. Times
// are seconds from the start of the track. It returns [ErrNotFound] for
// an unknown ID, and [ErrNoLyrics] when the track has none (the tracks of
// a cue sheet have none of their own) or its files cannot be read.
func (l *Library) Lyrics(id string) (lyrics.Lyrics, error) {
	t, err := l.Track(id)
	if err != nil {
		return lyrics.Lyrics{}, err
	}
	if t.End != 0 || t.Video {
		return lyrics.Lyrics{}, ErrNoLyrics
	}
	l.mu.RLock()
	src := l.src
	l.mu.RUnlock()
	if src.FS == nil || l.life.missing.Load() {
		return lyrics.Lyrics{}, ErrNoLyrics
	}
	if p, ok := findLRC(src.files(), t.Path); ok {
		if data, err := readSideFile(src.files(), p); err == nil {
			if lyr, err := lyrics.ParseLRC(data); err == nil {
				return lyr, nil
			}
		}
	}
	return l.embeddedLyrics(src, t)
}

// findLRC returns the path of the .lrc file beside the file at the slash
// path p with its base name, the extension in any case.
func findLRC(fsys fs.FS, p string) (string, bool) {
	stem := strings.TrimSuffix(p, path.Ext(p))
	if info, err := fs.Stat(fsys, stem+".lrc"); err == nil && info.Mode().IsRegular() {
		return stem + ".lrc", true
	}
	entries, err := fs.ReadDir(fsys, path.Dir(p))
	if err != nil {
		return "", false
	}
	want := path.Base(stem) + ".lrc"
	for _, e := range entries {
		if strings.EqualFold(e.Name(), want) && !e.IsDir() {
			return path.Join(path.Dir(p), e.Name()), true
		}
	}
	return "", false
}

// embeddedLyrics reads the lyrics in the tags of t's file.
func (l *Library) embeddedLyrics(src Source, t Track) (lyrics.Lyrics, error) {
	f, err := src.openFile(t.Path)
	if err != nil {
		return lyrics.Lyrics{}, fmt.Errorf("%w: %w", ErrNoLyrics, err)
	}
	defer f.Close()
	tags, err := l.tags.ReadTags(f)
	if err != nil {
		return lyrics.Lyrics{}, fmt.Errorf("%w: %w", ErrNoLyrics, err)
	}
	if tags.SyncedLyrics != "" {
		if lyr, err := lyrics.ParseSYLT([]byte(tags.SyncedLyrics)); err == nil {
			return lyr, nil
		}
	}
	if lyr, err := lyrics.Parse(tags.Lyrics); err == nil {
		return lyr, nil
	}
	return lyrics.Lyrics{}, ErrNoLyrics
}
