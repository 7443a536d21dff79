package main

import (
	"html/template"
	"net/http"

	"github.com/workcloud/arendehantering/internal/problem"
)

// problemsPage is the page every problem's type points to
// (/docs/problems#<code>): one section per code, written from
// problem.Catalog so that it never misses one.
var problemsPage = template.Must(template.New("problems").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Problems: Ärendehantering API</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
code{background:#f3f3f3;padding:0 .2em}section{border-top:1px solid #ddd;padding:.5rem 0}</style>
</head>
<body>
<h1>Problems</h1>
<p>Every error answer is an RFC 9457 <code>application/problem+json</code> document. Its <code>type</code> points
to one of the sections below, its <code>code</code> names it, <code>detail</code> says what went wrong in this
request, and for invalid requests <code>errors</code> lists each field. See the <a href="/docs/">API document</a>.</p>
{{range .}}<section id="{{.Code}}">
<h2>{{.Status}} {{.Title}} <small><code>{{.Code}}</code></small></h2>
<p>{{.Advice}}</p>
</section>
{{end}}</body>
</html>
`))

type problemEntry struct {
	problem.Kind
	Status int
}

func serveProblems(w http.ResponseWriter, _ *http.Request) {
	entries := make([]problemEntry, 0, len(problem.Catalog))
	for _, k := range problem.Catalog {
		entries = append(entries, problemEntry{Kind: k, Status: problem.Status(k.Code)})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = problemsPage.Execute(w, entries)
}
