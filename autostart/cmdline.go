package autostart

import (
	"fmt"
	"strings"
)

// windowsCommandLine returns argv as one Windows command line, quoted so
// that CommandLineToArgvW and the Microsoft C runtime split it back into
// argv exactly ("Parsing C++ command-line arguments"): the program, which
// those parsers read up to the next quote without escapes, is always in
// double quotes and may not hold one (no Windows path does; an
// [ErrInvalid] error). Each other argument stays as it is unless it is
// empty or holds a space, tab, newline, vertical tab or double quote; then
// it is put in double quotes, a quote in it becomes \", and the
// backslashes before a quote (also before the closing one) are doubled.
func windowsCommandLine(argv []string) (string, error) {
	if len(argv) == 0 || argv[0] == "" {
		return "", fmt.Errorf("%w: no executable", ErrInvalid)
	}
	if strings.Contains(argv[0], `"`) {
		return "", fmt.Errorf("%w: executable %q holds a double quote", ErrInvalid, argv[0])
	}
	var b strings.Builder
	b.WriteString(`"` + argv[0] + `"`)
	for _, arg := range argv[1:] {
		b.WriteByte(' ')
		if arg != "" && !strings.ContainsAny(arg, " \t\n\v\"") {
			b.WriteString(arg)
			continue
		}
		b.WriteByte('"')
		slashes := 0
		for i := 0; i < len(arg); i++ {
			switch arg[i] {
			case '\\':
				slashes++
				continue
			case '"':
				b.WriteString(strings.Repeat(`\`, 2*slashes+1))
			default:
				b.WriteString(strings.Repeat(`\`, slashes))
			}
			slashes = 0
			b.WriteByte(arg[i])
		}
		b.WriteString(strings.Repeat(`\`, 2*slashes) + `"`)
	}
	return b.String(), nil
}

// startupApproved reports whether a value under Explorer's
// StartupApproved\Run key lets the Run value of the same name start:
// Task Manager's Startup tab writes 12 bytes whose first is even (02 or
// 06) when enabled and odd (03 or 07, then the time it was turned off)
// when disabled. Microsoft does not document the format; no value, or an
// empty one, leaves the entry enabled.
func startupApproved(data []byte) bool {
	return len(data) == 0 || data[0]&1 == 0
}
