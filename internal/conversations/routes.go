package conversations

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Routes returns every route of the conversations area, the one place
// they are listed; template.yaml and infra/openapi.yaml must match (a
// test checks). The /c routes are public: the token in the path is the
// customer's credential (see pages.go).
func Routes(s *Service) []httpapi.Route {
	if s != nil {
		s.pageTemplate = page() // the customer's page: see page
	}
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/cases/{id}/messages", httpapi.HandlerFunc(s.handleMessages)),
		httpapi.NewRoute("POST", "/v1/cases/{id}/messages", httpapi.HandlerFunc(s.handleSend)),
		httpapi.NewRoute("DELETE", "/v1/cases/{id}/links", httpapi.HandlerFunc(s.handleRevoke)),
		httpapi.NewRoute("GET", "/v1/portal/cases/{id}/messages", httpapi.HandlerFunc(s.handlePortalMessages)),
		httpapi.NewRoute("POST", "/v1/portal/cases/{id}/messages", httpapi.HandlerFunc(s.handlePortalReply)),
		httpapi.NewPublicRoute("GET", "/c/{token}", http.HandlerFunc(s.handlePage)),
		httpapi.NewPublicRoute("POST", "/c/{token}", http.HandlerFunc(s.handlePageReply)),
		httpapi.NewPublicRoute("POST", "/c/{token}/link", http.HandlerFunc(s.handlePageLink)),
		httpapi.NewPublicRoute("POST", "/c/{token}/form", http.HandlerFunc(s.handlePageForm)),
	}
}

// staff is who writes to customers: admins and agents.
func staff(r *http.Request) (identity.Principal, error) {
	return identity.Require(r.Context(), identity.Admin, identity.Agent)
}

func (s *Service) handleMessages(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	page, err := httpapi.ReadPage(r, pageSize)
	if err != nil {
		return err
	}
	list, err := s.Messages(r.Context(), p.Tenant, r.PathValue("id"), page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, list)
	return nil
}

func (s *Service) handleSend(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	var in messageInput
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	m, err := s.Send(r.Context(), p, caseID, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/cases/"+caseID+"/messages", m)
	return nil
}

func (s *Service) handleRevoke(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	if err := s.RevokeLinks(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// portalUser is a customer's portal login.
func portalUser(r *http.Request) (identity.Principal, error) {
	return identity.Require(r.Context(), identity.Customer)
}

func (s *Service) handlePortalMessages(w http.ResponseWriter, r *http.Request) error {
	p, err := portalUser(r)
	if err != nil {
		return err
	}
	page, err := httpapi.ReadPage(r, pageSize)
	if err != nil {
		return err
	}
	list, err := s.PortalMessages(r.Context(), p, r.PathValue("id"), page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, list)
	return nil
}

// replyInput is the body of POST /v1/portal/cases/{id}/messages.
type replyInput struct {
	Body string `json:"body"`
}

func (s *Service) handlePortalReply(w http.ResponseWriter, r *http.Request) error {
	p, err := portalUser(r)
	if err != nil {
		return err
	}
	var in replyInput
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	caseID := r.PathValue("id")
	m, err := s.PortalReply(r.Context(), p, caseID, in.Body)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/portal/cases/"+caseID+"/messages", m)
	return nil
}
