package app

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window is usable from the keyboard alone. Fyne moves the focus with
// Tab and Shift+Tab in the order of the object tree (internal/app
// focus_manager.go walks each container's Objects in order), so the
// containers list their objects in reading order; Fyne's button answers
// only Space (widget/button.go TypedKey), so the window's buttons are
// keyButtons; and Fyne shows a focused button, table or list only by a
// faint tint, so they draw a ring of ringWidth in the focus colour, which
// focusTheme makes ringAlpha opaque.

// ringWidth is the width of the focus ring, in pixels (WCAG 2.2's 2.4.13
// asks for at least 2 CSS pixels).
const ringWidth = 2

// ringOutset is how far outside a button its focus ring is drawn, in
// pixels, so that the ring shows even on a button filled with the focus
// colour (the primary one). It stays within the theme's 4-px padding.
const ringOutset = 3

// ringAlpha is the focus colour's opacity (0–255): about 80 %, where
// Fyne's default is 50 %, so that a focused check or button stands out.
const ringAlpha = 0xcc

// focusTheme is Fyne's default theme with a more opaque focus colour.
type focusTheme struct {
	fyne.Theme // the default theme
}

// newFocusTheme returns the window's theme: Fyne's default, with the
// focus colour at ringAlpha.
func newFocusTheme() fyne.Theme {
	return focusTheme{Theme: theme.DefaultTheme()}
}

// Color returns the default theme's colour for name in variant v, with
// the focus colour made ringAlpha opaque.
func (t focusTheme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	c := t.Theme.Color(name, v)
	if name != theme.ColorNameFocus {
		return c
	}
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = ringAlpha
	return n
}

// keyButton is a [widget.Button] that the keyboard can use: Enter, keypad
// Enter and Space tap it, other keys go to onKey (the window's handler,
// where Escape closes the dialog on top), and a focus ring shows around it
// while it has the focus.
type keyButton struct {
	widget.Button
	ring  focusRing
	onKey func(*fyne.KeyEvent) // keys the button does not use; may be nil
}

// newButton returns a keyButton labelled label (and icon, which may be
// nil) that calls tapped, passing the keys it does not use to the
// window's key handler.
func (u *UI) newButton(label string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{Button: widget.Button{Text: label, Icon: icon, OnTapped: tapped}, onKey: u.typedKey}
	b.ring.outset = ringOutset
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey taps the button on Enter, keypad Enter or Space (a disabled
// button ignores them, as it ignores clicks) and passes other keys on.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		b.Tapped(&fyne.PointEvent{})
	default:
		if b.onKey != nil {
			b.onKey(ev)
		}
	}
}

// FocusGained shows the focus ring.
func (b *keyButton) FocusGained() {
	b.Button.FocusGained()
	b.ring.show(true)
}

// FocusLost hides the focus ring.
func (b *keyButton) FocusLost() {
	b.Button.FocusLost()
	b.ring.show(false)
}

// CreateRenderer draws the button with its focus ring.
func (b *keyButton) CreateRenderer() fyne.WidgetRenderer {
	return b.ring.wrap(b, b.Button.CreateRenderer())
}

// focusTable is a [widget.Table] with a focus ring around it while it has
// the focus (Fyne marks only the focused cell, faintly, and nothing in an
// empty table). Escape goes on to onKey; Enter selects the focused cell
// and calls onActivate, as a double-click on a cell does (play.go).
type focusTable struct {
	widget.Table
	ring       focusRing
	onKey      func(*fyne.KeyEvent)
	onActivate func() // may be nil
}

