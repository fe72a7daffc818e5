package player_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// tables are the package-level variables of player/... that are neither
// errors nor sync.Pools: lookup tables and values built once at start-up
// and never written, by package/name, with why each is not a constant.
var tables = map[string]string{
	"player/ThumbnailSizes":    "a slice, so that callers can range over it and use slices.Contains",
	"player/emptyViews":        "the views of an empty library, built by buildViews and immutable like every views",
	"player/spelled":           "a map from letters to their spelled-out forms for search folding",
	"probe/formatByExt":        "a map from extensions to formats",
	"probe/mpegBitrates":       "an array table of ISO 11172-3 bit rates; an array cannot be a constant",
	"probe/mpegRates":          "an array table of MPEG sample rates",
	"probe/oggCRCTable":        "the Ogg CRC-32 table, computed once",
	"artwork/thumbScaler":      "draw.CatmullRom, a value of golang.org/x/image/draw",
	"artwork/thumbCodecs":      "a map from image media types to decoders",
	"store/minNanoTime":        "a time.Time, which cannot be a constant",
	"store/maxNanoTime":        "a time.Time, which cannot be a constant",
	"store/indexSchemaVersion": "len(indexMigrations), a slice's length",
	"store/indexMigrations":    "the schema migrations, a slice of SQL scripts",
	"store/insertTracksSQL":    "an SQL statement built by a function at start-up",
	"store/insertTrackSQL":     "an SQL statement built by a function at start-up",
	"store/selectTracksSQL":    "an SQL statement concatenated from constants",
	"store/insertProblemSQL":   "an SQL statement",
	"store/selectProblemsSQL":  "an SQL statement",
}

// TestNoPackageState checks that player and its sub-packages (but the
// test-only playertest, whose fixture caches live for one test process)
// keep no mutable state at package level: every package-level variable
// is an error made by errors.New (or another package's error), a
// sync.Pool, or one of the never-written tables above.
func TestNoPackageState(t *testing.T) {
	fset := token.NewFileSet()
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "playertest" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		pkg := filepath.Base(filepath.Dir(p))
		if pkg == "." {
			pkg = "player"
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					key := pkg + "/" + name.Name
					var value ast.Expr
					if i < len(vs.Values) {
						value = vs.Values[i]
					}
					switch {
					case name.Name == "_", isError(name.Name, value), isPool(vs.Type, value):
					case tables[key] != "":
						seen[key] = true
					default:
						t.Errorf("%s: package-level variable %s is mutable state; make it a field, or a constant table listed in tables", fset.Position(name.Pos()), key)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key := range tables {
		if !seen[key] {
			t.Errorf("tables lists %s, which no longer exists", key)
		}
	}
}

// isError reports whether a variable called name with value v is an error
// sentinel: errors.New(...) or another package's ErrX.
func isError(name string, v ast.Expr) bool {
	if !strings.HasPrefix(name, "Err") && !strings.HasPrefix(name, "err") {
		return false
	}
	switch v := v.(type) {
	case *ast.CallExpr:
		sel, ok := v.Fun.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "New" && isIdent(sel.X, "errors")
	case *ast.SelectorExpr:
		return strings.HasPrefix(v.Sel.Name, "Err")
	}
	return false
}

// isPool reports whether a variable of type typ with value v is a
// sync.Pool.
func isPool(typ, v ast.Expr) bool {
	if c, ok := v.(*ast.CompositeLit); ok {
		typ = c.Type
	}
	sel, ok := typ.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Pool" && isIdent(sel.X, "sync")
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
