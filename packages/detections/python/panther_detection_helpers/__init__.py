"""Helpers that Panther-format detections import."""
