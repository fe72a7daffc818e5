package subsonic

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/player"
)

// endpointCase is one call of an implemented method.
type endpointCase struct {
	method string
	params []string // key, value, …
	// want is a string the JSON answer must hold (an ID, a name).
	want string
}

// endpointCases returns a call of every data method Earshot implements,
// on f's library.
func endpointCases(f *fixture) []endpointCase {
	albums, artists := f.lib.Albums(), f.lib.Artists()
	gold := albums[slices.IndexFunc(albums, func(a player.Album) bool { return a.Title == "Gold" })]
	beck := artists[slices.IndexFunc(artists, func(a player.Artist) bool { return a.Name == "Beck" })]
	song := f.lib.Search("Waterloo")[0]
	cases := []endpointCase{
		{"ping", nil, `"status":"ok"`},
		{"getLicense", nil, `"valid":true`},
		{"getOpenSubsonicExtensions", nil, "apiKeyAuthentication"},
		{"getMusicFolders", nil, `"id":1`},
		{"getUser", []string{"username", "earshot"}, `"streamRole":true`},
		{"getScanStatus", nil, `"count":5`},
		{"startScan", nil, `"count":5`},
		{"getIndexes", nil, `"name":"Abba"`},
		{"getIndexes", nil, `"lastModified":` + strconv.FormatInt(newest(f.lib.Tracks()).UnixMilli(), 10)},
		{"getMusicDirectory", []string{"id", "d:Abba/Gold"}, song.ID},
		{"getMusicDirectory", []string{"id", gold.ID}, song.ID},
		{"getMusicDirectory", []string{"id", beck.ID}, "Odelay"},
		{"getArtists", nil, beck.ID},
		{"getArtist", []string{"id", beck.ID}, "Sea Change"},
		{"getAlbum", []string{"id", gold.ID}, song.ID},
		{"getSong", []string{"id", song.ID}, "Waterloo"},
		{"getGenres", nil, `"value":"Rock"`},
		{"getArtistInfo2", []string{"id", beck.ID}, "artistInfo2"},
		{"getArtistInfo2", []string{"id", gold.ArtistID}, "smallImageUrl"},
		{"getAlbumInfo2", []string{"id", gold.ID}, "largeImageUrl"},
		{"getRandomSongs", []string{"size", "3"}, "randomSongs"},
		{"getSongsByGenre", []string{"genre", "rock"}, "Devils Haircut"},
		{"search2", []string{"query", "water"}, song.ID},
		{"search3", []string{"query", "water"}, song.ID},
		{"search3", []string{"query", `""`, "songCount", "500"}, "The Golden Age"},
	}
	pl, _ := f.lib.Playlists()
	cases = append(cases,
		endpointCase{"getLyricsBySongId", []string{"id", song.ID}, `"start":500`},
		endpointCase{"getLyrics", []string{"artist", "abba", "title", "waterloo"}, "Napoleon did surrender"},
		endpointCase{"star", []string{"id", song.ID, "albumId", gold.ID}, `"status":"ok"`},
		endpointCase{"getStarred", nil, song.ID},
		endpointCase{"getStarred2", nil, gold.ID},
		endpointCase{"unstar", []string{"albumId", gold.ID}, `"status":"ok"`},
		endpointCase{"setRating", []string{"id", song.ID, "rating", "4"}, `"status":"ok"`},
		endpointCase{"setRating", []string{"id", gold.ID, "rating", "2"}, `"status":"ok"`},
		endpointCase{"getSong", []string{"id", song.ID}, `"userRating":4`},
		endpointCase{"getAlbum", []string{"id", gold.ID}, `"userRating":2`},
		endpointCase{"scrobble", []string{"id", song.ID, "submission", "false"}, `"status":"ok"`},
		endpointCase{"getNowPlaying", nil, song.ID},
		endpointCase{"scrobble", []string{"id", song.ID, "time", "1700000000000"}, `"status":"ok"`},
		endpointCase{"getPlaylists", nil, pl[0].ID},
		endpointCase{"getPlaylist", []string{"id", pl[0].ID}, song.ID},
		endpointCase{"createPlaylist", []string{"name", "Road", "songId", song.ID}, `"name":"Road"`},
		endpointCase{"updatePlaylist", []string{"playlistId", pl[0].ID, "songIdToAdd", song.ID, "songIndexToRemove", "0"}, `"status":"ok"`},
		endpointCase{"savePlayQueue", []string{"id", song.ID, "current", song.ID, "position", "1500"}, `"status":"ok"`},
		endpointCase{"getPlayQueue", nil, `"position":1500`},
		endpointCase{"getBookmarks", nil, "bookmarks"},
		endpointCase{"download", []string{"id", song.ID}, "download " + song.ID},
		endpointCase{"stream", []string{"id", song.ID}, "stream " + song.ID},
		endpointCase{"getCoverArt", []string{"id", song.ID}, "cover " + song.ID + " 0"},
	)
	for _, typ := range []string{"random", "newest", "highest", "frequent", "recent", "alphabeticalByName",
		"alphabeticalByArtist", "starred", "byYear", "byGenre"} {
		cases = append(cases,
			endpointCase{"getAlbumList", []string{"type", typ, "fromYear", "1990", "toYear", "2000", "genre", "Pop"}, "albumList"},
			endpointCase{"getAlbumList2", []string{"type", typ, "fromYear", "1990", "toYear", "2000", "genre", "Pop"}, "albumList2"})
	}
	return cases
}

