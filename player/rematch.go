package player

import "fmt"

// maxHashCandidates is the most files of one size [Library.rematch] hashes
// to find one moved file by content; beyond it only tags are compared.
const maxHashCandidates = 8

// rematch finds again the tracks that user data names ([UserStore.Refs])
// by IDs the library, just installed from a scan of src, no longer holds:
// a file moved or renamed keeps its playlists, hearts, play count and
// position. For each such reference it looks among the library's tracks
// that no reference names yet, first for a file of the same size whose
// first bytes hash the same ([MatchContent]; only when the reference has
// a hash and at most [maxHashCandidates] files have that size), then for
// one with the same [Fingerprint], preferring the same size ([MatchTags]).
// A reference that matches nothing stays as it is: its file may come back.
// It returns the moves made, each saying how it was found.
func (l *Library) rematch(src Source) ([]RefMove, error) {
	if l.user == nil {
		return nil, nil
	}
	refs, err := l.user.Refs()
	if err != nil {
		return nil, fmt.Errorf("find moved tracks: %w", err)
	}
	l.mu.RLock()
	tracks, byID := l.tracks, l.byID
	l.mu.RUnlock()
	referenced := make(map[string]bool, len(refs))
	var missing []TrackRef
	for _, r := range refs {
		referenced[r.ID] = true
		if _, ok := byID[r.ID]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	bySize := map[int64][]int{}
	byPrint := map[string][]int{}
	for i := range tracks {
		if !referenced[tracks[i].ID] {
			fp := Fingerprint(&tracks[i])
			bySize[tracks[i].Size] = append(bySize[tracks[i].Size], i)
			byPrint[fp] = append(byPrint[fp], i)
		}
	}
	taken := map[int]bool{}
	var moves []RefMove
	for _, r := range missing {
		i, by := matchContent(src, tracks, r, bySize[r.Size], taken), MatchContent
		if i < 0 {
			i, by = matchTags(tracks, r, byPrint[r.Fingerprint], taken), MatchTags
		}
		if i < 0 {
			continue
		}
		taken[i] = true
		to := refOf(&tracks[i])
		to.Hash, to.MatchedBy, to.MatchedFrom = r.Hash, by, r.Path
		moves = append(moves, RefMove{From: r.ID, To: to})
	}
	if len(moves) == 0 {
		return nil, nil
	}
	if err := l.user.MoveRefs(moves); err != nil {
		return nil, fmt.Errorf("follow moved tracks: %w", err)
	}
	l.changed("moved")
	return moves, nil
}

// matchContent returns the index of the candidate track not taken whose
// content hash is r's, or -1. When several are (the tracks of one cue
// sheet share their file), it is the one among them with r's fingerprint,
// or none.
func matchContent(src Source, tracks []Track, r TrackRef, candidates []int, taken map[int]bool) int {
	if r.Hash == "" || len(candidates) > maxHashCandidates {
		return -1
	}
	var same []int
	hashes := map[string]string{}
	for _, i := range candidates {
		p := tracks[i].Path
		h, ok := hashes[p]
		if !ok {
			h = headHash(src, p)
			hashes[p] = h
		}
		if !taken[i] && h == r.Hash {
			same = append(same, i)
		}
	}
	if len(same) == 1 {
		return same[0]
	}
	for _, i := range same {
		if Fingerprint(&tracks[i]) == r.Fingerprint {
			return i
		}
	}
	return -1
}

// matchTags returns the index of the candidate track not taken of r's
// size, else of the first not taken, or -1.
func matchTags(tracks []Track, r TrackRef, candidates []int, taken map[int]bool) int {
	found := -1
	for _, i := range candidates {
		if taken[i] {
			continue
		}
		if tracks[i].Size == r.Size {
			return i
		}
		if found < 0 {
			found = i
		}
	}
	return found
}
