// Package locale makes a C or POSIX locale read as English before Fyne
// looks at it. Import it (for its effect) from package main, before any
// Fyne package.
//
// Fyne's lang package parses the locale from LC_ALL, LC_MESSAGES or LANG
// (through github.com/jeandeaual/go-locale) in its package initialiser.
// That reader treats exactly "C" and "POSIX" as "no locale", but passes
// "C.UTF-8" — the default of many servers and containers — on as the
// language "C", which golang.org/x/text refuses: every run, even
// `earshot -version` and `earshot -headless`, then printed a three-line
// "Fyne error: Error parsing user locale C". Package initialisers run in
// import-path order once their own imports are done (Go spec, "Package
// initialization", since Go 1.21), and this package imports only os and
// strings, so its init runs before Fyne's.
package locale

import (
	"os"
	"strings"
)

func init() { Quiet() }

// Quiet sets LANGUAGE=en when the locale in effect (the first of LC_ALL,
// LC_MESSAGES and LANG that is set, as POSIX orders them) is C or POSIX
// with a codeset, such as "C.UTF-8", "C.utf8" or "POSIX.UTF-8", and
// LANGUAGE is unset. LANGUAGE is what gettext, and Fyne's locale reader,
// consult for message languages; the C locale's messages are English, so
// this changes no program's output, only spares Fyne a name it cannot
// parse. Character classes and collation (LC_CTYPE, LC_COLLATE) are left
// as they are. It reports whether it set LANGUAGE.
func Quiet() bool {
	if os.Getenv("LANGUAGE") != "" {
		return false
	}
	for _, name := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		lang, _, _ := strings.Cut(v, ".")
		lang, _, _ = strings.Cut(lang, "@")
		if (lang == "C" || lang == "POSIX") && v != lang {
			os.Setenv("LANGUAGE", "en")
			return true
		}
		return false
	}
	return false
}
