"""The service around the core: HTTP, jobs, and what they share.

    http/      FastAPI app, routes, reviewer pages, auth, schemas; the one error → status table
    services/  what routes and pages share: uploads, conversations, reviews, coaching, rules
    jobs/      the inspection job, the in-process runner, the Celery app and worker
    runtime.py what a process builds once: settings, database engine, the core `Pipeline`
    settings.py the one `Settings` (ZHIJIAN_* environment variables)
    cli.py     `zhijian serve | worker | users | audit`; demo.py: `serve --load-examples`

Imports go http → services → runtime → (models, core); jobs never import http.
"""
