"""SQL of each area, written once for both backends, run inside transactions the routes open."""
