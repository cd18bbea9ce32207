"""One or two real examples for every command, shown at the end of its --help.

Keyed by the command's path below ``paperwork``. The lines are commands, not prose,
so they are not translated; the heading is. A test walks the command tree: every
leaf command has an entry, and every option used here exists on that command.
"""

from __future__ import annotations

EXAMPLES: dict[str, tuple[str, ...]] = {
    "demo": ("paperwork --home /tmp/paperwork-demo demo",),
    "tui": ("paperwork tui",),
    "profile": ("paperwork profile set --from me.toml",),
    "profile set": ("paperwork profile set --from me.toml",),
    "profile show": ("paperwork profile show --json",),
    "case": ("paperwork case list",),
    "case new": (
        "paperwork case new --from case.json",
        "paperwork case new --from case.toml --on 2026-11-02",
    ),
    "case list": ("paperwork case list", "paperwork case list --json"),
    "case show": ("paperwork case show 1", "paperwork case show 1 --json"),
    "case edit": ("paperwork case edit 1 --from changes.toml",),
    "case archive": ("paperwork case archive 1",),
    "kinds": ("paperwork kinds", "paperwork kinds --json"),
    "letter": ("paperwork letter draft 1 --kind complaint",),
    "letter draft": (
        "paperwork letter draft 1 --kind complaint",
        "paperwork letter draft 1 --kind follow_up --window 10bd --on 2026-12-01",
    ),
    "letter show": ("paperwork letter show 1",),
    "letter edit": ("paperwork letter edit 1", "paperwork letter edit 1 --from wording.txt"),
    "letter render": (
        "paperwork letter render 1 --out letters/",
        "paperwork letter render 1 --out letters/ --format pdf",
    ),
    "letter print": (
        "paperwork letter print 1",
        "paperwork letter print 1 --printer office --copies 2",
    ),
    "letter sent": (
        "paperwork letter sent 1 --on 2026-11-26 --via certified --tracking 9400100000000000000000",
        "paperwork letter sent 2 --via email",
    ),
    "letter check": ("paperwork letter check 3",),
    "letter delivered": ("paperwork letter delivered 1 --on 2026-11-30",),
    "letter email": (
        "paperwork letter email 1 --out complaint.eml",
        "paperwork letter email 1 --out complaint.eml --send",
    ),
    "log": ("paperwork log call 1 --on 2026-11-20 --waited 45 --duration 12",),
    "log call": (
        "paperwork log call 1 --on 2026-11-20 --waited 45 --duration 12 --rep Sam --ref 88231",
    ),
    "log response": (
        'paperwork log response 1 --on 2026-12-03 --summary "Refund promised within 10 days"',
        'paperwork log response 1 --on 2026-12-15 --summary "Refunded" --resolved',
    ),
    "log outcome": (
        "paperwork log outcome 1 --on 2026-12-15 --kind refund --amount 89.99 --currency USD",
    ),
    "log post": ("paperwork log post 1 --url https://mastodon.social/@me/112233",),
    "evidence": ("paperwork evidence add 1 bill.pdf",),
    "evidence add": ('paperwork evidence add 1 bill.pdf --title "November bill"',),
    "chronology": ("paperwork chronology 1 --out chronology.pdf",),
    "bundle": (
        "paperwork bundle 1 --out bundle.pdf",
        "paperwork bundle 1 --out bundle.pdf --docx bundle.docx",
    ),
    "envelope": (
        "paperwork envelope 1 --out envelope.pdf",
        "paperwork envelope 1 --print --printer office",
    ),
    "due": ("paperwork due", "paperwork due --on 2026-12-04 --json"),
    "reissue": (
        "paperwork reissue --out ~/letters",
        "paperwork reissue --on 2026-12-04 --out letters/",
    ),
    "calendar": ("paperwork calendar --out deadlines.ics", "paperwork calendar 1 --out case1.ics"),
    "social": ("paperwork social 1", "paperwork social 1 --platform mastodon --json"),
    "campaign": ("paperwork campaign template --out members.csv",),
    "campaign template": ("paperwork campaign template --out members.csv",),
    "campaign render": (
        "paperwork campaign render campaign.json members.csv --kind complaint --out letters/",
        "paperwork campaign render campaign.json members.csv --kind complaint --out letters/ --track",
    ),
    "stats": ("paperwork stats", "paperwork stats --json"),
    "locate": ("paperwork locate", "paperwork locate --json"),
    "export": ("paperwork export --out backup.json", "paperwork export --out shared.json --redact"),
    "import": ("paperwork --home ~/paperwork-restored import backup.json",),
    "config": ("paperwork config show",),
    "config show": ("paperwork config show", "paperwork config show --json"),
    "config set": ("paperwork config set layout din5008_a", 'paperwork config set output ""'),
    "undo": ("paperwork undo",),
    "pool": ("paperwork pool stats 1",),
    "pool serve": (
        "paperwork pool serve",
        "paperwork pool serve --db postgresql://pool@localhost/pool --host 0.0.0.0 --port 8080",
    ),
    "pool create": (
        'paperwork pool create --server https://pool.example.org --company Northwind --country GB --category telecoms --title "Northwind overbilling"',
    ),
    "pool join": ("paperwork pool join https://pool.example.org/j/northwind/INVITE --case 1",),
    "pool share": ("paperwork pool share 1 --dry-run", "paperwork pool share 1"),
    "pool sync": ("paperwork pool sync",),
    "pool stats": ("paperwork pool stats 1", "paperwork pool stats 1 --json"),
    "pool leave": ("paperwork pool leave 1", "paperwork pool leave 1 --erase"),
    "pool dossier": ("paperwork pool dossier 1 --out dossier",),
    "pool revoke": (
        "paperwork pool revoke 1 --member MEMBER_ID --erase",
        "paperwork pool revoke 1 --invite all",
    ),
    "pool invite": ("paperwork pool invite 1 --days 14",),
}
