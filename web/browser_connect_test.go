package web

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/web/subsonic"
)

// TestBrowserConnect makes an app password on a phone-sized page: from
// the queue panel's "Connect an app…", named, created, shown with the
// server URL and user name; the shown password logs in to /rest/ping by
// token (md5 of password and salt), as an app does; Revoke removes it
// from the list, and the same login then answers error 40.
func TestBrowserConnect(t *testing.T) {
	rs := newRealServer(t)
	ctx := newBrowser(t)
	click := func(what, sel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(sel, chromedp.NodeVisible)); err != nil {
			t.Fatalf("click %s (%s): %v", what, sel, err)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(rs.URL+"/#/"),
		chromedp.WaitVisible(`#queue-open`),
	); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	click("the queue button", `#queue-open`)
	click("Connect an app…", `#connect-open`)
	until(t, ctx, "the dialog with its heading focused", `!document.getElementById('connect').hidden && document.activeElement.id === 'cn-h'`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(`#cn-name`, "Symfonium on Pixel")); err != nil {
		t.Fatal(err)
	}
	click("Create password", `#cn-make`)
	until(t, ctx, "the new password", `!document.getElementById('cn-made').hidden && document.getElementById('cn-pw').textContent.length >= 16`)
	until(t, ctx, "the app in the list", `document.querySelectorAll('#cn-list li').length === 1`)
	shown := eval[[]string](t, ctx, `['cn-url', 'cn-user', 'cn-pw', 'cn-made-h'].map(id => document.getElementById(id).textContent)`)
	if shown[0] != rs.URL || shown[1] != subsonic.Username || !strings.Contains(shown[3], "Symfonium on Pixel") {
		t.Errorf("shown server %q, user %q, heading %q; want %q, %q and the app's name", shown[0], shown[1], shown[3], rs.URL, subsonic.Username)
	}
	if got := eval[string](t, ctx, `document.querySelector('#cn-list .cn-revoke').getAttribute('aria-label')`); got != "Revoke Symfonium on Pixel" {
		t.Errorf("Revoke's label = %q", got)
	}
	if small := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#cn-close, #cn-name, #cn-make, .cn-revoke'), e => [e.id || e.className, e.getBoundingClientRect()]).filter(([, r]) => r.height < 44 || r.width < 44).map(([n, r]) => n + ' ' + r.width + 'x' + r.height)`); len(small) > 0 {
		t.Errorf("touch targets smaller than 44 px: %v", small)
	}
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %d px wide on a 390 px screen", w)
	}
	screenshot(t, ctx, "phone-connect-app.png")

	ping := func() int {
		t.Helper()
		salt := "c0ffee42"
		sum := md5.Sum([]byte(shown[2] + salt))
		q := url.Values{"u": {shown[1]}, "t": {hex.EncodeToString(sum[:])}, "s": {salt}, "v": {"1.16.1"}, "c": {"test"}, "f": {"json"}}
		resp, err := http.Get(shown[0] + "/rest/ping.view?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		rec := httptest.NewRecorder()
		rec.Body.ReadFrom(resp.Body)
		return subsonicCode(t, rec)
	}
	if code := ping(); code != -1 {
		t.Errorf("token login with the shown password: code %d, want ok", code)
	}
	click("Revoke", `#cn-list .cn-revoke`)
	until(t, ctx, "the list to be empty", `document.querySelectorAll('#cn-list li').length === 0 && !document.getElementById('cn-none').hidden`)
	if code := ping(); code != subsonic.CodeWrongCreds {
		t.Errorf("token login after Revoke: code %d, want 40", code)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\x1b")); err != nil { // Escape
		t.Fatal(err)
	}
	until(t, ctx, "the dialog to close, focus back on its button in the queue", `document.getElementById('connect').hidden && document.activeElement.id === 'connect-open'`)
}
