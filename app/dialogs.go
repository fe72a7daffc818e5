package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne's dialogs do not close on Escape, and their buttons answer only
// Space. The window's own dialogs are therefore custom dialogs with
// keyButtons, and every dialog the window opens is kept on a stack that
// Escape closes from the top: through the canvas's key handler while
// nothing in the dialog has the focus, and through the focused keyButton,
// table or list otherwise. (Inside Fyne's folder dialog the focused
// widgets are Fyne's own, which keep Escape; there only Cancel closes it.)

// escapable is a dialog that Escape can close.
type escapable interface {
	// Dismiss closes the dialog as its Cancel button would.
	Dismiss()
	// SetOnClosed adds a function called when the dialog closes, however.
	SetOnClosed(func())
}

// trackDialog makes d the dialog that Escape closes, until it closes.
// Call it before d.Show.
func (u *UI) trackDialog(d escapable) {
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() {
		if i := slices.Index(u.dialogs, d); i >= 0 {
			u.dialogs = slices.Delete(u.dialogs, i, i+1)
		}
	})
}

// typedKey is the window's key handler, for keys that no focused widget
// used: Escape closes the dialog opened last, if any.
func (u *UI) typedKey(ev *fyne.KeyEvent) {
	if ev.Name != fyne.KeyEscape || len(u.dialogs) == 0 {
		return
	}
	u.dialogs[len(u.dialogs)-1].Dismiss()
}

// confirmDialog asks before doing something: Cancel, which has the focus
// when it opens (so that Enter does nothing harmful), and a confirm button.
type confirmDialog struct {
	*dialog.CustomDialog
	cancel  *keyButton
	confirm *keyButton
}

// newConfirm builds a dialog titled title saying message, with Cancel and
// a button labelled confirm, of importance imp, that closes the dialog and
// calls onConfirm. Cancel, Escape and closing otherwise call nothing.
func (u *UI) newConfirm(title, message, confirm string, imp widget.Importance, onConfirm func()) *confirmDialog {
	text := widget.NewLabel(message)
	text.Alignment = fyne.TextAlignCenter
	text.Wrapping = fyne.TextWrapWord
	d := &confirmDialog{CustomDialog: dialog.NewCustomWithoutButtons(title, text, u.win)}
	d.SetIcon(theme.QuestionIcon())
	d.cancel = u.newButton("Cancel", theme.CancelIcon(), d.Hide)
	d.confirm = u.newButton(confirm, theme.ConfirmIcon(), func() {
		d.Hide()
		onConfirm()
	})
	d.confirm.Importance = imp
	d.SetButtons([]fyne.CanvasObject{d.cancel, d.confirm})
	return d
}

// showConfirm opens d with the focus on its Cancel button.
func (u *UI) showConfirm(d *confirmDialog) {
	u.trackDialog(d)
	d.Show()
	u.win.Canvas().Focus(d.cancel)
}

// Confirm closes the dialog as its confirm button does.
func (d *confirmDialog) Confirm() {
	d.confirm.OnTapped()
}

// showMessage opens a dialog titled title showing content, with one
// button, labelled button, that closes it, and the given icon (nil for
// none). It returns the button.
func (u *UI) showMessage(title string, icon fyne.Resource, content fyne.CanvasObject, button string, size fyne.Size) *keyButton {
	d := dialog.NewCustomWithoutButtons(title, content, u.win)
	d.SetIcon(icon)
	b := u.newButton(button, nil, d.Hide)
	d.SetButtons([]fyne.CanvasObject{b})
	if !size.IsZero() {
		d.Resize(size)
	}
	u.trackDialog(d)
	d.Show()
	return b
}

// showError opens a dialog showing err, with an OK button that has the
// focus, so that Enter, Space or Escape closes it.
func (u *UI) showError(err error) {
	text := widget.NewLabel(err.Error())
	text.Wrapping = fyne.TextWrapWord
	text.Alignment = fyne.TextAlignCenter
	ok := u.showMessage("Error", theme.ErrorIcon(), text, "OK", fyne.Size{})
	u.win.Canvas().Focus(ok)
}
