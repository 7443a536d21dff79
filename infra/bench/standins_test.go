package bench

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workcloud/arendehantering/internal/apitest"
	"github.com/workcloud/arendehantering/internal/conversations"
	"github.com/workcloud/arendehantering/internal/dynamo/dynamotest"
	"github.com/workcloud/arendehantering/internal/linktoken"
	"github.com/workcloud/arendehantering/internal/wiring"
	"github.com/workcloud/arendehantering/internal/wiring/linkkeys"
)

// stage is what the functions run against when no AWS account is at
// hand: the embedded DynamoDB-compatible server with a seeded tenant, and
// a stand-in for the other AWS services they call (Secrets Manager's
// link keys at cold start, SES, Scheduler), every function given the
// environment that makes it start (env).
type stage struct {
	db     *dynamotest.Env
	dbURL  string
	aws    *httptest.Server
	home   string
	seeded *seeded
}

// seeded are the IDs of what the tenant acme holds, for the events.
type seeded struct {
	caseID, customerID, contactID string
	token                         string // a link to the case's page for its contact
}

// newStage starts the stand-ins and seeds the tenant.
func newStage(t testing.TB) *stage {
	t.Helper()
	db := dynamotest.New(t)
	ringJSON := `{"current":"k1","k1":"` + rand.Text() + rand.Text() + `"}`
	ring, err := linktoken.ParseRing([]byte(ringJSON))
	if err != nil {
		t.Fatal(err)
	}
	s := &stage{db: db, dbURL: serverURL(t, db), aws: httptest.NewServer(awsStandIn(ringJSON)), home: t.TempDir()}
	t.Cleanup(s.aws.Close)
	s.seeded = seed(t, db, conversations.Links{Ring: ring, BaseURL: "https://api.example"})
	return s
}

// serverURL is the address of db's embedded server (its client's
// endpoint), for the bootstraps to reach it.
func serverURL(t testing.TB, db *dynamotest.Env) string {
	t.Helper()
	ep := db.Client.Options().BaseEndpoint
	if ep == nil {
		t.Fatal("the embedded server has no endpoint")
	}
	return *ep
}

// env is the environment of a function on the stage: what the template
// sets, with DynamoDB and every other AWS service pointed at the
// stand-ins, credentials that sign (nothing checks them), the memory the
// template gives it, and an empty home (no shared AWS config files, as
// in Lambda).
func (s *stage) env(name string, memory int) []string {
	env := []string{
		"HOME=" + s.home, "PATH=" + os.Getenv("PATH"),
		"TABLE_NAME=" + dynamotest.TableName, "DYNAMODB_ENDPOINT=" + s.dbURL,
		"AWS_REGION=eu-north-1", "AWS_DEFAULT_REGION=eu-north-1",
		"AWS_ACCESS_KEY_ID=AKIABENCH", "AWS_SECRET_ACCESS_KEY=bench", "AWS_SESSION_TOKEN=bench",
		"AWS_ENDPOINT_URL=" + s.aws.URL,
		"AWS_LAMBDA_FUNCTION_NAME=" + name, fmt.Sprintf("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%d", memory),
		linkkeys.EnvLinkKeysSecret + "=arn:aws:secretsmanager:eu-north-1:123456789012:secret:link-keys",
		linkkeys.EnvPublicBaseURL + "=https://api.example",
		"MAIL_FROM=noreply@example.se", "SES_CONFIGURATION_SET=bench", "APP_URL=https://app.example", "REVIEW_URL=https://review.example",
		"SCHEDULE_GROUP=arende", "SCHEDULE_TARGET_ARN=arn:aws:lambda:eu-north-1:123456789012:function:recurring",
		"SCHEDULER_ROLE_ARN=arn:aws:iam::123456789012:role/scheduler", "SCHEDULE_DLQ_ARN=arn:aws:sqs:eu-north-1:123456789012:dlq",
	}
	if v := os.Getenv("GODEBUG"); v != "" { // GODEBUG=inittrace=1,gctrace=1 with -logs: where a cold start's time goes
		env = append(env, "GODEBUG="+v)
	}
	return env
}

// awsStandIn answers what the functions ask of AWS besides DynamoDB:
// Secrets Manager's GetSecretValue (the link key ring), SES v2's
// SendEmail and EventBridge Scheduler's calls, each as AWS would answer
// a success.
func awsStandIn(ringJSON string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch {
		case r.Header.Get("X-Amz-Target") == "secretsmanager.GetSecretValue":
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_ = json.NewEncoder(w).Encode(map[string]any{"ARN": "arn:aws:secretsmanager:eu-north-1:123456789012:secret:link-keys",
				"Name": "link-keys", "SecretString": ringJSON, "VersionId": "v1", "CreatedDate": float64(time.Now().Unix())})
		case strings.HasPrefix(r.URL.Path, "/v2/email/outbound-emails"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"MessageId":"bench-message"}`))
		case strings.HasPrefix(r.URL.Path, "/schedules/"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"ScheduleArn":"arn:aws:scheduler:eu-north-1:123456789012:schedule/arende/bench"}`))
		default:
			http.Error(w, `{"message":"the bench's stand-in does not know this call"}`, http.StatusBadRequest)
		}
	})
}

// seed fills the tenant acme through the API, as staff would: its
// directory, a customer with a contact, a case of theirs with a message;
// and a link to the case's page for the contact, sealed with links'
// ring (the one the stand-in's secret holds).
func seed(t testing.TB, db *dynamotest.Env, links conversations.Links) *seeded {
	t.Helper()
	clock := apitest.NewClock(time.Now().UTC().Truncate(time.Millisecond))
	areas := wiring.New(db.Table, clock.Now, wiring.WithLinks(links))
	api := apitest.NewClient(t, clock, areas.AllRoutes())
	admin, agent := apitest.Admin, apitest.Agent
	if err := importStaff(areas.Settings); err != nil {
		t.Fatal(err)
	}
	cu := api.Do(&admin, "POST", "/v1/customers", map[string]any{"name": "Bostadsbolaget Norr AB", "kind": "company",
		"contacts": []map[string]any{{"name": "Karin Lund", "email": "karin.lund@bostadnorr.example"}}}).Must(t, http.StatusCreated)
	s := &seeded{customerID: cu.Str("id"), contactID: cu.List("contacts")[0]["id"].(string)}
	c := api.Do(&agent, "POST", "/v1/cases", map[string]any{"title": "Värmepumpen larmar", "customerId": s.customerID,
		"contactId": s.contactID, "assignees": map[string]any{"users": []string{"agent1"}}}).Must(t, http.StatusCreated)
	s.caseID = c.Str("id")
	api.Do(&agent, "POST", "/v1/cases/"+s.caseID+"/messages", map[string]any{"body": "Vi kommer på torsdag."}).Must(t, http.StatusCreated)
	epoch := int64(c.Num("linkEpoch"))
	tok, err := links.Ring.Seal(linktoken.Claims{Tenant: "acme", Case: s.caseID, Contact: s.contactID, Epoch: epoch,
		Expires: time.Now().Add(24 * time.Hour), Locale: "sv"})
	if err != nil {
		t.Fatal(err)
	}
	s.token = tok
	return s
}
