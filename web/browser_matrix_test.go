package web

import (
	"testing"
	"time"
)

// TestBrowserEngines checks each engine's tab the way every multi-engine
// test uses it, at both sizes: Eval awaits promises and JSON-decodes
// objects, reports a page exception as an error and gives nothing for
// undefined; the page is as wide as asked; and a clicked row plays (in
// Firefox and WebKit that needs the PulseAudio sink).
func TestBrowserEngines(t *testing.T) {
	rs := newRealServer(t)
	tr := rs.trackByPath(t, realTracks[0].spec.Path)
	for _, e := range engines(t) {
		for _, vp := range []viewport{desktopSize, phoneSize} {
			t.Run(e.name+"/"+vp.name, func(t *testing.T) {
				tb := e.open(t, rs.URL+"/", vp)
				var v struct {
					A []any
					W int
				}
				if err := tb.Eval(`new Promise(r => setTimeout(() => r({a: [1, 'x', null], w: innerWidth}), 10))`, &v); err != nil {
					t.Fatalf("Eval of a promise: %v", err)
				}
				if len(v.A) != 3 || v.A[0] != 1.0 || v.A[1] != "x" || v.A[2] != nil || v.W != vp.w {
					t.Errorf("Eval = %+v, want {A:[1 x <nil>] W:%d}", v, vp.w)
				}
				if err := tb.Eval(`noSuchName.x`, nil); err == nil {
					t.Error("Eval of a throwing expression gave no error")
				}
				n := 7
				if err := tb.Eval(`undefined`, &n); err != nil || n != 7 {
					t.Errorf("Eval(undefined) = %d, %v; want out untouched, no error", n, err)
				}
				tabUntil(t, tb, 20*time.Second, "the track rows", `document.querySelector('[data-track-id="`+tr.ID+`"]')`)
				tabEval[any](t, tb, `document.querySelector('[data-track-id="`+tr.ID+`"]').click()`)
				tabUntil(t, tb, 20*time.Second, "the clicked track to play", `(() => { const a = document.getElementById('audio'); return a.currentSrc.includes('`+tr.ID+`') && !a.paused && a.currentTime > 1 })()`)
			})
		}
	}
}
