package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// pairPage is the page an unpaired browser gets with its 401. It has no
// inline script or style (the CSP is default-src 'self') and no library
// data; it links only the public /style.css and /icon.svg.
const pairPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Earshot — pair this device</title>
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/style.css">
</head>
<body>
<main>
<div class="empty">
<h1>Pair this device</h1>
<p>This device is not paired with Earshot yet.</p>
<p>On the computer running Earshot, scan the QR code shown in the Earshot window with this device’s camera, or open the link shown there.</p>
</div>
</main>
</body>
</html>
`

// unauthorized answers 401 (RFC 9110 §15.5.2, with the WWW-Authenticate
// challenge it requires): JSON {"error":"access key required"} for
// [apiAnswers] routes, the pairing page for [pageAnswers] ones. clearCookie also deletes the
// session cookie, when the one sent is stale (the key was reset), so the
// browser stops presenting it and each later load is not counted as
// another failed attempt.
func unauthorized(w http.ResponseWriter, shape answers, clearCookie bool) {
	h := w.Header()
	h.Set("WWW-Authenticate", `Bearer realm="Earshot"`)
	if clearCookie {
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Path: "/", MaxAge: -1,
			HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	if shape == apiAnswers {
		writeError(w, http.StatusUnauthorized, "access key required")
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnauthorized)
	fmt.Fprint(w, pairPage)
}

// tooManyAttempts answers 429 (RFC 6585 §4) with Retry-After in whole
// seconds, rounded up (RFC 9110 §10.2.3): JSON for [apiAnswers] routes,
// text for [pageAnswers] ones.
func tooManyAttempts(w http.ResponseWriter, shape answers, wait time.Duration) {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(secs))
	if shape == apiAnswers {
		writeError(w, http.StatusTooManyRequests, "too many attempts")
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusTooManyRequests)
	fmt.Fprintf(w, "Too many wrong keys from this device. Try again in %d seconds.\n", secs)
}

// writeAnswer writes an error status with msg: JSON for [apiAnswers]
// routes, plain text for [pageAnswers] ones.
func writeAnswer(w http.ResponseWriter, shape answers, code int, msg string) {
	if shape == apiAnswers {
		writeError(w, code, msg)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}
