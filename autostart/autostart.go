// Package autostart starts a program when the user logs in: an XDG
// autostart entry on Linux and the BSDs, a value under the Run key of the
// user's registry on Windows, a LaunchAgent on macOS. It writes only the
// current user's own settings and needs no privileges.
package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Entry is what starts at login.
type Entry struct {
	// Name is the program's name as people see it: "Earshot".
	Name string
	// Comment says in one line what it does (XDG entries show it).
	Comment string
	// Icon is the XDG icon name ("io.earshot.app") or an absolute path to
	// an image; "" for none. Windows and macOS take the executable's own.
	Icon string
	// Exec is the command line as argv: an executable, best an absolute
	// path (see [Executable]), then its arguments. Each is passed to the
	// program exactly, quoted as each platform needs.
	Exec []string
}

// Config says which entry [Config.Enable], [Config.Disable] and
// [Config.Enabled] act on and where it is kept.
type Config struct {
	// ID names the entry; an app ID in reverse-DNS form, "io.earshot.app".
	// It is the file name io.earshot.app.desktop on Linux, the label and
	// the file io.earshot.app.plist on macOS, and the Run value's name on
	// Windows. It must be a plain file name: no separator, not "." or "..".
	ID string
	// Dir is the folder the entry's file is kept in; "" for the user's own:
	// $XDG_CONFIG_HOME/autostart (~/.config/autostart when XDG_CONFIG_HOME
	// is unset, empty or relative) on Linux, ~/Library/LaunchAgents on
	// macOS. Windows keeps the entry in the registry and ignores Dir.
	Dir string
}

// Item is one entry where it is kept: its Enable writes Entry, and
// Disable, Enabled and Path are Config's. It suits callers that keep one
// entry, as a window's "start at login" switch does.
type Item struct {
	Config
	Entry Entry
}

// Enable is [Config.Enable] of it.Entry.
func (it Item) Enable() error {
	return it.Config.Enable(it.Entry)
}

// ErrInvalid is wrapped by the errors of an [Entry] or [Config] that
// cannot be written: an empty Exec or ID, a character the platform's
// format cannot carry (a control character, invalid UTF-8, "=" in an XDG
// entry's executable, a double quote in a Windows path).
var ErrInvalid = errors.New("autostart: invalid entry")

// Executable returns the command line that runs this program again with
// args: [os.Executable] with symbolic links resolved (so an entry keeps
// working when the link it was started through is replaced), then args.
func Executable(args ...string) ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("autostart: locate this program: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return append([]string{exe}, args...), nil
}

// checkID reports an [ErrInvalid] error unless id can name an entry file.
func checkID(id string) error {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, `/\`) || !utf8.ValidString(id) || hasControl(id) {
		return fmt.Errorf("%w: ID %q is not a plain file name", ErrInvalid, id)
	}
	return nil
}

// checkEntry reports an [ErrInvalid] error when e has no Exec or any of
// its texts holds a character no format carries: invalid UTF-8, or a
// control character other than tab, newline and carriage return.
func checkEntry(e Entry) error {
	if len(e.Exec) == 0 || e.Exec[0] == "" {
		return fmt.Errorf("%w: no executable", ErrInvalid)
	}
	texts := append([]string{e.Name, e.Comment, e.Icon}, e.Exec...)
	noSpace := strings.NewReplacer("\t", "", "\n", "", "\r", "")
	for _, s := range texts {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%w: %q is not UTF-8", ErrInvalid, s)
		}
		if hasControl(noSpace.Replace(s)) {
			return fmt.Errorf("%w: %q holds a control character", ErrInvalid, s)
		}
	}
	return nil
}

// hasControl reports whether s holds a C0 control character or DEL.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// writeFile writes data to path through a temporary file in the same
// folder renamed over it, so that a crash never leaves half an entry; it
// makes the folder (mode 0700, as the XDG Base Directory spec asks) when
// it is missing. The file gets mode 0644.
func writeFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("autostart: write %s: %w", path, err)
	}
	return nil
}

// removeFile removes path; a file already gone is not an error.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("autostart: %w", err)
	}
	return nil
}
