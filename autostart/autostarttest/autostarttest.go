// Package autostarttest checks start-at-login entries in tests with the
// platform's own tools.
package autostarttest

import (
	"os/exec"
	"strings"
	"testing"
)

// ValidateDesktop runs desktop-file-validate (Debian's desktop-file-utils,
// which make's test dependencies install) on the desktop entry at path and
// fails t when it reports an error or a warning; hints are allowed. A
// missing validator fails t too, except under go test -short, which skips.
func ValidateDesktop(t testing.TB, path string) {
	t.Helper()
	tool, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		if testing.Short() {
			t.Skip("desktop-file-validate not installed (desktop-file-utils); skipped under -short")
		}
		t.Fatalf("desktop-file-validate not installed: install desktop-file-utils (make deps-test): %v", err)
	}
	out, err := exec.Command(tool, path).CombinedOutput()
	if err != nil {
		t.Fatalf("desktop-file-validate %s: %v\n%s", path, err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.Contains(line, "error:") || strings.Contains(line, "warning:") {
			t.Errorf("desktop-file-validate %s: %s", path, line)
		}
	}
}
