package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestLoadSettings(t *testing.T) {
	p := test.NewTempApp(t).Preferences()
	made := 0
	newKey := func() string {
		made++
		return fmt.Sprintf("new-key-%d", made)
	}

	first := LoadSettings(p, newKey)
	want := Settings{AccessKey: "new-key-1", AllowLAN: true, RequireKeyOnLoopback: false, UploadsFromLAN: false}
	if first != want || made != 1 {
		t.Errorf("first LoadSettings = %+v, %d keys made; want %+v, 1", first, made, want)
	}
	if got := p.String(PrefAccessKey); got != "new-key-1" {
		t.Errorf("preference %q = %q, want the new key stored", PrefAccessKey, got)
	}
	if again := LoadSettings(p, newKey); again != want || made != 1 {
		t.Errorf("second LoadSettings = %+v, %d keys made; want %+v, 1", again, made, want)
	}

	p.SetBool(PrefAllowLAN, false)
	p.SetBool(PrefRequireKeyOnLoopback, true)
	p.SetBool(PrefUploadsFromLAN, true)
	p.SetString(PrefAccessKey, "stored")
	want = Settings{AccessKey: "stored", AllowLAN: false, RequireKeyOnLoopback: true, UploadsFromLAN: true}
	if got := LoadSettings(p, newKey); got != want || made != 1 {
		t.Errorf("LoadSettings = %+v, %d keys made; want %+v, 1", got, made, want)
	}
}
