package web

import (
	"strconv"
	"strings"
)

// maxRanges is the most byte ranges one request may ask for. A header with
// more (thousands of tiny ranges are a known amplification trick) is
// ignored and the whole file is sent with 200, as RFC 9110 §14.2 allows.
const maxRanges = 16

// fixRange returns the Range header value to hand to [http.ServeContent],
// or "" to have the header ignored. It closes ServeContent's RFC 9110 gaps
// without parsing ranges into offsets itself:
//
//   - A unit other than "bytes" is ignored (§14.2: a server "MUST ignore" a
//     range unit it does not understand), while unit names compare
//     case-insensitively (§14.1), so "Bytes=0-1" is honoured; ServeContent
//     would answer both with 416.
//   - A syntactically invalid set (§14.1.1, for example "bytes=abc" or
//     "bytes=5-3") is ignored, as nginx does, instead of 416.
//   - A suffix of length zero ("bytes=-0") selects nothing and is dropped;
//     if nothing is left the set is unsatisfiable and becomes "bytes=size-",
//     which ServeContent answers with 416 and "Content-Range: bytes */size"
//     (§15.5.17) instead of a reversed "bytes size-(size-1)/size".
//   - Any range of an empty file is unsatisfiable (416), as is a set with
//     only zero-length suffixes.
//   - A number too large for int64 makes the set invalid (ignored).
//   - More than [maxRanges] ranges are ignored.
//
// headers holds every Range field line of the request; more than one is
// invalid (the field is a singleton) and ignored.
func fixRange(headers []string, size int64) string {
	if len(headers) != 1 {
		return ""
	}
	unit, set, ok := strings.Cut(headers[0], "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(unit), "bytes") {
		return ""
	}
	var specs []string
	for spec := range strings.SplitSeq(set, ",") {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue // empty list elements are allowed (§5.6.1)
		}
		first, last, ok := strings.Cut(spec, "-")
		if !ok || !validRangeSpec(first, last) {
			return ""
		}
		if first == "" && isZero(last) {
			continue
		}
		specs = append(specs, spec)
	}
	switch {
	case len(specs) > maxRanges:
		return ""
	case len(specs) == 0 || size == 0:
		// An empty representation satisfies no range (§14.1.3); ServeContent
		// would answer a suffix range with "bytes 0--1/0".
		if len(set) == 0 {
			return ""
		}
		return "bytes=" + strconv.FormatInt(size, 10) + "-"
	}
	return "bytes=" + strings.Join(specs, ",")
}

// validRangeSpec reports whether first-last is a byte-range-spec or a
// suffix-range (§14.1.2): digits on either side, at least one side present,
// and first ≤ last when both are.
func validRangeSpec(first, last string) bool {
	if first == "" {
		_, err := strconv.ParseInt(last, 10, 64)
		return isDigits(last) && err == nil
	}
	a, err := strconv.ParseInt(first, 10, 64)
	if !isDigits(first) || err != nil {
		return false
	}
	if last == "" {
		return true
	}
	b, err := strconv.ParseInt(last, 10, 64)
	return isDigits(last) && err == nil && a <= b
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isZero(s string) bool { return strings.Trim(s, "0") == "" }
