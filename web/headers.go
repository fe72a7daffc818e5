package web

import "net/http"

// contentSecurityPolicy is the Content-Security-Policy (W3C CSP Level 3) of
// every response. The player page loads its script, style sheet and icon
// from this server and has no inline script or style by design, so 'self'
// is all it needs: an injected <script> or inline handler cannot run, and no
// request leaves the server. img-src allows data: and blob: URLs for covers
// a script may build, media-src blob: for the same reason in <audio>.
// worker-src and manifest-src name 'self' outright for the service worker
// (sw.js) and manifest.webmanifest, though default-src already implies it.
// object-src and base-uri are closed, forms post only here, and
// frame-ancestors 'none' stops other sites from framing the page
// (clickjacking); [securityHeaders] adds X-Frame-Options for browsers that
// predate frame-ancestors.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; " +
	"worker-src 'self'; manifest-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders wraps h so that every response it gives — API JSON,
// audio, the static page, and the 401, 404, 405 and 416 errors alike —
// carries the same security headers:
//
//   - Content-Security-Policy: [contentSecurityPolicy];
//   - X-Content-Type-Options: nosniff, so a browser never runs a file it was
//     told is audio or JSON as script or HTML (Fetch standard §3.5);
//   - Referrer-Policy: no-referrer, so the access key in a ?key= pairing
//     link never leaks in a Referer header (W3C Referrer Policy §3.1);
//   - X-Frame-Options: DENY (RFC 7034), the older form of frame-ancestors.
//
// The headers are set before h runs, so a handler may still override one.
// Answers the net/http server writes itself, before any handler (400 for a
// malformed request, 431 for oversized headers), do not carry them.
func securityHeaders(h http.Handler) http.Handler {
	v := newFixedValues()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Shared values (see fixedValues): four allocations fewer per request.
		hdr := w.Header()
		hdr["Content-Security-Policy"] = v.csp
		hdr["X-Content-Type-Options"] = v.nosniff
		hdr["Referrer-Policy"] = v.noReferrer
		hdr["X-Frame-Options"] = v.deny
		h.ServeHTTP(w, r)
	})
}

// fixedValues are header values set on many answers, as one-element
// slices of capacity 1 that all those answers share (made once per server,
// so no package state): net/http only reads them, Set replaces a slice
// rather than writing into it, and Add appends to a full slice, which
// copies it.
type fixedValues struct {
	csp, nosniff, noReferrer, deny, bytes, noCache []string
}

// newFixedValues returns the values.
func newFixedValues() *fixedValues {
	return &fixedValues{
		csp: []string{contentSecurityPolicy}, nosniff: []string{"nosniff"},
		noReferrer: []string{"no-referrer"}, deny: []string{"DENY"},
		bytes: []string{"bytes"}, noCache: []string{"no-cache"},
	}
}
