"""Geography shared by the scenario schema, the world builder and the reference service: US state codes,
populations, areas and centres (`sim.geo.states`). It imports nothing else from fedsim."""
