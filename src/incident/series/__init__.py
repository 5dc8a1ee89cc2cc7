"""Measured series (counts per time bin): change points and anomalies."""
