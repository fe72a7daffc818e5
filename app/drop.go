package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"earshot/player"
)

// Texts of the line that says what became of the files dropped on the
// window.
const (
	noFolderText  = "Choose a library folder first"
	duplicateText = "Already in your library"
	noFilesText   = "Nothing to add: no files were dropped"
)

// maxRefusalsShown is how many refused files the drop result lists, each
// with its reason, before it says how many more there were.
const maxRefusalsShown = 3

// errNotLocal is why a dropped item that is not a file on this computer
// (a URI other than file://, such as a link dragged from a browser) is
// refused.
var errNotLocal = errors.New("not a file on this computer")

// errNotRegular is why a dropped device, pipe or socket is refused.
var errNotRegular = errors.New("not a regular file")

// refusal is a dropped file that did not go into the library, and why.
type refusal struct {
	name string // the file's name, or its path below the dropped folder's parent
	err  error
}

// dropResult is what became of one drop's files.
type dropResult struct {
	added      []string // slash paths relative to the library, in the order added
	duplicates int      // files whose content the library already has
	refused    []refusal
	noFolder   bool // the library is not a folder (the demo library): nothing was tried
}

// newDropResult returns the line under the scan's progress that says what
// became of the files dropped on the window; it is hidden until a drop.
func newDropResult() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// dropped adds the files dropped on the window to the library, in a new
// goroutine: each file, and each file in a dropped folder (skipping hidden
// files and folders, whose names start with "."), is copied in with
// [player.Library.Import], which names it from its tags. Drops are
// imported one at a time, in the order they were dropped. The drop line
// shows the progress and then the result. It is the window's
// [fyne.Window.SetOnDropped] callback.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	folder := u.app.Preferences().String(prefLibraryFolder)
	u.mu.Lock()
	prev := u.lastDrop
	done := make(chan struct{})
	u.lastDrop = done
	u.mu.Unlock()
	u.uses.Go(func() {
		defer close(done)
		if prev != nil {
			<-prev // the drop before this one has been imported
		}
		u.importDropped(uris, folder)
	})
}

// importDropped imports the files at uris (see [UI.dropped]) and shows
// the result. Files already inside the library folder (the folder chosen,
// "" for none) are counted as already in the library rather than copied
// again under the names their tags give. It stops early, showing nothing
// more, when the window closes.
func (u *UI) importDropped(uris []fyne.URI, folder string) {
	files, refused := droppedFiles(uris)
	r := dropResult{refused: refused}
	for i, f := range files {
		if u.ctx.Err() != nil {
			return
		}
		if inFolder(folder, f.path) {
			r.duplicates++
			continue
		}
		fyne.Do(func() {
			u.setDropLine(fmt.Sprintf("Adding %d of %d: %s…", i+1, len(files), filepath.Base(f.path)), widget.MediumImportance)
		})
		added, err := u.lib.Import(f.path, false)
		switch {
		case errors.Is(err, player.ErrNotFolder):
			r.noFolder = true
		case err != nil:
			r.refused = append(r.refused, refusal{name: f.name, err: err})
		case added.Duplicate:
			r.duplicates++
		default:
			r.added = append(r.added, added.Path)
		}
		if r.noFolder {
			break
		}
	}
	text, imp := r.summary()
	fyne.Do(func() {
		u.setDropLine(text, imp)
		if u.hooks.dropShown != nil {
			u.hooks.dropShown(text)
		}
	})
}

// setDropLine shows text on the drop line with importance imp. When the
// line appears or its height changes, the library pane is laid out again:
// Fyne does not make room for a label that grows by itself, and the line
// would be drawn under the track table.
func (u *UI) setDropLine(text string, imp widget.Importance) {
	shown, height := u.dropResult.Visible(), u.dropResult.MinSize().Height
	u.dropResult.Importance = imp
	u.dropResult.SetText(text)
	u.dropResult.Show()
	if !shown || u.dropResult.MinSize().Height != height {
		u.libraryPane.Layout.Layout(u.libraryPane.Objects, u.libraryPane.Size())
	}
}

// droppedFile is a file to import: its path, and the name to show for it.
type droppedFile struct {
	path string
	name string // its base name, or its path below the dropped folder's parent
}

