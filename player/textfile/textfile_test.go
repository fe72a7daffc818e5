package textfile

import (
	"slices"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"utf-8", []byte("Sigur Rós"), "Sigur Rós"},
		{"utf-8 with BOM", []byte("\xEF\xBB\xBFSigur Rós"), "Sigur Rós"},
		{"latin-1", []byte("Sigur R\xF3s"), "Sigur Rós"},
		{"latin-1 high bytes", []byte("\xC9t\xE9 \xDF"), "Été ß"},
		{"utf-16le BOM", []byte("\xFF\xFEB\x00j\x00\xF6\x00r\x00k\x00"), "Björk"},
		{"utf-16be BOM", []byte("\xFE\xFF\x00B\x00j\x00\xF6\x00r\x00k"), "Björk"},
		{"empty", nil, ""},
	}
	for _, tc := range tests {
		if got := Decode(tc.in); got != tc.want {
			t.Errorf("%s: Decode(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestLines(t *testing.T) {
	got := Lines("a\r\nb\nc\rd")
	if want := []string{"a", "b", "c", "d"}; !slices.Equal(got, want) {
		t.Errorf("Lines = %q, want %q", got, want)
	}
}
