//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// The keys of the figures, as they appear in the JSON report.
const (
	figBareSeq     = "bare_loop_sequential"
	figBarePar     = "bare_loop_parallel"
	figBareHead    = "bare_loop_head_in_memory"
	figScan        = "cold_scan"
	figScanRatio   = "cold_scan_vs_bare_loop"
	figScanRate    = "cold_scan_rate"
	figRescan      = "rescan_unchanged"
	figLaunch      = "launch_to_first_tracks"
	figRSS         = "rss_after_launch"
	figSearchP50   = "search_p50"
	figSearchP95   = "search_p95"
	figSearchMax   = "search_max"
	figHTTPSearch  = "http_search_p95"
	figTracksBytes = "tracks_response_bytes"
)

// target is a limit the issue sets on a figure: Value Op Limit, at the
// library Size the issue names (the bench checks it at every size).
type target struct {
	Op    string  `json:"op"` // "<", "≤" or "≥"
	Limit float64 `json:"limit"`
	Size  int     `json:"size"`
}

// met reports whether v meets the target.
func (t target) met(v float64) bool {
	switch t.Op {
	case "<":
		return v < t.Limit
	case "≤":
		return v <= t.Limit
	}
	return v >= t.Limit
}

// figure is one measured value. With several Runs, Value is the best
// (smallest) of them, as other work on the machine only ever adds time.
type figure struct {
	Key   string    `json:"key"`
	Name  string    `json:"name"`
	Value float64   `json:"value"`
	Unit  string    `json:"unit"`
	Runs  []float64 `json:"runs,omitempty"`
	// Median makes Value the median of Runs rather than the best.
	Median bool `json:"median,omitempty"`
	// CPU is the processor time (user and system, all threads) the
	// fastest run used, in seconds; 0 when not measured.
	CPU float64 `json:"cpuSeconds,omitempty"`
	// Others is the share (0–1) of the machine's CPUs that other processes
	// used while the figure was measured; nil when unknown or not timed.
	Others *float64 `json:"othersCPU,omitempty"`
	Note   string   `json:"note,omitempty"`
	Target *target  `json:"target,omitempty"`
	// Pass and Ratio (Value ÷ Limit) are set when there is a Target.
	Pass  *bool   `json:"pass,omitempty"`
	Ratio float64 `json:"ratio,omitempty"`
}

// libraryFacts describes the generated library.
type libraryFacts struct {
	Files           int     `json:"files"`
	Bytes           int64   `json:"bytes"`
	AudioBytes      int     `json:"audioBytesPerFile"`
	AudioSeconds    float64 `json:"audioSecondsPerFile"`
	Covers          int     `json:"filesWithCover"`
	Compilations    int     `json:"compilationTracks"`
	NonASCII        int     `json:"nonASCIITracks"`
	GenerateSeconds float64 `json:"generateSeconds"`
}

// report is everything one run of the bench measured.
type report struct {
	N          int          `json:"n"`
	Runs       int          `json:"runs"`
	GOMAXPROCS int          `json:"gomaxprocs"`
	Workers    int          `json:"scanWorkers"`
	CPU        string       `json:"cpu"`
	GoVersion  string       `json:"goVersion"`
	Date       string       `json:"date"`
	Library    libraryFacts `json:"library"`
	IndexBytes int64        `json:"indexBytes,omitempty"`
	Baseline   string       `json:"baseline"` // key of the bare loop the scan is compared with
	Figures    []figure     `json:"figures"`
}

// add completes f (its value from its runs: the least time, or the
// greatest of other measures such as memory; its verdict against its
// target), appends it and returns it.
func (r *report) add(f figure) figure {
	switch {
	case len(f.Runs) > 0 && f.Median:
		f.Value = median(f.Runs)
	case len(f.Runs) > 0 && f.Unit == "s":
		f.Value = slices.Min(f.Runs)
	case len(f.Runs) > 0:
		f.Value = slices.Max(f.Runs)
	}
	if f.Target != nil {
		pass := f.Target.met(f.Value)
		f.Pass, f.Ratio = &pass, f.Value/f.Target.Limit
	}
	r.Figures = append(r.Figures, f)
	return f
}

