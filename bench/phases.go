//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The phases -phases selects. Generating (or checking a reused library)
// and warming the page cache always run.
const (
	phaseBare    = "bare"
	phaseScan    = "scan"
	phaseRescan  = "rescan"
	phaseLaunch  = "launch"
	phaseSearch  = "search"
	phaseProcess = "process"
	allPhases    = "bare,scan,rescan,launch,search,process"
)

// parsePhases returns the phases named in list, comma-separated, each
// known phase mapped to whether it runs. The cold scan runs whenever a
// phase that starts from it does, and the bare loops whenever the cold
// scan or the whole process is compared with them.
func parsePhases(list string) (map[string]bool, error) {
	on := map[string]bool{}
	for _, p := range strings.Split(allPhases, ",") {
		on[p] = false
	}
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if _, ok := on[p]; !ok {
			return nil, fmt.Errorf("-phases: unknown phase %q (known: %s)", p, allPhases)
		}
		on[p] = true
	}
	if on[phaseRescan] || on[phaseLaunch] || on[phaseSearch] {
		on[phaseScan] = true
	}
	if on[phaseScan] || on[phaseProcess] {
		on[phaseBare] = true
	}
	return on, nil
}

// sameFiles checks that dir, a library generated earlier, holds a file
// at every planned path, so that a reused library matches -n and -seed
// (verify then compares a sample's tags with the plan), and no other
// audio files.
func sameFiles(dir string, specs []trackSpec) error {
	for _, s := range specs {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(s.Path))); err != nil {
			return fmt.Errorf("reuse %s: %w (was it generated with the same -n and -seed?)", dir, err)
		}
	}
	paths, err := audioPaths(dir)
	if err != nil {
		return err
	}
	if len(paths) != len(specs) {
		return fmt.Errorf("reuse %s: it holds %d audio files, the plan %d (was it generated with the same -n and -seed?)", dir, len(paths), len(specs))
	}
	return nil
}
