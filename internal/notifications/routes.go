package notifications

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Routes lists the inbox's routes.
func Routes(s *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/notifications", httpapi.HandlerFunc(s.handleList)),
		httpapi.NewRoute("POST", "/v1/notifications/read", httpapi.HandlerFunc(s.handleReadAll)),
		httpapi.NewRoute("POST", "/v1/notifications/{id}/read", httpapi.HandlerFunc(s.handleRead)),
	}
}

// staff is the calling member of staff: only staff have an inbox.
func staff(r *http.Request) (identity.Principal, error) {
	return identity.Require(r.Context(), identity.Admin, identity.Agent)
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	pg, err := httpapi.ReadPage(r, 25)
	if err != nil {
		return err
	}
	inbox, err := s.List(r.Context(), p.Tenant, p.User, pg.Limit, pg.Cursor)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, inbox)
	return nil
}

func (s *Service) handleRead(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	if err := s.Read(r.Context(), p.Tenant, p.User, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) handleReadAll(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	if err := s.ReadAll(r.Context(), p.Tenant, p.User); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
