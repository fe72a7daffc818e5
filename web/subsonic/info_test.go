package subsonic

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"earshot/player"
)

// TestInfoImageURLs checks getAlbumInfo2's and getArtistInfo2's image
// URLs: each is getCoverArt on the request's host with the caller's
// credentials, and fetching it serves the cover at 96 px, 300 px and as
// it is. An artist without covers has none; unknown IDs are error 70.
func TestInfoImageURLs(t *testing.T) {
	f := newFixture(t)
	albums := f.lib.Albums()
	gold := albums[slices.IndexFunc(albums, func(a player.Album) bool { return a.Title == "Gold" })]
	for _, tc := range []struct{ method, id, key string }{
		{"getAlbumInfo2", gold.ID, "albumInfo"}, {"getArtistInfo2", gold.ArtistID, "artistInfo2"},
	} {
		var v struct {
			R map[string]map[string]string `json:"subsonic-response"`
		}
		body := f.call(tc.method, f.with("id", tc.id), "json").Body.Bytes()
		json.Unmarshal(body, &v)
		info := v.R[tc.key]
		for field, want := range map[string]string{"smallImageUrl": "96", "mediumImageUrl": "300", "largeImageUrl": "0"} {
			u, err := url.Parse(info[field])
			if err != nil || u.Scheme != "http" || u.Host != "example.com" || u.Path != "/rest/getCoverArt" ||
				u.Query().Get("p") != f.pw.Password || u.Query().Get("id") != tc.id {
				t.Errorf("%s %s = %q, want getCoverArt of %s on the request's host with its login", tc.method, field, info[field], tc.id)
				continue
			}
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u.String(), nil))
			if got := rec.Body.String(); got != "cover "+gold.CoverTrack+" "+want {
				t.Errorf("%s %s serves %q, want the cover at size %s", tc.method, field, got, want)
			}
		}
	}
	beck := player.ArtistID("Beck")
	body := f.call("getArtistInfo2", f.with("id", beck), "json").Body.Bytes()
	var v struct {
		R struct{ ArtistInfo2 map[string]any } `json:"subsonic-response"`
	}
	if _, code := answer(t, body); code != -1 || json.Unmarshal(body, &v) != nil || v.R.ArtistInfo2 == nil ||
		len(v.R.ArtistInfo2) != 0 {
		t.Errorf("getArtistInfo2 of an artist without covers: %s", body)
	}
	for _, m := range []string{"getArtistInfo2", "getAlbumInfo2"} {
		if _, code := answer(t, f.call(m, f.with("id", "nosuchid"), "json").Body.Bytes()); code != CodeNotFound {
			t.Errorf("%s of an unknown ID: code %d, want 70", m, code)
		}
	}
}
