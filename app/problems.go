package app

import (
	"slices"
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
// current list of unreadable files and of files that need ffmpeg. It runs
// on the UI goroutine.
func (u *UI) updateProblems() {
	n, m := len(u.lib.Problems()), len(u.lib.NeedsFFmpeg())
	if n+m == 0 {
		u.problemsButton.Hide()
		return
	}
	u.problemsButton.SetText(problemsText(n, m))
	u.problemsButton.Show()
}

// problemsText is the button's text for n unreadable files and m that
// need ffmpeg: "1 file could not be read", "3 files could not be read",
// "2 files need ffmpeg", "3 files could not be read, 2 need ffmpeg".
func problemsText(n, m int) string {
	var unread, need string
	switch n {
	case 0:
	case 1:
		unread = "1 file could not be read"
	default:
		unread = formatCount(n) + " files could not be read"
	}
	switch {
	case m == 0:
		return unread
	case n > 0 && m == 1:
		need = "1 needs ffmpeg"
	case n > 0:
		need = formatCount(m) + " need ffmpeg"
	case m == 1:
		need = "1 file needs ffmpeg"
	default:
		need = formatCount(m) + " files need ffmpeg"
	}
	if unread == "" {
		return need
	}
	return unread + ", " + need
}

// ffmpegHelp tells how to get ffmpeg, shown above the files that need it.
const ffmpegHelp = "Files marked \"needs ffmpeg\" are listed but can't be read or played without it. " +
	"Install ffmpeg (on Debian or Ubuntu: sudo apt install ffmpeg), or put ffmpeg and ffprobe " +
	"next to Earshot, then restart Earshot."

// problemLines lists the unreadable files (each with why) and then the
// files that need ffmpeg.
func problemLines(problems, needs []string) []string {
	lines := slices.Clone(problems)
	for _, p := range needs {
		lines = append(lines, p+": needs ffmpeg")
	}
	return lines
}

// showProblems opens a dialog listing each unreadable file and why, and
// the files that need ffmpeg with how to get it.
func (u *UI) showProblems() {
	needs := u.lib.NeedsFFmpeg()
	problems := problemLines(u.lib.Problems(), needs)
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
	intro := widget.NewLabel("These files were skipped; the rest of the library is fine.")
	switch {
	case len(needs) == len(problems):
		intro.SetText(ffmpegHelp)
	case len(needs) > 0:
		intro.SetText(intro.Text + "\n" + ffmpegHelp)
	}
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(intro, container.NewHBox(copyAll), nil, nil, list)
	u.showMessage(problemsText(len(problems)-len(needs), len(needs)), nil, content, "Close", fyne.NewSize(700, 420))
}
