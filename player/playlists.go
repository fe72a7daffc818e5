package player

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// headHashBytes is how much of a file [TrackRef.Hash] covers: its first
// 64 KiB, which hold the tags and the start of the audio. Reading that much
// costs one seek and read; hashing whole files would read gigabytes.
const headHashBytes = 64 << 10

// hashLimit is the most tracks one change takes the content hash of (see
// [Library.refs]): a 5,000-track playlist must not read 5,000 files in a
// request. Tracks added in bulk are found again by their tags alone.
const hashLimit = 16

// PlaylistEntry is one entry of a playlist as [Library.Playlist] returns
// it: the library's track, or, when the library no longer holds it
// (Missing), what was kept of it (ID, path, title and artist).
type PlaylistEntry struct {
	Track   Track
	Missing bool
	// MatchedBy and MatchedFrom say how the track was found again after
	// its file moved ([TrackRef.MatchedBy]); "" when it never moved.
	MatchedBy, MatchedFrom string
}

// PlaylistDetail is a playlist with its entries resolved against the
// library, in order.
type PlaylistDetail struct {
	PlaylistInfo
	Entries []PlaylistEntry
}

// Playlists returns every playlist without its tracks, oldest first. It
// returns [ErrNoUserData] for a library without a [UserStore].
func (l *Library) Playlists() ([]PlaylistInfo, error) {
	if l.user == nil {
		return nil, ErrNoUserData
	}
	return l.user.Playlists()
}

// Playlist returns the playlist with the given ID and its entries, or
// [ErrPlaylistNotFound].
func (l *Library) Playlist(id string) (PlaylistDetail, error) {
	if l.user == nil {
		return PlaylistDetail{}, ErrNoUserData
	}
	p, err := l.user.Playlist(id)
	if err != nil {
		return PlaylistDetail{}, err
	}
	out := PlaylistDetail{PlaylistInfo: p.PlaylistInfo, Entries: make([]PlaylistEntry, len(p.Entries))}
	l.mu.RLock()
	defer l.mu.RUnlock()
	for i, ref := range p.Entries {
		out.Entries[i] = l.entryLocked(ref)
	}
	return out, nil
}

// entryLocked resolves ref against the library; the caller holds l.mu.
func (l *Library) entryLocked(ref TrackRef) PlaylistEntry {
	e := PlaylistEntry{MatchedBy: ref.MatchedBy, MatchedFrom: ref.MatchedFrom}
	if i, ok := l.byID[ref.ID]; ok {
		e.Track = l.tracks[i]
		return e
	}
	e.Missing = true
	e.Track = Track{ID: ref.ID, Path: ref.Path, Title: ref.Title, Artist: ref.Artist}
	return e
}

// CreatePlaylist makes a playlist called name of the tracks with the given
// IDs, in order (a track may appear more than once), and returns it. It
// returns an error wrapping [ErrInvalid] for a bad name (see
// [MaxPlaylistName]), [ErrTooManyEntries] for more than
// [MaxPlaylistEntries] tracks, and an [*UnknownTracksError] naming the IDs
// the library does not hold; then nothing is written.
func (l *Library) CreatePlaylist(name string, trackIDs []string) (PlaylistInfo, error) {
	if l.user == nil {
		return PlaylistInfo{}, ErrNoUserData
	}
	name, err := checkPlaylistName(name)
	if err != nil {
		return PlaylistInfo{}, err
	}
	if len(trackIDs) > MaxPlaylistEntries {
		return PlaylistInfo{}, ErrTooManyEntries
	}
	refs, err := l.refs(trackIDs, nil)
	if err != nil {
		return PlaylistInfo{}, err
	}
	info, err := l.user.CreatePlaylist(name, refs, time.Now())
	if err == nil {
		l.changed("playlists")
	}
	return info, err
}

