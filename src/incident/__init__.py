"""incident: reconstruct school-platform outages from public reporting and publish the evidence."""

__version__ = "0.1.0"
