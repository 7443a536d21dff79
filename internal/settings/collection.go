package settings

import (
	"cmp"
	"fmt"
	"github.com/workcloud/arendehantering/internal/cases/caselist"
	"github.com/workcloud/arendehantering/internal/collation"
	"net/http"
	"strings"
	"time"

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
	// name is an object's name: the list is sorted by it (after the
	// position, if any), and messages name the object by it.
	name func(*T) string
	// position, for a collection the client orders (statuses,
	// priorities), is where an object's order is: the list is sorted by
	// it first, and a new object sent without an order goes last.
	position func(*T) *int
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
	// blockDelete answers why a rule of the collection keeps v from being
	// deleted (409), or nil.
	blockDelete func(s *Snapshot, v P) error
	// users names what else in the settings refers to v: while anything
	// does, v may not be deleted (409).
	users func(s *Snapshot, v P) []string
	// caseList is the list of cases that refer to the object with an ID
	// (caselist.ByStatus ...); while it holds a case, the object may not be
	// deleted.
	caseList func(id string) caselist.List
	// changesCases reports whether an update would change what the cases
	// that use the object are (a status's category): refused while any
	// case uses it, as a delete is.
	changesCases func(old, v P) bool
	// verify, when set, checks v (old is nil on create) by rules outside
	// the settings (recurring cases: the rules of a case), may fill what
	// the server keeps, and adds its writes to the transaction.
	verify func(svc *Service, snap *Snapshot, old, v P) ([]dynamo.Write, error)
	// show, when set, is an object as answered: with what is computed
	// when answering (a definition's next occurrence). Never stored.
	show func(now time.Time, v P) P
}

// answer is v as answered (see show).
func (c *collection[T, P]) answer(svc *Service, v P) P {
	if c.show == nil {
		return v
	}
	return c.show(svc.now(), v)
}

// verified runs verify of v (old nil on create) and adds its writes.
func (c *collection[T, P]) verified(svc *Service, snap *Snapshot, tx *writes, old, v P) error {
	if c.verify == nil {
		return nil
	}
	ws, err := c.verify(svc, snap, old, v)
	if err != nil {
		return err
	}
	tx.add(ws...)
	return nil
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
	v.meta().nameKey = dynamo.Str(item, attrNameKey)
	c.items(s)[v.meta().ID] = (*T)(v)
	return nil
}

// put stores v with the collation key of its name beside it. Only the
// settings function's writes come here, so only it links the collation
// tables; the defaults a first read stores (storeAll) go without a key.
func (c *collection[T, P]) put(tx *writes, v P, prevVersion int64) {
	if c.name != nil {
		v.meta().nameKey = collation.Key(c.name((*T)(v)))
	}
	tx.put(c.kind, v, prevVersion)
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
		for i, v := range items {
			items[i] = c.answer(svc, v)
		}
		httpapi.Write(w, http.StatusOK, httpapi.List[*T]{Items: items})
		return nil
	}
}

// compare is the order of the list: by position, if the client orders
// the collection, then by name in Swedish order (... z, å, ä, ö, whatever
// the case: the collation key stored with the name), then by ID. Every
// function reads settings, and none but the settings function links the
// collation tables, so the order is read, not computed.
func (c *collection[T, P]) compare() func(a, b *T) int {
	return func(a, b *T) int {
		if c.position != nil {
			if o := cmp.Compare(*c.position(a), *c.position(b)); o != 0 {
				return o
			}
		}
		return cmp.Or(strings.Compare(P(a).meta().nameKey, P(b).meta().nameKey),
			strings.Compare(c.name(a), c.name(b)), strings.Compare(P(a).meta().ID, P(b).meta().ID))
	}
}

// lastPosition is the order of an object put after every other one.
func (c *collection[T, P]) lastPosition(snap *Snapshot) int {
	last := 0
	for _, v := range c.items(snap) {
		last = max(last, *c.position(v))
	}
	return min(last+orderStep, maxOrder)
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
		httpapi.WriteObject(w, http.StatusOK, c.answer(svc, v))
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
			if c.position != nil && !sent(in.Body, "order") {
				*c.position((*T)(v)) = c.lastPosition(snap)
			}
			var errs problem.Fields
			c.check(snap, "", v, &errs)
			if err := errs.Err(); err != nil {
				return err
			}
			now := svc.stamp()
			*v.meta() = Meta{ID: dynamo.NewID(now.Time), Version: 1, CreatedAt: now, UpdatedAt: now}
			if c.onCreate != nil {
				c.onCreate(v)
			}
			if err := c.verified(svc, snap, tx, nil, v); err != nil {
				return err
			}
			c.put(tx, v, 0)
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
		httpapi.Created(w, c.path+"/"+created.meta().ID, c.answer(svc, created))
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
		c.put(tx, o, prev)
	}
}

func (c *collection[T, P]) patch(svc *Service) httpapi.HandlerFunc {
	return svc.updateHandler([]identity.Role{identity.Admin}, readOnly, func(r *http.Request, u update, snap *Snapshot, tx *writes) (object, error) {
		old, err := c.find(snap, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		if err := httpapi.CheckVersion(c.noun, old, u.version, u.in.Echoed); err != nil {
			return nil, err
		}
		v, err := mergePatch(old, u.in.Body)
		if err != nil {
			return nil, err
		}
		var errs problem.Fields
		c.check(snap, old.meta().ID, v, &errs)
		if err := errs.Err(); err != nil {
			return nil, err
		}
		if c.changesCases != nil && c.changesCases(old, v) {
			if err := svc.usedByCase(r.Context(), u.p.Tenant, c.noun, c.caseList(old.meta().ID)); err != nil {
				return nil, err
			}
		}
		if err := c.verified(svc, snap, tx, old, v); err != nil {
			return nil, err
		}
		svc.renew(old, v)
		c.put(tx, v, old.meta().Version)
		c.putRelated(snap, tx, v)
		return c.answer(svc, v), nil
	})
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
		if c.caseList != nil && validID(r.PathValue("id")) {
			if err := svc.usedByCase(r.Context(), p.Tenant, c.noun, c.caseList(r.PathValue("id"))); err != nil {
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
			if err := c.deletable(snap, old); err != nil {
				return err
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

// deletable answers why v may not be deleted (409): a rule of the
// collection, or what refers to it; nil if nothing keeps it.
func (c *collection[T, P]) deletable(snap *Snapshot, v P) error {
	if c.blockDelete != nil {
		if err := c.blockDelete(snap, v); err != nil {
			return err
		}
	}
	if c.users == nil {
		return nil
	}
	if users := c.users(snap, v); len(users) > 0 {
		return usedBy(c.noun, c.name((*T)(v)), users)
	}
	return nil
}
