"""Pydantic models of the API: what each endpoint accepts and answers (also the OpenAPI document)."""
