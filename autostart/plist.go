package autostart

import (
	"bytes"
	"encoding/xml"
)

// plistHeader opens an XML property list (Apple's PropertyList-1.0 DTD).
const plistHeader = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
`

// launchAgent returns the property list of a LaunchAgent (launchd.plist(5))
// labelled label that runs e.Exec when the user logs in: Label,
// ProgramArguments (e.Exec, each argument a string, escaped as XML text so
// that '&', '<' and quotes pass through unchanged), RunAtLoad true, and
// ProcessType Interactive, as for an app the user started. It returns an
// [ErrInvalid] error for an entry XML cannot carry (a control character).
func launchAgent(label string, e Entry) ([]byte, error) {
	if err := checkID(label); err != nil {
		return nil, err
	}
	if err := checkEntry(e); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(plistHeader)
	plistKey(&b, "Label")
	plistString(&b, "\t", label)
	plistKey(&b, "ProgramArguments")
	b.WriteString("\t<array>\n")
	for _, arg := range e.Exec {
		plistString(&b, "\t\t", arg)
	}
	b.WriteString("\t</array>\n")
	plistKey(&b, "RunAtLoad")
	b.WriteString("\t<true/>\n")
	plistKey(&b, "ProcessType")
	plistString(&b, "\t", "Interactive")
	b.WriteString("</dict>\n</plist>\n")
	return b.Bytes(), nil
}

// plistKey writes a dict's <key> line.
func plistKey(b *bytes.Buffer, key string) {
	b.WriteString("\t<key>")
	xml.EscapeText(b, []byte(key)) // a bytes.Buffer never fails
	b.WriteString("</key>\n")
}

// plistString writes s as a <string> line after indent.
func plistString(b *bytes.Buffer, indent, s string) {
	b.WriteString(indent + "<string>")
	xml.EscapeText(b, []byte(s))
	b.WriteString("</string>\n")
}
