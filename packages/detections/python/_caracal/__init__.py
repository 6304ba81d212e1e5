"""Caracal's harness around customer detections. Not an API for detections."""
