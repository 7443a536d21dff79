// Package proof holds the project's proofs over the whole API, as tests
// that enumerate what they cover, so that a route added later is covered
// without editing them:
//
//   - the isolation matrix (matrix_test.go): every route and method of
//     infra/openapi.yaml, asked by another tenant with this tenant's real
//     IDs, by every role its x-roles leave out, without a token, and (on
//     the portal) by another customer of the same tenant;
//   - a fault at every call (faults_test.go): every write operation of the
//     document, and the writers that run outside HTTP (the mailer), run
//     once per DynamoDB call it makes with that call failing, then the
//     table compared with the one before and the one after a success.
//
// It has no code of its own: everything is in its tests, run by make test.
package proof