// newTable returns a focusTable with Fyne's [widget.NewTable] arguments.
func (u *UI) newTable(length func() (int, int), create func() fyne.CanvasObject,
	update func(widget.TableCellID, fyne.CanvasObject)) *focusTable {
	t := &focusTable{onKey: u.typedKey}
	t.Length, t.CreateCell, t.UpdateCell = length, create, update
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey moves in the table (arrows, Space selects), activates the
// focused cell's row (Enter, keypad Enter) and passes Escape on.
func (t *focusTable) TypedKey(ev *fyne.KeyEvent) {
	switch {
	case ev.Name == fyne.KeyEscape && t.onKey != nil:
		t.onKey(ev)
	case (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && t.onActivate != nil:
		t.Table.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) // selects the focused cell
		t.onActivate()
	default:
		t.Table.TypedKey(ev)
	}
}

// FocusGained shows the focus ring.
func (t *focusTable) FocusGained() {
	t.Table.FocusGained()
	t.ring.show(true)
}

// FocusLost hides the focus ring.
func (t *focusTable) FocusLost() {
	t.Table.FocusLost()
	t.ring.show(false)
}

// CreateRenderer draws the table with its focus ring.
func (t *focusTable) CreateRenderer() fyne.WidgetRenderer {
	return t.ring.wrap(t, t.Table.CreateRenderer())
}

// focusList is a [widget.List] with a focus ring around it while it has
// the focus (Fyne shows only a faint hover on the focused row). Escape
// goes on to onKey.
type focusList struct {
	widget.List
	ring  focusRing
	onKey func(*fyne.KeyEvent)
}

// newList returns a focusList with Fyne's [widget.NewList] arguments.
func (u *UI) newList(length func() int, create func() fyne.CanvasObject,
	update func(widget.ListItemID, fyne.CanvasObject)) *focusList {
	l := &focusList{onKey: u.typedKey}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey moves in the list (arrows, Space selects) and passes Escape on.
func (l *focusList) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && l.onKey != nil {
		l.onKey(ev)
		return
	}
	l.List.TypedKey(ev)
}

// FocusGained shows the focus ring.
func (l *focusList) FocusGained() {
	l.List.FocusGained()
	l.ring.show(true)
}

// FocusLost hides the focus ring.
func (l *focusList) FocusLost() {
	l.List.FocusLost()
	l.ring.show(false)
}

// CreateRenderer draws the list with its focus ring.
func (l *focusList) CreateRenderer() fyne.WidgetRenderer {
	return l.ring.wrap(l, l.List.CreateRenderer())
}

// focusRing is the frame a widget draws around itself while it has the
// focus: ringWidth wide, in the theme's focus colour, outset pixels
// outside the widget (0: along its inner edge).
type focusRing struct {
	owner   fyne.Widget
	rect    *canvas.Rectangle // nil until the widget is first drawn
	outset  float32
	focused bool
}

// wrap returns inner with the ring drawn over it, for owner's CreateRenderer.
func (r *focusRing) wrap(owner fyne.Widget, inner fyne.WidgetRenderer) fyne.WidgetRenderer {
	r.owner = owner
	r.rect = canvas.NewRectangle(color.Transparent)
	r.rect.StrokeWidth = ringWidth
	r.update()
	return &ringRenderer{WidgetRenderer: inner, ring: r}
}

// show shows or hides the ring.
func (r *focusRing) show(focused bool) {
	r.focused = focused
	if r.rect != nil {
		r.update()
		r.rect.Refresh()
	}
}

// update sets the ring's colour, position and size from the focus and
// the owner's size.
func (r *focusRing) update() {
	r.rect.StrokeColor = color.Transparent
	if r.focused {
		r.rect.StrokeColor = theme.ColorForWidget(theme.ColorNameFocus, r.owner)
	}
	r.rect.Move(fyne.NewPos(-r.outset, -r.outset))
	r.rect.Resize(r.owner.Size().AddWidthHeight(2*r.outset, 2*r.outset))
}

// ringRenderer is a widget's own renderer with its focus ring on top.
type ringRenderer struct {
	fyne.WidgetRenderer
	ring *focusRing
}

// Layout lays out the widget, then fits the ring around it.
func (r *ringRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.update()
}

// Objects returns the widget's objects and then the ring, drawn last.
func (r *ringRenderer) Objects() []fyne.CanvasObject {
	return append(slices.Clip(r.WidgetRenderer.Objects()), r.ring.rect)
}

// Refresh redraws the widget and the ring.
func (r *ringRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.ring.update()
	r.ring.rect.Refresh()
}