// UpdatePlaylist changes the playlist with the given ID: a new name when
// name is not nil; a new order of entries when trackIDs is not nil (to
// reorder and remove; IDs of entries the library no longer holds may be
// given back); tracks appended when appended is not nil. It returns the
// errors of [Library.CreatePlaylist] and [ErrPlaylistNotFound].
func (l *Library) UpdatePlaylist(id string, name *string, trackIDs, appended []string) (PlaylistInfo, error) {
	if l.user == nil {
		return PlaylistInfo{}, ErrNoUserData
	}
	if name != nil {
		n, err := checkPlaylistName(*name)
		if err != nil {
			return PlaylistInfo{}, err
		}
		name = &n
	}
	if len(trackIDs) > MaxPlaylistEntries || len(appended) > MaxPlaylistEntries {
		return PlaylistInfo{}, ErrTooManyEntries
	}
	var known map[string]TrackRef
	if trackIDs != nil {
		p, err := l.user.Playlist(id)
		if err != nil {
			return PlaylistInfo{}, err
		}
		known = make(map[string]TrackRef, len(p.Entries))
		for _, r := range p.Entries {
			known[r.ID] = r
		}
	}
	var entries, more []TrackRef
	var err error
	if trackIDs != nil {
		if entries, err = l.refs(trackIDs, known); err != nil {
			return PlaylistInfo{}, err
		}
		entries = nonNil(entries)
	}
	if appended != nil {
		if more, err = l.refs(appended, nil); err != nil {
			return PlaylistInfo{}, err
		}
		more = nonNil(more)
	}
	info, err := l.user.UpdatePlaylist(id, name, entries, more, time.Now())
	if err == nil {
		l.changed("playlists")
	}
	return info, err
}

// nonNil returns refs, or an empty slice for nil: to a [UserStore], nil
// means "unchanged".
func nonNil(refs []TrackRef) []TrackRef {
	if refs == nil {
		return []TrackRef{}
	}
	return refs
}

// DeletePlaylist deletes the playlist with the given ID, or returns
// [ErrPlaylistNotFound].
func (l *Library) DeletePlaylist(id string) error {
	if l.user == nil {
		return ErrNoUserData
	}
	err := l.user.DeletePlaylist(id)
	if err == nil {
		l.changed("playlists")
	}
	return err
}

// refs returns the references of the tracks with the given IDs, in order:
// an ID the library does not hold takes its reference from known, else it
// is unknown and refs returns an [*UnknownTracksError] naming every such
// ID. When the IDs name at most [hashLimit] distinct tracks, their
// content hashes are taken ([TrackRef.Hash]); files that cannot be read
// get none.
func (l *Library) refs(ids []string, known map[string]TrackRef) ([]TrackRef, error) {
	out := make([]TrackRef, 0, len(ids))
	var unknown []string
	seen := map[string]bool{}
	l.mu.RLock()
	src := l.src
	for _, id := range ids {
		if i, ok := l.byID[id]; ok {
			out = append(out, refOf(&l.tracks[i]))
		} else if r, ok := known[id]; ok {
			out = append(out, r)
		} else if !seen[id] {
			unknown = append(unknown, id)
		}
		seen[id] = true
	}
	l.mu.RUnlock()
	if unknown != nil {
		return nil, &UnknownTracksError{IDs: unknown}
	}
	if len(seen) <= hashLimit {
		hashes := map[string]string{}
		for i := range out {
			h, ok := hashes[out[i].ID]
			if !ok && out[i].Size > 0 {
				h = headHash(src, out[i].Path)
				hashes[out[i].ID] = h
			}
			out[i].Hash = h
		}
	}
	return out, nil
}

// refOf returns t's reference, without its content hash.
func refOf(t *Track) TrackRef {
	return TrackRef{ID: t.ID, Path: t.Path, Fingerprint: Fingerprint(t), Size: t.Size, Title: t.Title, Artist: t.Artist}
}

// headHash returns the hex SHA-256 (first 16 bytes) of the first
// [headHashBytes] bytes of the file at path in src, "" when it cannot be
// read.
func headHash(src Source, path string) string {
	if src.FS == nil {
		return ""
	}
	f, err := src.openFile(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, headHashBytes)); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// changed tells subscribers that the user data named what changed.
func (l *Library) changed(what string) {
	l.publish(Event{Kind: UserDataChanged, What: what})
}

// errUnknown returns an error wrapping [ErrInvalid] for an unknown ID of
// the given kind.
func errUnknown(kind, id string) error {
	return fmt.Errorf("%w: unknown %s id %q", ErrInvalid, kind, id)
}
