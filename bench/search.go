//go:build linux

package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode"

	"earshot/web"
)

// queryKind is the sort of thing a person types into the search box.
type queryKind int

const (
	prefixQuery   queryKind = iota // the start of a word: "midn"
	wordQuery                      // a whole word, any case: "River"
	multiQuery                     // two words of one track: "björk storm"
	accentedQuery                  // a name with its diacritics: "Sigur Rós"
	foldedQuery                    // the same typed without them: "sigur ros"
	missQuery                      // words no track has: "qvazor"
	shortQuery                     // one or two letters, the worst case: "a"
)

var queryKindNames = []string{"prefix", "word", "multi-word", "accented", "accents left out", "miss", "one or two letters"}

// query is one search and the kind it is.
type query struct {
	q    string
	kind queryKind
}

// queries makes n varied queries from the library's own words: 25 %
// prefixes, 15 % whole words, 20 % two words, 10 % accented names and 10 %
// the same names typed without accents, 15 % misses and 5 % one or two
// letters.
func queries(specs []trackSpec, n int, seed uint64) []query {
	rng := rand.New(rand.NewPCG(seed, 0x9e37))
	words := func(s trackSpec) []string {
		// Words only: "&" alone is no search anyone makes.
		return slices.DeleteFunc(strings.Fields(s.Title+" "+s.Artist+" "+s.Album), func(w string) bool {
			return !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		})
	}
	var accented []string
	for _, s := range specs {
		for _, w := range append(words(s), s.Artist) {
			if fold := asciiFold(w); fold != w && fold != strings.ToLower(w) {
				accented = append(accented, w)
			}
		}
	}
	slices.Sort(accented)
	accented = slices.Compact(accented)
	var out []query
	for len(out) < n {
		s := specs[rng.IntN(len(specs))]
		ws := words(s)
		w := ws[rng.IntN(len(ws))]
		var q query
		switch p := rng.IntN(100); {
		case p < 25:
			r := []rune(strings.ToLower(w))
			q = query{string(r[:min(len(r), 3+rng.IntN(3))]), prefixQuery}
		case p < 40:
			q = query{w, wordQuery}
			if rng.IntN(2) == 0 {
				q.q = strings.ToLower(w)
			}
		case p < 60:
			q = query{strings.ToLower(w + " " + ws[rng.IntN(len(ws))]), multiQuery}
		case p < 70 && len(accented) > 0:
			q = query{accented[rng.IntN(len(accented))], accentedQuery}
		case p < 80 && len(accented) > 0:
			q = query{asciiFold(accented[rng.IntN(len(accented))]), foldedQuery}
		case p < 95:
			q = query{nonsense(rng), missQuery}
			if rng.IntN(2) == 0 {
				q.q = strings.ToLower(w) + " " + q.q
			}
		default:
			r := []rune(strings.ToLower(w))
			q = query{string(r[:1+rng.IntN(min(2, len(r)))]), shortQuery}
		}
		out = append(out, q)
	}
	return out
}

// nonsense makes a word no generated name contains.
func nonsense(rng *rand.Rand) string {
	const letters = "qxzjvkw"
	b := make([]byte, 5+rng.IntN(4))
	for i := range b {
		b[i] = letters[rng.IntN(len(letters))]
	}
	return string(b)
}

// asciiFold lower-cases s and drops the diacritics of the Latin letters
// the generated names use.
func asciiFold(s string) string {
	return strings.Map(func(r rune) rune {
		if f, ok := folds[r]; ok {
			return f
		}
		return r
	}, strings.ToLower(s))
}

var folds = func() map[rune]rune {
	m := map[rune]rune{}
	for base, marked := range map[rune]string{
		'a': "áàâäãåą", 'c': "çčć", 'e': "éèêëěę", 'i': "íìîï", 'n': "ñň", 'o': "óòôöõø",
		'r': "ř", 's': "šś", 'u': "úùûüů", 'y': "ýÿ", 'z': "žźż",
	} {
		for _, r := range marked {
			m[r] = base
		}
	}
	return m
}()

