package autostart

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// desktopEntry returns e as an XDG autostart file (Desktop Application
// Autostart Specification 0.5): a desktop entry (Desktop Entry
// Specification 1.5) of Type=Application whose Exec runs e.Exec, with
// Terminal=false and X-GNOME-Autostart-enabled=true. It returns an
// [ErrInvalid] error for an entry the format cannot carry.
func desktopEntry(e Entry) ([]byte, error) {
	if err := checkEntry(e); err != nil {
		return nil, err
	}
	exec, err := desktopExec(e.Exec)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("[Desktop Entry]\nType=Application\n")
	fmt.Fprintf(&b, "Name=%s\n", escapeString(e.Name))
	if e.Comment != "" {
		fmt.Fprintf(&b, "Comment=%s\n", escapeString(e.Comment))
	}
	fmt.Fprintf(&b, "Exec=%s\n", exec)
	if e.Icon != "" {
		fmt.Fprintf(&b, "Icon=%s\n", escapeString(e.Icon))
	}
	b.WriteString("Terminal=false\nX-GNOME-Autostart-enabled=true\n")
	return b.Bytes(), nil
}

// execReserved are the characters that make an argument need quotes in an
// Exec key (Desktop Entry Specification 1.5, "The Exec key").
const execReserved = " \t\n\"'\\><~|&;$*?#`()"

// desktopExec returns argv as the value of an Exec key: each argument
// that is empty or holds a reserved character in double quotes, with
// '"', '`', '$' and '\' escaped by a backslash inside them; every '%'
// doubled, since a single one starts a field code; then the whole escaped
// as a string value (backslash, newline, tab, carriage return), which a
// reader undoes before it splits the arguments. The executable may not
// hold '=' (the spec forbids it), which is an [ErrInvalid] error.
func desktopExec(argv []string) (string, error) {
	if len(argv) == 0 || argv[0] == "" {
		return "", fmt.Errorf("%w: no executable", ErrInvalid)
	}
	if strings.Contains(argv[0], "=") {
		return "", fmt.Errorf("%w: executable %q holds '=', which an Exec key cannot", ErrInvalid, argv[0])
	}
	// Inside quotes a backslash must precede '"', '`', '$' and '\'.
	inQuotes := strings.NewReplacer(`"`, `\"`, "`", "\\`", `$`, `\$`, `\`, `\\`)
	quoted := make([]string, len(argv))
	for i, arg := range argv {
		if arg == "" || strings.ContainsAny(arg, execReserved) {
			arg = `"` + inQuotes.Replace(arg) + `"`
		}
		quoted[i] = strings.ReplaceAll(arg, "%", "%%")
	}
	return escapeString(strings.Join(quoted, " ")), nil
}

// escapeString escapes s as a desktop entry value of type string or
// localestring: backslash, newline, tab and carriage return as \\, \n, \t
// and \r. Readers drop spaces around a value, so a space at either end
// is \s.
func escapeString(s string) string {
	s = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
	if strings.HasPrefix(s, " ") {
		s = `\s` + s[1:]
	}
	if strings.HasSuffix(s, " ") {
		s = s[:len(s)-1] + `\s`
	}
	return s
}

// desktopEnabled reports whether a desktop entry file's [Desktop Entry]
// group leaves it started at login: the autostart spec treats Hidden=true
// as deleted, and GNOME skips X-GNOME-Autostart-enabled=false.
func desktopEnabled(data []byte) bool {
	group := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			group = line
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if group != "[Desktop Entry]" || !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if key == "Hidden" && value == "true" || key == "X-GNOME-Autostart-enabled" && value == "false" {
			return false
		}
	}
	return true
}
