package autostart

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestWindowsCommandLine(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{`C:\Program Files\Earshot\earshot.exe`, "-login"}, `"C:\Program Files\Earshot\earshot.exe" -login`},
		{[]string{`C:\e.exe`}, `"C:\e.exe"`},
		{[]string{`C:\e.exe`, ""}, `"C:\e.exe" ""`},
		{[]string{`C:\e.exe`, "two words"}, `"C:\e.exe" "two words"`},
		{[]string{`C:\e.exe`, `say "hi"`}, `"C:\e.exe" "say \"hi\""`},
		{[]string{`C:\e.exe`, `C:\dir\`}, `"C:\e.exe" C:\dir\`},
		{[]string{`C:\e.exe`, `C:\my dir\`}, `"C:\e.exe" "C:\my dir\\"`},
		{[]string{`C:\e.exe`, `a\\"b`}, `"C:\e.exe" "a\\\\\"b"`},
		{[]string{`C:\e.exe`, `100%`, `a&b`}, `"C:\e.exe" 100% a&b`},
		{[]string{`C:\e.exe`, "tab\there"}, "\"C:\\e.exe\" \"tab\there\""},
	}
	for _, tc := range tests {
		got, err := windowsCommandLine(tc.argv)
		if err != nil || got != tc.want {
			t.Errorf("windowsCommandLine(%q) = %q, %v, want %q", tc.argv, got, err, tc.want)
			continue
		}
		if back := commandLineToArgv(got); !slices.Equal(back, tc.argv) {
			t.Errorf("commandLineToArgv(%q) = %q, want %q back", got, back, tc.argv)
		}
	}
}

func TestWindowsCommandLineInvalid(t *testing.T) {
	for _, argv := range [][]string{nil, {""}, {`C:\"odd".exe`}} {
		if got, err := windowsCommandLine(argv); !errors.Is(err, ErrInvalid) {
			t.Errorf("windowsCommandLine(%q) = %q, %v, want ErrInvalid", argv, got, err)
		}
	}
}

func TestStartupApproved(t *testing.T) {
	tests := []struct {
		data []byte
		want bool
	}{
		{nil, true},
		{[]byte{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, true},
		{[]byte{6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, true},
		{[]byte{3, 0, 0, 0, 0x10, 0x8f, 0x3a, 0x5c, 0x2b, 0x7e, 0xda, 0x01}, false},
		{[]byte{7, 0, 0, 0, 0x10, 0x8f, 0x3a, 0x5c, 0x2b, 0x7e, 0xda, 0x01}, false},
	}
	for _, tc := range tests {
		if got := startupApproved(tc.data); got != tc.want {
			t.Errorf("startupApproved(% x) = %v, want %v", tc.data, got, tc.want)
		}
	}
}

// commandLineToArgv splits a command line as CommandLineToArgvW does: the
// program up to the closing quote (or a space when unquoted), then each
// argument with 2n backslashes before a quote giving n and a quote that
// opens or closes, 2n+1 giving n and a literal quote, and other
// backslashes taken literally.
func commandLineToArgv(line string) []string {
	var argv []string
	if strings.HasPrefix(line, `"`) {
		prog, rest, _ := strings.Cut(line[1:], `"`)
		argv, line = append(argv, prog), rest
	} else {
		prog, rest, _ := strings.Cut(line, " ")
		argv, line = append(argv, prog), rest
	}
	var arg strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(line) && line[i] == '\\' {
				n++
				i++
			}
			inArg = true
			if i < len(line) && line[i] == '"' {
				arg.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					arg.WriteByte('"')
					continue
				}
				quoted = !quoted
				continue
			}
			arg.WriteString(strings.Repeat(`\`, n))
			i--
		case c == '"':
			quoted, inArg = !quoted, true
		case (c == ' ' || c == '\t') && !quoted:
			if inArg {
				argv = append(argv, arg.String())
				arg.Reset()
				inArg = false
			}
		default:
			arg.WriteByte(c)
			inArg = true
		}
	}
	if inArg {
		argv = append(argv, arg.String())
	}
	return argv
}
