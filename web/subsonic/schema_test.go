package subsonic

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"time"
)

// schemaDir holds the OpenSubsonic OpenAPI description (see its README).
const schemaDir = "testdata/openapi"

// schemas validates JSON values against the OpenAPI JSON schemas, for
// the subset of JSON Schema they use: $ref (to files, relative to the
// file holding it), allOf, oneOf, type, properties, required, items,
// enum, minimum, maximum and format date-time. Unknown keywords are
// ignored, as the spec does.
type schemas struct {
	files map[string]map[string]any
}

// load returns the schema in file (slash path under schemaDir).
func (s *schemas) load(t *testing.T, file string) map[string]any {
	if m, ok := s.files[file]; ok {
		return m
	}
	b, err := os.ReadFile(path.Join(schemaDir, file))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	s.files[file] = m
	return m
}

// responseSchema returns the schema of method's successful-or-failed
// JSON answer, and the file it is in.
func (s *schemas) responseSchema(t *testing.T, method string) (map[string]any, string) {
	file := "endpoints/" + method + ".json"
	ep := s.load(t, file)
	get, _ := ep["get"].(map[string]any)
	resp, _ := get["responses"].(map[string]any)
	node, _ := resp["200"].(map[string]any)
	for {
		if ref, ok := node["$ref"].(string); ok {
			file = path.Join(path.Dir(file), ref)
			node = s.load(t, file)
			continue
		}
		content, ok := node["content"].(map[string]any)
		if !ok {
			return node, file
		}
		js, _ := content["application/json"].(map[string]any)
		node, _ = js["schema"].(map[string]any)
	}
}

// validate returns the places where v breaks schema sch (from file),
// each "at: what".
func (s *schemas) validate(t *testing.T, v any, sch map[string]any, file, at string) []string {
	if ref, ok := sch["$ref"].(string); ok {
		f := path.Join(path.Dir(file), ref)
		return s.validate(t, v, s.load(t, f), f, at)
	}
	var errs []string
	for _, sub := range list(sch["allOf"]) {
		errs = append(errs, s.validate(t, v, sub, file, at)...)
	}
	if one := list(sch["oneOf"]); len(one) > 0 {
		var matched int
		var why []string
		for _, sub := range one {
			e := s.validate(t, v, sub, file, at)
			if len(e) == 0 {
				matched++
			}
			why = append(why, e...)
		}
		if matched != 1 {
			errs = append(errs, fmt.Sprintf("%s: matches %d of oneOf, want 1: %v", at, matched, why))
		}
	}
	if e, ok := sch["enum"].([]any); ok && !slices.ContainsFunc(e, func(x any) bool { return fmt.Sprint(x) == fmt.Sprint(v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v not in %v", at, v, e))
	}
	typ, _ := sch["type"].(string)
	if typ != "" && !hasType(v, typ) {
		return append(errs, fmt.Sprintf("%s: %v (%T) is not %s", at, v, v, typ))
	}
	if n, ok := v.(float64); ok {
		if lo, ok := sch["minimum"].(float64); ok && n < lo {
			errs = append(errs, fmt.Sprintf("%s: %v < minimum %v", at, n, lo))
		}
		if hi, ok := sch["maximum"].(float64); ok && n > hi {
			errs = append(errs, fmt.Sprintf("%s: %v > maximum %v", at, n, hi))
		}
	}
	if str, ok := v.(string); ok && sch["format"] == "date-time" {
		if _, err := time.Parse(time.RFC3339, str); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %q is not a date-time", at, str))
		}
	}
	if obj, ok := v.(map[string]any); ok {
		for _, r := range list2(sch["required"]) {
			if _, ok := obj[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: lacks required %q", at, r))
			}
		}
		props, _ := sch["properties"].(map[string]any)
		for k, sub := range props {
			if pv, ok := obj[k]; ok {
				errs = append(errs, s.validate(t, pv, sub.(map[string]any), file, at+"."+k)...)
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if items, ok := sch["items"].(map[string]any); ok {
			for i, it := range arr {
				errs = append(errs, s.validate(t, it, items, file, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

// hasType reports whether the JSON value v is of JSON Schema type typ.
func hasType(v any, typ string) bool {
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == float64(int64(n))
	}
	return true
}

func list(v any) []map[string]any {
	var out []map[string]any
	for _, x := range asSlice(v) {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func list2(v any) []string {
	var out []string
	for _, x := range asSlice(v) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

// TestValidatorCatches checks that the validator finds what it must: a
// missing required field, a wrong type and a bad enum value.
func TestValidatorCatches(t *testing.T) {
	s := &schemas{files: map[string]map[string]any{}}
	sch, file := s.responseSchema(t, "getAlbum")
	for name, body := range map[string]string{
		"no album":        `{"subsonic-response":{"status":"ok","version":"1.16.1","type":"x","serverVersion":"1","openSubsonic":true}}`,
		"id as number":    `{"subsonic-response":{"status":"ok","version":"1.16.1","type":"x","serverVersion":"1","openSubsonic":true,"album":{"id":1,"name":"a","songCount":0,"duration":0,"created":"2024-01-01T00:00:00Z"}}}`,
		"bad status":      `{"subsonic-response":{"status":"fine","version":"1.16.1","type":"x","serverVersion":"1","openSubsonic":true,"album":{"id":"1","name":"a","songCount":0,"duration":0,"created":"2024-01-01T00:00:00Z"}}}`,
		"bad created":     `{"subsonic-response":{"status":"ok","version":"1.16.1","type":"x","serverVersion":"1","openSubsonic":true,"album":{"id":"1","name":"a","songCount":0,"duration":0,"created":"yesterday"}}}`,
		"no openSubsonic": `{"subsonic-response":{"status":"ok","version":"1.16.1","type":"x","serverVersion":"1","album":{"id":"1","name":"a","songCount":0,"duration":0,"created":"2024-01-01T00:00:00Z"}}}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		if errs := s.validate(t, v, sch, file, "$"); len(errs) == 0 {
			t.Errorf("%s: validates, want an error", name)
		}
	}
	var v any
	json.Unmarshal([]byte(`{"subsonic-response":{"status":"ok","version":"1.16.1","type":"x","serverVersion":"1","openSubsonic":true,"album":{"id":"1","name":"a","songCount":0,"duration":0,"created":"2024-01-01T00:00:00Z","song":[]}}}`), &v)
	if errs := s.validate(t, v, sch, file, "$"); len(errs) > 0 {
		t.Errorf("a valid answer fails: %s", strings.Join(errs, "; "))
	}
}
