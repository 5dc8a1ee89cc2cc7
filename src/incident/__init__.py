"""incident: reconstruct school-platform outages from public reporting and publish the evidence."""

from incident.lazyimports import defer_iri_grammar

__version__ = "0.1.0"

# before anything imports jsonschema (Altair, nbformat): see incident.lazyimports
defer_iri_grammar()
