package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newProblemsButton builds the "3 files could not be read" button shown
// beside the scan status when the last scan skipped files; it opens the
// list. It starts hidden.
func (u *UI) newProblemsButton() *keyButton {
	b := u.newButton("", theme.WarningIcon(), u.showProblems)
	b.Importance = widget.LowImportance
	b.Hide()
	return b
}

// updateProblems shows or hides the problems button for the library's
// current list of unreadable files. It runs on the UI goroutine.
func (u *UI) updateProblems() {
	n := len(u.lib.Problems())
	if n == 0 {
		u.problemsButton.Hide()
		return
	}
	u.problemsButton.SetText(problemsText(n))
	u.problemsButton.Show()
}

// problemsText is the button's text: "1 file could not be read",
// "3 files could not be read".
func problemsText(n int) string {
	if n == 1 {
		return "1 file could not be read"
	}
	return formatCount(n) + " files could not be read"
}

// showProblems opens a dialog listing each unreadable file and why.
func (u *UI) showProblems() {
	problems := u.lib.Problems()
	list := u.newList(
		func() int { return len(problems) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(problems[i]) },
	)
	copyAll := u.newButton("Copy list", theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(strings.Join(problems, "\n"))
	})
	content := container.NewBorder(
		widget.NewLabel("These files were skipped; the rest of the library is fine."),
		container.NewHBox(copyAll), nil, nil, list)
	u.showMessage(problemsText(len(problems)), nil, content, "Close", fyne.NewSize(700, 420))
}
