package playlistfile

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseM3U(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           Playlist
	}{
		{"extended m3u8", "a.m3u8", "#EXTM3U\n#PLAYLIST:Road trip\n#EXTINF:123,Björk - Jóga\nBjörk/Homogenic/03 Jóga.flac\n\n#EXTINF:-1,Radio\nhttp://radio.example/stream\nloose.mp3\n",
			Playlist{Title: "Road trip", Entries: []Entry{{"Björk/Homogenic/03 Jóga.flac", "Björk - Jóga", 123}, {"loose.mp3", "", 0}}}},
		{"windows latin-1 crlf", "b.m3u", "#EXTM3U\r\n#EXTINF:61.5 tvg-id=\"x\",Gl\xf3s\xf3li\r\n..\\Sigur R\xf3s\\Takk\\Gl\xf3s\xf3li.mp3\r\nC:\\Music\\x.mp3\r\n",
			Playlist{Entries: []Entry{{"../Sigur Rós/Takk/Glósóli.mp3", "Glósóli", 61.5}, {"C:/Music/x.mp3", "", 0}}}},
		{"bom plain m3u", "c.m3u", "\xEF\xBB\xBFone.mp3\n# a comment\ntwo.mp3\n",
			Playlist{Entries: []Entry{{"one.mp3", "", 0}, {"two.mp3", "", 0}}}},
		{"file urls", "d.m3u8", "file:///home/me/Music/a%20b.mp3\nfile:///C:/Music/c.mp3\nfile://server/share/x.mp3\nrtsp://x/y\n",
			Playlist{Entries: []Entry{{"/home/me/Music/a b.mp3", "", 0}, {"C:/Music/c.mp3", "", 0}}}},
		{"pls", "e.pls", "[playlist]\r\nNumberOfEntries=3\r\nFile2=sub\\two.ogg\r\nTitle2=Two\r\nLength2=20\r\nFile1=one.ogg\r\nTitle1=One\r\nLength1=-1\r\nFile3=http://stream.example/\r\nVersion=2\r\n",
			Playlist{Entries: []Entry{{"one.ogg", "One", 0}, {"sub/two.ogg", "Two", 20}}}},
		{"pls latin-1", "f.PLS", "[playlist]\nfile1=Caf\xe9.mp3\ntitle1=Caf\xe9\n",
			Playlist{Entries: []Entry{{"Café.mp3", "Café", 0}}}},
	}
	for _, tc := range tests {
		got, err := Parse(tc.file, []byte(tc.in))
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Parse = %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

func TestIs(t *testing.T) {
	for name, want := range map[string]bool{"a.m3u": true, "b.M3U8": true, "c.pls": true, "d.txt": false, "m3u": false} {
		if Is(name) != want {
			t.Errorf("Is(%q) = %v, want %v", name, !want, want)
		}
	}
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		p, dir, root string
		want         []string
	}{
		{"a/b.mp3", "Lists", "/home/me/Music", []string{"Lists/a/b.mp3"}},
		{"../Album/b.mp3", "Lists", "", []string{"Album/b.mp3"}},
		{"../../outside.mp3", "Lists", "", nil},
		{"/home/me/Music/A/b.mp3", ".", "/home/me/Music", []string{"A/b.mp3"}},
		{"/mnt/old/Music/A/b.mp3", ".", "/home/me/Music", []string{"mnt/old/Music/A/b.mp3", "old/Music/A/b.mp3", "Music/A/b.mp3", "A/b.mp3", "b.mp3"}},
		{"D:/Music/A/b.mp3", "x", "", []string{"Music/A/b.mp3", "A/b.mp3", "b.mp3"}},
	}
	for _, tc := range tests {
		if got := Candidates(tc.p, tc.dir, tc.root); !slices.Equal(got, tc.want) {
			t.Errorf("Candidates(%q, %q, %q) = %q, want %q", tc.p, tc.dir, tc.root, got, tc.want)
		}
	}
}

func TestLimits(t *testing.T) {
	if _, err := Parse("a.m3u", make([]byte, 1<<20+1)); err != ErrTooLarge {
		t.Errorf("oversized file: %v, want ErrTooLarge", err)
	}
	big := strings.Repeat("x.mp3\n", MaxEntries+5)
	if p, _ := Parse("a.m3u", []byte(big)); len(p.Entries) != MaxEntries {
		t.Errorf("%d entries, want %d", len(p.Entries), MaxEntries)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("a.m3u8", []byte("#EXTM3U\n#EXTINF:123,Title\nA\\b.mp3\nhttp://x\n"))
	f.Add("a.pls", []byte("[playlist]\nFile1=a.mp3\nTitle1=A\nLength1=12\n"))
	f.Add("a.m3u", []byte("file:///C:/x%zz.mp3\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		p, err := Parse(name, data)
		if err != nil {
			return
		}
		if len(p.Entries) > MaxEntries {
			t.Fatalf("%d entries", len(p.Entries))
		}
		for _, e := range p.Entries {
			if e.Duration < 0 || strings.Contains(e.Path, `\`) {
				t.Fatalf("bad entry %+v", e)
			}
			for _, c := range Candidates(e.Path, "dir", "/root") {
				if strings.HasPrefix(c, "../") || c == ".." || strings.HasPrefix(c, "/") && !strings.HasPrefix(e.Path, "/") {
					t.Fatalf("candidate %q of %q leaves the library", c, e.Path)
				}
			}
		}
	})
}
