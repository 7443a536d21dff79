package settings

import (
	"fmt"
	"net/http"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
)

// collection is a settings resource with many objects (statuses, case
// types, ...): list, get, create, merge-patch and delete, with the rules
// of the resource plugged in.
type collection[T any, P interface {
	*T
	object
}] struct {
	noun  string // "status", in messages
	kind  string // sort-key prefix
	path  string // "/v1/settings/statuses"
	items func(*Snapshot) map[string]*T
	// order sorts the list, unless the client orders it (rank).
	order func(a, b *T) int
	// rank, for a collection the client orders, is an object's order and
	// name: the list is sorted by them, and a new object sent without an
	// order goes last.
	rank func(P) (order *int, name string)
	// check validates v (id is "" on create) against the snapshot.
	check func(s *Snapshot, id string, v P, errs *problem.Fields)
	// onCreate fills the fields the server assigns.
	onCreate func(v P)
	// related returns other objects of the collection that must change
	// with v, e.g. the former default when v becomes the default.
	related func(s *Snapshot, v P) []P
	// extraCreate and extraDelete add writes outside the settings
	// partition to the same transaction.
	extraCreate func(tenant string, v P) []dynamo.Write
	extraDelete func(tenant string, v P) []dynamo.Write
	// blockDelete answers why v may not be deleted (409), or nil.
	blockDelete func(s *Snapshot, v P) error
	// caseList names the list of cases that refer to an object of this
	// kind ("status" for "status=<id>"); while it holds a case, the object
	// may not be deleted.
	caseList string
	// changesCases reports whether an update would change what the cases
	// that use the object are (a status's category): refused while any
	// case uses it, as a delete is.
	changesCases func(old, v P) bool
}

func (c *collection[T, P]) routes(svc *Service) []httpapi.Route {
	return []httpapi.Route{
		httpapi.NewRoute("GET", c.path, c.list(svc)),
		httpapi.NewRoute("POST", c.path, c.create(svc)),
		httpapi.NewRoute("GET", c.path+"/{id}", c.get(svc)),
		httpapi.NewRoute("PATCH", c.path+"/{id}", c.patch(svc)),
		httpapi.NewRoute("DELETE", c.path+"/{id}", c.remove(svc)),
	}
}

func (c *collection[T, P]) storedKind() string { return c.kind }

func (c *collection[T, P]) decode(s *Snapshot, item dynamo.Item) error {
	v := P(new(T))
	if err := dynamo.DecodeData(item, v); err != nil {
		return fmt.Errorf("decode %s: %w", c.noun, err)
	}
	c.items(s)[v.meta().ID] = (*T)(v)
	return nil
}

func (c *collection[T, P]) storeAll(s *Snapshot, w *writes) {
	for _, v := range c.items(s) {
		w.put(c.kind, P(v), -1)
	}
}

func (c *collection[T, P]) list(svc *Service) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		_, snap, err := svc.staffSnapshot(r)
		if err != nil {
			return err
		}
		items := sortedValues(c.items(snap), c.compare())
		if items == nil {
			items = []*T{}
		}
		httpapi.Write(w, http.StatusOK, httpapi.List[*T]{Items: items})
		return nil
	}
}

// compare is the order of the list.
func (c *collection[T, P]) compare() func(a, b *T) int {
	if c.rank != nil {
		return byRank(c.rank)
	}
	return c.order
}

func (c *collection[T, P]) find(snap *Snapshot, id string) (P, error) {
	if !validID(id) {
		return nil, problem.New(problem.NotFound, "No %s has the ID %q.", c.noun, id)
	}
	v, ok := c.items(snap)[id]
	if !ok {
		return nil, problem.New(problem.NotFound, "No %s has the ID %q.", c.noun, id)
	}
	return P(v), nil
}

func (c *collection[T, P]) get(svc *Service) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		_, snap, err := svc.staffSnapshot(r)
		if err != nil {
			return err
		}
		v, err := c.find(snap, r.PathValue("id"))
		if err != nil {
			return err
		}
		httpapi.WriteObject(w, http.StatusOK, v)
		return nil
	}
}