// search times b.o.queries searches with Library.Search, then the same
// ones over HTTP as GET /api/search. The whole set runs b.o.runs times;
// each pass gives a p50, p95 and max, and the figures are the median pass's,
// so that garbage collections a search causes count, while a moment of
// another process's work shows in one pass only.
func (b *bench) search(ctx context.Context) error {
	qs := queries(b.specs, b.o.queries, b.o.seed)
	for _, q := range qs[:min(20, len(qs))] {
		b.lib.Search(q.q) // warm up
	}
	hits := map[queryKind][2]int{} // queries that found something, of all of the kind
	var p50s, p95s, maxes, others []float64
	slowest := map[int]float64{} // query index → its slowest time, in any pass
	for run := range b.o.runs {
		b.waitIdle()
		runtime.GC()
		stop := b.profile("search", run)
		c := readCPU()
		times := make([]float64, len(qs))
		for i, q := range qs {
			start := time.Now()
			found := b.lib.Search(q.q)
			times[i] = time.Since(start).Seconds()
			slowest[i] = max(slowest[i], times[i])
			if run == 0 {
				h := hits[q.kind]
				h[1]++
				if len(found) > 0 {
					h[0]++
				}
				hits[q.kind] = h
			}
		}
		others = append(others, c.othersShare(readCPU()))
		stop()
		slices.Sort(times)
		p50s = append(p50s, percentile(times, 50))
		p95s = append(p95s, percentile(times, 95))
		maxes = append(maxes, times[len(times)-1])
	}
	order := slices.Collect(maps.Keys(slowest))
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(slowest[b], slowest[a]) })
	var slow []string
	for _, i := range order[:min(5, len(order))] {
		slow = append(slow, fmt.Sprintf("%q (%s) %.1f ms", qs[i].q, queryKindNames[qs[i].kind], 1000*slowest[i]))
	}
	var kinds []string
	for k, name := range queryKindNames {
		if h := hits[queryKind(k)]; h[1] > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d/%d", name, h[0], h[1]))
		}
	}
	note := fmt.Sprintf("queries that found something, by kind: %s; slowest: %s", strings.Join(kinds, ", "), strings.Join(slow, ", "))
	if h := hits[foldedQuery]; h[0] < h[1] {
		note += " (accents left out find nothing: this Library.Search does not ignore diacritics)"
	}
	share := meanShare(others)
	b.r.add(figure{Key: figSearchP50, Name: fmt.Sprintf("search p50 (%d queries)", len(qs)), Unit: "s", Runs: p50s, Median: true, Others: share})
	b.r.add(figure{Key: figSearchP95, Name: "search p95", Unit: "s", Runs: p95s, Median: true, Note: note, Others: share,
		Target: &target{Op: "<", Limit: 0.020, Size: 50000}})
	b.r.add(figure{Key: figSearchMax, Name: "search max", Unit: "s", Runs: maxes, Median: true, Others: share})
	return b.httpSearch(ctx, qs)
}

// httpSearch times the queries as the page sends them, answer included.
func (b *bench) httpSearch(ctx context.Context, qs []query) error {
	srv := web.New(b.lib, web.Options{})
	if err := srv.Listen("127.0.0.1:0"); err != nil {
		return err
	}
	go srv.Serve()
	defer srv.Shutdown(context.Background())
	base := "http://" + srv.Addr().String() + "/api/search?q="
	times := make([]float64, len(qs))
	b.waitIdle()
	c := readCPU()
	for i, q := range qs {
		start := time.Now()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+url.QueryEscape(q.q), nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET /api/search?q=%s: %s", q.q, resp.Status)
		}
		times[i] = time.Since(start).Seconds()
	}
	share := meanShare([]float64{c.othersShare(readCPU())})
	slices.Sort(times)
	b.r.add(figure{Key: figHTTPSearch, Name: "GET /api/search p95 (one pass, answer read)", Unit: "s", Value: percentile(times, 95), Others: share})
	return nil
}