// binary are the methods that answer with media, not a response.
var binary = map[string]bool{"stream": true, "download": true, "getCoverArt": true}

// TestEndpointsMatchSchemas calls every implemented method on a generated
// library and checks the JSON answer against the method's OpenAPI schema
// and the XML answer for well-formedness, the Subsonic namespace, status
// ok and the same IDs as the JSON one.
func TestEndpointsMatchSchemas(t *testing.T) {
	f := newFixture(t)
	song := f.lib.Search("Waterloo")[0]
	if err := f.lib.SetStar(player.StarSong, song.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.lib.RecordPlay(song.ID, "listen-1", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := f.lib.CreatePlaylist("Mix", []string{song.ID, f.lib.Search("Devils")[0].ID}); err != nil {
		t.Fatal(err)
	}
	s := &schemas{files: map[string]map[string]any{}}
	for _, tc := range endpointCases(f) {
		if binary[tc.method] {
			if got := f.call(tc.method, f.with(tc.params...), "json").Body.String(); got != tc.want {
				t.Errorf("%s: served %q, want %q", tc.method, got, tc.want)
			}
			continue
		}
		name := tc.method + fmt.Sprint(tc.params)
		rec := f.call(tc.method, f.with(tc.params...), "json")
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s; want 200 holding %q", name, rec.Code, body, tc.want)
			continue
		}
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		sch, file := s.responseSchema(t, tc.method)
		if errs := s.validate(t, v, sch, file, "$"); len(errs) > 0 {
			t.Errorf("%s: JSON breaks its schema:\n%s\n%s", name, strings.Join(errs, "\n"), body)
		}
		if r := v.(map[string]any)["subsonic-response"].(map[string]any); r["status"] != "ok" {
			t.Errorf("%s: status %v", name, r["status"])
		}
		jsonIDs := collectJSONIDs(v, nil)
		xmlRec := f.call(tc.method, f.with(tc.params...), "")
		xmlIDs, err := checkXML(xmlRec.Body)
		if err != nil {
			t.Errorf("%s: XML: %v\n%s", name, err, xmlRec.Body)
			continue
		}
		if tc.method != "getRandomSongs" && tc.method != "createPlaylist" && !(strings.Contains(name, "random") && strings.HasPrefix(tc.method, "getAlbumList")) &&
			!slices.Equal(jsonIDs, xmlIDs) {
			t.Errorf("%s: XML IDs %v, JSON IDs %v", name, xmlIDs, jsonIDs)
		}
	}
}

// collectJSONIDs returns the sorted "id" values anywhere in v.
func collectJSONIDs(v any, ids []string) []string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "id" {
				ids = append(ids, fmt.Sprint(e))
			} else {
				ids = collectJSONIDs(e, ids)
			}
		}
	case []any:
		for _, e := range x {
			ids = collectJSONIDs(e, ids)
		}
	}
	sort.Strings(ids)
	return ids
}

// checkXML parses an XML answer: its root must be subsonic-response in
// the Subsonic namespace with status ok and the common attributes. It
// returns the sorted id attributes of every element.
func checkXML(r io.Reader) ([]string, error) {
	d := xml.NewDecoder(r)
	var ids []string
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attrs := map[string]string{}
		for _, a := range se.Attr {
			attrs[a.Name.Local] = a.Value
		}
		if root {
			root = false
			if se.Name.Space != "http://subsonic.org/restapi" || se.Name.Local != "subsonic-response" {
				return nil, fmt.Errorf("root %v", se.Name)
			}
			if attrs["status"] != "ok" || attrs["version"] != APIVersion || attrs["type"] != ServerType || attrs["openSubsonic"] != "true" {
				return nil, fmt.Errorf("root attributes %v", attrs)
			}
		} else if se.Name.Space != "http://subsonic.org/restapi" {
			return nil, fmt.Errorf("element %v outside the namespace", se.Name)
		}
		if id, ok := attrs["id"]; ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// newest returns the newest modification time of tracks.
func newest(tracks []player.Track) time.Time {
	var t time.Time
	for _, tr := range tracks {
		if tr.ModTime.After(t) {
			t = tr.ModTime
		}
	}
	return t
}
