"""A generated, realistic demo month for one call centre: three teams, fifteen agents with
distinct profiles, three months of chats, calls (six with audio) and tickets, and the
reviewers' earlier decisions — `zhijian demo generate --out DIR` writes it, `make run` loads
the committed copy in `examples/demo/`.

Pure and deterministic: `generate_demo_month(month, seed)` returns values; `write_demo_month`
writes them; `read_demo_folder` reads a folder back for the service's loader (`api.demo`).
"""

from coaching.demo.files import DemoFolder, read_demo_folder, write_demo_month
from coaching.demo.month import ANCHOR_MONTH, DEFAULT_SEED, DemoMonth, generate_demo_month

__all__ = ["ANCHOR_MONTH", "DEFAULT_SEED", "DemoFolder", "DemoMonth", "generate_demo_month",
           "read_demo_folder", "write_demo_month"]
