package subsonic

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"earshot/player"
)

// userDataMethods are the methods over what the user makes of the
// library: the page's own hearts, play counts, playlists and positions,
// so a change made in an app shows on the page (the library publishes
// its change events) and the reverse.
func (h *Handler) userDataMethods(m map[string]method) {
	m["star"] = func(c *call) (*Response, error) { return h.star(c, true) }
	m["unstar"] = func(c *call) (*Response, error) { return h.star(c, false) }
	m["setRating"] = h.setRating
	m["scrobble"] = h.scrobble
	m["getNowPlaying"] = h.getNowPlaying
	m["getStarred"] = func(c *call) (*Response, error) { s, err := h.starredAll(); return &Response{Starred: s}, err }
	m["getStarred2"] = func(c *call) (*Response, error) { s, err := h.starredAll(); return &Response{Starred2: s}, err }
	m["getPlaylists"] = h.getPlaylists
	m["getPlaylist"] = h.getPlaylist
	m["createPlaylist"] = h.createPlaylist
	m["updatePlaylist"] = h.updatePlaylist
	m["deletePlaylist"] = h.deletePlaylist
	m["getPlayQueue"] = h.getPlayQueue
	m["savePlayQueue"] = h.savePlayQueue
	m["getBookmarks"] = h.getBookmarks
	m["createBookmark"] = h.createBookmark
	m["deleteBookmark"] = h.deleteBookmark
}

// userError turns the player's user-data errors into API errors: unknown
// tracks, albums, artists and playlists are error 70, bad input error 0
// with the player's message, no user data error 0 saying so.
func userError(err error) error {
	var unknown *player.UnknownTracksError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &unknown), errors.Is(err, player.ErrPlaylistNotFound):
		return apiErr(CodeNotFound, err.Error())
	case errors.Is(err, player.ErrInvalid), errors.Is(err, player.ErrNoUserData):
		return apiErr(CodeGeneric, err.Error())
	}
	return err
}

// star puts hearts on (or takes them off) every id (songs), albumId and
// artistId given.
func (h *Handler) star(c *call, on bool) (*Response, error) {
	n := 0
	for _, k := range []struct{ param, kind string }{{"id", player.StarSong}, {"albumId", player.StarAlbum}, {"artistId", player.StarArtist}} {
		for _, id := range c.params[k.param] {
			kind := k.kind
			if kind == player.StarSong {
				kind = h.kindOf(id)
			}
			if err := h.lib.SetStar(kind, id, on); err != nil {
				return nil, userError(err)
			}
			n++
		}
	}
	if n == 0 {
		return nil, apiErr(CodeMissingParam, "required parameter is missing: id, albumId or artistId")
	}
	return ok()
}

// kindOf returns the star kind of an id given as "id" (which old clients
// use for albums and artists too): a song's unless it is an album's or
// artist's.
func (h *Handler) kindOf(id string) string {
	if _, err := h.lib.Track(id); err == nil {
		return player.StarSong
	}
	if _, err := h.lib.Album(id); err == nil {
		return player.StarAlbum
	}
	if _, err := h.lib.Artist(id); err == nil {
		return player.StarArtist
	}
	return player.StarSong
}

// setRating keeps the rating (1 to 5; 0 removes it) of the song, album
// or artist id, in the index with the play queue; it comes back as
// userRating in songs and albums. A rating that is not a whole number
// from 0 to 5 is error 0, the spec's generic error (it names none for
// bad values); an unknown id is error 70.
func (h *Handler) setRating(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	r, err := c.need("rating")
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(r)
	if err != nil || n < 0 || n > 5 {
		return nil, apiErr(CodeGeneric, "rating must be a whole number from 0 to 5")
	}
	kind := h.kindOf(id)
	if kind == player.StarSong {
		if _, err := h.lib.Track(id); err != nil {
			return nil, notFound(err, "song, album or artist")
		}
	}
	if err := h.data.setRating(player.Rating{Kind: kind, ID: id, Stars: n}); err != nil {
		return nil, userError(err)
	}
	return ok()
}

// scrobble records a play of each id when submission is true (the
// default): the client judged it played, so it counts once per id and
// time (ms since 1970; now when absent) whatever its length. With
// submission=false the song is what the client is playing now.
func (h *Handler) scrobble(c *call) (*Response, error) {
	ids := c.params["id"]
	if len(ids) == 0 {
		return nil, apiErr(CodeMissingParam, "required parameter is missing: id")
	}
	times := c.params["time"]
	for i, id := range ids {
		t, err := h.lib.Track(id)
		if err != nil {
			return nil, notFound(err, "song")
		}
		if c.get("submission") == "false" {
			h.np.set(c.client, id)
			continue
		}
		at := strconv.FormatInt(time.Now().UnixMilli(), 10)
		if i < len(times) {
			at = times[i]
		}
		sum := sha256.Sum256([]byte(c.client + "\x00" + id + "\x00" + at))
		played := max(t.Duration, 1)
		if _, err := h.lib.RecordPlay(id, "subsonic-"+hex.EncodeToString(sum[:16]), played); err != nil {
			return nil, userError(err)
		}
	}
	return ok()
}

// getNowPlaying lists what each client said it plays (stream or
// scrobble with submission=false) in the last hour.
func (h *Handler) getNowPlaying(c *call) (*Response, error) {
	u := h.userData()
	out := &NowPlaying{Entries: []NowPlayingEntry{}}
	for client, p := range h.np.recent(time.Hour) {
		t, err := h.lib.Track(p.trackID)
		if err != nil {
			continue
		}
		out.Entries = append(out.Entries, NowPlayingEntry{Child: u.song(&t), Username: Username,
			MinutesAgo: int(time.Since(p.since).Minutes()), PlayerName: client})
	}
	return &Response{NowPlaying: out}, nil
}

// starredAll returns every song, album and artist with a heart.
func (h *Handler) starredAll() (*Starred, error) {
	f, err := h.lib.Favourites()
	if err != nil && !errors.Is(err, player.ErrNoUserData) {
		return nil, err
	}
	u := h.userData()
	return &Starred{Artists: u.artists(f.Artists), Albums: u.albums(f.Albums), Songs: u.songs(f.Songs)}, nil
}
