package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"earshot/player"
	"earshot/web/subsonic"
)

// The app-password API, for a paired page to do what the window's
// "Connect an app…" does (see web/subsonic.go):
//
//	GET    /api/app-passwords       {"user":"earshot","serverUrl":"http://…","appPasswords":[{"id","name","created"}…]}
//	POST   /api/app-passwords       {"name":"…"} → 201 {"id","name","created","user","password"}
//	DELETE /api/app-passwords/{id}  204; 404 for an unknown ID
//
// The password is in the answer to POST only. A blank or over-long name
// gets a 400. serverUrl is the address an app on another device uses
// ([Server.AppURL]); it is left out while there is none.

// maxAppPasswordBody bounds the JSON of POST /api/app-passwords.
const maxAppPasswordBody = 4 << 10

// appPasswordsBody is the JSON of GET /api/app-passwords.
type appPasswordsBody struct {
	User         string               `json:"user"`
	ServerURL    string               `json:"serverUrl,omitempty"`
	AppPasswords []player.AppPassword `json:"appPasswords"`
}

// newAppPasswordBody is the JSON answer to POST /api/app-passwords: the
// new app password with the secret, shown once.
type newAppPasswordBody struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	User     string    `json:"user"`
	Password string    `json:"password"`
}

// appPasswords answers GET and POST /api/app-passwords.
func (s *Server) appPasswords(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		var req struct {
			Name string `json:"name"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAppPasswordBody)).Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, "the body must be JSON: {\"name\": \"…\"}")
			return
		}
		ap, err := s.CreateAppPassword(req.Name)
		if errors.Is(err, player.ErrInvalid) {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if err != nil {
			s.httpError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, newAppPasswordBody{ap.ID, ap.Name, ap.Created, subsonic.Username, ap.Password})
		return
	}
	list, err := s.AppPasswords()
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	if list == nil {
		list = []player.AppPassword{}
	}
	writeJSON(w, http.StatusOK, appPasswordsBody{subsonic.Username, s.AppURL(), list})
}

// AppURL returns the base URL a Subsonic app on another device logs in
// to: the first LAN address of a physical interface (else of any), or ""
// while other devices may not connect (the LAN switch is off or the
// server listens on one loopback address only).
func (s *Server) AppURL() string {
	if !s.LAN() {
		return ""
	}
	pick := ""
	for _, a := range s.Addresses() {
		switch {
		case a.Loopback:
		case !a.Virtual:
			return a.URL
		case pick == "":
			pick = a.URL
		}
	}
	return pick
}

// revokeAppPassword answers DELETE /api/app-passwords/{id}.
func (s *Server) revokeAppPassword(w http.ResponseWriter, r *http.Request) {
	err := s.RevokeAppPassword(r.PathValue("id"))
	if errors.Is(err, player.ErrAppPasswordNotFound) {
		writeError(w, http.StatusNotFound, "app password not found")
		return
	}
	if err != nil {
		s.httpError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
