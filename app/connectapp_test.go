package app

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"earshot/player"
)

// passwordServer is a fakeServer that keeps app passwords.
type passwordServer struct {
	*fakeServer
	mu   sync.Mutex
	list []player.AppPassword
	n    int
}

func (s *passwordServer) AppPasswords() ([]player.AppPassword, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.list), nil
}

func (s *passwordServer) CreateAppPassword(name string) (player.AppPassword, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.TrimSpace(name) == "" {
		return player.AppPassword{}, player.ErrInvalid
	}
	s.n++
	ap := player.AppPassword{ID: string(rune('a' + s.n)), Name: name, Password: "secret" + string(rune('0'+s.n)), Created: time.Now()}
	s.list = append(s.list, ap)
	return ap, nil
}

func (s *passwordServer) RevokeAppPassword(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.list, func(ap player.AppPassword) bool { return ap.ID == id })
	if i < 0 {
		return player.ErrAppPasswordNotFound
	}
	s.list = slices.Delete(s.list, i, i+1)
	return nil
}

// TestConnectApp drives "Connect an app…": a blank name is refused, a
// named password shows the LAN URL, the user name and the password once,
// is listed, and Revoke removes it from the server.
func TestConnectApp(t *testing.T) {
	srv := &passwordServer{fakeServer: lanServer()}
	h := newHarness(t, srv, player.Source{})
	ui := h.ui
	if ui.connectButton == nil {
		t.Fatal("no Connect an app button for a server with app passwords")
	}
	test.Tap(ui.connectButton)
	c := ui.connect
	if c == nil || len(c.revokes) != 0 {
		t.Fatal("the dialog did not open empty")
	}
	test.Tap(c.create)
	if len(srv.list) != 0 || c.shown.Visible() {
		t.Errorf("a blank name made a password: %v", srv.list)
	}
	test.Type(c.name, "Symfonium on Pixel")
	test.Tap(c.create)
	if len(srv.list) != 1 || srv.list[0].Name != "Symfonium on Pixel" {
		t.Fatalf("server's app passwords: %+v", srv.list)
	}
	want := srv.Addresses()[slices.IndexFunc(srv.Addresses(), func(a Address) bool { return !a.Loopback && !a.Virtual })].URL
	if !c.shown.Visible() || c.url.Text != want || c.user.Text != "earshot" || c.password.Text != srv.list[0].Password {
		t.Errorf("shown: %v %q %q %q; want %q earshot %q", c.shown.Visible(), c.url.Text, c.user.Text, c.password.Text, want, srv.list[0].Password)
	}
	if len(c.revokes) != 1 || c.name.Text != "" {
		t.Fatalf("after Create: %d rows, name %q", len(c.revokes), c.name.Text)
	}
	test.Tap(c.revokes[0])
	if len(srv.list) != 0 || len(c.revokes) != 0 {
		t.Errorf("after Revoke: server %v, %d rows", srv.list, len(c.revokes))
	}
}

// TestNoConnectWithoutPasswords checks that a server without app
// passwords gets no button.
func TestNoConnectWithoutPasswords(t *testing.T) {
	h := newHarness(t, lanServer(), player.Source{})
	if h.ui.connectButton != nil {
		t.Error("Connect an app shown for a server without app passwords")
	}
}
