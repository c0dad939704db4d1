"""Running the inspection job: one job function for both modes, and the two ways to run it.

    inspection_job.py  run_inspection_job: claim a stored conversation, run the Pipeline, store
    runner.py          the job queues: InProcessJobs (threads in the API process), CeleryJobs
    celery_app.py      the Celery app and its settings
    worker.py          the Celery task `zhijian worker` runs (the same job function)
    batching.py        SharedBatches: concurrent jobs share sentiment model calls
    reinspection.py    re-inspecting a period with a rule version: one idempotent job per
                       conversation (in-process thread or the Celery task of worker.py)

The job reaches the core only through `inspection.pipeline.Pipeline` and never imports the HTTP
layer (`api.http`).
"""
