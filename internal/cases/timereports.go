package cases

import (
	"context"
	"slices"
	"time"

	"github.com/workcloud/arendehantering/internal/dynamo"
	"github.com/workcloud/arendehantering/internal/identity"
	"github.com/workcloud/arendehantering/internal/problem"
	"github.com/workcloud/arendehantering/internal/settings"
	"github.com/workcloud/arendehantering/internal/timestamp"
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

// reportKind is how time reports are kept on a case (work.go).
var reportKind = workKind[*TimeReport, timeInput]{
	noun: "time report", deleted: "time-report-deleted", kind: kindTime, sk: dynamo.TimeSK,
	of:       func(pt *partition) []*TimeReport { return pt.reports },
	notFound: errReportNotFound,
	named:    func(tr *TimeReport) (string, any) { return "minutes", tr.Minutes },
	minutes:  func(tr *TimeReport) int64 { return tr.Minutes },
	input: func(tr *TimeReport) timeInput {
		return timeInput{UserID: tr.UserID, Date: tr.Date, Minutes: tr.Minutes, Note: tr.Note, Values: tr.Values}
	},
	check:  checkTime,
	change: reportChange,
}

// TimeReports answers all of a case's time reports: one Query of its
// partition.
func (s *Service) TimeReports(ctx context.Context, tenant, caseID string) ([]*TimeReport, error) {
	return reportKind.all(ctx, s, tenant, caseID)
}

// TimeReport answers one time report of a case.
func (s *Service) TimeReport(ctx context.Context, tenant, caseID, reportID string) (*TimeReport, error) {
	_, tr, err := reportKind.find(ctx, s, tenant, caseID, reportID)
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
	e := reportKind.createEvent(tr, "time-reported", reporter(snap, p), now)
	if err := reportKind.store(ctx, s, p.Tenant, c, tr, 0, tr.Minutes, e); err != nil {
		return nil, err
	}
	return tr, nil
}

// UpdateTimeReport changes a time report with a merge patch, based on the
// version the client read; the case's time total follows.
func (s *Service) UpdateTimeReport(ctx context.Context, p identity.Principal, caseID, reportID string, version int64, patch Patch) (*TimeReport, error) {
	return reportKind.patch(ctx, s, p, caseID, reportID, version, patch)
}

// reportChange is a time report after a change to in by by at now, and
// its event.
func reportChange(old *TimeReport, in timeInput, by string, now timestamp.Time) (*TimeReport, *Event) {
	tr := *old
	tr.UserID, tr.Date, tr.Minutes, tr.Note, tr.Values = in.UserID, in.Date, in.Minutes, in.Note, in.Values
	tr.Version, tr.UpdatedAt = old.Version+1, now
	changes := changed(Change{"userId", old.UserID, tr.UserID}, Change{"date", old.Date, tr.Date}, Change{"minutes", old.Minutes, tr.Minutes},
		Change{"note", old.Note, tr.Note}, Change{"values", old.Values, tr.Values})
	return &tr, &Event{ID: dynamo.NewID(now.Time), At: now, By: by, Type: "time-report-updated", Subject: tr.ID, Changes: changes}
}

// DeleteTimeReport removes a time report of a case, at the version the
// client read; the case's time total follows.
func (s *Service) DeleteTimeReport(ctx context.Context, p identity.Principal, caseID, reportID string, version int64) error {
	return reportKind.delete(ctx, s, p, caseID, reportID, version)
}
