package settings

import (
	"net/http"

	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
)

// update is the request to change one object: who asks, the body (its
// server-owned fields taken out) and the version it is based on.
type update struct {
	p       identity.Principal
	in      httpapi.ObjectRequest
	version int64
}

// updateHandler answers a change of one object (PUT or PATCH): the
// caller must have one of roles, the body may send back the readOnly
// fields unchanged, and plan works out the object as it becomes, on the
// settings as they are when the change commits (see Service.change), and
// adds its writes. The answer is the new object.
func (svc *Service) updateHandler(roles []identity.Role, readOnly []string, plan func(r *http.Request, u update, snap *Snapshot, tx *writes) (object, error)) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := identity.Require(r.Context(), roles...)
		if err != nil {
			return err
		}
		in, version, err := httpapi.ReadUpdate(w, r, readOnly)
		if err != nil {
			return err
		}
		var updated object
		err = svc.change(r.Context(), p.Tenant, func(snap *Snapshot, tx *writes) error {
			v, err := plan(r, update{p: p, in: in, version: version}, snap, tx)
			if err != nil {
				return err
			}
			updated = v
			return nil
		})
		if err != nil {
			return err
		}
		httpapi.WriteObject(w, http.StatusOK, updated)
		return nil
	}
}

// replace stores v, of kind, in place of old: old's identity, the next
// version, stamped now.
func (svc *Service) replace(tx *writes, kind string, old, v object) {
	svc.renew(old, v)
	tx.put(kind, v, old.meta().Version)
}

// renew gives v old's identity, the next version, stamped now; not the
// collation key of old's name, which v's name may no longer have (a
// collection's put computes it again).
func (svc *Service) renew(old, v object) {
	m := *old.meta()
	m.Version++
	m.UpdatedAt = svc.stamp()
	m.nameKey = ""
	*v.meta() = m
}
