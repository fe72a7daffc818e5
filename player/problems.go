package player

import (
	"strings"

	"earshot/player/probe"
)

// Problem is one file the library lists as a problem: a file the last scan
// could not read, or one of a format only ffmpeg reads that was scanned
// without ffmpeg. Its JSON form is an element of GET /api/problems.
type Problem struct {
	// Path is the file's slash-separated path relative to the library
	// root, as in [Track.Path].
	Path string `json:"path"`
	// Reason says why, in words for a person: "flac duration: malformed
	// or truncated audio: no fLaC marker", "permission denied",
	// "needs ffmpeg".
	Reason string `json:"reason"`
	// TrackID is set for a file that is listed as a track all the same
	// (one that needs ffmpeg: [Track.NeedsFFmpeg]); "" (and omitted from
	// the JSON) for a file the library does not hold.
	TrackID string `json:"trackId,omitempty"`
}

// ProblemFiles returns the files of [Library.Problems], each split into
// its path and reason, then those of [Library.NeedsFFmpeg] with the reason
// [probe.ErrNoFFmpeg] ("needs ffmpeg") and their track IDs. It returns an
// empty, non-nil slice when there is no problem.
func (l *Library) ProblemFiles() []Problem {
	lines, needs := l.Problems(), l.NeedsFFmpeg()
	out := make([]Problem, 0, len(lines)+len(needs))
	for _, line := range lines {
		p, reason := SplitProblem(line)
		out = append(out, Problem{Path: p, Reason: reason})
	}
	for _, p := range needs {
		out = append(out, Problem{Path: p, Reason: probe.ErrNoFFmpeg.Error(), TrackID: TrackID(p)})
	}
	return out
}

// SplitProblem splits a line of [Library.Problems], "path: reason", into
// its path and reason. A path may itself hold ": " (Linux allows it in a
// name), so the first split whose path names a file of a format Earshot
// reads ([probe.FormatOf]) wins; a line with no such split (a folder that
// could not be read) is split at its first ": ". A line without ": " is
// all path, with the reason "could not be read".
func SplitProblem(line string) (path, reason string) {
	first := strings.Index(line, ": ")
	if first < 0 {
		return line, "could not be read"
	}
	for i := first; i >= 0; {
		if _, ok := probe.FormatOf(line[:i]); ok {
			return line[:i], line[i+2:]
		}
		next := strings.Index(line[i+2:], ": ")
		if next < 0 {
			break
		}
		i += 2 + next
	}
	return line[:first], line[first+2:]
}
