package portal

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/cases"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Routes are the routes of the customer portal, the one place they are
// listed; template.yaml and infra/openapi.yaml must match. Every one needs
// a customer's login.
func Routes(s *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/portal/case-types", httpapi.HandlerFunc(s.handleCaseTypes)),
		httpapi.NewRoute("GET", "/v1/portal/cases", httpapi.HandlerFunc(s.handleList)),
		httpapi.NewRoute("POST", "/v1/portal/cases", httpapi.HandlerFunc(s.handleCreate)),
		httpapi.NewRoute("GET", "/v1/portal/cases/{id}", httpapi.HandlerFunc(s.handleGet)),
		httpapi.NewRoute("GET", "/v1/portal/cases/{id}/form", httpapi.HandlerFunc(s.handleForm)),
		httpapi.NewRoute("PUT", "/v1/portal/cases/{id}/form", httpapi.HandlerFunc(s.handleSaveForm)),
	}
}

// defaultLimit is the page size of the case list when none is asked for.
const defaultLimit = 25

// customer is who uses the portal: a customer's login (identity
// validates that it names its customer).
func customer(r *http.Request) (identity.Principal, error) {
	return identity.Require(r.Context(), identity.Customer)
}

func (s *Service) handleCaseTypes(w http.ResponseWriter, r *http.Request) error {
	p, err := customer(r)
	if err != nil {
		return err
	}
	types, err := s.CaseTypes(r.Context(), p)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[*CaseType]{Items: types})
	return nil
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) error {
	p, err := customer(r)
	if err != nil {
		return err
	}
	page, err := httpapi.ReadPage(r, defaultLimit)
	if err != nil {
		return err
	}
	list, err := s.List(r.Context(), p, page)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, list)
	return nil
}

func (s *Service) handleCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := customer(r)
	if err != nil {
		return err
	}
	body, err := httpapi.ReadBody(w, r)
	if err != nil {
		return err
	}
	in, err := decodeInput(body)
	if err != nil {
		return err
	}
	v, err := s.Create(r.Context(), p, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/portal/cases/"+v.ID, v)
	return nil
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) error {
	p, err := customer(r)
	if err != nil {
		return err
	}
	v, err := s.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, v)
	return nil
}

func (s *Service) handleForm(w http.ResponseWriter, r *http.Request) error {
	p, err := customer(r)
	if err != nil {
		return err
	}
	f, err := s.Form(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, f)
	return nil
}

func (s *Service) handleSaveForm(w http.ResponseWriter, r *http.Request) error {
	p, err := customer(r)
	if err != nil {
		return err
	}
	var in cases.FormInput
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	version, err := httpapi.Version(r, in.Version)
	if err != nil {
		return err
	}
	f, err := s.SaveForm(r.Context(), p, r.PathValue("id"), version, in.Answers, in.Submitted)
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, f)
	return nil
}