// get returns the figure with the given key, the zero figure if none.
func (r *report) get(key string) figure {
	for _, f := range r.Figures {
		if f.Key == key {
			return f
		}
	}
	return figure{}
}

// print writes the report as a Markdown table, ready for the README.
func (r *report) print(w io.Writer) {
	host, _ := os.Hostname()
	l := r.Library
	fmt.Fprintf(w, "Earshot bench, %s: %d tracks (%.0f MB; %d with an embedded cover, %d in compilations, %d with non-ASCII tags)\n",
		r.Date, r.N, float64(l.Bytes)/1e6, l.Covers, l.Compilations, l.NonASCII)
	fmt.Fprintf(w, "%s, %s, GOMAXPROCS %d, scan workers %d, %s; times are the best of %d runs; SQLite index %.1f MB\n\n",
		host, r.CPU, r.GOMAXPROCS, r.Workers, r.GoVersion, r.Runs, float64(r.IndexBytes)/1e6)
	rows := [][]string{{"figure", "value", "runs", "CPU time", "others' CPU", "target", "ratio", "result"}}
	for _, f := range r.Figures {
		scale, unit := displayUnit(f.Value, f.Unit)
		tgt, ratio, result := "", "", ""
		if t := f.Target; t != nil {
			ts, tu := displayUnit(t.Limit, f.Unit)
			tgt = fmt.Sprintf("%s %s %s (issue: at %dk)", t.Op, formatNumber(t.Limit*ts, tu), tu, t.Size/1000)
			ratio = fmt.Sprintf("%.2f", f.Ratio)
			result = "MISS"
			if *f.Pass {
				result = "PASS"
			}
		}
		var runs []string
		if len(f.Runs) > 1 {
			for _, v := range f.Runs {
				runs = append(runs, formatNumber(v*scale, unit))
			}
		}
		name := f.Name
		if f.Key == r.Baseline {
			name += " (baseline)"
		}
		if f.Median && len(f.Runs) > 1 {
			name += ", median pass"
		}
		others := ""
		if f.Others != nil {
			others = fmt.Sprintf("%.0f %%", 100**f.Others)
		}
		cpu := ""
		if f.CPU > 0 {
			cs, cu := displayUnit(f.CPU, "s")
			cpu = formatNumber(f.CPU*cs, cu) + " " + cu
		}
		rows = append(rows, []string{name, formatNumber(f.Value*scale, unit) + " " + unit, strings.Join(runs, ", "), cpu, others, tgt, ratio, result})
	}
	writeMarkdown(w, rows)
	for _, f := range r.Figures {
		if f.Note != "" {
			fmt.Fprintf(w, "\n- %s: %s", f.Name, f.Note)
		}
	}
	fmt.Fprintln(w)
}

// writeMarkdown writes rows as a Markdown table with padded columns, the
// first row as its header; columns after the first are right-aligned.
func writeMarkdown(w io.Writer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c), 3)
		}
	}
	line := func(row []string) {
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				fmt.Fprintf(w, "| %s%s ", c, pad)
			} else {
				fmt.Fprintf(w, "| %s%s ", pad, c)
			}
		}
		fmt.Fprintln(w, "|")
	}
	line(rows[0])
	for i, n := range widths {
		if i == 0 {
			fmt.Fprintf(w, "|%s", strings.Repeat("-", n+2))
		} else {
			fmt.Fprintf(w, "|%s:", strings.Repeat("-", n+1))
		}
	}
	fmt.Fprintln(w, "|")
	for _, row := range rows[1:] {
		line(row)
	}
}

// displayUnit returns the factor and unit to show v (in unit) with:
// milliseconds for times under a second.
func displayUnit(v float64, unit string) (float64, string) {
	if unit == "s" && v < 1 {
		return 1000, "ms"
	}
	return 1, unit
}

// median returns the middle value of xs, the mean of the two middle ones
// for an even count.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// formatNumber prints v, already in unit, with a sensible precision.
func formatNumber(v float64, unit string) string {
	switch unit {
	case "ms", "MB":
		switch {
		case v < 1:
			return fmt.Sprintf("%.2f", v)
		case v < 100:
			return fmt.Sprintf("%.1f", v)
		}
		return fmt.Sprintf("%.0f", v)
	case "s", "×":
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// cpuModel returns the processor's name from /proc/cpuinfo, "" elsewhere.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
