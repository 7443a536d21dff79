package cases

import (
	"context"
	"slices"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/httpapi"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
)

// timeInput is what a client sets on a time report.
type timeInput struct {
	UserID  string         `json:"userId,omitempty"`
	Date    string         `json:"date"`
	Minutes int64          `json:"minutes"`
	Note    string         `json:"note,omitempty"`
	Values  map[string]any `json:"values,omitempty"`
}

var timeReadOnly = []string{"id", "createdAt", "updatedAt"}

var errReportNotFound = problem.New(problem.NotFound, "The case has no such time report.")

// maxMinutes is one report's bound: a day.
const maxMinutes = 24 * 60

// checkTime validates a report: a real user and date, minutes within a
// day, and the values of the case type's report template.
func checkTime(snap *settings.Snapshot, c *Case, in *timeInput) error {
	var errs problem.Fields
	if _, ok := snap.Users[in.UserID]; !ok {
		errs.Add("userId", "no user has the ID %q", in.UserID)
	}
	if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
		errs.Add("date", "must be a date written YYYY-MM-DD")
	}
	if in.Minutes < 1 || in.Minutes > maxMinutes {
		errs.Add("minutes", "must be from 1 to %d", maxMinutes)
	}
	errs.Text("note", in.Note, 0, maxNote)
	if in.Values == nil {
		in.Values = map[string]any{}
	}
	var tpl *settings.ReportTemplate
	if t, ok := snap.CaseTypes[c.TypeID]; ok && t.ReportTemplateID != "" {
		tpl = snap.ReportTemplates[t.ReportTemplateID]
	}
	checkReportValues(tpl, in.Values, &errs)
	return errs.Err()
}

// checkReportValues checks a report's values against the report template
// of the case's type (nil for none): only its values, its required ones
// present, numbers numbers, dropdown values among the options. A null
// value is no value.
func checkReportValues(tpl *settings.ReportTemplate, values map[string]any, errs *problem.Fields) {
	if tpl == nil {
		if len(values) > 0 {
			errs.Add("values", "the case's type has no report template")
		}
		return
	}
	for k := range values {
		if !slices.ContainsFunc(tpl.Fields, func(f settings.ReportField) bool { return f.Key == k }) {
			errs.Add("values."+k, "is not a value of the report template %q", tpl.Name)
		}
	}
	for _, f := range tpl.Fields {
		v, present := values[f.Key]
		name := "values." + f.Key
		if !present || v == nil {
			delete(values, f.Key)
			if f.Required {
				errs.Add(name, "is required by the report template %q (%s)", tpl.Name, f.Name)
			}
			continue
		}
		checkValue(errs, name, f.Name, f.Kind, f.Options, v)
	}
}

// TimeReports answers all of a case's time reports: one Query of its
// partition.
func (s *Service) TimeReports(ctx context.Context, tenant, caseID string) ([]*TimeReport, error) {
	pt, err := s.readPartition(ctx, tenant, caseID)
	if err != nil {
		return nil, err
	}
	return pt.reports, nil
}

// findReport reads a case's partition and finds one of its time reports.
func (s *Service) findReport(ctx context.Context, tenant, caseID, reportID string) (*partition, *TimeReport, error) {
	pt, err := s.readPartition(ctx, tenant, caseID)
	if err != nil {
		return nil, nil, err
	}
	tr, err := findSub(pt.reports, reportID, errReportNotFound)
	return pt, tr, err
}

// TimeReport answers one time report of a case.
func (s *Service) TimeReport(ctx context.Context, tenant, caseID, reportID string) (*TimeReport, error) {
	_, tr, err := s.findReport(ctx, tenant, caseID, reportID)
	return tr, err
}

// CreateTimeReport reports time on a case: the report, its event and the
// case's time total in one transaction, after one read of the case (its
// type says which values the report has).
func (s *Service) CreateTimeReport(ctx context.Context, p identity.Principal, caseID string, in timeInput) (*TimeReport, error) {
	c, err := s.getCase(ctx, p.Tenant, caseID)
	if err != nil {
		return nil, err
	}
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	if in.UserID == "" {
		in.UserID = reporter(snap, p)
	}
	if err := checkTime(snap, c, &in); err != nil {
		return nil, err
	}
	now := s.stamp()
	tr := &TimeReport{ID: dynamo.NewID(now.Time), Version: 1, CreatedAt: now, UpdatedAt: now, UserID: in.UserID, Date: in.Date,
		Minutes: in.Minutes, Note: in.Note, Values: in.Values}
	e := &Event{ID: dynamo.NewID(now.Time), At: now, By: reporter(snap, p), Type: "time-reported", Subject: tr.ID,
		Changes: []Change{{Field: "minutes", After: tr.Minutes}}}
	if err := s.storeTimeReport(ctx, p.Tenant, c, tr, 0, tr.Minutes, e); err != nil {
		return nil, err
	}
	return tr, nil
}

// UpdateTimeReport changes a time report with a merge patch, based on the
// version the client read; the case's time total follows.
func (s *Service) UpdateTimeReport(ctx context.Context, p identity.Principal, caseID, reportID string, version int64, patch Patch) (*TimeReport, error) {
	pt, old, err := s.findReport(ctx, p.Tenant, caseID, reportID)
	if err != nil {
		return nil, err
	}
	if err := httpapi.CheckVersion("time report", old, version, patch.Echoed); err != nil {
		return nil, err
	}
	var in timeInput
	if err := httpapi.MergePatch(timeInput{UserID: old.UserID, Date: old.Date, Minutes: old.Minutes, Note: old.Note, Values: old.Values}, patch.Merge, &in); err != nil {
		return nil, err
	}
	snap, err := s.settings.Snapshot(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	if err := checkTime(snap, pt.c, &in); err != nil {
		return nil, err
	}
	now := s.stamp()
	tr := *old
	tr.UserID, tr.Date, tr.Minutes, tr.Note, tr.Values = in.UserID, in.Date, in.Minutes, in.Note, in.Values
	tr.Version, tr.UpdatedAt = old.Version+1, now
	changes := changed(Change{"userId", old.UserID, tr.UserID}, Change{"date", old.Date, tr.Date}, Change{"minutes", old.Minutes, tr.Minutes},
		Change{"note", old.Note, tr.Note}, Change{"values", old.Values, tr.Values})
	e := &Event{ID: dynamo.NewID(now.Time), At: now, By: reporter(snap, p), Type: "time-report-updated", Subject: tr.ID, Changes: changes}
	if err := s.storeTimeReport(ctx, p.Tenant, pt.c, &tr, old.Version, tr.Minutes-old.Minutes, e); err != nil {
		return nil, err
	}
	return &tr, nil
}

// DeleteTimeReport removes a time report of a case, at the version the
// client read; the case's time total follows.
func (s *Service) DeleteTimeReport(ctx context.Context, p identity.Principal, caseID, reportID string, version int64) error {
	pt, old, err := s.findReport(ctx, p.Tenant, caseID, reportID)
	if err != nil {
		return err
	}
	if err := httpapi.CheckVersion("time report", old, version, nil); err != nil {
		return err
	}
	now := s.stamp()
	e := &Event{ID: dynamo.NewID(now.Time), At: now, By: s.who(ctx, p), Type: "time-report-deleted", Subject: old.ID,
		Changes: []Change{{Field: "minutes", Before: old.Minutes}}}
	return s.removeTimeReport(ctx, p.Tenant, pt.c, old, e)
}
