package autostart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"slices"
	"testing"
)

// agentPlist is what TestLaunchAgent reads back from a LaunchAgent.
type agentPlist struct {
	Label       string
	Arguments   []string
	RunAtLoad   bool
	ProcessType string
}

// readAgent parses a property list's top dict with encoding/xml, as
// launchd would read it: keys with string, <true/> or <array> values.
func readAgent(t *testing.T, data []byte) agentPlist {
	t.Helper()
	var doc struct {
		XMLName xml.Name `xml:"plist"`
		Version string   `xml:"version,attr"`
		Dict    struct {
			Items []struct {
				XMLName xml.Name
				Text    string   `xml:",chardata"`
				Strings []string `xml:"string"`
			} `xml:",any"`
		} `xml:"dict"`
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("parse LaunchAgent: %v\n%s", err, data)
	}
	if doc.Version != "1.0" {
		t.Errorf("plist version %q, want 1.0", doc.Version)
	}
	var p agentPlist
	items := doc.Dict.Items
	if len(items)%2 != 0 {
		t.Fatalf("dict has %d items, want key/value pairs", len(items))
	}
	for i := 0; i < len(items); i += 2 {
		key, value := items[i], items[i+1]
		if key.XMLName.Local != "key" {
			t.Fatalf("dict item %d is <%s>, want <key>", i, key.XMLName.Local)
		}
		switch key.Text {
		case "Label":
			p.Label = value.Text
		case "ProgramArguments":
			p.Arguments = value.Strings
		case "RunAtLoad":
			p.RunAtLoad = value.XMLName.Local == "true"
		case "ProcessType":
			p.ProcessType = value.Text
		default:
			t.Errorf("unexpected key %q", key.Text)
		}
	}
	return p
}

func TestLaunchAgent(t *testing.T) {
	tests := [][]string{
		{"/Applications/Earshot.app/Contents/MacOS/earshot", "-login"},
		{"/Users/me/My <Apps> & Co/earshot", `say "hi" 'there'`, "100%", "", "line\nbreak", "é ✓"},
	}
	for _, argv := range tests {
		data, err := launchAgent("io.earshot.app", Entry{Name: "Earshot", Exec: argv})
		if err != nil {
			t.Fatal(err)
		}
		got := readAgent(t, data)
		want := agentPlist{Label: "io.earshot.app", Arguments: argv, RunAtLoad: true, ProcessType: "Interactive"}
		if got.Label != want.Label || !slices.Equal(got.Arguments, want.Arguments) || got.RunAtLoad != want.RunAtLoad || got.ProcessType != want.ProcessType {
			t.Errorf("launchAgent(%q) reads back as %+v, want %+v\n%s", argv, got, want, data)
		}
	}
}

func TestLaunchAgentInvalid(t *testing.T) {
	tests := map[string]struct {
		label string
		exec  []string
	}{
		"no exec":        {"io.earshot.app", nil},
		"control char":   {"io.earshot.app", []string{"/x/earshot", "a\x1bb"}},
		"not UTF-8":      {"io.earshot.app", []string{"/x/\xfe"}},
		"label is path":  {"../io.earshot.app", []string{"/x/earshot"}},
		"label is empty": {"", []string{"/x/earshot"}},
	}
	for name, tc := range tests {
		if _, err := launchAgent(tc.label, Entry{Exec: tc.exec}); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: launchAgent(%q, %q) error = %v, want ErrInvalid", name, tc.label, tc.exec, err)
		}
	}
}
