"""The API toolkit every app's api.py builds on: errors, schema, fields and filters, backends."""
