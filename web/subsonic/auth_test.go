package subsonic

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// answer decodes a JSON answer's status and error code (-1 for none).
func answer(t *testing.T, body []byte) (status string, code int) {
	t.Helper()
	var v struct {
		R struct {
			Status string
			Error  *struct{ Code int }
		} `json:"subsonic-response"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if v.R.Error == nil {
		return v.R.Status, -1
	}
	return v.R.Status, v.R.Error.Code
}

// TestAuthForms checks each credential form, right and wrong: u+p in
// clear and enc:hex, u+t+s, apiKey; conflicting and missing ones; and
// that wrong ones (only) count in the guard.
func TestAuthForms(t *testing.T) {
	f := newFixture(t)
	pw := f.pw.Password
	token := func(pw, salt string) string { s := md5.Sum([]byte(pw + salt)); return hex.EncodeToString(s[:]) }
	tests := []struct {
		name  string
		q     url.Values
		code  int // -1: ok
		fails int // guard failures it adds
	}{
		{"plain", url.Values{"u": {"earshot"}, "p": {pw}}, -1, 0},
		{"user any case", url.Values{"u": {"Earshot"}, "p": {pw}}, -1, 0},
		{"enc", url.Values{"u": {"earshot"}, "p": {"enc:" + hex.EncodeToString([]byte(pw))}}, -1, 0},
		{"token", url.Values{"u": {"earshot"}, "t": {token(pw, "c19b2d")}, "s": {"c19b2d"}}, -1, 0},
		{"token upper hex", url.Values{"u": {"earshot"}, "t": {strings.ToUpper(token(pw, "abcdef"))}, "s": {"abcdef"}}, -1, 0},
		{"apiKey", url.Values{"apiKey": {pw}}, -1, 0},
		{"wrong plain", url.Values{"u": {"earshot"}, "p": {pw + "x"}}, CodeWrongCreds, 1},
		{"wrong user", url.Values{"u": {"joe"}, "p": {pw}}, CodeWrongCreds, 1},
		{"bad enc", url.Values{"u": {"earshot"}, "p": {"enc:zz"}}, CodeWrongCreds, 1},
		{"wrong token", url.Values{"u": {"earshot"}, "t": {token(pw, "salt1")}, "s": {"salt2"}}, CodeWrongCreds, 1},
		{"wrong apiKey", url.Values{"apiKey": {"nope"}}, CodeBadAPIKey, 1},
		{"apiKey and u", url.Values{"apiKey": {pw}, "u": {"earshot"}}, CodeConflictingAuth, 0},
		{"apiKey and p", url.Values{"apiKey": {pw}, "p": {pw}}, CodeConflictingAuth, 0},
		{"nothing", url.Values{}, CodeMissingParam, 0},
		{"u alone", url.Values{"u": {"earshot"}}, CodeMissingParam, 0},
		{"token without salt", url.Values{"u": {"earshot"}, "t": {token(pw, "")}}, CodeMissingParam, 0},
	}
	for _, tc := range tests {
		before := f.guard.fails
		rec := f.call("ping", tc.q, "json")
		status, code := answer(t, rec.Body.Bytes())
		if rec.Code != http.StatusOK || code != tc.code || (code == -1) != (status == "ok") {
			t.Errorf("%s: HTTP %d, %s, code %d; want 200 and code %d", tc.name, rec.Code, status, code, tc.code)
		}
		if got := f.guard.fails - before; got != tc.fails {
			t.Errorf("%s: counted %d failures, want %d", tc.name, got, tc.fails)
		}
	}
}

// TestRevokedAndLimited checks that a revoked password answers 40 at
// once, and that once the guard blocks, wrong credentials get 429 with
// Retry-After while right ones still pass.
func TestRevokedAndLimited(t *testing.T) {
	f := newFixture(t)
	other, err := f.h.CreateAppPassword("DSub")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.h.RevokeAppPassword(other.ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []url.Values{{"u": {"earshot"}, "p": {other.Password}}, {"apiKey": {other.Password}}} {
		if _, code := answer(t, f.call("ping", q, "json").Body.Bytes()); code != CodeWrongCreds && code != CodeBadAPIKey {
			t.Errorf("revoked %v: code %d, want 40 or 44", q, code)
		}
	}
	list, _ := f.h.AppPasswords()
	if len(list) != 1 || list[0].Name != "Symfonium on Pixel" {
		t.Errorf("AppPasswords() = %+v", list)
	}
	for f.guard.fails < 10 {
		f.call("ping", url.Values{"u": {"earshot"}, "p": {"wrong"}}, "json")
	}
	rec := f.call("ping", url.Values{"u": {"earshot"}, "p": {"wrong"}}, "json")
	if _, code := answer(t, rec.Body.Bytes()); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "30" || code != CodeWrongCreds {
		t.Errorf("blocked wrong password: HTTP %d, Retry-After %q, code %d; want 429, 30, 40", rec.Code, rec.Header().Get("Retry-After"), code)
	}
	if _, code := answer(t, f.call("ping", f.auth(), "json").Body.Bytes()); code != -1 {
		t.Errorf("right password while blocked: code %d, want ok", code)
	}
	if _, err := f.h.CreateAppPassword("  "); err == nil {
		t.Error("CreateAppPassword of a blank name succeeded")
	}
}

// TestNotImplementedAndFormPost checks that unknown and unimplemented
// methods answer error 0 with HTTP 200 in the asked format, that a form
// POST carries parameters (formPost), and that a missing parameter is
// error 10 and an unknown ID error 70.
func TestNotImplementedAndFormPost(t *testing.T) {
	f := newFixture(t)
	for _, m := range []string{"getPodcasts", "jukeboxControl", "noSuchMethod", "createUser"} {
		rec := f.call(m, f.auth(), "json")
		if status, code := answer(t, rec.Body.Bytes()); rec.Code != http.StatusOK || status != "failed" || code != CodeGeneric {
			t.Errorf("%s: HTTP %d, %s, code %d; want 200 failed 0", m, rec.Code, status, code)
		}
	}
	form := f.with("f", "json", "id", f.lib.Albums()[0].ID)
	req := httptest.NewRequest(http.MethodPost, "/rest/getAlbum", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if status, code := answer(t, rec.Body.Bytes()); status != "ok" || !strings.Contains(rec.Body.String(), f.lib.Albums()[0].Title) {
		t.Errorf("form POST getAlbum: %s %d %s", status, code, rec.Body)
	}
	if _, code := answer(t, f.call("getAlbum", f.auth(), "json").Body.Bytes()); code != CodeMissingParam {
		t.Errorf("getAlbum without id: code %d, want 10", code)
	}
	for _, m := range []string{"getAlbum", "getArtist", "getSong", "getMusicDirectory", "getCoverArt", "stream"} {
		if _, code := answer(t, f.call(m, f.with("id", "nope"), "json").Body.Bytes()); code != CodeNotFound {
			t.Errorf("%s of an unknown id: code %d, want 70", m, code)
		}
	}
}

// TestExtensionsListed checks getOpenSubsonicExtensions' exact list.
func TestExtensionsListed(t *testing.T) {
	f := newFixture(t)
	var v struct {
		R struct {
			Ext []Extension `json:"openSubsonicExtensions"`
		} `json:"subsonic-response"`
	}
	json.Unmarshal(f.call("getOpenSubsonicExtensions", f.auth(), "json").Body.Bytes(), &v)
	var names []string
	for _, e := range v.R.Ext {
		names = append(names, e.Name)
	}
	if got := strings.Join(names, ","); got != "formPost,apiKeyAuthentication,transcodeOffset,songLyrics" {
		t.Errorf("extensions = %s", got)
	}
}

// TestMediaDispatch checks which media each stream call asks for.
func TestMediaDispatch(t *testing.T) {
	f := newFixture(t)
	mp3 := f.lib.Search("Waterloo")[0]
	flac := f.lib.Search("Devils")[0]
	album := f.lib.Albums()[0]
	tests := []struct {
		method string
		params []string
		want   string
	}{
		{"stream", []string{"id", mp3.ID}, "stream " + mp3.ID},
		{"stream", []string{"id", flac.ID, "format", "raw", "timeOffset", "30"}, "stream " + flac.ID},
		{"stream", []string{"id", flac.ID, "format", "mp3"}, "mp3 " + flac.ID + " 0 128"},
		{"stream", []string{"id", flac.ID, "format", "opus"}, "mp3 " + flac.ID + " 0 128"},
		{"stream", []string{"id", flac.ID, "format", "flac"}, "stream " + flac.ID},
		{"stream", []string{"id", flac.ID, "maxBitRate", "128"}, "mp3 " + flac.ID + " 0 128"},
		{"stream", []string{"id", flac.ID, "maxBitRate", "100"}, "mp3 " + flac.ID + " 0 96"},
		{"stream", []string{"id", flac.ID, "format", "mp3", "maxBitRate", "320"}, "mp3 " + flac.ID + " 0 320"},
		{"stream", []string{"id", flac.ID, "maxBitRate", "8"}, "mp3 " + flac.ID + " 0 32"},
		{"stream", []string{"id", mp3.ID, "maxBitRate", "320"}, "stream " + mp3.ID},
		{"stream", []string{"id", mp3.ID, "format", "mp3", "timeOffset", "30.5"}, "mp3 " + mp3.ID + " 30.5 128"},
		{"stream", []string{"id", mp3.ID, "timeOffset", "3", "maxBitRate", "64"}, "mp3 " + mp3.ID + " 3 64"},
		{"download", []string{"id", flac.ID}, "download " + flac.ID},
		{"getCoverArt", []string{"id", mp3.ID, "size", "300"}, "cover " + mp3.ID + " 300"},
		{"getCoverArt", []string{"id", album.ID}, "cover " + album.CoverTrack + " 0"},
	}
	for _, tc := range tests {
		if got := f.call(tc.method, f.with(tc.params...), "").Body.String(); got != tc.want {
			t.Errorf("%s %v: served %q, want %q", tc.method, tc.params, got, tc.want)
		}
	}
}
