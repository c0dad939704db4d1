"""The HTTP edge: the FastAPI app (`app.create_app`), its dependencies, authentication, the one
error → status table (`errors.py`), the JSON schemas, the REST routes and the reviewer pages.

Routes and pages parse the request, check the caller's role, call one service
(`api.services`) and return a schema or a page; no route or page imports another.
"""
