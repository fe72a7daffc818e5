package lyrics

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestParseLRC(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Lyrics
	}{
		{"synced", "[ar:Someone]\n[ti:Song]\n[00:01.50]First\n[00:03.25] Second \n", Lyrics{Synced: true, Lines: []Line{{1.5, "First"}, {3.25, "Second"}}}},
		{"several tags", "[00:10.00][00:30.00]Chorus\n[00:20.00]Verse\n", Lyrics{Synced: true, Lines: []Line{{10, "Chorus"}, {20, "Verse"}, {30, "Chorus"}}}},
		{"positive offset", "[offset:+500]\n[00:01.00]A\n[00:00.20]B\n", Lyrics{Synced: true, Lines: []Line{{0, "B"}, {0.5, "A"}}}},
		{"negative offset", "[offset:-250]\n[00:01.00]A\n", Lyrics{Synced: true, Lines: []Line{{1.25, "A"}}}},
		{"formats", "[01:02]a\n[01:02.5]b\n[01:02.123]c\n[01:02:50]d\n", Lyrics{Synced: true, Lines: []Line{{62, "a"}, {62.123, "c"}, {62.5, "b"}, {62.5, "d"}}}},
		{"word tags", "[00:01.00]<00:01.00>Hel<00:01.50>lo\n", Lyrics{Synced: true, Lines: []Line{{1, "Hello"}}}},
		{"gap", "[00:01.00]A\n[00:02.00]\n", Lyrics{Synced: true, Lines: []Line{{1, "A"}, {2, ""}}}},
		{"plain", "\nFirst line  \nSecond\n\n", Lyrics{Text: "First line\nSecond"}},
		{"latin-1", "[00:01.00]Gl\xf3s\xf3li\n", Lyrics{Synced: true, Lines: []Line{{1, "Glósóli"}}}},
		{"bom crlf", "\xEF\xBB\xBF[00:01.00]A\r\n[00:02.00]B\r\n", Lyrics{Synced: true, Lines: []Line{{1, "A"}, {2, "B"}}}},
	}
	for _, tc := range tests {
		got, err := ParseLRC([]byte(tc.in))
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: ParseLRC(%q) = %+v, %v; want %+v", tc.name, tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "  \n\n", "[ar:Only tags]\n[ti:x]\n"} {
		if _, err := ParseLRC([]byte(in)); !errors.Is(err, ErrNoLyrics) {
			t.Errorf("ParseLRC(%q) = %v, want ErrNoLyrics", in, err)
		}
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		in   Lyrics
		want string
	}{
		{Lyrics{Synced: true, Lines: []Line{{1.5, "A"}}}, `{"synced":true,"lines":[{"time":1.5,"text":"A"}]}`},
		{Lyrics{Text: "A\nB"}, `{"synced":false,"text":"A\nB"}`},
	}
	for _, tc := range tests {
		b, _ := json.Marshal(tc.in)
		if string(b) != tc.want {
			t.Errorf("json %s, want %s", b, tc.want)
		}
	}
}

// sylt builds a SYLT frame body with millisecond times (format 2).
func sylt(enc byte, items ...any) []byte {
	b := []byte{enc, 'e', 'n', 'g', 2, 1}
	term := []byte{0}
	if enc == 1 || enc == 2 {
		term = []byte{0, 0}
	}
	b = append(b, term...) // empty descriptor
	for i := 0; i < len(items); i += 2 {
		b = append(b, items[i].([]byte)...)
		b = append(b, term...)
		b = binary.BigEndian.AppendUint32(b, uint32(items[i+1].(int)))
	}
	return b
}

func TestParseSYLT(t *testing.T) {
	utf16be := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r>>8), byte(r))
		}
		return b
	}
	tests := []struct {
		name  string
		frame []byte
		want  Lyrics
	}{
		{"latin-1 lines", sylt(0, []byte("B\xe9b\xe9"), 2000, []byte("\nSecond"), 4500), Lyrics{Synced: true, Lines: []Line{{2, "Bébé"}, {4.5, "Second"}}}},
		{"utf-8 syllables", sylt(3, []byte("Hel"), 1000, []byte("lo"), 1200, []byte("\nBye"), 3000), Lyrics{Synced: true, Lines: []Line{{1, "Hello"}, {3, "Bye"}}}},
		{"utf-16be", sylt(2, utf16be("Jóga"), 500), Lyrics{Synced: true, Lines: []Line{{0.5, "Jóga"}}}},
		{"utf-16 bom", sylt(1, append([]byte{0xFF, 0xFE}, 'O', 0, 'k', 0), 100), Lyrics{Synced: true, Lines: []Line{{0.1, "Ok"}}}},
	}
	for _, tc := range tests {
		got, err := ParseSYLT(tc.frame)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: ParseSYLT = %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
	frames := sylt(0, []byte("x"), 1)
	frames[4] = 1 // MPEG frame times
	for _, f := range [][]byte{nil, {0, 'e'}, frames, sylt(0)} {
		if _, err := ParseSYLT(f); !errors.Is(err, ErrNoLyrics) {
			t.Errorf("ParseSYLT(%q) = %v, want ErrNoLyrics", f, err)
		}
	}
}

func FuzzParseLRC(f *testing.F) {
	f.Add([]byte("[offset:+500]\n[00:10.00][00:30.00]Chorus\n[00:20.00]<00:20.50>Verse\n"))
	f.Add([]byte("plain\ntext"))
	f.Add(sylt(1, []byte{0xFF, 0xFE, 'a', 0}, 5))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (Lyrics, error){ParseLRC, ParseSYLT} {
			l, err := parse(data)
			if err != nil {
				continue
			}
			if l.Synced != (len(l.Lines) > 0) || (!l.Synced && l.Text == "") || len(l.Lines) > MaxLines {
				t.Fatalf("inconsistent lyrics %+v", l)
			}
			for i, line := range l.Lines {
				if line.Time < 0 || (i > 0 && line.Time < l.Lines[i-1].Time) {
					t.Fatalf("line %d at %v out of order or negative", i, line.Time)
				}
			}
		}
	})
}
