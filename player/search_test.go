package player_test

import (
	"slices"
	"testing"

	"earshot/player"
)

func TestSearchFoldsAndMatchesInsideWords(t *testing.T) {
	lib := browseLibrary(t)
	tests := []struct {
		q    string
		want []string
	}{
		{"beyonce", []string{"Pray You Catch Me", "Hold Up", "Crazy in Love"}},
		{"BEYONCÉ", []string{"Pray You Catch Me", "Hold Up", "Crazy in Love"}},
		{"Beyonce\u0301", []string{"Pray You Catch Me", "Hold Up", "Crazy in Love"}}, // decomposed é
		{"sigur ros", []string{"Takk...", "Glósóli", "Sé lest"}},
		{"sig ro", []string{"Takk...", "Glósóli", "Sé lest"}},
		{"ros sig", []string{"Takk...", "Glósóli", "Sé lest"}},
		{"bj", []string{"Hunter", "Jóga"}},
		{"joga", []string{"Jóga"}},
		{"strasse", []string{"Straße"}},
		{"STRAßE", []string{"Straße"}},
		{"  hold,   UP!  ", []string{"Hold Up"}},
		{"hits", []string{"One", "Two", "Crazy in Love", "Jóga", "Straße"}},
		{"various kraft", []string{"Straße"}},
		// Title matches first: title starts with the query, then every word
		// in the title, then the rest, then matches inside words only, each
		// in library order.
		{"takk", []string{"Takk...", "Glósóli", "Sé lest"}},
		{"l", []string{"loose", "Sé lest", "Crazy in Love", "Pray You Catch Me", "Hold Up", "One", "Hunter", "Glósóli"}},
		{"love crazy", []string{"Crazy in Love"}},
		{"ros", []string{"Takk...", "Glósóli", "Sé lest"}},
		{"os", []string{"Takk...", "Glósóli", "Sé lest", "loose"}}, // inside "Rós", "Glósóli", "loose"
		{"rock", []string{"Sé lest"}},                              // genre "Post-Rock"
		{"2016", []string{"Pray You Catch Me", "Hold Up"}},
		{"sigurros", nil},
		{"beyonce bjork", nil},
		{"xyz", nil},
	}
	for _, tc := range tests {
		if got := titles(lib.Search(tc.q)); !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestSearchAll(t *testing.T) {
	lib := browseLibrary(t)
	tests := []struct {
		q                       string
		limit                   int
		tracks, albums, artists []string
	}{
		{"bj", 0, []string{"Hunter", "Jóga"}, []string{"Björk — Homogenic"}, []string{"Björk"}},
		{"beyonce", 0, []string{"Pray You Catch Me", "Hold Up", "Crazy in Love"}, []string{"Beyoncé — Lemonade"}, []string{"Beyoncé"}},
		// "Hits" starts with the query, so it comes before both "Greatest Hits".
		{"hits", 0, []string{"One", "Two", "Crazy in Love", "Jóga", "Straße"},
			[]string{"Various Artists — Hits", "Alpha — Greatest Hits", "Beta — Greatest Hits"}, nil},
		{"hits", 1, []string{"One"}, []string{"Various Artists — Hits"}, nil},
		{"various", 0, []string{"Crazy in Love", "Jóga", "Straße"}, []string{"Various Artists — Hits"}, []string{"Various Artists"}},
		{"b", 2, []string{"Two", "Pray You Catch Me"}, []string{"Beta — Greatest Hits", "Beyoncé — Lemonade"}, []string{"Beta", "Beyoncé"}},
		{"", 1, []string{"One"}, []string{"Alpha — Greatest Hits"}, []string{"Alpha"}},
		{"nothing", 0, nil, nil, nil},
		// Inside words, ranked after the matches at a word's start.
		{"os", 0, []string{"Takk...", "Glósóli", "Sé lest", "loose"}, []string{"Sigur Rós — Takk..."},
			[]string{"Sigur Rós"}},
		{"ONCÉ", 0, []string{"Pray You Catch Me", "Hold Up", "Crazy in Love"}, []string{"Beyoncé — Lemonade"}, []string{"Beyoncé"}},
		{"l", 2, []string{"loose", "Sé lest"}, []string{"Beyoncé — Lemonade", "Alpha — Greatest Hits"}, []string{"Alpha"}},
		// Genre and year, of tracks and albums.
		{"rock", 0, []string{"Sé lest"}, []string{"Sigur Rós — Takk..."}, nil},
		{"electro", 0, []string{"Hunter"}, []string{"Björk — Homogenic"}, nil},
		{"1997 bj", 0, []string{"Hunter"}, []string{"Björk — Homogenic"}, nil},
		{"tron", 0, []string{"Hunter"}, []string{"Björk — Homogenic"}, nil},
	}
	for _, tc := range tests {
		res := lib.SearchAll(tc.q, tc.limit)
		if res.Tracks == nil || res.Albums == nil || res.Artists == nil {
			t.Errorf("SearchAll(%q, %d) has a nil slice: %+v", tc.q, tc.limit, res)
		}
		var artists []string
		for _, a := range res.Artists {
			artists = append(artists, a.Name)
		}
		if got := titles(res.Tracks); !slices.Equal(got, tc.tracks) {
			t.Errorf("SearchAll(%q, %d).Tracks = %q, want %q", tc.q, tc.limit, got, tc.tracks)
		}
		if got := albumTitles(res.Albums); !slices.Equal(got, tc.albums) {
			t.Errorf("SearchAll(%q, %d).Albums = %q, want %q", tc.q, tc.limit, got, tc.albums)
		}
		if !slices.Equal(artists, tc.artists) {
			t.Errorf("SearchAll(%q, %d).Artists = %q, want %q", tc.q, tc.limit, artists, tc.artists)
		}
	}
	empty := player.New(player.Options{}).SearchAll("x", 10)
	if empty.Tracks == nil || empty.Albums == nil || empty.Artists == nil {
		t.Errorf("empty library: SearchAll = %+v, want empty slices", empty)
	}
}
