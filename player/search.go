package player

import (
	"cmp"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// SearchResult is what [Library.SearchAll] found: tracks, albums, artists
// and playlists matching a query, best matches first. Its JSON form is the
// body of the API's search answer. The slices are never nil.
type SearchResult struct {
	Tracks    []Track          `json:"tracks"`
	Albums    []Album          `json:"albums"`
	Artists   []Artist         `json:"artists"`
	Playlists []PlaylistResult `json:"playlists"`
}

// PlaylistResult is a playlist [Library.SearchAll] found by its name: one
// people made ([PlaylistInfo], File false) or a playlist file of the
// library ([FilePlaylist], File true). Tracks is its number of entries.
type PlaylistResult struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Tracks int    `json:"trackCount"`
	File   bool   `json:"file"`
}

// Search returns every track matching q, ranked, as [Library.SearchAll]
// matches and ranks its tracks but without a limit: every word of q inside
// a word (at its start or anywhere in it) of the title, artist, album,
// album artist, genre or year, ignoring case and diacritics, those matched
// at words' starts first. It is the window's song filter, so the window
// finds what the page's search finds. An empty query, or one without
// letters or digits, matches every track in library order.
func (l *Library) Search(q string) []Track {
	v := l.view()
	// Collect the positions first and copy each track once: growing a slice
	// of Track values match by match (a short query matches most of a
	// 50,000-track library) copied megabytes over and over.
	var idx []int
	for i := range v.trackIdx.search(q, 0, true) {
		idx = append(idx, i)
	}
	out := make([]Track, len(idx))
	for k, i := range idx {
		out[k] = v.tracks[i]
	}
	return out
}

// SearchAll returns up to limit tracks, albums, artists and playlists
// matching q; limit ≤ 0 means no limit. Matching ignores case and
// diacritics ("beyonce" finds "Beyoncé", "strasse" finds "Straße"), and
// every word of q must be inside a word (at its start or anywhere in it)
// of the title, artist, album, album artist, genre or year of a track; of
// the title, artist, genre or year of an album; of an artist's name; or of
// a playlist's name; in any order ("ros sig" finds "Sigur Rós", "pop"
// finds "K-Pop", "Popular" and "Synthpop", "1987" finds that year). Ranking:
// results whose title (or name) starts with q come first, then those
// whose title has a word starting with each word of q, then those where
// each word of q starts some word, and last those matched only inside
// words; each group in library order (artists and playlists by name). An
// empty query matches everything. Playlists are the ones people made
// (none without a [UserStore], or when the store cannot list them) and the
// library's playlist files.
func (l *Library) SearchAll(q string, limit int) SearchResult {
	v := l.view()
	res := SearchResult{Tracks: []Track{}, Albums: []Album{}, Artists: []Artist{}, Playlists: []PlaylistResult{}}
	for i := range v.trackIdx.search(q, limit, true) {
		res.Tracks = append(res.Tracks, v.tracks[i])
	}
	for i := range v.albumIdx.search(q, limit, true) {
		res.Albums = append(res.Albums, v.albums[i].Album)
	}
	for i := range v.artistIdx.search(q, limit, true) {
		res.Artists = append(res.Artists, v.artists[i].Artist)
	}
	var lists []PlaylistResult
	if made, err := l.Playlists(); err == nil {
		for _, p := range made {
			lists = append(lists, PlaylistResult{ID: p.ID, Name: p.Name, Tracks: p.Tracks})
		}
	}
	for _, p := range l.FilePlaylists() {
		lists = append(lists, PlaylistResult{ID: p.ID, Name: p.Name, Tracks: p.Entries, File: true})
	}
	sortByName(lists, func(p PlaylistResult) string { return p.Name })
	ix := newWordIndex(len(lists), func(d int) (string, []string) { return lists[d].Name, nil })
	for i := range ix.search(q, limit, true) {
		res.Playlists = append(res.Playlists, lists[i])
	}
	return res
}

// wordIndex is an inverted index of folded word prefixes over numbered
// documents (tracks, albums or artists), built once per scan.
type wordIndex struct {
	n     int      // number of documents
	words []string // every folded word, sorted, without duplicates
	// posts[w] lists the documents holding words[w], ascending, each as
	// doc<<1 | 1 when the word is in the document's title.
	posts [][]uint32
	// titles[d] is document d's folded title, its words joined by spaces;
	// byTitle lists the documents in the order of their titles.
	titles  []string
	byTitle []uint32
}