func (c *collection[T, P]) create(svc *Service) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := identity.Require(r.Context(), identity.Admin)
		if err != nil {
			return err
		}
		in, err := httpapi.ReadObject(w, r, false, readOnly)
		if err != nil {
			return err
		}
		var created P
		err = svc.change(r.Context(), p.Tenant, func(snap *Snapshot, tx *writes) error {
			if len(c.items(snap)) >= maxPerList {
				return problem.New(problem.Conflict, "A tenant may have at most %d of these.", maxPerList)
			}
			v := P(new(T))
			if err := httpapi.Unmarshal(in.Body, v); err != nil {
				return err
			}
			if c.rank != nil && !sent(in.Body, "order") {
				order, _ := c.rank(v)
				*order = lastOrder(c.items(snap), c.rank)
			}
			var errs problem.Fields
			c.check(snap, "", v, &errs)
			if err := errs.Err(); err != nil {
				return err
			}
			now := svc.stamp()
			*v.meta() = Meta{ID: dynamo.NewID(now), Version: 1, CreatedAt: now, UpdatedAt: now}
			if c.onCreate != nil {
				c.onCreate(v)
			}
			tx.put(c.kind, v, 0)
			c.putRelated(snap, tx, v)
			if c.extraCreate != nil {
				tx.add(c.extraCreate(p.Tenant, v)...)
			}
			created = v
			return nil
		})
		if err != nil {
			return err
		}
		httpapi.Created(w, c.path+"/"+created.meta().ID, created)
		return nil
	}
}

func (c *collection[T, P]) putRelated(snap *Snapshot, tx *writes, v P) {
	if c.related == nil {
		return
	}
	for _, o := range c.related(snap, v) {
		m := o.meta()
		prev := m.Version
		m.Version++
		m.UpdatedAt = v.meta().UpdatedAt
		tx.put(c.kind, o, prev)
	}
}

func (c *collection[T, P]) patch(svc *Service) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := identity.Require(r.Context(), identity.Admin)
		if err != nil {
			return err
		}
		in, version, err := httpapi.ReadUpdate(w, r, readOnly)
		if err != nil {
			return err
		}
		var updated P
		err = svc.change(r.Context(), p.Tenant, func(snap *Snapshot, tx *writes) error {
			old, err := c.find(snap, r.PathValue("id"))
			if err != nil {
				return err
			}
			if err := httpapi.CheckVersion(c.noun, old, version, in.Echoed); err != nil {
				return err
			}
			v, err := mergePatch(old, in.Body)
			if err != nil {
				return err
			}
			var errs problem.Fields
			c.check(snap, old.meta().ID, v, &errs)
			if err := errs.Err(); err != nil {
				return err
			}
			if c.changesCases != nil && c.changesCases(old, v) {
				if err := svc.usedByCase(r.Context(), p.Tenant, c.noun, c.caseList+"="+old.meta().ID); err != nil {
					return err
				}
			}
			m := *old.meta()
			m.Version++
			m.UpdatedAt = svc.stamp()
			*v.meta() = m
			tx.put(c.kind, v, old.meta().Version)
			c.putRelated(snap, tx, v)
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

func (c *collection[T, P]) remove(svc *Service) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := identity.Require(r.Context(), identity.Admin)
		if err != nil {
			return err
		}
		version, err := httpapi.DeleteVersion(r)
		if err != nil {
			return err
		}
		if c.caseList != "" && validID(r.PathValue("id")) {
			if err := svc.usedByCase(r.Context(), p.Tenant, c.noun, c.caseList+"="+r.PathValue("id")); err != nil {
				return err
			}
		}
		err = svc.change(r.Context(), p.Tenant, func(snap *Snapshot, tx *writes) error {
			old, err := c.find(snap, r.PathValue("id"))
			if err != nil {
				return err
			}
			if err := httpapi.CheckVersion(c.noun, old, version, nil); err != nil {
				return err
			}
			if c.blockDelete != nil {
				if err := c.blockDelete(snap, old); err != nil {
					return err
				}
			}
			tx.remove(c.kind, old.meta().ID, old.meta().Version)
			if c.extraDelete != nil {
				tx.add(c.extraDelete(p.Tenant, old)...)
			}
			return nil
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// mergePatch applies a merge patch to a copy of old (httpapi.MergePatch).
func mergePatch[T any, P interface {
	*T
	object
}](old P, patch []byte) (P, error) {
	v := P(new(T))
	if err := httpapi.MergePatch(old, patch, v); err != nil {
		return nil, err
	}
	return v, nil
}
