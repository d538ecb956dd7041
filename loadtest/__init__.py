"""Load testing: the reference service (`loadtest.service`) and the Locust load tests that drive it."""
