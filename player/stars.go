package player

// Stars returns every heart with when it was given, newest first,
// including hearts on things the library no longer holds. It returns
// [ErrNoUserData] for a library without a [UserStore].
func (l *Library) Stars() ([]Star, error) {
	if l.user == nil {
		return nil, ErrNoUserData
	}
	return l.user.Stars()
}

// PlayCounts returns the play count of every track played, including
// tracks the library no longer holds. It returns [ErrNoUserData] for a
// library without a [UserStore].
func (l *Library) PlayCounts() ([]PlayCount, error) {
	if l.user == nil {
		return nil, ErrNoUserData
	}
	return l.user.Plays()
}
