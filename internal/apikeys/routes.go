package apikeys

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// Routes are the routes of the API keys (administrators only), the one
// place they are listed; template.yaml and infra/openapi.yaml must match.
func Routes(s *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/settings/api-keys", httpapi.HandlerFunc(s.handleList)),
		httpapi.NewRoute("POST", "/v1/settings/api-keys", httpapi.HandlerFunc(s.handleCreate)),
		httpapi.NewRoute("GET", "/v1/settings/api-keys/{id}", httpapi.HandlerFunc(s.handleGet)),
		httpapi.NewRoute("DELETE", "/v1/settings/api-keys/{id}", httpapi.HandlerFunc(s.handleDelete)),
	}
}

// readOnly are a key's server-owned fields: refused on create.
var readOnly = []string{"id", "version", "createdAt", "updatedAt", "createdBy", "prefix", "lastUsedAt", "key"}

func admin(r *http.Request) (identity.Principal, error) {
	return identity.Require(r.Context(), identity.Admin)
}

func (s *Service) handleList(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	keys, err := s.List(r.Context(), p.Tenant)
	if err != nil {
		return err
	}
	httpapi.Write(w, http.StatusOK, httpapi.List[*Key]{Items: keys})
	return nil
}

func (s *Service) handleCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	req, err := httpapi.ReadObject(w, r, false, readOnly)
	if err != nil {
		return err
	}
	var in input
	if err := httpapi.Unmarshal(req.Body, &in); err != nil {
		return err
	}
	k, err := s.Create(r.Context(), p, in)
	if err != nil {
		return err
	}
	httpapi.Created(w, "/v1/settings/api-keys/"+k.ID, k)
	return nil
}

func (s *Service) handleGet(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	k, err := s.Get(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, k)
	return nil
}

func (s *Service) handleDelete(w http.ResponseWriter, r *http.Request) error {
	p, err := admin(r)
	if err != nil {
		return err
	}
	version, err := httpapi.DeleteVersion(r)
	if err != nil {
		return err
	}
	if err := s.Delete(r.Context(), p.Tenant, r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
