"""The `LineEvent` table is the LINE events' work queue: claim with a lease, handle, answer, exactly once in effect.

One pass of a worker:

1. **Claim** (one short transaction): take up to a batch of waiting events whose lease is free, at most the
   earliest waiting event of each LINE user (so one user's events are handled in LINE's timestamp order, across
   batches and workers), and write a lease on them. PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`; SQLite
   (one writer at a time): `UPDATE … RETURNING`.
2. **Handle** each event in one transaction with its effects: lock the row, check the lease is still ours, run the
   chat flow, store the answer on the row and mark it `answering` (or `processed`/`ignored`). A worker that dies
   here leaves nothing: the transaction rolls back and the lease runs out.
3. **Answer**: send the stored answer, then mark the row `processed`. A reply token is used once: the first use is
   written down before it is sent, so after a crash a 400 on a still-fresh token means our earlier reply went
   through. Pushes carry an `X-Line-Retry-Key` derived from the event; LINE answers 409 to a repeat.

A failure (an exception, LINE refusing) clears the lease and sets a backoff; after `LINE_EVENT_MAX_FAILURES`
failures (or `LINE_EVENT_MAX_CLAIMS` claims, a worker dying on the event each time) the event is parked as
`failed` with its error, which stops blocking its user's later events; an administrator can retry it.

The modules, in the order of a pass: `leases` (what waits, the settings, the claim), `handling`, `delivery`,
`failures` (backoff, parking, the admin's retry) and `worker` (a pass, the loop, the health check).
"""
