package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The layout rules of issue 9 that code review alone lets drift.
const (
	maxFileLines = 500 // a non-test Go file
	maxFuncLines = 80  // a function body, from func to closing brace
)

// ownGoFiles returns the non-test Go files of the project (third_party is
// someone else's code), by path relative to the module root.
func ownGoFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (p == "third_party" || strings.HasPrefix(d.Name(), ".") && p != ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d Go files: not run from the module root?", len(files))
	}
	return files
}

// TestFileAndFunctionSize checks that no non-test Go file is longer than
// maxFileLines and no function longer than maxFuncLines.
func TestFileAndFunctionSize(t *testing.T) {
	fset := token.NewFileSet()
	for _, p := range ownGoFiles(t) {
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if n := fset.File(f.Pos()).LineCount(); n > maxFileLines {
			t.Errorf("%s has %d lines, want ≤ %d: split it by what it holds", p, n, maxFileLines)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if n > maxFuncLines {
				t.Errorf("%s: func %s has %d lines, want ≤ %d", fset.Position(fn.Pos()), fn.Name.Name, n, maxFuncLines)
			}
		}
	}
}

// packageStateAllowed lists the package-level variables of player/... and
// web that stay, each with the reason it is not mutable state. Sentinel
// errors (errors.New), sync.Pools and `var _ I = T{}` checks are allowed
// without a listing.
var packageStateAllowed = map[string]string{
	"player.ThumbnailSizes":           "a slice, so that callers can range over it and use slices.Contains; never written",
	"player.emptyViews":               "the views of an empty library, built once and immutable like every views value",
	"player.spelled":                  "a map from letters to their spelled-out forms for search folding; never written",
	"player/probe.formatByExt":        "a map from file extensions to formats; never written",
	"player/probe.mpegBitrates":       "the ISO 11172-3 bit-rate table; an array cannot be a constant",
	"player/probe.mpegRates":          "the MPEG sample-rate table; an array cannot be a constant",
	"player/probe.oggCRCTable":        "the Ogg CRC-32 table (RFC 3533), computed once at start-up",
	"player/artwork.thumbScaler":      "draw.CatmullRom, a value of golang.org/x/image/draw",
	"player/artwork.thumbCodecs":      "a map from image media types to decoders; never written",
	"player/store.minNanoTime":        "a time.Time bound, which cannot be a constant",
	"player/store.maxNanoTime":        "a time.Time bound, which cannot be a constant",
	"player/store.indexSchemaVersion": "len(indexMigrations), a slice's length",
	"player/store.indexMigrations":    "the schema migrations, a slice of SQL scripts; never written",
	"player/store.insertTracksSQL":    "an SQL statement built by a function at start-up",
	"player/store.insertTrackSQL":     "an SQL statement built by a function at start-up",
	"player/store.selectTracksSQL":    "an SQL statement concatenated from constants",
	"player/store.insertProblemSQL":   "an SQL statement concatenated from constants",
	"player/store.selectProblemsSQL":  "an SQL statement concatenated from constants",
	"web.virtualPrefixes":             "names of virtual network interfaces, listed after physical ones; never written",
	"web.staticTypes":                 "Content-Type by file extension for the page's files; never written",
	"web.uaBrowsers":                  "User-Agent tokens to browser names for the device list; never written",
	"web.uaSystems":                   "User-Agent tokens to system names for the device list; never written",
	"web.scanKinds":                   "SSE event names by library event kind; never written",
	"web.staticFiles":                 "the embedded page (go:embed): an embed.FS is read-only",
}

// TestNoPackageState checks that player/... and web keep no package-level
// mutable state (player/playertest, which only tests import, caches its
// fixtures): every package-level var is a sync.Pool, a sentinel
// error, a compile-time interface check, or listed in
// packageStateAllowed with its reason.
func TestNoPackageState(t *testing.T) {
	fset := token.NewFileSet()
	var found []string
	for _, p := range ownGoFiles(t) {
		dir := filepath.ToSlash(filepath.Dir(p))
		if dir != "web" && dir != "player" && dir != "transcode" && !strings.HasPrefix(dir, "player/") || dir == "player/playertest" {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					var value ast.Expr
					if i < len(vs.Values) {
						value = vs.Values[i]
					}
					if name.Name == "_" || isPool(vs.Type, value) || isSentinel(value) {
						continue
					}
					id := dir + "." + name.Name
					found = append(found, id)
					if _, ok := packageStateAllowed[id]; !ok {
						t.Errorf("%s: package-level var %s is mutable state; make it a field, a constant or a function, or list it with its reason", fset.Position(name.Pos()), id)
					}
				}
			}
		}
	}
	for id := range packageStateAllowed {
		if !slices.Contains(found, id) {
			t.Errorf("packageStateAllowed lists %s, which no longer exists", id)
		}
	}
}

// isPool reports whether a var of type typ (nil when not written) with
// the value v (nil when none) is a sync.Pool.
func isPool(typ, v ast.Expr) bool {
	if lit, ok := v.(*ast.CompositeLit); ok && typ == nil {
		typ = lit.Type
	}
	sel, ok := typ.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "sync" && sel.Sel.Name == "Pool"
}

// isSentinel reports whether v is errors.New(…), fmt.Errorf(…) or another
// package's sentinel error (pkg.ErrX).
func isSentinel(v ast.Expr) bool {
	if v == nil {
		return false
	}
	if sel, ok := v.(*ast.SelectorExpr); ok {
		return strings.HasPrefix(sel.Sel.Name, "Err")
	}
	call, ok := v.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && (pkg.Name == "errors" && sel.Sel.Name == "New" || pkg.Name == "fmt" && sel.Sel.Name == "Errorf")
}
