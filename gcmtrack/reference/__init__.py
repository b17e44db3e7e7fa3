"""Data in: the GCM framework (objectives/), the states and territories (states/) and the
regional processes (processes/), loaded once into typed objects and checked on load."""