// newWordIndex indexes n documents. fields(d) returns document d's title
// and its other searchable fields.
func newWordIndex(n int, fields func(d int) (title string, other []string)) *wordIndex {
	ix := &wordIndex{n: n, titles: make([]string, n), byTitle: make([]uint32, n)}
	byWord := map[string]int32{}
	wordID := func(w []byte) int32 {
		i, ok := byWord[string(w)] // no allocation for a word already seen
		if !ok {
			i = int32(len(ix.words))
			s := string(w)
			byWord[s] = i
			ix.words = append(ix.words, s)
			ix.posts = append(ix.posts, nil)
		}
		return i
	}
	add := func(d int, i int32, inTitle uint32) {
		p := ix.posts[i]
		if k := len(p) - 1; k >= 0 && int(p[k]>>1) == d {
			p[k] |= inTitle
			return
		}
		ix.posts[i] = append(p, uint32(d)<<1|inTitle)
	}
	var f folder
	var title []byte
	// Artists and albums repeat from track to track: fold each once.
	folded := map[string][]int32{}
	for d := range n {
		t, other := fields(d)
		title = title[:0]
		f.each(t, func(w []byte) {
			if len(title) > 0 {
				title = append(title, ' ')
			}
			title = append(title, w...)
			add(d, wordID(w), 1)
		})
		ix.titles[d] = string(title)
		ix.byTitle[d] = uint32(d)
		for _, s := range other {
			ids, ok := folded[s]
			if !ok {
				f.each(s, func(w []byte) { ids = append(ids, wordID(w)) })
				folded[s] = ids
			}
			for _, i := range ids {
				add(d, i, 0)
			}
		}
	}
	// Sort words (and their postings with them) so that the words starting
	// with a prefix form one run found by binary search, and documents by
	// title so that the titles starting with a phrase do too.
	type entry struct {
		word  string
		posts []uint32
	}
	entries := make([]entry, len(ix.words))
	for i := range entries {
		entries[i] = entry{ix.words[i], ix.posts[i]}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.word, b.word) })
	// The postings grew by append, with up to twice the room they need:
	// move them into one array of the exact size.
	total := 0
	for _, e := range entries {
		total += len(e.posts)
	}
	all := make([]uint32, 0, total)
	for i, e := range entries {
		all = append(all, e.posts...)
		ix.words[i], ix.posts[i] = e.word, all[len(all)-len(e.posts):len(all):len(all)]
	}
	slices.SortFunc(ix.byTitle, func(a, b uint32) int {
		return cmp.Or(strings.Compare(ix.titles[a], ix.titles[b]), cmp.Compare(a, b))
	})
	return ix
}

// bitset is a set of document numbers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i/64] |= 1 << (i % 64) }

// and keeps in b only the documents also in c.
func (b bitset) and(c bitset) {
	for j := range b {
		b[j] &= c[j]
	}
}

// search yields, best first, the numbers of up to limit documents (all
// when limit ≤ 0) matching every word of q, ranked as [Library.SearchAll]
// describes; with inside false, only documents where every word of q
// starts some word (the first three groups).
func (ix *wordIndex) search(q string, limit int, inside bool) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		if ix == nil || ix.n == 0 {
			return
		}
		qw := foldWords(nil, q)
		if limit <= 0 {
			limit = ix.n
		}
		if len(qw) == 0 {
			for d := range min(limit, ix.n) {
				if !yield(d) {
					return
				}
			}
			return
		}
		// match holds the documents where every query word starts some word;
		// inTitle those where every query word starts a word of the title.
		var match, inTitle bitset
		for k, w := range qw {
			a, t := newBitset(ix.n), newBitset(ix.n)
			lo, hi := prefixRange(len(ix.words), w, func(i int) string { return ix.words[i] })
			ix.mark(lo, hi, a, t)
			if k == 0 {
				match, inTitle = a, t
				continue
			}
			match.and(a)
			inTitle.and(t)
		}
		// Tier 0: titles starting with the query, found in the sorted
		// titles; tier 1: every query word starts a word of the title;
		// tier 2: every query word starts some word; tier 3 (only worked
		// out when the others fall short of limit): every query word is
		// inside some word.
		phrase := strings.Join(qw, " ")
		starts := newBitset(ix.n)
		lo, hi := prefixRange(ix.n, phrase, func(i int) string { return ix.titles[ix.byTitle[i]] })
		for _, d := range ix.byTitle[lo:hi] {
			starts.set(int(d))
		}
		var within bitset
		tiers := []func(j int) uint64{
			func(j int) uint64 { return match[j] & starts[j] },
			func(j int) uint64 { return inTitle[j] &^ starts[j] },
			func(j int) uint64 { return match[j] &^ inTitle[j] },
			func(j int) uint64 { return within[j] &^ match[j] },
		}
		if !inside {
			tiers = tiers[:3]
		}
		n := 0
		for k, tier := range tiers {
			if k == 3 {
				within = ix.inside(qw)
			}
			for j := range match {
				for word := tier(j); word != 0; word &= word - 1 {
					if !yield(j*64 + bits.TrailingZeros64(word)) {
						return
					}
					if n++; n == limit {
						return
					}
				}
			}
		}
	}
}

