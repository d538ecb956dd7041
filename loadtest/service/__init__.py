"""The reference service: the platform the model describes, as a real HTTP API on SQLite or PostgreSQL.

Community footage requests (agencies post, residents view anonymously and submit clips, a worker packages
them with checksums and a chain of custody), ALPR ingest with hotlist alerts, audited plate and vehicle
searches under the sharing rules of `sim.model.access`, sharing grants, transparency pages, a retention purge
and Prometheus metrics. `loadtest.service.app.create_app(Settings(...))` builds the ASGI app; `fedsim serve`
runs it under uvicorn. See docs/service.md.
"""
