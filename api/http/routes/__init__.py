"""The REST API: one router module per area, each included by `api.http.app.create_app`."""
