package app

import (
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// AboutInfo is what the About dialog shows; main knows it (the app
// package does not choose where things live).
type AboutInfo struct {
	Version string // "0.2.0"
	// Licence says under what terms Earshot and the libraries it is built
	// from may be used, one short paragraph.
	Licence string
	// Where things live, as paths; "" for what is not kept (the index
	// with -index off).
	Settings, Index, Caches, Logs string
}

// SetAbout sets what the About dialog shows.
func (u *UI) SetAbout(info AboutInfo) { u.about = info }

// aboutRows are the About dialog's "where things live" lines, in order.
func (info AboutInfo) aboutRows() [][2]string {
	rows := [][2]string{{"Settings", info.Settings}, {"Library index", info.Index}, {"Caches", info.Caches}, {"Logs", info.Logs}}
	out := rows[:0]
	for _, r := range rows {
		if r[1] == "" {
			r[1] = "not kept"
		}
		out = append(out, r)
	}
	return out
}

// showAbout opens the About dialog: the version, the licence, where the
// settings, index, caches and logs live, and Open log folder.
func (u *UI) showAbout() {
	title := widget.NewLabelWithStyle("Earshot "+u.about.Version, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	licence := widget.NewLabel(u.about.Licence)
	licence.Wrapping = fyne.TextWrapWord
	form := widget.NewForm()
	for _, r := range u.about.aboutRows() {
		v := widget.NewLabel(r[1])
		v.Wrapping = fyne.TextWrapBreak
		form.Append(r[0], v)
	}
	u.logsButton = u.newButton("Open log folder", theme.FolderOpenIcon(), u.openLogFolder)
	if u.about.Logs == "" {
		u.logsButton.Disable()
	}
	content := container.NewVBox(title, licence, form, container.NewHBox(u.logsButton))
	u.showMessage("About Earshot", theme.InfoIcon(), content, "Close", fyne.NewSize(560, 0))
}

// openLogFolder opens the folder of the log file in the file manager.
func (u *UI) openLogFolder() {
	dir := filepath.Dir(u.about.Logs)
	if err := u.openURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}); err != nil {
		u.showError(err)
	}
}
