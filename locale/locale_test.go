package locale_test

import (
	"bytes"
	"log"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"earshot/locale"
)

// TestQuiet is an external test so that, as in package main, this
// package initialises before Fyne's (the internal test package would
// import Fyne itself). It sets each locale as the environment would, applies Quiet and
// then asks Fyne for the system locale and its translations: Fyne must log nothing and get
// English for C and POSIX with a codeset, and keep a real locale as it is.
func TestQuiet(t *testing.T) {
	tests := []struct {
		env      map[string]string
		set      bool
		language string // what Fyne then reports
	}{
		{map[string]string{"LANG": "C.UTF-8"}, true, "en"},
		{map[string]string{"LANG": "C.utf8"}, true, "en"},
		{map[string]string{"LANG": "POSIX.UTF-8"}, true, "en"},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, true, "en"},
		{map[string]string{"LANG": "C"}, false, "en"},
		{map[string]string{"LANG": "POSIX"}, false, "en"},
		{map[string]string{"LANG": ""}, false, "en"},
		{map[string]string{"LANG": "de_DE.UTF-8"}, false, "de"},
		{map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "C.UTF-8"}, false, "fr"},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "es"}, false, "es"},
	}
	for _, tc := range tests {
		for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
			t.Setenv(name, tc.env[name])
		}
		var logged bytes.Buffer
		log.SetOutput(&logged)
		set := locale.Quiet()
		got, _, _ := strings.Cut(lang.SystemLocale().LanguageString(), "-")
		// What Fyne's initialiser does: pick the closest translation.
		if err := lang.AddTranslationsForLocale([]byte("{}"), "en"); err != nil {
			t.Fatal(err)
		}
		log.SetOutput(nil)
		if set != tc.set || got != tc.language || logged.Len() > 0 {
			t.Errorf("env %v: Quiet() = %v, Fyne's language %q, log %q; want %v, %q, nothing logged",
				tc.env, set, got, logged.String(), tc.set, tc.language)
		}
	}
}
