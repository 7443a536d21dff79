package cases

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
)

// FormInput is the body of PUT /v1/cases/{id}/form (and of the portal's):
// the version of the form read, answers by question key (null clears
// one; questions not named keep theirs), and "submitted": true to submit
// (every required question answered), false to reopen (staff only).
type FormInput struct {
	Version   *int64         `json:"version,omitempty"`
	Answers   map[string]any `json:"answers"`
	Submitted *bool          `json:"submitted,omitempty"`
}

func (s *Service) handleForm(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	f, err := s.Form(r.Context(), p.Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, f)
	return nil
}

func (s *Service) handleSaveForm(w http.ResponseWriter, r *http.Request) error {
	p, err := staff(r)
	if err != nil {
		return err
	}
	var in FormInput
	if err := httpapi.Decode(w, r, &in); err != nil {
		return err
	}
	version, err := httpapi.Version(r, in.Version)
	if err != nil {
		return err
	}
	f, err := s.SaveStaffForm(r.Context(), p, r.PathValue("id"), version, in.Answers, in.Submitted)
	if err != nil {
		return err
	}
	httpapi.WriteObject(w, http.StatusOK, f)
	return nil
}
