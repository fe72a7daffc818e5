package subsonic

import (
	"net/url"
	"strconv"
	"strings"
)

// The sizes, in pixels, of the image URLs getArtistInfo2 and
// getAlbumInfo2 answer: the page's two thumbnail sizes
// ([player.ThumbnailSizes]) for small and medium, the cover as it is for
// large.
const (
	smallImage  = 96
	mediumImage = 300
)

// imageURLs returns the URLs of getCoverArt for id at the small, medium
// and large sizes, absolute and on the host and path c came by, with c's
// own credentials: the apps fetch these URLs as they are, and getCoverArt
// needs a login like every method.
func imageURLs(c *call, id string) (small, medium, large string) {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	dir := c.r.URL.Path[:strings.LastIndexByte(c.r.URL.Path, '/')+1]
	q := url.Values{"id": {id}}
	for _, k := range []string{"u", "p", "t", "s", "apiKey", "v", "c"} { // credentials and client
		if v := c.get(k); v != "" {
			q.Set(k, v)
		}
	}
	at := func(size int) string {
		if size > 0 {
			q.Set("size", strconv.Itoa(size))
		} else {
			q.Del("size")
		}
		u := url.URL{Scheme: scheme, Host: c.r.Host, Path: dir + "getCoverArt", RawQuery: q.Encode()}
		return u.String()
	}
	return at(smallImage), at(mediumImage), at(0)
}

// getArtistInfo2 answers what Earshot knows of an artist beyond its
// albums: the URLs of its cover (that of its first album with one) at
// three sizes. It fetches nothing from the internet, so there is no
// biography and no similar artist.
func (h *Handler) getArtistInfo2(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	if _, err := h.lib.Artist(id); err != nil {
		return nil, notFound(err, "artist")
	}
	info := &ArtistInfo{}
	if h.coverTrack(id) != "" {
		info.SmallImageURL, info.MediumImageURL, info.LargeImageURL = imageURLs(c, id)
	}
	return &Response{ArtistInfo2: info}, nil
}

// getAlbumInfo2 answers the URLs of an album's cover at three sizes, and
// no notes (Earshot fetches nothing from the internet).
func (h *Handler) getAlbumInfo2(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	a, err := h.lib.Album(id)
	if err != nil {
		return nil, notFound(err, "album")
	}
	info := &AlbumInfo{}
	if a.CoverTrack != "" {
		info.SmallImageURL, info.MediumImageURL, info.LargeImageURL = imageURLs(c, id)
	}
	return &Response{AlbumInfo: info}, nil
}
