//go:build bench

package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/workcloud/arendehantering/internal/dynamo"
)

// TestVolume is make bench-volume: the local stack (make run, its
// embedded DynamoDB-compatible server) with 1,000 and then 10,000 cases
// in the demo tenant, and what a case GET and a list page take there.
// The cases are copies of one made through the API (every item it wrote,
// under new IDs and numbers), written straight into the stack's server.
func TestVolume(t *testing.T) {
	stack := startStack(t)
	token := stack.token(t, `{"tenant":"demo","user":"erik","roles":["agent"]}`)
	customers := stack.call(t, token, "GET", "/v1/customers?limit=1", "")
	var cs struct {
		Items []struct {
			ID       string `json:"id"`
			Contacts []struct {
				ID string `json:"id"`
			} `json:"contacts"`
		} `json:"items"`
	}
	if err := json.Unmarshal(customers, &cs); err != nil || len(cs.Items) == 0 {
		t.Fatalf("customers: %s", customers)
	}
	body := fmt.Sprintf(`{"title":"Läckande kran i tvättstugan","customerId":%q,"contactId":%q,"assignees":{"users":["erik"],"groups":["support"]}}`,
		cs.Items[0].ID, cs.Items[0].Contacts[0].ID)
	var model struct {
		ID     string `json:"id"`
		Number int64  `json:"number"`
	}
	if err := json.Unmarshal(stack.call(t, token, "POST", "/v1/cases", body), &model); err != nil {
		t.Fatal(err)
	}
	items := stack.itemsOf(t, model.ID)
	var out strings.Builder
	fmt.Fprintf(&out, "\nThe local stack at volume (make run: its embedded server; each case as one made through the API, %d items:\n"+
		"the case, its event, list and search entries; median of 20 requests, the tenant's settings warm)\n\n", len(items))
	tw := tabwriter.NewWriter(&out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "cases\titems in the table\tGET /v1/cases/{id}\tGET /v1/cases?limit=25\tGET ...&sort=urgent\tseeded in")
	have := 1
	for _, n := range []int{1000, 10000} {
		start := time.Now()
		stack.clone(t, items, model.ID, model.Number, have, n)
		seeded := time.Since(start)
		have = n
		row := []string{fmt.Sprint(n), fmt.Sprint(stack.count(t))}
		for _, path := range []string{"/v1/cases/" + model.ID, "/v1/cases?limit=25", "/v1/cases?limit=25&sort=urgent"} {
			stack.call(t, token, "GET", path, "") // settings warm
			var ds []time.Duration
			for range 20 {
				s := time.Now()
				stack.call(t, token, "GET", path, "")
				ds = append(ds, time.Since(s))
			}
			row = append(row, ms(median(ds)))
		}
		fmt.Fprintf(tw, "%s\t%s\n", strings.Join(row, "\t"), seeded.Round(time.Second))
	}
	tw.Flush()
	fmt.Print(out.String())
	_ = os.MkdirAll(filepath.Join(root, "build", "bench"), 0o755)
	_ = os.WriteFile(filepath.Join(root, "build", "bench", "volume.txt"), []byte(out.String()), 0o644)
}

// localStack is a running make run.
type localStack struct {
	url    string
	client *dynamodb.Client
	table  string
}

// startStack builds and starts the local stack on free ports, and reads
// from its banner where its embedded DynamoDB server listens.
func startStack(t *testing.T) *localStack {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "local")
	build := exec.Command("go", "build", "-o", bin, "./infra/local")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the local stack: %v\n%s", err, b)
	}
	port := strings.TrimPrefix(freeAddr(), "127.0.0.1:")
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORT="+port, "MAIL_DIR="+t.TempDir(), "DYNAMODB_ENDPOINT=", "TABLE_NAME=arende-local")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		_ = cmd.Wait()
	})
	banner := regexp.MustCompile(`\(DynamoDB: (http://[0-9.:]+)\)`)
	lines := bufio.NewScanner(stderr)
	endpoint := ""
	for endpoint == "" && lines.Scan() {
		if m := banner.FindStringSubmatch(lines.Text()); m != nil {
			endpoint = m[1]
		}
	}
	if endpoint == "" {
		t.Fatal("the local stack did not say where its DynamoDB server listens")
	}
	logs, err := os.Create(filepath.Join(root, "build", "bench", "local-stack.log"))
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(logs, stderr) }()
	s := &localStack{url: "http://127.0.0.1:" + port, client: dynamo.NewClient(aws.Config{}, endpoint), table: "arende-local"}
	if err := waitListening("127.0.0.1:"+port, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *localStack) token(t *testing.T, body string) string {
	t.Helper()
	var tok struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(s.call(t, "", "POST", "/dev/tokens", body), &tok); err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

// call sends a request to the stack and answers its body, failing the
// test on an answer that is not a success.
func (s *localStack) call(t *testing.T, token, method, path, body string) []byte {
	t.Helper()
	req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	return b
}

// itemsOf are the items of the table that name case id: every item its
// create wrote.
func (s *localStack) itemsOf(t *testing.T, id string) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(s.client, &dynamodb.ScanInput{TableName: aws.String(s.table)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			for _, v := range it {
				if sv, ok := v.(*types.AttributeValueMemberS); ok && strings.Contains(sv.Value, id) {
					out = append(out, it)
					break
				}
			}
		}
	}
	if len(out) < 3 {
		t.Fatalf("%d items name the model case", len(out))
	}
	return out
}

// count is the number of items in the table.
func (s *localStack) count(t *testing.T) int {
	t.Helper()
	out, err := s.client.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(s.table), Select: types.SelectCount})
	if err != nil {
		t.Fatal(err)
	}
	return int(out.Count)
}

// clone writes copies of the model case's items for cases from+1 to to:
// its ID and number replaced by the copy's, wherever they are written.
func (s *localStack) clone(t *testing.T, items []map[string]types.AttributeValue, id string, number int64, from, to int) {
	t.Helper()
	num := regexp.MustCompile(`(number=|"number":)` + fmt.Sprint(number) + `\b`)
	var batch []types.WriteRequest
	flush := func() {
		for len(batch) > 0 {
			res, err := s.client.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{
				RequestItems: map[string][]types.WriteRequest{s.table: batch}})
			if err != nil {
				t.Fatal(err)
			}
			batch = res.UnprocessedItems[s.table]
		}
	}
	for i := from; i < to; i++ {
		newID := fmt.Sprintf("%s%06d", id[:len(id)-6], i)
		newNumber := fmt.Sprint(number + 100000 + int64(i))
		for _, it := range items {
			c := map[string]types.AttributeValue{}
			for k, v := range it {
				if sv, ok := v.(*types.AttributeValueMemberS); ok {
					x := strings.ReplaceAll(sv.Value, id, newID)
					x = num.ReplaceAllStringFunc(x, func(m string) string { return strings.TrimRight(m, "0123456789") + newNumber })
					v = &types.AttributeValueMemberS{Value: x}
				}
				c[k] = v
			}
			batch = append(batch, types.WriteRequest{PutRequest: &types.PutRequest{Item: c}})
			if len(batch) == 25 {
				flush()
			}
		}
	}
	flush()
}
