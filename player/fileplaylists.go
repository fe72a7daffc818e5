package player

import (
	"errors"
	"path"
	"path/filepath"
	"strings"

	"earshot/player/playlistfile"
)

// ErrPlaylistFileNotFound is returned by [Library.FilePlaylist] for an ID
// that names no playlist file of the library.
var ErrPlaylistFileNotFound = errors.New("playlist file not found")

// FilePlaylist is a playlist file found in the library folder (.m3u,
// .m3u8, .pls): read-only, listed by [Library.FilePlaylists] and read by
// [Library.FilePlaylist]. Its JSON form is the API's.
type FilePlaylist struct {
	// ID is "file-" and the [TrackID] of Path: stable, and apart from the
	// IDs of the playlists people make.
	ID string `json:"id"`
	// Name is the file's #PLAYLIST title, else its name without extension.
	Name string `json:"name"`
	// Path is the file's slash path relative to the library root.
	Path string `json:"path"`
	// Entries is the number of entries; Missing how many of them name no
	// track of the library.
	Entries int `json:"entries"`
	Missing int `json:"missing"`
	// Tracks are its entries in order; only [Library.FilePlaylist] fills
	// them in (omitted from the JSON of the list).
	Tracks []FilePlaylistEntry `json:"tracks,omitempty"`
}

// FilePlaylistEntry is one entry of a [FilePlaylist]: the path the file
// gives ("\" made "/"), the title and duration (seconds) its #EXTINF or
// TitleN/LengthN give ("" and 0 when none), and the library's track it
// names, nil when none (Missing: the entry is kept, not dropped).
type FilePlaylistEntry struct {
	Path     string  `json:"path"`
	Title    string  `json:"title"`
	Duration float64 `json:"duration"`
	Missing  bool    `json:"missing"`
	Track    *Track  `json:"track,omitempty"`
}

// filePlaylist is a parsed playlist file, kept until the next scan.
type filePlaylist struct {
	path string
	pl   playlistfile.Playlist
	// root is the library's absolute folder as a slash path ("" for a
	// source that is no folder), for entries with absolute paths.
	root string
}

// setFilePlaylists reads the playlist files at paths (slash paths of a
// scan of src) and makes them the library's. A file that cannot be read
// is left out.
func (l *Library) setFilePlaylists(src Source, paths []string) {
	root := ""
	if src.Dir != "" {
		if abs, err := filepath.Abs(src.Dir); err == nil {
			root = strings.TrimSuffix(filepath.ToSlash(abs), "/")
		}
	}
	out := make([]filePlaylist, 0, len(paths))
	for _, p := range paths {
		data, err := readSideFile(src.files(), p)
		if err != nil {
			continue
		}
		pl, err := playlistfile.Parse(p, data)
		if err != nil {
			continue
		}
		out = append(out, filePlaylist{path: p, pl: pl, root: root})
	}
	l.mu.Lock()
	l.filePlaylists = out
	l.mu.Unlock()
}

// FilePlaylists returns the playlist files the last scan found, in path
// order, without their tracks: see [FilePlaylist].
func (l *Library) FilePlaylists() []FilePlaylist {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]FilePlaylist, 0, len(l.filePlaylists))
	for i := range l.filePlaylists {
		p := l.resolveLocked(&l.filePlaylists[i])
		p.Tracks = nil
		out = append(out, p)
	}
	return out
}

// FilePlaylist returns the playlist file with the given ID with its
// entries resolved against the library, or [ErrPlaylistFileNotFound].
// An entry names a track when one of the paths [playlistfile.Candidates]
// gives for it is a track's path (or the path of a file a cue sheet
// splits: its first track).
func (l *Library) FilePlaylist(id string) (FilePlaylist, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for i := range l.filePlaylists {
		if filePlaylistID(l.filePlaylists[i].path) == id {
			return l.resolveLocked(&l.filePlaylists[i]), nil
		}
	}
	return FilePlaylist{}, ErrPlaylistFileNotFound
}

// filePlaylistID is the ID of the playlist file at the slash path p.
func filePlaylistID(p string) string {
	return "file-" + TrackID(p)
}

// resolveLocked finds the tracks of f's entries; the caller holds l.mu.
func (l *Library) resolveLocked(f *filePlaylist) FilePlaylist {
	name := f.pl.Title
	if name == "" {
		base := path.Base(f.path)
		name = strings.TrimSuffix(base, path.Ext(base))
	}
	out := FilePlaylist{ID: filePlaylistID(f.path), Name: name, Path: f.path,
		Entries: len(f.pl.Entries), Tracks: make([]FilePlaylistEntry, len(f.pl.Entries))}
	dir := path.Dir(f.path)
	for i, e := range f.pl.Entries {
		entry := FilePlaylistEntry{Path: e.Path, Title: e.Title, Duration: e.Duration, Missing: true}
		for _, c := range playlistfile.Candidates(e.Path, dir, f.root) {
			j, ok := l.byID[TrackID(c)]
			if !ok {
				j, ok = l.byID[CueTrackID(c, 1)]
			}
			if ok && l.tracks[j].Path == c {
				t := l.tracks[j]
				entry.Track, entry.Missing = &t, false
				if entry.Title == "" {
					entry.Title = t.Title
				}
				break
			}
		}
		out.Missing += boolInt(entry.Missing)
		out.Tracks[i] = entry
	}
	return out
}
