package settings

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// profile is what users may change of themselves: how they are shown and
// how they are notified. Email, roles and login are the admin's.
type profile struct {
	Name          string        `json:"name"`
	Phone         string        `json:"phone,omitempty"`
	Notifications Notifications `json:"notifications"`
}

var meReadOnly = []string{"id", "createdAt", "updatedAt", "email", "roles", "subject"}

func meRoutes(svc *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", "/v1/me", httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, snap, err := svc.staffSnapshot(r)
			if err != nil {
				return err
			}
			u, err := snap.UserBySubject(p.User)
			if err != nil {
				return err
			}
			httpapi.WriteObject(w, http.StatusOK, u)
			return nil
		})),
		httpapi.NewRoute("PATCH", "/v1/me", svc.updateHandler([]identity.Role{identity.Admin, identity.Agent}, meReadOnly, patchMe(svc))),
	}
}

// patchMe changes what users may change of themselves: their profile.
func patchMe(svc *Service) func(r *http.Request, u update, snap *Snapshot, tx *writes) (object, error) {
	return func(_ *http.Request, u update, snap *Snapshot, tx *writes) (object, error) {
		old, err := snap.UserBySubject(u.p.User)
		if err != nil {
			return nil, err
		}
		if err := httpapi.CheckVersion("profile", old, u.version, u.in.Echoed); err != nil {
			return nil, err
		}
		var next profile
		if err := httpapi.MergePatch(profile{Name: old.Name, Phone: old.Phone, Notifications: old.Notifications}, u.in.Body, &next); err != nil {
			return nil, err
		}
		v := *old
		v.Name, v.Phone, v.Notifications = next.Name, next.Phone, next.Notifications
		var errs problem.Fields
		checkUser(snap, v.ID, &v, &errs)
		if err := errs.Err(); err != nil {
			return nil, err
		}
		svc.renew(old, &v)
		usersResource().put(tx, &v, old.Version) // with the key of the name it may have changed
		return &v, nil
	}
}
