"""Helpers that Panther-format detections import: `caching` (state kept between
events), `mocking` and `monitoring`."""
