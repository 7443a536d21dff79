package settings

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/problem"
)

// All settings of a tenant are one partition (dynamo.SettingsPK): an item
// per object, its sort key the kind and ID (dynamo.SettingsSK), and the
// revision item, whose counter every change moves on in the change's own
// transaction, conditioned on the revision the change was planned on.

// attrRev is the counter of the revision item.
const attrRev = "rev"

// attrNameKey holds the collation key of a named object's name (see
// Meta.nameKey), outside its data so that answers never carry it.
const attrNameKey = "nameKey"

// errStale is what every failed condition of a settings transaction
// means: the settings changed after the snapshot the change was planned
// on (or, for a new tenant, someone stored the defaults first). The
// answer is to plan again on fresh settings.
var errStale = errors.New("the settings changed after they were read")

// store reads and writes the settings partitions of the table.
type store struct{ table dynamo.Table }

func settingsKey(tenant, kind, id string) dynamo.Item {
	return dynamo.Key(dynamo.SettingsPK(tenant), dynamo.SettingsSK(kind, id))
}

// load reads the tenant's settings partition: one strongly consistent
// Query (more only if the partition outgrows a 1 MB page).
func (st store) load(ctx context.Context, tenant string) (*Snapshot, error) {
	snap := newSnapshot(tenant)
	kinds := byKind(resources())
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(st.table.Name),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": dynamo.AttrPK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(dynamo.SettingsPK(tenant))},
		ConsistentRead:            aws.Bool(true),
	}
	for {
		out, err := st.table.Client.Query(ctx, in)
		if err != nil {
			return nil, dynamo.Unavailable("query settings", err)
		}
		for _, item := range out.Items {
			if err := snap.addItem(item, kinds); err != nil {
				return nil, problem.Wrap(problem.Internal, err, "")
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if snap.Revision > 0 && (snap.General == nil || snap.CaseFields == nil || snap.Menu == nil ||
		snap.External == nil || snap.Portal == nil || snap.Conversations == nil) {
		return nil, problem.Wrap(problem.Internal, fmt.Errorf("tenant %s: settings partition lacks a singleton", tenant), "")
	}
	return snap, nil
}

// commit runs the writes as one transaction: errStale when a condition
// failed, a conflict (dynamo.Conflict) when another transaction raced it.
func (st store) commit(ctx context.Context, op string, w *writes) error {
	return st.table.Commit(ctx, op, w.list...)
}

// writes collects the writes of one settings transaction.
type writes struct {
	tenant string
	list   []dynamo.Write
	err    error
	// added is the size of the objects this write creates.
	added int
	// objects are the objects it puts and removes, and revision the
	// revision of the settings once it has committed: what the snapshot
	// it was planned on becomes (see Snapshot.after).
	objects  []written
	revision int64
}

func newWrites(tenant string) *writes { return &writes{tenant: tenant} }

// put stores o. prevVersion is the version it replaces (conditioned on), 0
// for a new object (conditioned on absence), -1 for no condition. An
// object too large to store is refused (see err).
func (w *writes) put(kind string, o object, prevVersion int64) {
	item, err := dynamo.NewItem(dynamo.SettingsPK(w.tenant), dynamo.SettingsSK(kind, skID(o)), kind, o.CurrentVersion(),
		o, maxObjectBytes, strings.ToLower(kind))
	if err != nil {
		w.err = err
		return
	}
	if kind == kindRecurring {
		indexRecurring(w.tenant, skID(o), item)
	}
	if k := o.meta().nameKey; k != "" {
		item[attrNameKey] = dynamo.S(k)
	}
	var cond dynamo.Cond
	switch {
	case prevVersion == 0:
		cond = dynamo.NotExists()
		w.added += dynamo.DataSize(item)
	case prevVersion > 0:
		cond = dynamo.VersionIs(prevVersion)
	}
	w.list = append(w.list, dynamo.Put(item, cond, errStale))
	w.objects = append(w.objects, written{kind: kind, id: skID(o), sk: sortKey(item), item: item})
}

// remove deletes the object of kind and id, conditioned on its version.
func (w *writes) remove(kind, id string, version int64) {
	key := settingsKey(w.tenant, kind, id)
	w.list = append(w.list, dynamo.Delete(key, dynamo.VersionIs(version), errStale))
	w.objects = append(w.objects, written{kind: kind, id: id, sk: sortKey(key)})
}

// add adds writes outside the settings partition (e.g. an API-ID guard):
// they are not part of the snapshot.
func (w *writes) add(ws ...dynamo.Write) { w.list = append(w.list, ws...) }

// firstRevision adds the revision item of a new tenant's settings: the
// transaction fails (errStale) if someone stored them first.
func (w *writes) firstRevision() {
	item := settingsKey(w.tenant, kindRevision, "")
	item[dynamo.AttrKind], item[attrRev] = dynamo.S(kindRevision), dynamo.N(1)
	w.add(dynamo.Put(item, dynamo.NotExists(), errStale))
	w.revision = 1
}

// nextRevision adds the move of the revision from rev, the one the writes
// were planned on, to the next: the transaction fails (errStale) if the
// settings changed in between.
func (w *writes) nextRevision(rev int64) {
	names := map[string]string{"#rev": attrRev}
	w.add(dynamo.Change(dynamo.Update{Key: settingsKey(w.tenant, kindRevision, ""), Set: "SET #rev = :next", Names: names,
		Values: map[string]types.AttributeValue{":next": dynamo.N(rev + 1)}},
		dynamo.Cond{Expr: "#rev = :rev", Names: names, Values: map[string]types.AttributeValue{":rev": dynamo.N(rev)}}, errStale))
	w.revision = rev + 1
}

// skID is the sort-key ID of an object: its ID, or for texts key#locale.
func skID(o object) string {
	if t, ok := o.(*Text); ok {
		return textID(t.Key, t.Locale)
	}
	return o.meta().ID
}
