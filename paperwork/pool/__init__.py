"""The pool server: a small web service that counts what members of a pool share.

A pool joins people with the same grievance against one company (docs/DESIGN.md §9). Each
member's Paperwork sends a fixed list of anonymous events (letters sent, replies,
calls per week, outcomes in bands, cancellation and regulator referral days); the
server counts each event id once and publishes the totals as JSON and as a public
page, hiding any count under the pool's threshold.

Modules:
    db          tables (SQLAlchemy Core) and the engine, PostgreSQL or SQLite
    migrations  Alembic scripts, run to ``head`` when the app starts
    security    tokens stored hashed, rate limit and body-size limit
    counting    what each event adds to the pool's counters, and the stats figures
    store       the transactions: create a pool, join, share, leave, revoke
    api         the JSON endpoints under ``/api``
    page        the public page ``/p/SLUG`` (server-rendered HTML, inline SVG)
    app         ``create_app(db_url)``: the Starlette application
    serve       ``serve(db_url, host, port)``: run it with uvicorn

Only this package imports starlette, sqlalchemy, alembic or uvicorn; the client
(``paperwork.aggregate.pool_client``) uses the standard library alone.
"""
