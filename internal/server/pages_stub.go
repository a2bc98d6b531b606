package server

import "net/http"

func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, p *principal) {
	s.errorPage(w, r, p, http.StatusNotImplemented, "this page is being built")
}