// mark sets in all the documents holding words[lo:hi], and in title
// those holding one in their title (title may be nil).
func (ix *wordIndex) mark(lo, hi int, all, title bitset) {
	for _, posts := range ix.posts[lo:hi] {
		for _, p := range posts {
			all.set(int(p >> 1))
			if p&1 != 0 && title != nil {
				title.set(int(p >> 1))
			}
		}
	}
}

// inside returns the documents where every word of qw is inside some
// word (a substring of it, a prefix included).
func (ix *wordIndex) inside(qw []string) bitset {
	var match bitset
	for k, w := range qw {
		a := newBitset(ix.n)
		for i, word := range ix.words {
			if strings.Contains(word, w) {
				ix.mark(i, i+1, a, nil)
			}
		}
		if k == 0 {
			match = a
			continue
		}
		match.and(a)
	}
	return match
}

// prefixRange returns the range [lo, hi) of the n sorted strings at(0) …
// at(n-1) that start with prefix. Folded text is valid UTF-8, which never
// holds the byte 0xff, so every string starting with prefix sorts before
// prefix+"\xff".
func prefixRange(n int, prefix string, at func(int) string) (lo, hi int) {
	lo = sort.Search(n, func(i int) bool { return at(i) >= prefix })
	end := prefix + "\xff"
	hi = lo + sort.Search(n-lo, func(i int) bool { return at(lo+i) >= end })
	return lo, hi
}

// foldWords appends to dst the searchable words of s, as [folder.each]
// finds them.
func foldWords(dst []string, s string) []string {
	var f folder
	f.each(s, func(w []byte) { dst = append(dst, string(w)) })
	return dst
}

// folder splits text into searchable words, reusing its buffers from call
// to call. Its zero value is ready to use.
type folder struct {
	word, nfkd []byte
}

// each calls yield with each searchable word of s: lower-cased, without
// diacritics ("Sigur Rós" gives "sigur", "ros"), with compatibility forms
// decomposed (NFKD: "ﬁ" gives "fi") and a few letters that do not decompose
// spelled out (ß → ss, æ → ae, ø → o, ł → l, …). Words are runs of letters
// and digits; apostrophes join ("Don't" gives "dont"); every other rune
// separates. Han, Hiragana and Katakana characters are words of their own,
// since those scripts do not put spaces between words. The slice passed to
// yield is valid only during the call.
func (f *folder) each(s string, yield func(w []byte)) {
	w := f.word[:0]
	flush := func() {
		if len(w) > 0 {
			yield(w)
			w = w[:0]
		}
	}
	defer func() { f.word = w }()
	if isASCII(s) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				w = append(w, c)
			case 'A' <= c && c <= 'Z':
				w = append(w, c+'a'-'A')
			case c == '\'':
			default:
				flush()
			}
		}
		flush()
		return
	}
	f.nfkd = norm.NFKD.AppendString(f.nfkd[:0], s)
	for _, r := range string(f.nfkd) {
		switch {
		case unicode.Is(unicode.Mn, r), isApostrophe(r):
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush()
			w = utf8.AppendRune(w, r)
			flush()
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if sp, ok := spelled[r]; ok {
				w = append(w, sp...)
			} else {
				w = utf8.AppendRune(w, r)
			}
		default:
			flush()
		}
	}
	flush()
}

// spelled spells out lower-case letters that NFKD leaves whole but that
// people type without their stroke or as two letters.
var spelled = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d",
	'ð': "d", 'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŀ': "l",
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lower lower-cases s with Unicode simple case mapping. It is the key two
// names share when they differ only in case.
func lower(s string) string {
	return strings.Map(unicode.ToLower, s)
}

// compareFold compares a and b as [lower] of each would, without
// allocating: the library sorts with it on every scan.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra < utf8.RuneSelf && rb < utf8.RuneSelf {
			if 'A' <= ra && ra <= 'Z' {
				ra += 'a' - 'A'
			}
			if 'A' <= rb && rb <= 'Z' {
				rb += 'a' - 'A'
			}
		} else {
			ra, rb = unicode.ToLower(ra), unicode.ToLower(rb)
		}
		if ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}