// droppedFiles lists the files to import for a drop of uris: each file
// dropped, and the regular files in each folder dropped, walked in
// lexical order, skipping entries whose names start with "." (hidden on
// Unix, and where Earshot keeps what it is importing). Items that cannot
// be imported (not local files, unreadable folders, devices) come back
// as refusals.
func droppedFiles(uris []fyne.URI) ([]droppedFile, []refusal) {
	var files []droppedFile
	var refused []refusal
	for _, uri := range uris {
		if uri.Scheme() != "file" {
			refused = append(refused, refusal{name: uri.String(), err: errNotLocal})
			continue
		}
		root := uri.Path()
		info, err := os.Stat(root)
		switch {
		case err != nil:
			refused = append(refused, refusal{name: filepath.Base(root), err: err})
		case info.Mode().IsRegular():
			files = append(files, droppedFile{path: root, name: filepath.Base(root)})
		case info.IsDir():
			f, r := walkDropped(root)
			files, refused = append(files, f...), append(refused, r...)
		default:
			refused = append(refused, refusal{name: filepath.Base(root), err: errNotRegular})
		}
	}
	return files, refused
}

// walkDropped lists the regular files under the dropped folder root (see
// [droppedFiles]), naming each by its path below root's parent:
// "Album/01 Song.flac".
func walkDropped(root string) ([]droppedFile, []refusal) {
	var files []droppedFile
	var refused []refusal
	name := func(p string) string {
		if rel, err := filepath.Rel(filepath.Dir(root), p); err == nil {
			return filepath.ToSlash(rel)
		}
		return p
	}
	// WalkDir does not follow symbolic links to folders, so it cannot loop.
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			refused = append(refused, refusal{name: name(p), err: err})
			return nil // skips an unreadable folder, goes on with the rest
		}
		if p != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
				return nil // a link to a folder or to nothing
			}
		} else if !d.Type().IsRegular() {
			return nil // pipes, sockets, devices: not music
		}
		files = append(files, droppedFile{path: p, name: name(p)})
		return nil
	})
	return files, refused
}

// inFolder reports whether the file at p is inside the folder dir; it is
// false when dir is "".
func inFolder(dir, p string) bool {
	if dir == "" {
		return false
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// summary is the drop line for r and its importance: "Added 3 files:
// Artist / Album / 01 Title.flac …", "Already in your library", or the
// refused files with their reasons, one a line.
func (r dropResult) summary() (string, widget.Importance) {
	if r.noFolder {
		return noFolderText, widget.WarningImportance
	}
	var parts []string
	switch len(r.added) {
	case 0:
	case 1:
		parts = append(parts, "Added "+showPath(r.added[0]))
	default:
		parts = append(parts, fmt.Sprintf("Added %s: %s …", plural(len(r.added), "file", "files"), showPath(r.added[0])))
	}
	switch {
	case r.duplicates == 0:
	case r.duplicates == 1 && len(parts) == 0:
		parts = append(parts, duplicateText)
	default:
		parts = append(parts, plural(r.duplicates, "file", "files")+" already in your library")
	}
	lines := []string{strings.Join(parts, " · ")}
	if len(parts) == 0 {
		lines = nil
	}
	for i, f := range r.refused {
		if i == maxRefusalsShown {
			lines = append(lines, fmt.Sprintf("and %d more refused", len(r.refused)-i))
			break
		}
		lines = append(lines, fmt.Sprintf("Refused %s: %s", f.name, refusalReason(f)))
	}
	if len(lines) == 0 {
		return noFilesText, widget.MediumImportance
	}
	imp := widget.MediumImportance
	switch {
	case len(r.refused) > 0 && len(r.added)+r.duplicates == 0:
		imp = widget.DangerImportance
	case len(r.refused) > 0:
		imp = widget.WarningImportance
	case len(r.added) > 0:
		imp = widget.SuccessImportance
	}
	return strings.Join(lines, "\n"), imp
}

// showPath shows a slash path relative to the library as people read it:
// "Artist / Album / 01 Title.flac".
func showPath(p string) string {
	return strings.ReplaceAll(p, "/", " / ")
}

// refusalReason says why the file f was refused, from the error
// [player.Library.Import] or the walk returned, without the file's name
// that Import's errors start with ("x.mp3: not an audio or video file…").
func refusalReason(f refusal) string {
	return strings.TrimPrefix(f.err.Error(), path.Base(f.name)+": ")
}
