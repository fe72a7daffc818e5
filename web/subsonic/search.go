package subsonic

import (
	"cmp"
	"strings"
)

// searchPage is one kind's page of a search: count items from offset.
type searchPage struct{ count, offset int }

// page reads kind's <kind>Count (default 20, at most 500) and
// <kind>Offset parameters.
func (c *call) page(kind string) (searchPage, error) {
	n, err1 := c.intParam(kind+"Count", 20, 0, maxListSize)
	off, err2 := c.intParam(kind+"Offset", 0, 0, 1<<31-1)
	return searchPage{n, off}, cmp.Or(err1, err2)
}

// window returns the page's part of a list of n items: [lo, hi).
func (p searchPage) window(n int) (lo, hi int) {
	lo = min(p.offset, n)
	return lo, lo + min(p.count, n-lo)
}

// search answers search2 and search3: artists, albums and songs matching
// query, each paged. An empty query, or one of only quotes and '*' (what
// Symfonium and DSub send to sync a whole library), lists everything in
// library order.
func (h *Handler) search(c *call) (*SearchResult, error) {
	ar, err1 := c.page("artist")
	al, err2 := c.page("album")
	so, err3 := c.page("song")
	if err := cmp.Or(err1, err2, err3); err != nil {
		return nil, err
	}
	q := strings.Trim(strings.TrimSpace(c.get("query")), `"*`)
	u := h.userData()
	res := &SearchResult{}
	if q == "" {
		artists := h.lib.Artists()
		lo, hi := ar.window(len(artists))
		res.Artists = u.artists(artists[lo:hi])
		albums := h.lib.Albums()
		lo, hi = al.window(len(albums))
		res.Albums = u.albums(albums[lo:hi])
		page, _ := h.lib.TracksPage(so.offset, so.count)
		res.Songs = u.songs(page)
		return res, nil
	}
	limit := max(ar.offset+ar.count, al.offset+al.count, so.offset+so.count)
	found := h.lib.SearchAll(q, limit)
	lo, hi := ar.window(len(found.Artists))
	res.Artists = u.artists(found.Artists[lo:hi])
	lo, hi = al.window(len(found.Albums))
	res.Albums = u.albums(found.Albums[lo:hi])
	lo, hi = so.window(len(found.Tracks))
	res.Songs = u.songs(found.Tracks[lo:hi])
	return res, nil
}

func (h *Handler) search2(c *call) (*Response, error) {
	r, err := h.search(c)
	if err != nil {
		return nil, err
	}
	return &Response{Search2: r}, nil
}

func (h *Handler) search3(c *call) (*Response, error) {
	r, err := h.search(c)
	if err != nil {
		return nil, err
	}
	return &Response{Search3: r}, nil
}
