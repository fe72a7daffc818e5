package subsonic

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"earshot/player"
)

// maxListSize is the most items a list method answers at once.
const maxListSize = 500

// albumList answers getAlbumList and getAlbumList2: size (default 10, at
// most 500) albums from offset, of the given type: random, newest (by
// [player.Album.Added]), alphabeticalByName, alphabeticalByArtist,
// frequent, recent, highest (the albums apps rated, best first),
// starred, byYear (fromYear to toYear, descending when fromYear is the
// later) or byGenre (genre).
func (h *Handler) albumList(c *call) ([]Album, error) {
	typ, err := c.need("type")
	if err != nil {
		return nil, err
	}
	size, err := c.intParam("size", 10, 0, maxListSize)
	if err != nil {
		return nil, err
	}
	offset, err := c.intParam("offset", 0, 0, 1<<31-1)
	if err != nil {
		return nil, err
	}
	u := h.userData()
	all := h.lib.Albums()
	switch typ {
	case "random":
		rand.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		offset = 0
	case "newest":
		slices.SortStableFunc(all, func(a, b player.Album) int { return b.Added.Compare(a.Added) })
	case "alphabeticalByName":
		slices.SortStableFunc(all, func(a, b player.Album) int { return cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)) })
	case "alphabeticalByArtist":
		// Library order is by album artist, then title.
	case "frequent", "recent":
		all = h.playedAlbums(all, u, typ == "recent")
	case "highest":
		rating := func(a player.Album) int { return u.ratings[player.StarAlbum+"\x00"+a.ID] }
		all = slices.DeleteFunc(all, func(a player.Album) bool { return rating(a) == 0 })
		slices.SortStableFunc(all, func(a, b player.Album) int { return rating(b) - rating(a) })
	case "starred":
		all = slices.DeleteFunc(all, func(a player.Album) bool { return u.starred(player.StarAlbum, a.ID) == "" })
	case "byYear":
		from, err1 := c.intParam("fromYear", 0, 0, 9999)
		to, err2 := c.intParam("toYear", 9999, 0, 9999)
		if err := cmp.Or(err1, err2); err != nil {
			return nil, err
		}
		lo, hi := min(from, to), max(from, to)
		all = slices.DeleteFunc(all, func(a player.Album) bool { return a.Year < lo || a.Year > hi })
		if from > to {
			slices.SortStableFunc(all, func(a, b player.Album) int { return b.Year - a.Year })
		} else {
			slices.SortStableFunc(all, func(a, b player.Album) int { return a.Year - b.Year })
		}
	case "byGenre":
		genre, err := c.need("genre")
		if err != nil {
			return nil, err
		}
		g, err := h.lib.Genre(player.GenreID(genre))
		if err != nil {
			all = nil
		} else {
			all = g.Albums
		}
	default:
		return nil, apiErr(CodeGeneric, "unknown album list type: "+typ)
	}
	all = all[min(offset, len(all)):]
	return u.albums(all[:min(size, len(all))]), nil
}

// playedAlbums returns the albums with a played track, most played first
// or, when recent, most recently played first.
func (h *Handler) playedAlbums(all []player.Album, u userView, recent bool) []player.Album {
	count, last := map[string]int{}, map[string]time.Time{}
	for id, p := range u.plays {
		t, err := h.lib.Track(id)
		if err != nil {
			continue
		}
		a := player.AlbumID(albumArtist(&t), t.Album)
		count[a] += p.Count
		if p.LastPlayed.After(last[a]) {
			last[a] = p.LastPlayed
		}
	}
	all = slices.DeleteFunc(all, func(a player.Album) bool { return count[a.ID] == 0 })
	slices.SortStableFunc(all, func(a, b player.Album) int {
		if recent {
			return last[b.ID].Compare(last[a.ID])
		}
		return count[b.ID] - count[a.ID]
	})
	return all
}

func (h *Handler) getAlbumList(c *call) (*Response, error) {
	as, err := h.albumList(c)
	if err != nil {
		return nil, err
	}
	return &Response{AlbumList: &AlbumList{Albums: as}}, nil
}

func (h *Handler) getAlbumList2(c *call) (*Response, error) {
	as, err := h.albumList(c)
	if err != nil {
		return nil, err
	}
	return &Response{AlbumList2: &AlbumList2{Albums: as}}, nil
}

// getRandomSongs answers size (default 10, at most 500) random songs,
// of genre and from fromYear to toYear when given.
func (h *Handler) getRandomSongs(c *call) (*Response, error) {
	size, err := c.intParam("size", 10, 0, maxListSize)
	if err != nil {
		return nil, err
	}
	from, err1 := c.intParam("fromYear", 0, 0, 9999)
	to, err2 := c.intParam("toYear", 9999, 0, 9999)
	if err := cmp.Or(err1, err2); err != nil {
		return nil, err
	}
	genre := strings.TrimSpace(c.get("genre"))
	seq, _ := h.lib.TracksSeq(0, 1<<31-1)
	var pool []player.Track
	for t := range seq {
		if t.Year >= from && t.Year <= to || !c.has("fromYear") && !c.has("toYear") {
			if genre == "" || strings.EqualFold(strings.TrimSpace(t.Genre), genre) {
				pool = append(pool, t)
			}
		}
	}
	rand.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return &Response{RandomSongs: &Songs{Songs: h.userData().songs(pool[:min(size, len(pool))])}}, nil
}

// getSongsByGenre answers count (default 10, at most 500) songs of genre
// from offset, in library order.
func (h *Handler) getSongsByGenre(c *call) (*Response, error) {
	genre, err := c.need("genre")
	if err != nil {
		return nil, err
	}
	count, err1 := c.intParam("count", 10, 0, maxListSize)
	offset, err2 := c.intParam("offset", 0, 0, 1<<31-1)
	if err := cmp.Or(err1, err2); err != nil {
		return nil, err
	}
	genre = strings.TrimSpace(genre)
	seq, _ := h.lib.TracksSeq(0, 1<<31-1)
	var out []player.Track
	for t := range seq {
		if len(out) == count {
			break
		}
		if strings.EqualFold(strings.TrimSpace(t.Genre), genre) {
			if offset > 0 {
				offset--
				continue
			}
			out = append(out, t)
		}
	}
	return &Response{SongsByGenre: &Songs{Songs: h.userData().songs(out)}}, nil
}
