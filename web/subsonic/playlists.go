package subsonic

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"earshot/player"
)

// rfc3339 formats t for the API, in UTC.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// playlist returns p as the API's Playlist, with its songs (entries the
// library no longer holds left out) when withSongs.
func (h *Handler) playlist(p player.PlaylistDetail, u userView, withSongs bool) Playlist {
	out := Playlist{ID: p.ID, Name: p.Name, Owner: Username, SongCount: p.Tracks, Created: rfc3339(p.Created), Changed: rfc3339(p.Updated)}
	var dur float64
	for i := range p.Entries {
		e := &p.Entries[i]
		if e.Missing {
			continue
		}
		dur += e.Track.Duration
		if out.CoverArt == "" && e.Track.HasCover {
			out.CoverArt = e.Track.ID
		}
		if withSongs {
			out.Entries = append(out.Entries, u.song(&e.Track))
		}
	}
	out.Duration = int(dur + 0.5)
	if withSongs && out.Entries == nil {
		out.Entries = []Child{}
	}
	return out
}

func (h *Handler) getPlaylists(c *call) (*Response, error) {
	infos, err := h.lib.Playlists()
	if err != nil && !errors.Is(err, player.ErrNoUserData) {
		return nil, err
	}
	u := h.userData()
	out := &Playlists{Playlists: []Playlist{}}
	for _, info := range infos {
		p, err := h.lib.Playlist(info.ID)
		if err != nil {
			continue // deleted meanwhile
		}
		out.Playlists = append(out.Playlists, h.playlist(p, u, false))
	}
	return &Response{Playlists: out}, nil
}

func (h *Handler) getPlaylist(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	return h.answerPlaylist(id)
}

// answerPlaylist answers playlist id with its songs.
func (h *Handler) answerPlaylist(id string) (*Response, error) {
	p, err := h.lib.Playlist(id)
	if err != nil {
		return nil, userError(err)
	}
	pl := h.playlist(p, h.userData(), true)
	return &Response{Playlist: &pl}, nil
}

// createPlaylist makes a playlist called name of the songId songs, or,
// with playlistId, replaces that playlist's songs (and name, if given).
func (h *Handler) createPlaylist(c *call) (*Response, error) {
	songs := c.params["songId"]
	if id := c.get("playlistId"); id != "" {
		var name *string
		if c.has("name") {
			n := c.get("name")
			name = &n
		}
		if _, err := h.lib.UpdatePlaylist(id, name, append([]string{}, songs...), nil); err != nil {
			return nil, userError(err)
		}
		return h.answerPlaylist(id)
	}
	name, err := c.need("name")
	if err != nil {
		return nil, err
	}
	info, err := h.lib.CreatePlaylist(name, songs)
	if err != nil {
		return nil, userError(err)
	}
	return h.answerPlaylist(info.ID)
}

// updatePlaylist renames playlistId (name), removes the entries at the
// songIndexToRemove positions (0-based) and appends songIdToAdd.
func (h *Handler) updatePlaylist(c *call) (*Response, error) {
	id, err := c.need("playlistId")
	if err != nil {
		return nil, err
	}
	var name *string
	if c.has("name") {
		n := c.get("name")
		name = &n
	}
	var keep []string
	if remove := c.params["songIndexToRemove"]; len(remove) > 0 {
		p, err := h.lib.Playlist(id)
		if err != nil {
			return nil, userError(err)
		}
		drop := map[int]bool{}
		for _, s := range remove {
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(p.Entries) {
				return nil, apiErr(CodeGeneric, "songIndexToRemove out of range: "+s)
			}
			drop[i] = true
		}
		keep = []string{}
		for i, e := range p.Entries {
			if !drop[i] {
				keep = append(keep, e.Track.ID)
			}
		}
	}
	var add []string
	if a := c.params["songIdToAdd"]; len(a) > 0 {
		add = slices.Clone(a)
	}
	if _, err := h.lib.UpdatePlaylist(id, name, keep, add); err != nil {
		return nil, userError(err)
	}
	return ok()
}

func (h *Handler) deletePlaylist(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	if err := h.lib.DeletePlaylist(id); err != nil {
		return nil, userError(err)
	}
	return ok()
}

// savePlayQueue keeps the apps' one play queue (in the index, with
// the app passwords): the ids in order, current, and position in
// milliseconds. The page keeps its own queue in each browser, so there
// is no shared one to reuse.
func (h *Handler) savePlayQueue(c *call) (*Response, error) {
	ids := c.params["id"]
	for _, id := range ids {
		if _, err := h.lib.Track(id); err != nil {
			return nil, notFound(err, "song")
		}
	}
	pos, err := strconv.ParseInt(c.get("position"), 10, 64)
	if err != nil || pos < 0 {
		pos = 0
	}
	q := player.PlayQueue{TrackIDs: slices.Clone(ids), Current: c.get("current"), PositionMS: pos,
		ChangedBy: c.client, Changed: time.Now()}
	if err := h.data.savePlayQueue(q); err != nil {
		return nil, err
	}
	return ok()
}

// getPlayQueue answers the saved play queue, without the tracks the
// library no longer holds.
func (h *Handler) getPlayQueue(c *call) (*Response, error) {
	q, err := h.data.playQueue()
	if err != nil {
		return nil, err
	}
	out := &PlayQueue{Current: q.Current, Position: q.PositionMS, Username: Username,
		Changed: rfc3339(q.Changed), ChangedBy: q.ChangedBy}
	u := h.userData()
	for _, id := range q.TrackIDs {
		if t, err := h.lib.Track(id); err == nil {
			out.Entries = append(out.Entries, u.song(&t))
		}
	}
	return &Response{PlayQueue: out}, nil
}

// getBookmarks lists the positions kept in long tracks (the page's
// resume points) as bookmarks.
func (h *Handler) getBookmarks(c *call) (*Response, error) {
	pos, err := h.lib.Positions()
	if err != nil {
		return nil, err
	}
	u := h.userData()
	out := &Bookmarks{Bookmarks: []Bookmark{}}
	now := rfc3339(time.Now())
	for id, s := range pos {
		t, err := h.lib.Track(id)
		if err != nil {
			continue
		}
		out.Bookmarks = append(out.Bookmarks, Bookmark{Position: int64(s * 1000), Username: Username,
			Created: now, Changed: now, Entry: u.song(&t)})
	}
	slices.SortFunc(out.Bookmarks, func(a, b Bookmark) int { return strings.Compare(a.Entry.ID, b.Entry.ID) })
	return &Response{Bookmarks: out}, nil
}

// createBookmark keeps position (milliseconds) in song id, as the page's
// resume point; only tracks over 20 minutes keep one.
func (h *Handler) createBookmark(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	p, err := c.need("position")
	if err != nil {
		return nil, err
	}
	ms, err := strconv.ParseInt(p, 10, 64)
	if err != nil {
		return nil, apiErr(CodeGeneric, "position must be a whole number of milliseconds")
	}
	return ok2(userError(h.lib.SetPosition(id, float64(ms)/1000)))
}

func (h *Handler) deleteBookmark(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	return ok2(userError(h.lib.SetPosition(id, 0)))
}

// ok2 returns an empty successful response, or err.
func ok2(err error) (*Response, error) {
	if err != nil {
		return nil, err
	}
	return ok()
}
