package settings

import (
	"fmt"
	"net/http"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// resource is a kind of stored settings object with its HTTP routes: a
// collection, a singleton, the texts. The one list of them (resources)
// gives the area its routes and the snapshot its decoding.
type resource interface {
	routes(svc *Service) []httpapi.Route
	// storedKind is the kind of the resource's items (AttrKind).
	storedKind() string
	// decode puts a stored item of the kind into s.
	decode(s *Snapshot, item dynamo.Item) error
	// drop removes the object id of the kind from s, a snapshot of a
	// write's own (see Snapshot.after); false if objects of the kind are
	// never removed.
	drop(s *Snapshot, id string) bool
	// storeAll adds puts of every object of the resource in s to w, with
	// no condition (a new tenant's defaults).
	storeAll(s *Snapshot, w *writes)
}

// staffSnapshot is the settings of the tenant of the calling member of
// staff, with whom it is: where every read of the settings starts.
func (svc *Service) staffSnapshot(r *http.Request) (identity.Principal, *Snapshot, error) {
	p, err := identity.Require(r.Context(), identity.Admin, identity.Agent)
	if err != nil {
		return p, nil, err
	}
	snap, err := svc.Snapshot(r.Context(), p.Tenant)
	return p, snap, err
}

// singleton is a settings resource with one object per tenant (general
// settings, the case menu, ...): get and put.
type singleton[T any, P interface {
	*T
	object
}] struct {
	noun string
	kind string
	path string
	// at is where the snapshot holds the object.
	at    func(*Snapshot) **T
	check func(s *Snapshot, v P, errs *problem.Fields)
	// prepare normalises a valid v before it is stored, e.g. sorts its
	// entries (optional). It runs after the check, so that field errors
	// name the entries by their index in the body as sent.
	prepare func(v P)
}

func (c *singleton[T, P]) routes(svc *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", c.path, c.read(svc)),
		httpapi.NewRoute("PUT", c.path, c.put(svc)),
	}
}

func (c *singleton[T, P]) storedKind() string { return c.kind }

func (c *singleton[T, P]) decode(s *Snapshot, item dynamo.Item) error {
	v := new(T)
	if err := dynamo.DecodeData(item, v); err != nil {
		return fmt.Errorf("decode %s: %w", c.noun, err)
	}
	*c.at(s) = v
	return nil
}

func (c *singleton[T, P]) storeAll(s *Snapshot, w *writes) { w.put(c.kind, P(*c.at(s)), -1) }

func (c *singleton[T, P]) read(svc *Service) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		_, snap, err := svc.staffSnapshot(r)
		if err != nil {
			return err
		}
		httpapi.WriteObject(w, http.StatusOK, P(*c.at(snap)))
		return nil
	}
}

func (c *singleton[T, P]) put(svc *Service) httpapi.HandlerFunc {
	return svc.updateHandler([]identity.Role{identity.Admin}, readOnly, func(_ *http.Request, u update, snap *Snapshot, tx *writes) (object, error) {
		old := P(*c.at(snap))
		if err := httpapi.CheckVersion(c.noun, old, u.version, u.in.Echoed); err != nil {
			return nil, err
		}
		v := P(new(T))
		if err := httpapi.Unmarshal(u.in.Body, v); err != nil {
			return nil, err
		}
		var errs problem.Fields
		c.check(snap, v, &errs)
		if err := errs.Err(); err != nil {
			return nil, err
		}
		if c.prepare != nil {
			c.prepare(v)
		}
		svc.replace(tx, c.kind, old, v)
		return v, nil
	})
}
