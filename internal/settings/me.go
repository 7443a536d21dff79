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
		httpapi.NewRoute("PATCH", "/v1/me", httpapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
			if err != nil {
				return err
			}
			in, version, err := httpapi.ReadUpdate(w, r, meReadOnly)
			if err != nil {
				return err
			}
			var updated *User
			err = svc.change(r.Context(), p.Tenant, func(snap *Snapshot, tx *writes) error {
				old, err := snap.UserBySubject(p.User)
				if err != nil {
					return err
				}
				if err := httpapi.CheckVersion("profile", old, version, in.Echoed); err != nil {
					return err
				}
				var next profile
				if err := httpapi.MergePatch(profile{Name: old.Name, Phone: old.Phone, Notifications: old.Notifications}, in.Body, &next); err != nil {
					return err
				}
				u := *old
				u.Name, u.Phone, u.Notifications = next.Name, next.Phone, next.Notifications
				var errs problem.Fields
				usersResource().check(snap, u.ID, &u, &errs)
				if err := errs.Err(); err != nil {
					return err
				}
				u.Version++
				u.UpdatedAt = svc.stamp()
				tx.put(kindUser, &u, old.Version)
				updated = &u
				return nil
			})
			if err != nil {
				return err
			}
			httpapi.WriteObject(w, http.StatusOK, updated)
			return nil
		})),
	}
}
