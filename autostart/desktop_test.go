package autostart

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestDesktopExec(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"/usr/bin/earshot", "-login"}, `/usr/bin/earshot -login`},
		{[]string{"/opt/My Apps/earshot", "-login"}, `"/opt/My Apps/earshot" -login`},
		{[]string{"/x/earshot", "say \"hi\""}, `/x/earshot "say \\"hi\\""`},
		{[]string{"/x/earshot", `back\slash`}, `/x/earshot "back\\\\slash"`},
		{[]string{"/x/earshot", "$HOME", "`id`"}, `/x/earshot "\\$HOME" "\\` + "`id\\\\`" + `"`},
		{[]string{"/x/earshot", "100%", "%u"}, `/x/earshot 100%% %%u`},
		{[]string{"/x/50% off/earshot"}, `"/x/50%% off/earshot"`},
		{[]string{"/x/earshot", ""}, `/x/earshot ""`},
		{[]string{"/x/earshot", "it's", "a;b", "~", "x>y"}, `/x/earshot "it's" "a;b" "~" "x>y"`},
		{[]string{"/x/earshot", "two\nlines", "a\tb"}, `/x/earshot "two\nlines" "a\tb"`},
		{[]string{"/x/earshot", "key=value", "é"}, `/x/earshot key=value é`},
	}
	for _, tc := range tests {
		got, err := desktopExec(tc.argv)
		if err != nil || got != tc.want {
			t.Errorf("desktopExec(%q) = %q, %v, want %q", tc.argv, got, err, tc.want)
			continue
		}
		back, err := parseExec(got)
		if err != nil || !slices.Equal(back, tc.argv) {
			t.Errorf("parseExec(%q) = %q, %v, want %q back", got, back, err, tc.argv)
		}
	}
}

func TestDesktopExecInvalid(t *testing.T) {
	for _, argv := range [][]string{nil, {""}, {"/x/a=b/earshot"}} {
		if got, err := desktopExec(argv); !errors.Is(err, ErrInvalid) {
			t.Errorf("desktopExec(%q) = %q, %v, want ErrInvalid", argv, got, err)
		}
	}
}

func TestDesktopEntry(t *testing.T) {
	e := Entry{Name: "Earshot", Comment: "Your music in every browser", Icon: "io.earshot.app",
		Exec: []string{"/home/me/My Apps/earshot", "-login"}}
	got, err := desktopEntry(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `[Desktop Entry]
Type=Application
Name=Earshot
Comment=Your music in every browser
Exec="/home/me/My Apps/earshot" -login
Icon=io.earshot.app
Terminal=false
X-GNOME-Autostart-enabled=true
`
	if string(got) != want {
		t.Errorf("desktopEntry(%+v) =\n%s\nwant\n%s", e, got, want)
	}
	if !desktopEnabled(got) {
		t.Errorf("desktopEnabled(desktopEntry(…)) = false")
	}
}

func TestDesktopEntryInvalid(t *testing.T) {
	tests := map[string]Entry{
		"no exec":      {Name: "Earshot"},
		"control char": {Name: "Ear\x07shot", Exec: []string{"/x/earshot"}},
		"not UTF-8":    {Name: "Earshot", Exec: []string{"/x/\xffearshot"}},
		"NUL in arg":   {Name: "Earshot", Exec: []string{"/x/earshot", "a\x00b"}},
	}
	for name, e := range tests {
		if _, err := desktopEntry(e); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: desktopEntry(%q) error = %v, want ErrInvalid", name, e, err)
		}
	}
}

func TestEscapeString(t *testing.T) {
	tests := map[string]string{
		"plain":        "plain",
		`a\b`:          `a\\b`,
		"a\nb\tc\rd":   `a\nb\tc\rd`,
		" padded ":     `\spadded\s`,
		"inner spaces": "inner spaces",
	}
	for in, want := range tests {
		if got := escapeString(in); got != want {
			t.Errorf("escapeString(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDesktopEnabled(t *testing.T) {
	tests := []struct {
		file string
		want bool
	}{
		{"[Desktop Entry]\nType=Application\nExec=x\n", true},
		{"[Desktop Entry]\nExec=x\nX-GNOME-Autostart-enabled=true\n", true},
		{"[Desktop Entry]\nExec=x\nHidden=true\n", false},
		{"[Desktop Entry]\nExec=x\nHidden = true\n", false},
		{"[Desktop Entry]\nExec=x\nHidden=false\n", true},
		{"[Desktop Entry]\nExec=x\nX-GNOME-Autostart-enabled=false\n", false},
		{"# Hidden=true\n[Desktop Entry]\nExec=x\n[Desktop Action a]\nHidden=true\n", true},
	}
	for _, tc := range tests {
		if got := desktopEnabled([]byte(tc.file)); got != tc.want {
			t.Errorf("desktopEnabled(%q) = %v, want %v", tc.file, got, tc.want)
		}
	}
}

// parseExec splits an Exec value into argv as a reader of the Desktop
// Entry Specification 1.5 does: it undoes the string escapes, splits at
// unquoted spaces, undoes the escapes inside quotes, then turns %% into %
// (any other field code is an error: desktopExec writes none).
func parseExec(value string) ([]string, error) {
	unescaped := strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\t`, "\t", `\r`, "\r", `\s`, " ").Replace(value)
	var argv []string
	var arg strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(unescaped); i++ {
		c := unescaped[i]
		switch {
		case quoted && c == '\\' && i+1 < len(unescaped) && strings.IndexByte("\"`$\\", unescaped[i+1]) >= 0:
			i++
			arg.WriteByte(unescaped[i])
		case quoted && c == '"':
			quoted = false
		case quoted:
			arg.WriteByte(c)
		case c == '"':
			quoted, inArg = true, true
		case c == ' ':
			if inArg {
				argv = append(argv, arg.String())
				arg.Reset()
				inArg = false
			}
		case strings.IndexByte(execReserved, c) >= 0:
			return nil, fmt.Errorf("unquoted reserved character %q", c)
		default:
			arg.WriteByte(c)
			inArg = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote")
	}
	if inArg {
		argv = append(argv, arg.String())
	}
	for i, a := range argv {
		if strings.Contains(strings.ReplaceAll(a, "%%", ""), "%") {
			return nil, fmt.Errorf("field code in %q", a)
		}
		argv[i] = strings.ReplaceAll(a, "%%", "%")
	}
	return argv, nil
}
