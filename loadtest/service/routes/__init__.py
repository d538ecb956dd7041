"""HTTP routes, one module per area of the API."""

from loadtest.service.routes import admin, alpr, health, public, requests, residents, searches, sharing

ROUTERS = [
    health.router,
    requests.router,
    residents.router,
    alpr.router,
    searches.router,
    sharing.router,
    public.router,
    admin.router,
]
