"""A load test of the production stack (uvicorn, PostgreSQL, Redis, workers); see run.py."""
