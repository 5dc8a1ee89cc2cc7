"""Stage 5, publication: charts, exhibits, the fact box, provenance, exports and the static site."""
