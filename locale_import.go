package main

// Package locale has to initialise before Fyne's packages do, which it
// does by being imported at all; see its doc comment.
import _ "earshot/locale"
